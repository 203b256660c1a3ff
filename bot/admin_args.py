"""What admins type after /export and /stats: formats, dates, periods and document types.

Dates are whole days in UTC, both ends included: `/export csv 2026-11-01 2026-11-30` covers
November. A period may also be `today`, `7d`, `30d`, `month` (30 days) or `all`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from bot.doc_types import parse_document_type
from extraction.dates import parse_printed_date
from extraction.models import DocumentType
from papiers.exports import ExportFormat

BEGINNING: Final = datetime(2000, 1, 1, tzinfo=UTC)
_DAYS = re.compile(r"(\d{1,4})\s*[dj]")  # 7d, 30j (jours)
_FORMATS: Final = {
    "csv": ExportFormat.CSV,
    "xlsx": ExportFormat.XLSX,
    "excel": ExportFormat.XLSX,
    "json": ExportFormat.JSON,
    "jsonl": ExportFormat.JSON,
}
_COMMA: Final = frozenset({",", "comma", "virgule", "csv,"})


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def label(self) -> str:
        """`2026-11-14 → 2026-11-20` (the last day included)."""
        last = (self.end - timedelta(microseconds=1)).date()
        first = "…" if self.start <= BEGINNING else self.start.date().isoformat()
        return f"{first} → {last.isoformat()}"


@dataclass(frozen=True)
class ExportRequest:
    export_format: ExportFormat
    period: Period
    document_type: DocumentType | None
    delimiter: str


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _as_day(token: str) -> date | None:
    try:
        return date.fromisoformat(token)
    except ValueError:
        return parse_printed_date(token) if re.fullmatch(r"[\d/.\-]{8,10}", token) else None


def _between(days: Sequence[date], now: datetime, default_days: int | None) -> Period | None:
    tomorrow = _day_start(now.date() + timedelta(days=1))
    if not days:
        start = BEGINNING if default_days is None else tomorrow - timedelta(days=default_days)
        return Period(start, tomorrow)
    first, last = days[0], days[1] if len(days) > 1 else now.date()
    if last < first or len(days) > 2:
        return None
    return Period(_day_start(first), _day_start(last + timedelta(days=1)))


def parse_period(args: Sequence[str], now: datetime, *, default_days: int = 7) -> Period | None:
    """`/stats` arguments → the period, None when they make no sense."""
    text = " ".join(args).strip().lower()
    tomorrow = _day_start(now.date() + timedelta(days=1))
    named = {"today": 1, "aujourd'hui": 1, "week": 7, "semaine": 7, "month": 30, "mois": 30}
    if text in named:
        return Period(tomorrow - timedelta(days=named[text]), tomorrow)
    if text in ("all", "tout"):
        return Period(BEGINNING, tomorrow)
    days = _DAYS.fullmatch(text)
    if days:
        count = int(days.group(1))
        return Period(tomorrow - timedelta(days=count), tomorrow) if count > 0 else None
    parsed = [_as_day(token) for token in args]
    if any(day is None for day in parsed):
        return None
    return _between([day for day in parsed if day is not None], now, default_days)


def parse_export_args(args: Sequence[str], now: datetime) -> ExportRequest | None:
    """`/export [csv|xlsx|json] [from] [to] [type]` → the request; None when a word is unknown."""
    export_format, delimiter = ExportFormat.CSV, ";"
    days: list[date] = []
    words: list[str] = []
    for token in args:
        lowered = token.lower()
        if lowered in _COMMA:
            delimiter = ","
            if lowered == "csv,":
                export_format = ExportFormat.CSV
        elif lowered in _FORMATS:
            export_format = _FORMATS[lowered]
        elif (day := _as_day(token)) is not None:
            days.append(day)
        else:
            words.append(token)
    document_type = parse_document_type(" ".join(words)) if words else None
    if words and (document_type is None or document_type is DocumentType.UNKNOWN):
        return None
    period = _between(days, now, None)
    if period is None:
        return None
    return ExportRequest(export_format, period, document_type, delimiter)
