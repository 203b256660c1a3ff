from datetime import date

import pytest

from extraction.documents import spec_for
from extraction.documents.base import DocumentReading
from extraction.documents.passport import SPEC
from extraction.models import DocumentType, FieldResult, FieldStatus, Source
from extraction.text import TextLine
from tests.extraction.docgen_lines import rendered_lines

TODAY = date(2026, 6, 1)
TD3_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def data_page(
    line1: str = TD3_1, line2: str = TD3_2, *, printed: bool = True, number: str = "L898902C3"
) -> list[TextLine]:
    rows = [("UTOPIA", 0.05, 0.03), ("PASSPORT", 0.05, 0.08)]
    if printed:
        rows += [
            ("Passport No.", 0.76, 0.14), (number, 0.76, 0.17),
            ("Surname", 0.34, 0.22), ("ERIKSSON", 0.34, 0.25),
            ("Given names", 0.34, 0.30), ("Anna Maria", 0.34, 0.33),
            ("Date of birth", 0.34, 0.47), ("12 AUG 1974", 0.34, 0.50),
            ("Date of expiry", 0.34, 0.63), ("15 APR 2012", 0.34, 0.66),
        ]  # fmt: skip
    lines = [TextLine(text, 0.99, x, y, x + 0.2, y + 0.025) for text, x, y in rows]
    lines.append(TextLine(line1, 0.97, 0.04, 0.83, 0.96, 0.88))
    lines.append(TextLine(line2, 0.97, 0.04, 0.9, 0.96, 0.95))
    return lines


def read_and_check(lines: list[TextLine], today: date = date(2011, 1, 1)) -> DocumentReading:
    reading = SPEC.read(lines)
    SPEC.check(reading, today=today)
    return reading


def test_the_spec_is_registered():
    assert spec_for(DocumentType.PASSPORT) is SPEC


@pytest.mark.parametrize("seed", range(10))
def test_generated_passports_read_every_field_right(seed):
    document, lines = rendered_lines("passport", seed)
    reading = read_and_check(lines, today=TODAY)
    for name, expected in document.fields.items():
        result = reading.fields[name]
        assert result.value == expected, name
        wanted = FieldStatus.MISSING if expected is None else FieldStatus.VALID
        expired = name == "expiry_date" and str(expected) < TODAY.isoformat()
        assert result.status is (FieldStatus.WARNING if expired else wanted), name


def test_the_icao_specimen_with_its_printed_zone():
    reading = read_and_check(data_page())
    fields = reading.fields
    assert fields["document_number"].value == "L898902C3"
    assert fields["document_number"].source is Source.MRZ
    assert fields["given_names"].value == "ANNA MARIA"
    assert fields["given_names"].status is FieldStatus.VALID
    assert fields["birth_date"].value == "1974-08-12"
    assert fields["expiry_date"].value == "2012-04-15"
    assert fields["issuing_state"].value == "UTO" and fields["nationality"].value == "UTO"
    assert fields["personal_number"].value == "ZE184226B"
    assert all(result.status is FieldStatus.VALID for result in fields.values())


def test_names_from_the_mrz_alone_are_not_marked_valid():
    reading = read_and_check(data_page(printed=False))
    assert reading.fields["surname"].value == "ERIKSSON"
    assert reading.fields["surname"].status is FieldStatus.WARNING
    assert reading.fields["document_number"].status is FieldStatus.VALID


def test_an_empty_personal_number_under_a_passing_check_is_missing():
    line2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<<8"
    line2 = line2[:43] + "2"
    reading = read_and_check(data_page(line2=_with_composite(line2)))
    assert reading.mrz is not None and reading.mrz.check_digits_ok
    assert reading.fields["personal_number"].status is FieldStatus.MISSING


def _with_composite(line2: str) -> str:
    from extraction.check_digits import check_digit

    return line2[:43] + check_digit(line2[0:10] + line2[13:20] + line2[21:43])


def test_a_failed_number_check_confirmed_by_print_is_a_warning_else_invalid():
    broken = TD3_2[:9] + "9" + TD3_2[10:]  # the number's check digit misread: nothing to repair
    confirmed = read_and_check(data_page(line2=broken))
    assert confirmed.fields["document_number"].value == "L898902C3"
    assert confirmed.fields["document_number"].status is FieldStatus.WARNING
    alone = read_and_check(data_page(line2=broken, printed=False))
    assert alone.fields["document_number"].status is FieldStatus.INVALID
    assert any(f.code == "mrz_check_failed" for f in alone.findings)


def test_a_repair_that_fits_by_chance_is_never_marked_valid():
    # 3 → 4 is no look-alike slip, yet swapping 8 → B happens to satisfy every check digit.
    broken = "L898902C46" + TD3_2[10:]
    reading = read_and_check(data_page(line2=broken, printed=False))
    number = reading.fields["document_number"]
    assert number.value == "LB98902C4"
    assert number.status is FieldStatus.WARNING
    with_print = read_and_check(data_page(line2=broken, number="L898902C4"))
    assert with_print.fields["document_number"].status is FieldStatus.WARNING


def test_without_an_mrz_the_printed_zone_is_the_fallback():
    lines = [line for line in data_page() if "<<" not in line.text]
    reading = read_and_check(lines)
    assert reading.fields["document_number"].value == "L898902C3"
    assert reading.fields["document_number"].source is Source.OCR
    assert reading.fields["birth_date"].value == "1974-08-12"
    assert any(f.code == "mrz_not_found" for f in reading.findings)


def test_check_on_any_reading_applies_formats_and_dates():
    values = {name: FieldResult() for name in SPEC.field_names}
    values["document_number"] = FieldResult(value="L898-902", confidence=0.9, source=Source.MISTRAL)
    values["issuing_state"] = FieldResult(value="UTOPIA", confidence=0.9, source=Source.MISTRAL)
    values["birth_date"] = FieldResult(value="1974-08-12", confidence=0.9, source=Source.MISTRAL)
    values["expiry_date"] = FieldResult(value="1970-01-01", confidence=0.8, source=Source.MISTRAL)
    reading = DocumentReading(values)
    SPEC.check(reading, today=TODAY)
    assert values["document_number"].status is FieldStatus.INVALID
    assert values["issuing_state"].status is FieldStatus.INVALID
    assert values["birth_date"].status is FieldStatus.VALID
    assert values["expiry_date"].status is FieldStatus.INVALID


def test_a_lost_first_mrz_line_leaves_the_checked_second_one():
    lines = [line for line in data_page() if line.text != TD3_1]
    reading = read_and_check(lines)
    assert reading.fields["document_number"].status is FieldStatus.VALID
    assert reading.fields["birth_date"].value == "1974-08-12"
    assert reading.fields["surname"].value == "ERIKSSON"  # from the printed zone
    assert reading.fields["surname"].source is Source.OCR
    assert reading.mrz is not None and not reading.mrz.check_digits_ok


def test_printed_only_values_need_a_very_confident_reading():
    values = {name: FieldResult() for name in SPEC.field_names}
    values["surname"] = FieldResult(value="ERIKSSON", confidence=0.9, source=Source.OCR)
    values["given_names"] = FieldResult(value="ANNA", confidence=0.99, source=Source.OCR)
    values["sex"] = FieldResult(value="F", confidence=0.9, source=Source.GEMINI)
    reading = DocumentReading(values)
    SPEC.check(reading, today=TODAY)
    assert values["surname"].status is FieldStatus.WARNING
    assert values["given_names"].status is FieldStatus.VALID
    assert values["sex"].status is FieldStatus.VALID  # an AI reading is judged by its own score
