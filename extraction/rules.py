"""Rules shared by every document type: real and ordered dates, expiry, and field statuses.

A type's `check()` collects problems in an `Assessment` (hard errors and doubts per field, plus
the document-level findings), then `settle()` turns them into each field's status:
`missing` when there is no value, `invalid` on a hard error, `warning` on a doubt or a low
confidence, `valid` otherwise. A field's `note` holds the stable code of its first problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from extraction.findings import Finding
from extraction.models import FieldResult, FieldStatus, FieldValue

# Below this, a value read by OCR alone is a guess: shown, but never marked valid.
LOW_CONFIDENCE = 0.8
# OCR engines score some of their slips 0.85 (a `7978` read `7970` at 0.95 even): a printed
# value nothing else confirms is valid only read at least this surely.
SURE_READING = 0.9


@dataclass
class Assessment:
    """Problems found while checking one reading: per field, and for the whole document."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    doubts: dict[str, list[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def error(
        self, field_name: str, code: str, *, report: bool = True, **params: str | int
    ) -> None:
        """A hard rule is broken: the field becomes `invalid` (and a finding is reported)."""
        self.errors.setdefault(field_name, []).append(code)
        if report:
            self.findings.append(Finding(code, field_name, {"field": field_name, **params}))

    def doubt(
        self, field_name: str, code: str, *, report: bool = True, **params: str | int
    ) -> None:
        """A rule is doubtful: the field becomes `warning` (and a finding is reported)."""
        self.doubts.setdefault(field_name, []).append(code)
        if report:
            self.findings.append(Finding(code, field_name, {"field": field_name, **params}))

    def settle(
        self, fields: Mapping[str, FieldResult], *, min_confidence: float = LOW_CONFIDENCE
    ) -> None:
        """Set the status and note of every field from the problems collected."""
        for name, result in fields.items():
            set_status(
                result,
                errors=self.errors.get(name, ()),
                doubts=self.doubts.get(name, ()),
                min_confidence=min_confidence,
            )


def set_status(
    result: FieldResult,
    *,
    errors: Iterable[str] = (),
    doubts: Iterable[str] = (),
    min_confidence: float = LOW_CONFIDENCE,
) -> FieldStatus:
    """Give one field its status from its problems and confidence; returns the status."""
    errors, doubts = list(errors), list(doubts)
    if result.value is None or result.value == "":
        result.value = None
        result.status, result.note = FieldStatus.MISSING, None
    elif errors:
        result.status, result.note = FieldStatus.INVALID, errors[0]
    elif doubts:
        result.status, result.note = FieldStatus.WARNING, doubts[0]
    elif result.confidence < min_confidence:
        result.status, result.note = FieldStatus.WARNING, "low_confidence"
    else:
        result.status, result.note = FieldStatus.VALID, None
    return result.status


# No date a document of ours prints (a birth, a first registration, an issue) is older.
EARLIEST_DATE = date(1900, 1, 1)


def iso_date(value: FieldValue) -> date | None:
    """The date in a contract value (`YYYY-MM-DD`), None when absent or not a real date (a
    year OCR cut short, `16/07/0006`, parses, but is older than any date of ours)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed >= EARLIEST_DATE else None


def check_registration_dates(
    assessment: Assessment, fields: Mapping[str, FieldResult], *, today: date
) -> None:
    """A vehicle certificate's first registration (B) and certificate (I) dates: real, not in
    the future, and B ≤ I (a new vehicle is registered the day its certificate is issued)."""
    dates = check_dates(
        assessment, fields, today=today, past=("first_registration_date", "certificate_date")
    )
    first, issued = dates.get("first_registration_date"), dates.get("certificate_date")
    if first and issued and first > issued:
        assessment.error(
            "first_registration_date",
            "registration_after_certificate",
            first=first.isoformat(),
            certificate=issued.isoformat(),
        )


def check_dates(
    assessment: Assessment,
    fields: Mapping[str, FieldResult],
    *,
    today: date,
    past: Iterable[str] = (),
    order: Iterable[str] = (),
    expiry: str | None = None,
) -> dict[str, date]:
    """Dates must be real; `past` ones not in the future; `order` ones strictly increasing;
    an `expiry` before `today` is a doubt plus a `document_expired` finding. Returns the
    real dates by field name."""
    order = list(order)
    names = dict.fromkeys([*past, *order, *([expiry] if expiry else [])])
    dates: dict[str, date] = {}
    for name in names:
        result = fields.get(name)
        if result is None or result.value is None:
            continue
        parsed = iso_date(result.value)
        if parsed is None:
            assessment.error(name, "date_not_real", value=str(result.value))
        else:
            dates[name] = parsed
    for name in past:
        if name in dates and dates[name] > today:
            assessment.error(name, "date_in_future", date=dates[name].isoformat())
    _check_order(assessment, fields, dates, [name for name in order if name in dates])
    if expiry and expiry in dates:
        check_expiry(assessment, expiry, dates[expiry], today=today)
    return dates


def check_expiry(
    assessment: Assessment,
    name: str,
    valid_until: date,
    *,
    today: date,
    code: str = "document_expired",
    params: Mapping[str, str] | None = None,
) -> None:
    """A document used after `valid_until` is expired: a doubt on the field and a finding
    (`code`, with the date and any other `params` its message names)."""
    if valid_until < today:
        assessment.doubt(name, "document_expired", report=False)
        assessment.findings.append(
            Finding(code, name, {"date": valid_until.isoformat(), **(params or {})})
        )


def _check_order(
    assessment: Assessment,
    fields: Mapping[str, FieldResult],
    dates: Mapping[str, date],
    present: list[str],
) -> None:
    for earlier, later in pairwise(present):
        if dates[earlier] < dates[later]:
            continue
        # The less trusted date is the one that is wrong; blame both when equally trusted.
        first, second = fields[earlier].confidence, fields[later].confidence
        blamed = [earlier] if first < second else [later] if second < first else [earlier, later]
        for name in blamed:
            assessment.error(
                name,
                "dates_out_of_order",
                earlier=earlier,
                later=later,
                earlier_date=dates[earlier].isoformat(),
                later_date=dates[later].isoformat(),
            )


def check_format(
    assessment: Assessment,
    fields: Mapping[str, FieldResult],
    name: str,
    pattern: re.Pattern[str],
    *,
    hard: bool = True,
) -> bool:
    """The value of `name` must match `pattern` entirely (an error when `hard`, else a doubt).
    True when it matches or is absent."""
    result = fields.get(name)
    if result is None or result.value is None or pattern.fullmatch(str(result.value)):
        return True
    if hard:
        assessment.error(name, "format_invalid", value=str(result.value))
    else:
        assessment.doubt(name, "format_invalid", value=str(result.value))
    return False
