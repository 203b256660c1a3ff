"""A field corrected by an agent in chat: the typed value normalised like any reading, checked
with the document type's own rules, and the envelope updated (`source: "user"`).

Pure: no Telegram, no storage. The bot stores the outcome and keeps the previous value in the
scan's history (the store's corrections table), never in the envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from extraction.documents import spec_for
from extraction.documents.base import DocumentReading
from extraction.findings import Finding
from extraction.messages import render_warning
from extraction.models import DocumentType, FieldResult, FieldStatus, FieldValue, ScanResult, Source
from extraction.plates import read_fr_plate
from extraction.providers.schemas import FieldKind, field_kind, parse_values
from papiers.i18n import N_, translate

# Codes printed in lower case on the certificate (`e2*2007/46*…`); every other text field is
# upper case in the contract.
KEEP_CASE: Final = frozenset({"type_approval"})
MAX_VALUE_CHARS: Final = 200


class CorrectionRefused(ValueError):
    """The typed value cannot stand: `reasons` say why, in the agent's language."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("correction refused")
        self.reasons = reasons


@dataclass(frozen=True)
class Corrected:
    """The corrected envelope, the value before and after, and the field's new status."""

    result: ScanResult
    field: str
    old_value: FieldValue
    new_value: FieldValue
    status: FieldStatus


def normalise(document_type: DocumentType, field: str, text: str, language: str) -> FieldValue:
    """The typed text as the contract writes it (ISO dates, integers, upper case, SIV plates)."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_VALUE_CHARS:
        raise CorrectionRefused([translate(language, N_("Send a value of 1 to 200 characters."))])
    kind = field_kind(field)
    parsed = parse_values({field: cleaned}, document_type)
    value = parsed.values.get(field)
    if field in parsed.wrong_type or value is None:
        raise CorrectionRefused([translate(language, N_("This field takes a whole number."))])
    if kind is FieldKind.DATE and (not isinstance(value, str) or not _is_iso_date(value)):
        raise CorrectionRefused(
            [translate(language, N_("Send a date such as 31/12/2024 or 2024-12-31."))]
        )
    if isinstance(value, str) and field not in KEEP_CASE:
        value = value.upper()
    if field == "registration_number" and document_type is DocumentType.FR_VEHICLE_REGISTRATION:
        plate = read_fr_plate(str(value))
        if plate is not None and plate.repaired == 0:
            value = plate.value
    return value


def apply_correction(
    result: ScanResult, field: str, text: str, *, today: date, language: str
) -> Corrected:
    """Check `text` as the new value of `field`; raise `CorrectionRefused` when a hard rule
    breaks, else return the envelope with the field (and any field whose rules it moves) updated.
    """
    document_type = result.document_type
    if document_type is DocumentType.UNKNOWN or field not in result.fields:
        raise CorrectionRefused([translate(language, N_("This field cannot be corrected."))])
    value = normalise(document_type, field, text, language)
    before = _checked(result, None, today=today)
    corrected = FieldResult(
        value=value, confidence=1.0, status=FieldStatus.VALID, source=Source.USER
    )
    after = _checked(result, (field, corrected), today=today)
    if after.fields[field].status is FieldStatus.INVALID:
        reasons = [
            render_warning(finding, language).message
            for finding in after.findings
            if finding.field == field
        ]
        raise CorrectionRefused(
            reasons or [translate(language, N_("This value breaks a rule for this field."))]
        )
    fields = {}
    for name, stored in result.fields.items():
        moved = _outcome(before.fields[name]) != _outcome(after.fields[name])
        fields[name] = after.fields[name] if name == field or moved else stored.model_copy()
    rule_keys = {(f.code, f.field) for f in before.findings}
    kept = [w for w in result.warnings if (w.code, w.field) not in rule_keys]
    fresh = [render_warning(f, language) for f in _unique(after.findings)]
    updated = result.model_copy(update={"fields": fields, "warnings": [*kept, *fresh]}, deep=True)
    return Corrected(
        result=updated,
        field=field,
        old_value=result.fields[field].value,
        new_value=value,
        status=after.fields[field].status,
    )


def _checked(
    result: ScanResult,
    replacement: tuple[str, FieldResult] | None,
    *,
    today: date,
) -> DocumentReading:
    # The stored envelope rebuilt as a reading, so the type's rules run on it like on any other.
    fields = {name: item.model_copy() for name, item in result.fields.items()}
    if replacement is not None:
        fields[replacement[0]] = replacement[1]
    reading = DocumentReading(fields=fields, mrz=result.mrz.model_copy() if result.mrz else None)
    spec_for(result.document_type).check(reading, today=today)
    return reading


def _outcome(item: FieldResult) -> tuple[FieldStatus, str | None]:
    return item.status, item.note


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str | None]] = set()
    unique = []
    for finding in findings:
        if (finding.code, finding.field) not in seen:
            seen.add((finding.code, finding.field))
            unique.append(finding)
    return unique


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
