from datetime import date
from functools import cache

import cv2
import numpy as np
import pytest

from docgen.document import REFERENCE_DAY, RenderedDocument
from extraction.documents.fr_vehicle_fallbacks import (
    GUESS,
    add_holder_above_address,
    add_holder_around_statement,
    add_holder_below_date,
    add_total_tax,
    add_unlabelled,
)
from extraction.documents.fr_vehicle_registration import SPEC
from extraction.documents.fr_vehicle_values import repair_postcode
from extraction.models import FieldStatus
from extraction.printed_values import Read
from extraction.rules import LOW_CONFIDENCE
from extraction.text import TextLine
from tests.extraction.docgen_lines import rendered_lines


def line(y: float, text: str, x: float = 0.07) -> TextLine:
    return TextLine(text, 0.98, x, y, x + 0.012 * len(text), y + 0.03)


UNLABELLED = [
    line(0.05, "AB-123-CD"),
    line(0.10, "12/03/2019"),
    line(0.29, "VF1RFB00764567890"),
    line(0.34, "1234", x=0.56),
    line(0.39, "20/03/2019"),
    line(0.39, "M1", x=0.56),
    line(0.49, "e2*2007/46*0123*05", x=0.56),
]


def test_distinctive_shapes_fill_fields_whose_code_was_not_read() -> None:
    found: dict[str, Read] = {}
    add_unlabelled(UNLABELLED, found, zone_first_registration=None)
    assert {name: read.value for name, read in found.items()} == {
        "registration_number": "AB-123-CD",
        "vin": "VF1RFB00764567890",
        "first_registration_date": "2019-03-12",
        "certificate_date": "2019-03-20",
        "mass_in_service_kg": 1234,
        "eu_category": "M1",
        "type_approval": "e2*2007/46*0123*05",
    }
    # Found by shape or by elimination, not by their code: guesses, below the valid bar.
    assert all(read.confidence <= GUESS < LOW_CONFIDENCE for read in found.values())


def test_with_the_zone_date_the_other_date_is_the_certificate_date() -> None:
    found: dict[str, Read] = {}
    add_unlabelled(UNLABELLED, found, zone_first_registration=date(2019, 3, 12))
    assert found["certificate_date"].value == "2019-03-20"
    assert found["certificate_date"].confidence <= GUESS  # by elimination
    assert "first_registration_date" not in found  # the zone provides it


def test_labelled_values_are_not_overwritten_and_ambiguity_leaves_gaps() -> None:
    found = {"vin": Read("WDB12345678901234", 0.95)}
    extra = [*UNLABELLED, line(0.7, "01/01/2020"), line(0.75, "999")]
    add_unlabelled(extra, found, zone_first_registration=None)
    assert found["vin"].value == "WDB12345678901234"
    assert "certificate_date" not in found  # three loose dates for two fields
    assert "mass_in_service_kg" not in found  # two loose masses


def test_a_loose_vin_is_one_printed_token_not_words_run_together() -> None:
    found: dict[str, Read] = {}
    lines = [
        line(0.05, "RÉPUBLIQUE FRANCAISE"),  # "PUBLIQUEFRANCAISE" after the accent: 17 letters
        line(0.45, "BAT C 35 TER ALLEE DES"),  # 17 characters once its spaces go
        line(0.55, "VF14N6AY5PX204139"),
    ]
    add_unlabelled(lines, found, zone_first_registration=None)
    assert found["vin"].value == "VF14N6AY5PX204139"


def test_a_vin_cut_in_two_by_the_ocr_is_joined_but_words_are_not() -> None:
    cut: dict[str, Read] = {}
    add_unlabelled([line(0.55, "VF14N6AY5 PX204139")], cut, zone_first_registration=None)
    words: dict[str, Read] = {}
    add_unlabelled([line(0.45, "BAT C 35 TER ALLEE DES")], words, zone_first_registration=None)
    assert cut["vin"].value == "VF14N6AY5PX204139"
    assert "vin" not in words


def test_the_date_alone_in_the_right_column_is_the_inspection_date() -> None:
    found: dict[str, Read] = {}
    dates = [line(0.10, "12/03/2019"), line(0.39, "20/03/2019"), line(0.80, "22/06/2023", x=0.73)]
    add_unlabelled(dates, found, zone_first_registration=None)
    assert {name: read.value for name, read in found.items()} == {
        "first_registration_date": "2019-03-12",
        "certificate_date": "2019-03-20",
        "technical_inspection_date": "2023-06-22",
    }
    stacked: dict[str, Read] = {}  # B and I alone, one under the other: no inspection date
    add_unlabelled(dates[:2], stacked, zone_first_registration=None)
    assert "technical_inspection_date" not in stacked


def test_codes_from_one_official_list_and_typed_shapes_name_their_field() -> None:
    found: dict[str, Read] = {"eu_body": Read("AB", 0.95)}
    lines = [
        line(0.20, "M10RENVPTAD8TG6", x=0.40),
        line(0.55, "VP", x=0.40),
        line(0.62, "CI", x=0.40),  # a J.2 and a J.3 code; J.2 was read with its code
        line(0.30, "ES", x=0.73),
        line(0.70, "715/2007*2018/1832AP", x=0.73),
    ]
    add_unlabelled(lines, found, zone_first_registration=None)
    assert {name: read.value for name, read in found.items()} == {
        "eu_body": "AB",
        "cnit": "M10RENVPTAD8TG6",
        "national_genre": "VP",
        "national_body": "CI",
        "fuel": "ES",
        "environmental_class": "715/2007*2018/1832AP",
    }
    assert all(read.confidence <= GUESS for name, read in found.items() if name != "eu_body")


def test_a_code_on_two_lists_names_no_field_and_words_are_no_codes() -> None:
    found: dict[str, Read] = {}
    lines = [line(0.62, "CI", x=0.40), line(0.70, "MADAME", x=0.40), line(0.2, "M10", x=0.4)]
    add_unlabelled(lines, found, zone_first_registration=None)
    assert found == {}


STATEMENT = line(0.40, "EST LE PROPRIETAIRE DU VEHICULE", x=0.096)


def test_the_holder_is_read_around_the_owner_statement_when_its_codes_are_lost() -> None:
    found: dict[str, Read] = {}
    lines = [
        line(0.30, "AB-123-CD", x=0.096),  # a row too far above: not the name
        line(0.36, "GARNIER CLAIRE", x=0.094),
        line(0.44, "c", x=0.052),  # the C.3 code misread, left of the column
        line(0.44, "BAT C 143 BIS ALLEE DES", x=0.097),
        line(0.48, "PEUPLIERS 59016 LILLE", x=0.100),
        line(0.54, "VF1GCDS20TY377587", x=0.100),
    ]
    add_holder_around_statement(STATEMENT, lines, found)
    assert {name: read.value for name, read in found.items()} == {
        "holder_name": "GARNIER CLAIRE",
        "holder_address": "BAT C 143 BIS ALLEE DES PEUPLIERS 59016 LILLE",
    }
    assert all(read.confidence <= GUESS for read in found.values())


def test_no_holder_guess_without_a_postcode_or_over_a_labelled_value() -> None:
    found = {"holder_name": Read("MARTIN CLAIRE", 0.95)}
    lines = [
        line(0.36, "SOMETHING ELSE", x=0.094),
        line(0.44, "12 RUE DES LILAS", x=0.097),
        line(0.48, "VF1GCDS20TY377587", x=0.097),  # no postcode line: no address
        line(0.52, "75011 PARIS", x=0.097),
    ]
    add_holder_around_statement(STATEMENT, lines, found)
    assert found == {"holder_name": Read("MARTIN CLAIRE", 0.95)}


def test_an_approval_whose_small_e_was_read_as_a_zero_is_repaired_but_numbers_are_not() -> None:
    found: dict[str, Read] = {}
    add_unlabelled([line(0.3, "04*2018/858*3554*97", x=0.74)], found, zone_first_registration=None)
    assert found["type_approval"].value == "e4*2018/858*3554*97"
    assert found["type_approval"].confidence <= GUESS
    others: dict[str, Read] = {}
    add_unlabelled([line(0.3, "0123*45", x=0.74)], others, zone_first_registration=None)
    assert "type_approval" not in others


def test_the_total_tax_is_the_amount_of_its_row_that_sums_the_others() -> None:
    taxes = [
        line(0.9, "420.00", x=0.07),
        line(0.9, "0.00", x=0.23),
        line(0.9, "0,00", x=0.39),
        line(0.9, "48 11.00", x=0.55),
        line(0.9, "2.76", x=0.71),
        line(0.9, "433.76", x=0.87),
    ]
    found: dict[str, Read] = {}
    add_total_tax(taxes, found)
    assert found["total_tax_eur"].value == "433.76"
    # A misread part (2.70 for 2.76) breaks the sum: no total is guessed.
    found = {}
    add_total_tax([*taxes[:4], line(0.9, "2.70", x=0.71), taxes[5]], found)
    assert "total_tax_eur" not in found


def test_an_approval_whose_state_number_holds_a_look_alike_is_still_found() -> None:
    found: dict[str, Read] = {}
    add_unlabelled([line(0.3, "el1*2007/46*2863*51", x=0.73)], found, zone_first_registration=None)
    assert found["type_approval"].value == "e11*2007/46*2863*51"


def test_the_holder_is_read_below_the_first_registration_date_when_all_else_is_lost() -> None:
    # A hard photo: every code box and C.4a's small statement lost, the values read.
    date_b = line(0.30, "16/08/2003", x=0.150)
    holder = [
        line(0.34, "BERTRAND MEHDI STEPHANE", x=0.151),
        line(0.38, "APPT 38 4 BIS ROUTE DE", x=0.150),
        line(0.42, "CHATEAUNEUF 27065 EVREUX", x=0.152),
    ]
    vin = line(0.46, "WVWWT3FR53A470502", x=0.150)
    garbled_statement = line(0.38, "ENT LE PRORETARE DU VHGNE", x=0.150)
    moved_down = [line(row.y0 + 0.04, row.text, x=row.x0) for row in holder[1:]]
    # The statement's row garbled, or not read at all (a gap of one row above the address).
    for rows in (
        [*holder, vin],
        [holder[0], garbled_statement, *moved_down],
        [holder[0], *moved_down],
    ):
        found: dict[str, Read] = {"first_registration_date": Read("2003-08-16", 0.6)}

        add_holder_below_date([date_b, *rows], rows, found)

        assert found["holder_name"].value == "BERTRAND MEHDI STEPHANE"
        assert found["holder_address"].value == "APPT 38 4 BIS ROUTE DE CHATEAUNEUF 27065 EVREUX"
        assert all(read.confidence <= GUESS for read in found.values())


@pytest.mark.parametrize(
    ("rows", "name", "address"),
    [
        # The name on two rows, C.4a's statement blurred, the commune on its own row (B as 8).
        (
            [
                "HENRY STEPHANE ANTOINE",
                "JEAN-BAPTISTE",
                "EST A PRORITAN DUWHOLE",
                "160 QUAI DES BATELIERS 67093",
                "STRAS8OURG",
            ],
            "HENRY STEPHANE ANTOINE JEAN-BAPTISTE",
            "160 QUAI DES BATELIERS 67093 STRAS8OURG",
        ),
        # The statement garbled beyond recognition but read surely: a name takes two rows at
        # most, so the third is the statement; the postcode's 6 read as G is repaired.
        (
            [
                "HAMON JEAN-BAPTISTE",
                "NICOLAS JOEL",
                "ETU RE  VLE",
                "BAT C 35 TER ALLEE DES",
                "PEUPLIERS 1308G MARSEILLE",
            ],
            "HAMON JEAN-BAPTISTE NICOLAS JOEL",
            "BAT C 35 TER ALLEE DES PEUPLIERS 13086 MARSEILLE",
        ),
    ],
)
def test_a_two_row_name_and_a_wrapped_address_below_the_date_are_joined(
    rows: list[str], name: str, address: str
) -> None:
    date_b = line(0.30, "14/12/2009", x=0.150)
    lines = [line(0.34 + 0.04 * index, text, x=0.151) for index, text in enumerate(rows)]
    found: dict[str, Read] = {}
    add_holder_below_date([date_b, *lines], lines, found)
    assert found["holder_name"].value == name
    assert found["holder_address"].value == address
    assert all(read.confidence <= GUESS for read in found.values())


def test_only_a_postcodes_look_alikes_are_repaired() -> None:
    assert repair_postcode("12 RUE DES LILAS 75O11 PARIS") == "12 RUE DES LILAS 75011 PARIS"
    assert repair_postcode("160 QUAI DES BATELIERS 67O93") == "160 QUAI DES BATELIERS 67093"
    # Words and numbers that are no postcode: three digits only, or not five characters.
    for text in ("ROUTE DE SOBIS 12 X", "APPT 1O5 BAT B", "LIEU DIT 1234 OUEST"):
        assert repair_postcode(text) == text


def test_no_holder_below_a_date_without_a_name_then_a_postcode() -> None:
    date_i = line(0.50, "15/10/2005", x=0.150)
    cases = [
        # Two rows' worth of gap under the name: no statement lost there, another paper's text.
        [line(0.54, "MARTIN CLAIRE", x=0.150), line(0.71, "12 RUE DES LILAS 75011 PARIS", x=0.15)],
        [line(0.54, "12 RUE DES LILAS", x=0.150), line(0.58, "75011 PARIS", x=0.150)],  # no name
        [line(0.54, "MARTIN CLAIRE", x=0.150), line(0.58, "12 RUE DES LILAS", x=0.150)],
        [
            TextLine("EST LE PROPRIETAIRE", 0.9, 0.15, 0.54, 0.30, 0.56),  # small print
            line(0.58, "75011 PARIS", x=0.150),
        ],
    ]
    for rows in cases:
        found: dict[str, Read] = {}
        add_holder_below_date([date_i, *rows], rows, found)
        assert found == {}


def row(y: float, text: str, x: float) -> TextLine:
    """A row as on a phone photo of the whole certificate (0.018 of the page high)."""
    return TextLine(text, 0.98, x, y, x + 0.007 * len(text), y + 0.018)


def test_the_holder_is_the_row_above_the_address_read_by_its_code() -> None:
    # Phone photo: C.1's box lost, C.4a's statement too small to read, C.3 read with its value.
    date_b = row(0.182, "08/12/2021", x=0.268)
    name = row(0.210, "DE LA TOUR NOEL", x=0.268)
    address = row(0.260, "5 RUE SAINT-EXUPERY 29265", x=0.266)
    found: dict[str, Read] = {}
    add_holder_above_address(address, [date_b, name], found)
    assert found["holder_name"].value == "DE LA TOUR NOEL"
    assert found["holder_name"].confidence <= GUESS
    # The statement read small between them is skipped; a wrapped name is joined.
    statement = TextLine("EST LE PROPRIETAIRE", 0.9, 0.268, 0.231, 0.36, 0.244)
    first = row(0.185, "DE LA TOUR", x=0.268)
    second = row(0.208, "NOEL", x=0.268)
    found = {}
    add_holder_above_address(
        address, [row(0.160, "08/12/2021", x=0.268), first, second, statement], found
    )
    assert found["holder_name"].value == "DE LA TOUR NOEL"


def test_no_holder_above_the_address_but_words_close_above_it() -> None:
    address = row(0.260, "5 RUE SAINT-EXUPERY 29265", x=0.266)
    cases = [
        [row(0.182, "08/12/2021", x=0.268)],  # the date right above: no name between
        [row(0.120, "DE LA TOUR NOEL", x=0.268)],  # too far above
        [row(0.210, "DE LA TOUR NOEL", x=0.40)],  # not aligned with the address
    ]
    for lines in cases:
        found: dict[str, Read] = {}
        add_holder_above_address(address, lines, found)
        assert found == {}
    found = {"holder_name": Read("MARTIN CLAIRE", 0.99)}
    add_holder_above_address(address, [row(0.210, "DE LA TOUR NOEL", x=0.268)], found)
    assert found["holder_name"].value == "MARTIN CLAIRE"


@cache
def rendered_card(seed: int) -> tuple[RenderedDocument, np.ndarray, list[TextLine]]:
    document, lines = rendered_lines("fr_vehicle_registration", seed)
    image = cv2.cvtColor(np.asarray(document.image), cv2.COLOR_RGB2BGR)
    return document, image, lines


def without(lines: list[TextLine], *texts: str) -> list[TextLine]:
    return [line for line in lines if line.text not in texts]


def test_a_lone_digit_whose_box_the_detector_missed_is_read_right_of_its_code() -> None:
    document, image, lines = rendered_card(3)
    seats, tax = str(document.fields["seats"]), str(document.fields["total_tax_eur"])
    assert seats == "5" and tax == "493.76"
    missed = without(lines, seats, tax.replace(".", ","))
    reading = SPEC.read_pages(missed, [], [image])
    SPEC.check(reading, today=REFERENCE_DAY)
    assert reading.fields["seats"].value == 5
    assert reading.fields["seats"].status is FieldStatus.WARNING  # a guess: no box was found
    assert SPEC.read(missed).fields["seats"].value is None  # no image to look at


def test_free_text_is_not_read_in_a_slot_and_a_blank_slot_gives_nothing() -> None:
    document, image, lines = rendered_card(3)
    variant = str(document.fields["type_variant_version"])  # D.2: letters and digits, any order
    missed = without(lines, variant, str(document.fields["seats"]))
    blank = np.full_like(image, 255)
    fields = SPEC.read_pages(missed, [], [blank]).fields
    assert fields["type_variant_version"].value is None
    assert fields["seats"].value is None
    assert SPEC.read_pages(missed, [], [image]).fields["type_variant_version"].value is None


def test_words_run_together_into_17_characters_are_no_vin() -> None:
    found: dict[str, Read] = {}
    add_unlabelled([line(0.5, "UN1TA1REC0NTRATAY")], found, zone_first_registration=None)
    assert "vin" not in found
    add_unlabelled([line(0.5, "VF3PW90Z4D9904579")], found, zone_first_registration=None)
    assert found["vin"].value == "VF3PW90Z4D9904579"
