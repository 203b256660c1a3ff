import re
from datetime import date

from extraction.findings import Finding
from extraction.models import FieldResult, FieldStatus, FieldValue, Source
from extraction.rules import (
    Assessment,
    check_dates,
    check_format,
    check_registration_dates,
    iso_date,
    set_status,
)

TODAY = date(2026, 6, 1)


def read(value: FieldValue, confidence: float = 0.99) -> FieldResult:
    return FieldResult(value=value, confidence=confidence, source=Source.OCR)


def identity_dates(
    birth: str | None,
    issue: str | None,
    expiry: str | None,
    *,
    confidences: tuple[float, float, float] = (0.99, 0.99, 0.99),
) -> dict[str, FieldResult]:
    values = {"birth_date": birth, "issue_date": issue, "expiry_date": expiry}
    return {
        name: read(value, c) for (name, value), c in zip(values.items(), confidences, strict=True)
    }


def assess(fields: dict[str, FieldResult]) -> Assessment:
    assessment = Assessment()
    check_dates(
        assessment,
        fields,
        today=TODAY,
        past=("birth_date", "issue_date"),
        order=("birth_date", "issue_date", "expiry_date"),
        expiry="expiry_date",
    )
    assessment.settle(fields)
    return assessment


def test_real_ordered_dates_are_valid():
    fields = identity_dates("1980-02-29", "2020-01-10", "2030-01-09")
    assessment = assess(fields)
    assert all(f.status is FieldStatus.VALID for f in fields.values())
    assert assessment.findings == []


def test_a_date_that_does_not_exist_is_invalid():
    fields = identity_dates("1981-02-29", "2020-01-10", "2030-01-09")
    assessment = assess(fields)
    assert fields["birth_date"].status is FieldStatus.INVALID
    assert fields["birth_date"].note == "date_not_real"
    assert assessment.findings[0].code == "date_not_real"


def test_a_year_ocr_cut_short_is_no_real_date():
    # `16/07/0006` parses as a date; no document of ours prints one before 1900.
    fields = identity_dates("0006-07-16", "2020-01-10", "2030-01-09")
    assess(fields)
    assert fields["birth_date"].status is FieldStatus.INVALID
    assert fields["birth_date"].note == "date_not_real"
    old = identity_dates("1900-01-01", "2020-01-10", "2030-01-09")
    assess(old)
    assert old["birth_date"].status is FieldStatus.VALID


def test_a_birth_date_in_the_future_is_invalid():
    fields = identity_dates("2027-01-01", None, "2030-01-09")
    assess(fields)
    assert fields["birth_date"].status is FieldStatus.INVALID
    assert fields["birth_date"].note == "date_in_future"
    assert fields["issue_date"].status is FieldStatus.MISSING


def test_dates_out_of_order_blame_the_less_trusted_one():
    fields = identity_dates("1990-05-05", "1985-01-01", "2030-01-09", confidences=(0.99, 0.9, 0.99))
    assessment = assess(fields)
    assert fields["issue_date"].status is FieldStatus.INVALID
    assert fields["birth_date"].status is FieldStatus.VALID
    assert [f.code for f in assessment.findings] == ["dates_out_of_order"]


def test_dates_out_of_order_equally_trusted_are_both_invalid():
    fields = identity_dates("1990-05-05", "1985-01-01", "2030-01-09")
    assess(fields)
    assert fields["issue_date"].status is FieldStatus.INVALID
    assert fields["birth_date"].status is FieldStatus.INVALID


def test_an_expired_document_is_a_warning_with_a_document_finding():
    fields = identity_dates("1980-01-01", "2010-01-10", "2020-01-09")
    assessment = assess(fields)
    assert fields["expiry_date"].status is FieldStatus.WARNING
    assert fields["expiry_date"].note == "document_expired"
    assert Finding("document_expired", "expiry_date", {"date": "2020-01-09"}) in assessment.findings


def test_status_follows_errors_doubts_and_confidence():
    assert set_status(read(None)) is FieldStatus.MISSING
    assert set_status(read("")) is FieldStatus.MISSING
    assert set_status(read("X"), errors=["format_invalid"]) is FieldStatus.INVALID
    assert set_status(read("X"), doubts=["mrz_printed_mismatch"]) is FieldStatus.WARNING
    low = read("X", confidence=0.5)
    assert set_status(low) is FieldStatus.WARNING and low.note == "low_confidence"
    good = read("X", confidence=0.95)
    assert set_status(good) is FieldStatus.VALID and good.note is None


def test_check_format_hard_and_soft():
    fields = {"number": read("AB12"), "name": read("DUP0NT")}
    assessment = Assessment()
    assert check_format(assessment, fields, "number", re.compile(r"\d{4}")) is False
    assert check_format(assessment, fields, "name", re.compile(r"[A-Z]+"), hard=False) is False
    assert check_format(assessment, fields, "missing", re.compile(r"\d")) is True
    assessment.settle(fields)
    assert fields["number"].status is FieldStatus.INVALID
    assert fields["name"].status is FieldStatus.WARNING


def test_iso_date_reads_only_real_iso_dates():
    assert iso_date("2024-02-29") == date(2024, 2, 29)
    assert iso_date("2023-02-29") is None
    assert iso_date("29/02/2024") is None
    assert iso_date(20240229) is None
    assert iso_date("0006-07-16") is None  # a year OCR cut short


def test_a_vehicle_is_registered_at_the_latest_the_day_its_certificate_is_issued() -> None:
    def findings(first: str, certificate: str) -> list[str]:
        fields = {"first_registration_date": read(first), "certificate_date": read(certificate)}
        assessment = Assessment()
        check_registration_dates(assessment, fields, today=TODAY)
        assessment.settle(fields)
        return [f"{f.field}:{f.code}" for f in assessment.findings]

    assert findings("2019-03-01", "2024-05-10") == []
    assert findings("2024-05-10", "2024-05-10") == []  # a new vehicle: B = I
    assert findings("2024-05-11", "2024-05-10") == [
        "first_registration_date:registration_after_certificate"
    ]
    assert findings("2027-01-01", "2027-01-01") == [
        "first_registration_date:date_in_future",
        "certificate_date:date_in_future",
    ]
