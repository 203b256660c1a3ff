from dataclasses import replace
from datetime import date

import pytest

from extraction.check_digits import check_digit
from extraction.documents import spec_for
from extraction.documents.base import DocumentReading
from extraction.documents.fr_identity_card import SPEC
from extraction.messages import message_text
from extraction.models import DocumentType, FieldResult, FieldStatus, MrzBlock, Source
from extraction.text import TextLine
from tests.extraction.docgen_lines import rendered_lines

TODAY = date(2026, 6, 1)  # docgen's reference day


def td1(
    number: str = "X4RTBPFW4", names: str = "BERTRAND<<HELENE<MARIE", birth: str = "900215"
) -> tuple[str, str, str]:
    expiry = "310704"
    line1 = ("IDFRA" + number + check_digit(number)).ljust(30, "<")
    line2 = birth + check_digit(birth) + "F" + expiry + check_digit(expiry) + "FRA" + "<" * 11
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return line1, line2, names.ljust(30, "<")


def card_2021(
    *,
    mrz: tuple[str, ...] | None = None,
    surname: str = "BERTRAND",
    given: str = "Hélène, Marie",
    confidence: float = 0.99,
) -> list[TextLine]:
    """The printed zone of a 2021 card (labels above values) and its MRZ."""
    rows = [
        ("CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", 0.28, 0.09),
        ("N° du document / Document No", 0.72, 0.03),
        ("X4RTBPFW4", 0.72, 0.07),
        ("NOM / Surname", 0.33, 0.17),
        (surname, 0.33, 0.21),
        ("Prénoms / Given names", 0.33, 0.28),
        (given, 0.33, 0.31),
        ("SEXE / Sex", 0.33, 0.38),
        ("F", 0.33, 0.42),
        ("DATE DE NAISS. / Date of birth", 0.68, 0.38),
        ("15 02 1990", 0.68, 0.42),
        ("LIEU DE NAISSANCE / Place of birth", 0.33, 0.49),
        ("SAINT-ÉTIENNE", 0.33, 0.52),
        ("DATE DE DÉLIVRANCE / Date of issue", 0.33, 0.59),
        ("05 07 2021", 0.33, 0.62),
        ("DATE D'EXPIR. / Expiry date", 0.68, 0.59),
        ("04 07 2031", 0.68, 0.62),
    ]
    lines = [TextLine(text, confidence, x, y, x + 0.25, y + 0.03) for text, x, y in rows]
    for row, text in enumerate(td1() if mrz is None else mrz):
        lines.append(TextLine(text, 0.97, 0.05, 0.75 + row * 0.08, 0.95, 0.8 + row * 0.08))
    return lines


def read_and_check(lines: list[TextLine], today: date = TODAY) -> DocumentReading:
    reading = SPEC.read(lines)
    SPEC.check(reading, today=today)
    return reading


def test_the_spec_is_registered():
    assert spec_for(DocumentType.FR_IDENTITY_CARD) is SPEC
    assert SPEC.country == "FRA"


@pytest.mark.parametrize("seed", range(8))
def test_generated_cards_read_every_field_right(seed):
    document, lines = rendered_lines("fr_identity_card", seed)
    reading = read_and_check(lines)
    for name, expected in document.fields.items():
        result = reading.fields[name]
        assert result.value == expected, name
        if result.status is FieldStatus.WARNING:  # only an expired card may be doubtful
            assert name == "expiry_date" and result.note == "document_expired"
            assert str(expected) < TODAY.isoformat()
        else:
            assert result.status is FieldStatus.VALID, name
    assert reading.mrz is not None and reading.mrz.check_digits_ok


def test_mrz_values_win_and_printed_accents_are_kept_when_both_agree():
    reading = read_and_check(card_2021())
    fields = reading.fields
    assert fields["surname"].value == "BERTRAND" and fields["surname"].source is Source.MRZ
    assert fields["given_names"].value == "HÉLÈNE MARIE"
    assert fields["given_names"].status is FieldStatus.VALID
    assert fields["document_number"].confidence >= 0.99
    assert fields["birth_date"].value == "1990-02-15"
    assert fields["birth_place"].value == "SAINT-ÉTIENNE"
    assert fields["birth_place"].source is Source.OCR
    assert fields["issue_date"].value == "2021-07-05"
    assert fields["card_model"].value == "2021"
    assert reading.findings == []


def test_a_real_name_mismatch_is_a_warning_and_the_mrz_spelling_is_kept():
    reading = read_and_check(card_2021(surname="DURAND"))
    surname = reading.fields["surname"]
    assert surname.value == "BERTRAND" and surname.status is FieldStatus.WARNING
    assert any(f.code == "mrz_printed_mismatch" and f.field == "surname" for f in reading.findings)


def test_an_unrepairable_check_digit_failure_without_print_is_invalid():
    line1, line2, line3 = td1()
    broken = line2[:3] + "3" + line2[4:]  # birth 900215 → 900315: not an OCR look-alike
    lines = [line for line in card_2021(mrz=(line1, broken, line3)) if "1990" not in line.text]
    reading = read_and_check(lines)
    birth = reading.fields["birth_date"]
    assert birth.status is FieldStatus.INVALID and birth.note == "mrz_check_failed"
    assert any(f.code == "mrz_check_failed" for f in reading.findings)
    assert reading.mrz is not None and not reading.mrz.check_digits_ok


def test_a_failed_check_digit_confirmed_by_print_is_only_a_warning():
    line1, line2, line3 = td1()
    broken = line2[:6] + "0" + line2[7:]  # the birth date's check digit itself misread
    reading = read_and_check(card_2021(mrz=(line1, broken, line3)))
    assert reading.fields["birth_date"].value == "1990-02-15"
    assert reading.fields["birth_date"].status is FieldStatus.WARNING


def test_without_mrz_the_printed_zone_is_read_and_low_confidence_is_doubtful():
    lines = [line for line in card_2021(confidence=0.6) if "<<" not in line.text]
    reading = read_and_check(lines)
    assert reading.fields["surname"].value == "BERTRAND"
    assert reading.fields["surname"].source is Source.OCR
    assert reading.fields["surname"].status is FieldStatus.WARNING
    assert reading.fields["card_model"].value == "2021"
    assert any(f.code == "mrz_not_found" for f in reading.findings)


def test_a_passport_zone_is_not_taken_for_the_card_one():
    passport = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )
    reading = SPEC.read(card_2021(mrz=passport))
    assert reading.mrz is None
    assert any(f.code == "mrz_wrong_document" for f in reading.findings)


def fields(**values: str) -> dict[str, FieldResult]:
    base = {name: FieldResult() for name in SPEC.field_names}
    for name, value in values.items():
        base[name] = FieldResult(value=value, confidence=0.95, source=Source.GEMINI)
    return base


def test_check_on_any_reading_applies_formats_and_dates():
    reading = DocumentReading(
        fields(document_number="X4RTBPF", card_model="2021", birth_date="2030-01-01",
               issue_date="2021-07-05", expiry_date="2031-07-04", sex="Q", nationality="FRA")
    )  # fmt: skip
    SPEC.check(reading, today=TODAY)
    assert reading.fields["document_number"].status is FieldStatus.INVALID
    assert reading.fields["birth_date"].status is FieldStatus.INVALID
    assert reading.fields["sex"].status is FieldStatus.INVALID
    assert reading.fields["nationality"].status is FieldStatus.VALID
    assert reading.fields["given_names"].status is FieldStatus.MISSING


def test_an_expired_card_is_a_warning_with_a_document_finding():
    reading = DocumentReading(
        fields(card_model="2021", expiry_date="2025-01-01", issue_date="2015-01-02")
    )
    SPEC.check(reading, today=TODAY)
    assert reading.fields["expiry_date"].status is FieldStatus.WARNING
    assert [f.code for f in reading.findings] == ["document_expired"]


def test_a_1995_number_must_begin_with_the_issue_month():
    good = DocumentReading(
        fields(card_model="1995", document_number="880692310285", issue_date="1988-06-20")
    )
    SPEC.check(good, today=TODAY)
    assert good.fields["document_number"].status is FieldStatus.VALID
    assert good.fields["issue_date"].status is FieldStatus.VALID
    bad = DocumentReading(
        fields(card_model="1995", document_number="880692310285", issue_date="1989-06-20")
    )
    SPEC.check(bad, today=TODAY)
    assert bad.fields["issue_date"].status is FieldStatus.WARNING
    assert bad.fields["issue_date"].note == "card_number_issue_mismatch"


def test_a_value_contradicting_the_checked_mrz_it_carries_is_doubtful():
    lines = td1()
    values = fields(document_number="X4RTBPFW5", card_model="2021", surname="BERTRAND")
    reading = DocumentReading(
        values, mrz=MrzBlock(format="TD1", lines=list(lines), check_digits_ok=True)
    )
    SPEC.check(reading, today=TODAY)
    assert reading.fields["document_number"].status is FieldStatus.WARNING
    assert reading.fields["surname"].status is FieldStatus.VALID


def test_lines_from_a_second_page_are_read_too():
    lines = [replace(line, page=1) if "<<" in line.text else line for line in card_2021()]
    assert read_and_check(lines).fields["document_number"].confidence >= 0.99


def test_1995_cards_issued_to_adults_from_2004_to_2013_stay_valid_five_more_years():
    values = fields(
        card_model="1995",
        birth_date="1970-05-05",
        issue_date="2005-03-01",
        expiry_date="2015-02-28",
    )
    reading = DocumentReading(values)
    SPEC.check(reading, today=date(2019, 1, 1))
    assert reading.fields["expiry_date"].status is FieldStatus.VALID
    # The agent sees a past printed date: he is told the card still holds, and until when.
    assert [(f.code, f.params) for f in reading.findings] == [
        ("validity_extended", {"date": "2020-02-28"})
    ]
    later = DocumentReading({k: v.model_copy() for k, v in values.items()})
    SPEC.check(later, today=date(2021, 1, 1))
    assert later.fields["expiry_date"].status is FieldStatus.WARNING
    assert [(f.code, f.params) for f in later.findings] == [
        ("document_expired_extended", {"date": "2020-02-28", "printed": "2015-02-28"})
    ]
    message = message_text(later.findings[0].code, "en", later.findings[0].params)
    assert "2020-02-28" in message and "2015-02-28" in message


def test_1995_cards_issued_to_minors_keep_their_printed_expiry():
    values = fields(
        card_model="1995",
        birth_date="1995-05-05",
        issue_date="2005-03-01",
        expiry_date="2015-02-28",
    )
    reading = DocumentReading(values)
    SPEC.check(reading, today=date(2019, 1, 1))
    assert reading.fields["expiry_date"].status is FieldStatus.WARNING


def test_a_name_whose_label_was_not_read_is_found_by_its_mrz_spelling():
    lines = [line for line in card_2021() if not line.text.startswith("NOM")]
    reading = read_and_check(lines)
    assert reading.fields["surname"].value == "BERTRAND"
    # Found by value: the letters agree, the spelling (accents) is not vouched for.
    assert reading.fields["surname"].status is FieldStatus.WARNING


def test_a_name_found_only_in_the_mrz_is_not_valid():
    lines = [line for line in card_2021() if line.text not in ("NOM / Surname", "BERTRAND")]
    reading = read_and_check(lines)
    assert reading.fields["surname"].value == "BERTRAND"
    assert reading.fields["surname"].status is FieldStatus.WARNING


def test_1995_birth_place_is_read_under_the_birth_date_when_its_label_is_lost():
    document, lines = rendered_lines("fr_identity_card", 1)
    assert document.variant == "1995"
    lines = [line for line in lines if line.text != "à :"]
    reading = read_and_check(lines)
    assert reading.fields["birth_place"].value == document.fields["birth_place"]


def test_truncated_mrz_given_names_take_the_full_printed_spelling():
    given = "RAPHAEL<MATHEO"  # the 14-character field is full: JEAN did not fit
    line1 = "IDFRA" + "DUPONT".ljust(25, "<") + "750123"
    line2 = "880692310285" + check_digit("880692310285") + given
    line2 += "650412" + check_digit("650412") + "M"
    line2 += check_digit(line1 + line2)
    lines = [
        TextLine("Prénom(s) :", 0.99, 0.33, 0.24, 0.43, 0.28),
        TextLine("RAPHAËL, MATHÉO, JEAN", 0.99, 0.5, 0.24, 0.8, 0.28),
        TextLine(line1, 0.97, 0.05, 0.8, 0.95, 0.85),
        TextLine(line2, 0.97, 0.05, 0.87, 0.95, 0.92),
    ]
    reading = read_and_check(lines)
    assert reading.fields["given_names"].value == "RAPHAËL MATHÉO JEAN"
    assert reading.fields["given_names"].status is FieldStatus.VALID


def test_the_validity_period_must_match_the_card_model():
    good = DocumentReading(
        fields(card_model="2021", issue_date="2021-07-05", expiry_date="2031-07-04")
    )
    SPEC.check(good, today=TODAY)
    assert good.fields["expiry_date"].status is FieldStatus.VALID
    bad = DocumentReading(
        fields(card_model="2021", issue_date="2021-07-05", expiry_date="2036-07-04")
    )
    SPEC.check(bad, today=TODAY)
    assert {bad.fields[n].note for n in ("issue_date", "expiry_date")} >= {
        "validity_period_mismatch"
    }


def place(value: str, confidence: float) -> FieldResult:
    return FieldResult(value=value, confidence=confidence, source=Source.OCR)


def test_a_printed_only_birth_place_needs_a_very_confident_reading():
    sure = DocumentReading(fields(birth_place="SAINT-ÉTIENNE"))
    sure.fields["birth_place"].source = Source.OCR
    SPEC.check(sure, today=TODAY)
    assert sure.fields["birth_place"].status is FieldStatus.VALID
    unsure = DocumentReading(fields(birth_place="SAINT-ÉTIENNE"))
    unsure.fields["birth_place"] = FieldResult(
        value="SAINT-ÉTIENNE", confidence=0.9, source=Source.OCR
    )
    SPEC.check(unsure, today=TODAY)
    assert unsure.fields["birth_place"].status is FieldStatus.WARNING


def test_a_lone_a_in_a_place_name_is_a_probably_lost_accent():
    reading = DocumentReading(fields())
    reading.fields["birth_place"] = FieldResult(
        value="POINTE-A-PITRE", confidence=0.99, source=Source.OCR
    )
    SPEC.check(reading, today=TODAY)
    assert reading.fields["birth_place"].status is FieldStatus.WARNING
    assert reading.fields["birth_place"].note == "accent_doubtful"


def test_an_accented_printed_name_needs_a_sure_line():
    unsure = read_and_check(card_2021(confidence=0.95))
    assert unsure.fields["given_names"].value == "HÉLÈNE MARIE"
    assert unsure.fields["given_names"].status is FieldStatus.WARNING
    assert unsure.fields["given_names"].note == "accent_doubtful"
    assert unsure.fields["surname"].status is FieldStatus.VALID  # no accent to doubt
    # Read less surely, a name without accents may be one whose accents the OCR dropped.
    unsure_plain = read_and_check(card_2021(confidence=0.91))
    assert unsure_plain.fields["surname"].value == "BERTRAND"
    assert unsure_plain.fields["surname"].status is FieldStatus.WARNING


def test_a_name_found_by_value_cannot_vouch_for_its_spelling():
    # Measured: on photos blurred enough to lose the labels, OCR read LOÏC as LOIC at 0.98.
    without_labels = [
        line
        for line in card_2021(mrz=td1(names="BERTRAND<<LOIC"), given="Loic")
        if "/" not in line.text
    ]
    reading = read_and_check(without_labels)
    assert reading.fields["given_names"].value == "LOIC"
    assert reading.fields["given_names"].status is FieldStatus.WARNING
    assert reading.fields["surname"].status is FieldStatus.WARNING
    labelled = read_and_check(card_2021(mrz=td1(names="BERTRAND<<LOIC"), given="Loic"))
    assert labelled.fields["given_names"].status is FieldStatus.VALID


def test_letters_french_does_not_use_are_doubtful_on_a_french_card():
    reading = DocumentReading(
        fields(birth_place="NÍMES", surname="BENSAÍD", given_names="MAĒLYS", sex="F")
    )
    SPEC.check(reading, today=TODAY)
    # Turned into the French letters they are misread from, and left to be checked.
    assert reading.fields["birth_place"].value == "NÎMES"
    assert reading.fields["surname"].value == "BENSAÏD"
    assert reading.fields["given_names"].value == "MAËLYS"
    for name in ("birth_place", "surname", "given_names"):
        assert reading.fields[name].status is FieldStatus.WARNING
        assert reading.fields[name].note == "accent_doubtful"


def test_1995_birth_place_is_found_under_the_checked_birth_date_when_both_labels_are_lost():
    document, lines = rendered_lines("fr_identity_card", 1)
    unlabelled = [line for line in lines if line.text not in ("Né(e) le :", "à :")]
    reading = read_and_check(unlabelled)
    assert reading.fields["birth_place"].value == document.fields["birth_place"]
    assert reading.fields["birth_place"].status is not FieldStatus.VALID  # found by position
    zone = [line for line in unlabelled if line.text.startswith("09073000004")]
    broken = [  # a birth date the check digit does not vouch for anchors nothing
        replace(line, text=line.text[:27] + "7" + line.text[28:]) if line in zone else line
        for line in unlabelled
    ]
    assert read_and_check(broken).fields["birth_place"].value is None


def test_labels_whose_english_half_went_unread_still_lead_to_their_values():
    halves = {
        "LIEU DE NAISSANCE / Place of birth": "LIEU DE NAISSANCE /",
        "DATE DE DÉLIVRANCE / Date of issue": "DATE DE DÉLIVRANCE",
    }
    lines = [replace(line, text=halves.get(line.text, line.text)) for line in card_2021()]
    reading = read_and_check(lines)
    assert reading.fields["birth_place"].value == "SAINT-ÉTIENNE"
    assert reading.fields["issue_date"].value == "2021-07-05"
    lost = [line for line in lines if line.text not in halves.values()]
    by_position = read_and_check(lost).fields["birth_place"]  # no label: a guess at most
    assert by_position.status is not FieldStatus.VALID
