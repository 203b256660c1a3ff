"""What admins type after /export and /stats, read into formats, periods and types."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.admin_args import BEGINNING, parse_export_args, parse_period
from extraction.models import DocumentType
from papiers.exports import ExportFormat

NOW = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_export_defaults_to_every_scan_as_semicolon_csv() -> None:
    request = parse_export_args([], NOW)
    assert request is not None
    assert (request.export_format, request.delimiter, request.document_type) == (
        ExportFormat.CSV, ";", None,
    )  # fmt: skip
    assert (request.period.start, request.period.end) == (BEGINNING, day("2026-11-22"))


def test_export_with_format_dates_type_and_commas() -> None:
    request = parse_export_args(["XLSX", "01/11/2026", "2026-11-30", "carte", "grise"], NOW)
    assert request is not None and request.export_format is ExportFormat.XLSX
    assert request.document_type is DocumentType.FR_VEHICLE_REGISTRATION
    assert (request.period.start, request.period.end) == (day("2026-11-01"), day("2026-12-01"))
    assert request.period.label() == "2026-11-01 → 2026-11-30"
    comma = parse_export_args(["csv", "virgule", "2026-11-01"], NOW)
    assert comma is not None and comma.delimiter == ","
    assert comma.period.end == day("2026-11-22")  # from a day to today included


def test_export_refuses_unknown_words_and_reversed_dates() -> None:
    assert parse_export_args(["csv", "bateau"], NOW) is None
    assert parse_export_args(["2026-12-01", "2026-11-01"], NOW) is None
    assert parse_export_args(["2026-01-01", "2026-02-01", "2026-03-01"], NOW) is None


def test_periods() -> None:
    week = parse_period([], NOW)
    assert week is not None and (week.start, week.end) == (day("2026-11-15"), day("2026-11-22"))
    today = parse_period(["today"], NOW)
    assert today is not None and today.start == day("2026-11-21")
    month = parse_period(["30j"], NOW)
    assert month is not None and month.start == day("2026-10-23")
    everything = parse_period(["all"], NOW)
    assert everything is not None and everything.label() == "… → 2026-11-21"
    span = parse_period(["2026-11-01", "2026-11-30"], NOW)
    assert span is not None and span.label() == "2026-11-01 → 2026-11-30"
    assert parse_period(["demain"], NOW) is None
    assert parse_period(["0d"], NOW) is None
