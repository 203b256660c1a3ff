"""Dates as documents print them, normalised to `datetime.date` (ISO 8601 in the contract)."""

from __future__ import annotations

import re
from datetime import date

_SEPARATED = re.compile(r"(\d{1,4})\s*[./\-\s]\s*(\d{1,2})\s*[./\-\s]\s*(\d{2,4})")
_COMPACT = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")
# A line holding a full day/month/year date and nothing else (`3/11/2025`, `03.11.2025`).
LONE_FULL_DATE = re.compile(r"\s*\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{4}\s*")


def parse_printed_date(text: str, *, year_first: bool | None = None) -> date | None:
    """Parse `31/12/2024`, `31.12.2024`, `31 12 2024`, `2024/12/31`, `2024-12-31` or `31122024`.

    `year_first` forces the order; by default a leading 4-digit group means year first.
    """
    match = _SEPARATED.search(text)
    if match:
        first, second, third = match.groups()
        if year_first or (year_first is None and len(first) == 4):
            year, month, day = first, second, third
        else:
            day, month, year = first, second, third
    else:
        compact = _COMPACT.search(text)
        if not compact:
            return None
        day, month, year = compact.groups()
    if len(year) != 4:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_yymmdd(text: str, *, pivot: date, future: bool) -> date | None:
    """An MRZ `YYMMDD` date. Birth dates (`future=False`) take the century that puts them on or
    before `pivot`; expiry dates (`future=True`) may lie up to 50 years after it."""
    if not re.fullmatch(r"\d{6}", text):
        return None
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
    century = pivot.year // 100 * 100
    year = century + yy
    if future:
        if year > pivot.year + 50:
            year -= 100
        elif year < pivot.year - 50:
            year += 100
    elif year > pivot.year:
        year -= 100
    try:
        return date(year, mm, dd)
    except ValueError:
        return None
