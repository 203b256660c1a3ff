from datetime import date

import pytest

from extraction.documents.base import DocumentReading
from extraction.documents.tn_vehicle_registration import FIELD_NAMES, SPEC
from extraction.documents.tn_vehicle_values import GENRES
from extraction.models import FieldResult, FieldStatus, Source
from extraction.text import TextLine

TODAY = date(2026, 6, 1)
VIN = "VF1RFB00764567890"


def line(y: float, x: float, text: str, confidence: float = 0.95) -> TextLine:
    return TextLine(text, confidence, x, y, x + 0.014 * len(text), y + 0.035)


def card() -> list[TextLine]:
    """Bilingual rows: French label, value, Arabic label on the right."""
    return [
        line(0.05, 0.05, "N° d'immatriculation"),
        line(0.05, 0.40, "123 تونس 4567"),
        line(0.05, 0.75, "رقم التسجيل"),
        line(0.11, 0.05, "Propriétaire : BEN AMOR MOHAMED"),
        line(0.17, 0.05, "Adresse"),
        line(0.17, 0.30, "12 RUE DE MARSEILLE TUNIS"),
        line(0.21, 0.30, "12 نهج مرسيليا تونس"),
        line(0.27, 0.05, "Date 1ère mise en circulation : 2018/07/14"),
        line(0.33, 0.05, "Marque : PEUGEOT"),
        line(0.33, 0.50, "Type commercial : 208"),
        line(0.39, 0.05, "Type constructeur : UBHNZ6"),
        line(0.39, 0.50, "Genre : VOITURE PARTICULIERE  سيارة خاصة"),
        line(0.45, 0.05, "N° de série (VIN)"),
        line(0.45, 0.30, VIN),
        line(0.51, 0.05, "Energie : ESSENCE  بنزين"),
        line(0.51, 0.50, "Puissance fiscale : 6"),
        line(0.57, 0.05, "Nombre de places : 5"),
        line(0.63, 0.05, "Poids total en charge : 1 620"),
        line(0.63, 0.50, "Poids à vide : 1 090"),
        line(0.69, 0.05, "Tunis le 20/07/2018"),
    ]


def test_bilingual_card_is_read_by_its_french_labels() -> None:
    reading = SPEC.read(card())
    SPEC.check(reading, today=TODAY)
    assert {name: result.value for name, result in reading.fields.items()} == {
        "registration_number": "123 TU 4567",
        "first_registration_date": "2018-07-14",
        "owner_name": "BEN AMOR MOHAMED",
        "owner_address": "12 RUE DE MARSEILLE TUNIS",
        "make": "PEUGEOT",
        "commercial_type": "208",
        "vehicle_type": "UBHNZ6",
        "vin": VIN,
        "fuel": "ESSENCE",
        "fiscal_power_cv": 6,
        "seats": 5,
        "gross_weight_kg": 1620,
        "empty_weight_kg": 1090,
        "genre": "VOITURE PARTICULIERE",
        "certificate_date": "2018-07-20",
    }
    assert set(reading.fields) == set(FIELD_NAMES)
    statuses = {name: result.status for name, result in reading.fields.items()}
    # `UBHNZ6` holds `B`, `Z` and `6`, which OCR swaps with `8`, `2` and `G`: nothing checks it.
    assert statuses.pop("vehicle_type") is FieldStatus.WARNING
    assert set(statuses.values()) == {FieldStatus.VALID}


def checked(**values: str | int | None) -> DocumentReading:
    fields = {name: FieldResult() for name in FIELD_NAMES}
    for name, value in values.items():
        fields[name] = FieldResult(value=value, confidence=0.95, source=Source.OCR)
    reading = DocumentReading(fields=fields)
    SPEC.check(reading, today=TODAY)
    return reading


@pytest.mark.parametrize(
    ("values", "field", "note"),
    [
        ({"registration_number": "123 XY 4567"}, "registration_number", "plate_format_unknown"),
        ({"vin": "VF1RFB0O764567890"}, "vin", "vin_format"),
        ({"fuel": "KEROSENE"}, "fuel", "code_unknown"),
        ({"seats": 120}, "seats", "value_out_of_range"),
        ({"empty_weight_kg": 2000, "gross_weight_kg": 1500}, "empty_weight_kg",
         "empty_weight_above_gross"),
        ({"first_registration_date": "2019-01-01", "certificate_date": "2018-01-01"},
         "first_registration_date", "registration_after_certificate"),
    ],
)  # fmt: skip
def test_broken_rules(values: dict[str, str | int], field: str, note: str) -> None:
    result = checked(**values).fields[field]
    assert (result.status, result.note) == (FieldStatus.INVALID, note)


@pytest.mark.parametrize("plate", ["123 TU 4567", "RS 123456", "12-345678"])
def test_every_plate_family_is_valid(plate: str) -> None:
    assert (
        checked(registration_number=plate).fields["registration_number"].status is FieldStatus.VALID
    )


def test_plate_whose_arabic_word_was_not_read_gets_tu_deduced_as_a_guess() -> None:
    lines = card()
    lines[1] = line(0.05, 0.40, "29 929 29 929")  # both copies read, تونس lost twice
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    plate = reading.fields["registration_number"]
    assert plate.value == "29 TU 929" and plate.status is FieldStatus.WARNING
    whole = SPEC.read(card())
    SPEC.check(whole, today=TODAY)
    assert whole.fields["registration_number"].status is FieldStatus.VALID  # تونس was read


def test_values_found_by_shape_without_their_label_are_guesses() -> None:
    lines = [
        item for item in card() if "immatriculation" not in item.text and "VIN" not in item.text
    ]
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    for name, value in (("registration_number", "123 TU 4567"), ("vin", VIN)):
        assert reading.fields[name].value == value
        assert reading.fields[name].status is FieldStatus.WARNING


def test_plate_copies_that_disagree_are_only_a_guess() -> None:
    lines = card()
    lines[1] = line(0.05, 0.40, "185  80 18 80")
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    assert reading.fields["registration_number"].status is FieldStatus.WARNING


def test_cut_genre_and_glued_fuel_are_completed_from_their_lists() -> None:
    lines = card()
    lines[11] = line(0.39, 0.50, "Genre : AMIONN")
    lines[14] = line(0.51, 0.05, "Energie : GASOILJ")
    fields = SPEC.read(lines).fields
    assert fields["genre"].value == "CAMIONNETTE"
    assert fields["fuel"].value == "GASOIL"
    assert fields["genre"].confidence < 0.8  # completed from the list: a guess


def test_unknown_genre_is_doubtful() -> None:
    assert checked(genre="AION").fields["genre"].status is FieldStatus.WARNING


def test_findings_render_in_both_languages() -> None:
    from extraction.messages import render_warning

    reading = checked(
        registration_number="123 XY 4567",
        fuel="KEROSENE",
        empty_weight_kg=2000,
        gross_weight_kg=1500,
    )
    assert len(reading.findings) == 3
    for finding in reading.findings:
        for language in ("fr", "en"):
            assert render_warning(finding, language).message != finding.code


def test_a_constructor_type_holding_look_alikes_is_doubtful() -> None:
    assert checked(vehicle_type="T382W3P").fields["vehicle_type"].status is FieldStatus.WARNING
    assert checked(vehicle_type="FJKAX").fields["vehicle_type"].status is FieldStatus.VALID


@pytest.mark.parametrize(
    ("text", "genre", "sure"),
    [
        ("CAMIONNETTE  شاحنة خفيفة", "CAMIONNETTE", True),  # the Arabic beside it dropped
        ("CAMION NETTE", "CAMIONNETTE", False),  # a repair costs the sure reading
        ("VOITURE PARTICULIERE L", "VOITURE PARTICULIERE", False),  # a stray letter: its own?
        ("CAMIONNETE", "CAMIONNETTE", False),
        ("VOITURE PARTICULERE", "VOITURE PARTICULIERE", False),
        ("VOITURE PARTH", "VOITURE PARTICULIERE", False),  # its end glued to the Arabic
    ],
)
def test_a_genre_read_with_slips_is_found_whole(text: str, genre: str, sure: bool) -> None:
    lines = card()
    lines[11] = line(0.39, 0.50, f"Genre : {text}")
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    assert reading.fields["genre"].value == genre
    assert (reading.fields["genre"].status is FieldStatus.VALID) is sure


@pytest.mark.parametrize("text", ["CAMION NETTOYEUR", "AUTO", "REMORQUES ET", "VOITURE LOUEE"])
def test_a_word_near_no_single_genre_is_not_made_one(text: str) -> None:
    lines = card()
    lines[11] = line(0.39, 0.50, f"Genre : {text}")
    assert SPEC.read(lines).fields["genre"].value not in GENRES


@pytest.mark.parametrize(
    ("row", "field"),
    [("Nombre de places : 1930 kg", "seats"), ("Puissance fiscale : 1473 kg", "fiscal_power_cv"),
     ("Poids à vide : 8 CV", "empty_weight_kg")],
)  # fmt: skip
def test_a_neighbour_rows_number_with_another_unit_is_not_taken(row: str, field: str) -> None:
    lines = [item for item in card() if not item.text.startswith(row.split(" :")[0])]
    lines.append(line(0.75, 0.05, row))
    assert SPEC.read(lines).fields[field].value is None


def test_numbers_with_their_own_unit_are_read() -> None:
    lines = card()
    lines[15] = line(0.51, 0.50, "Puissance fiscale : 6 CV")
    lines[16] = line(0.57, 0.05, "Nombre de places : 5")
    assert SPEC.read(lines).fields["fiscal_power_cv"].value == 6
    assert SPEC.read(lines).fields["seats"].value == 5


def test_misspelt_labels_still_find_their_values() -> None:
    lines = [
        line(0.10, 0.05, "Mpe comeecal"),
        line(0.10, 0.30, "YARIS"),
        line(0.15, 0.05, "Poids b vile"),
        line(0.15, 0.30, "1150 kg"),
        line(0.20, 0.05, "Gence"),
        line(0.20, 0.30, "VOITURE PARTICULIERE"),
    ]
    fields = SPEC.read(lines).fields
    assert fields["commercial_type"].value == "YARIS"
    assert fields["empty_weight_kg"].value == 1150
    assert fields["genre"].value == "VOITURE PARTICULIERE"


@pytest.mark.parametrize("label", ["Type coostnucteor", "Type constructeu", "Tpe constructeur"])
def test_the_rest_of_a_misread_type_label_is_no_type(label: str) -> None:
    lines = [
        line(0.10, 0.05, "Marque"),
        line(0.10, 0.30, "RENAULT"),
        line(0.15, 0.05, label),
        line(0.15, 0.30, "M2TCU"),
    ]
    fields = SPEC.read(lines).fields
    assert fields["make"].value == "RENAULT"
    assert fields["vehicle_type"].value == "M2TCU"


def test_values_are_not_taken_for_misspelt_labels() -> None:
    lines = [
        line(0.10, 0.05, "Marque"),
        line(0.10, 0.30, "PEUGEOT"),
        line(0.15, 0.05, "hopvoi"),  # too far from `Propriétaire` to be told
        line(0.15, 0.30, "MEJRI HEDI"),
    ]
    fields = SPEC.read(lines).fields
    assert fields["make"].value == "PEUGEOT"
    assert fields["owner_name"].value is None


def test_a_label_word_in_running_text_beside_the_card_is_no_label() -> None:
    lines = card()
    lines[4:6] = [line(0.80, 0.30, "adresse agence horaires")]
    assert SPEC.read(lines).fields["owner_address"].value is None
    lines = card()
    lines[4:6] = [line(0.17, 0.05, "Adresse 12 RUE DE MARSEILLE TUNIS")]
    assert SPEC.read(lines).fields["owner_address"].value == "12 RUE DE MARSEILLE TUNIS"


@pytest.mark.parametrize(
    ("text", "plate"), [("169 4113", "169 TU 4113"), ("29 929 29 929", "29 TU 929")]
)
def test_a_lone_line_of_the_plates_two_numbers_is_the_plate_as_a_guess(
    text: str, plate: str
) -> None:
    lines = [item for item in card() if "immatriculation" not in item.text]
    lines[0] = line(0.05, 0.40, text)
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    assert reading.fields["registration_number"].value == plate
    assert reading.fields["registration_number"].status is FieldStatus.WARNING


@pytest.mark.parametrize("texts", [["169 4113", "12 345"], ["169 4113 5"], ["29 929 30 929"]])
def test_bare_numbers_that_may_be_something_else_are_no_plate(texts: list[str]) -> None:
    lines = [item for item in card() if "immatriculation" not in item.text]
    lines[0:1] = [line(0.05 + 0.3 * index, 0.40, text) for index, text in enumerate(texts)]
    assert SPEC.read(lines).fields["registration_number"].value is None


def test_a_vin_repaired_by_the_first_registrations_year_is_a_guess() -> None:
    lines = card()
    lines[7] = line(0.27, 0.05, "Date 1ère mise en circulation : 2011/03/01")
    lines[13] = line(0.45, 0.30, "WVWF7G3M08U167175")
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    assert reading.fields["vin"].value == "WVWF7G3M0BU167175"
    assert reading.fields["vin"].status is FieldStatus.WARNING
