"""Trust, but verify: an AI answer becomes a `DocumentReading` under the SAME rules as the local
engine, then what the local engine can prove (MRZ and SIV-zone values behind check digits, barcode
payloads) checks it field by field. Agreement raises confidence; on disagreement the proven value
wins and a warning says so."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from extraction.documents import spec_for
from extraction.documents.base import DocumentReading
from extraction.findings import Finding
from extraction.models import (
    DocumentType,
    FieldResult,
    FieldStatus,
    FieldValue,
    MrzBlock,
    Source,
)
from extraction.providers.schemas import ParsedAnswer
from extraction.text import TextLine

# An AI value on its own: usually right, never proven.
AI_CONFIDENCE = 0.8
CONFIRMED_BY_PROOF = 0.99
CONFIRMED_BY_READING = 0.93
CONTRADICTED_BY_READING = 0.7
PROVIDERS_DISAGREE = 0.5
# Machine-readable values at or above this confidence passed their check digits.
PROVEN = 0.95

_PROVEN_SOURCES = frozenset({Source.MRZ, Source.BARCODE})
_NAME_FIELDS = frozenset({"surname", "given_names", "holder_name", "owner_name"})

# Machine-readable starts that tell the type without doubt (ICAO 9303 document codes, SIV zone).
_TYPE_MARKS: tuple[tuple[re.Pattern[str], DocumentType], ...] = (
    (re.compile(r"^P[A-Z<][A-Z<]{3}[A-Z<]{39}$"), DocumentType.PASSPORT),
    (re.compile(r"^ID(FRA|<<)"), DocumentType.FR_IDENTITY_CARD),
    (re.compile(r"^I[D<]FRA[A-Z0-9<]{25,}$"), DocumentType.FR_IDENTITY_CARD),
    (re.compile(r"^CRFRA[A-Z0-9<]{30,}$"), DocumentType.FR_VEHICLE_REGISTRATION),
)


def reading_from_answer(
    answer: ParsedAnswer, source: Source, *, today: date, mrz: MrzBlock | None = None
) -> DocumentReading:
    """The AI's values as a reading, checked by the type's own rules (`spec.check`), which also
    compare them with the MRZ the local engine found (`mrz`), as for any other reading."""
    fields = {
        name: FieldResult(
            value=value, confidence=AI_CONFIDENCE, status=FieldStatus.VALID, source=source
        )
        if value is not None
        else FieldResult()
        for name, value in answer.values.items()
    }
    reading = DocumentReading(fields=fields, mrz=mrz)
    spec_for(answer.document_type).check(reading, today=today)
    for name, raw in answer.wrong_type.items():
        # A value of the wrong kind is shown as broken, never passed on as if it were read.
        reading.fields[name] = FieldResult(
            value=raw, confidence=0.0, status=FieldStatus.INVALID, source=source
        )
        reading.findings.append(
            Finding("provider_wrong_type", field=name, params={"provider": source.value})
        )
    if answer.unexpected_keys:
        reading.findings.append(
            Finding(
                "provider_unexpected_keys",
                params={"provider": source.value, "count": answer.unexpected_keys},
            )
        )
    return reading


def check_against_local(ai: DocumentReading, local: DocumentReading | None) -> None:
    """Check each AI field against the local reading; proven local values win disagreements."""
    if local is None:
        return
    ai.mrz = local.mrz
    for name, field in list(ai.fields.items()):
        evidence = local.fields.get(name)
        if evidence is None or evidence.value is None or evidence.status is FieldStatus.INVALID:
            continue
        proven = (
            evidence.source in _PROVEN_SOURCES
            and evidence.status is FieldStatus.VALID
            and evidence.confidence >= PROVEN
        )
        if field.value is None or field.status is FieldStatus.INVALID:
            ai.fields[name] = evidence.model_copy()
        elif same_value(name, field.value, evidence.value):
            bump = CONFIRMED_BY_PROOF if proven else CONFIRMED_BY_READING
            field.confidence = max(field.confidence, bump)
        elif proven:
            ai.fields[name] = evidence.model_copy()
            provider = field.source.value if field.source else "ai"
            ai.findings.append(
                Finding("provider_contradicts_mrz", field=name, params={"provider": provider})
            )
        else:
            field.confidence = min(field.confidence, CONTRADICTED_BY_READING)


def cross_check(primary: DocumentReading, second: DocumentReading) -> None:
    """Two providers read the same photo: flag the fields where they differ."""
    for name, field in primary.fields.items():
        other = second.fields.get(name)
        if other is None or other.value is None or other.status is FieldStatus.INVALID:
            continue
        if field.value is None:
            primary.fields[name] = other.model_copy()
        elif same_value(name, field.value, other.value):
            field.confidence = max(field.confidence, CONFIRMED_BY_READING)
        else:
            field.confidence = min(field.confidence, PROVIDERS_DISAGREE)
            if field.status is FieldStatus.VALID:
                field.status = FieldStatus.WARNING
            primary.findings.append(Finding("providers_disagree", field=name))


def same_value(name: str, first: FieldValue, second: FieldValue) -> bool:
    """Equal once case, accents, spaces and punctuation are set aside (MRZ names lose accents
    and may be truncated, so a name may also be the other's start)."""
    a, b = _comparable(first), _comparable(second)
    if a == b:
        return True
    if name in _NAME_FIELDS and min(len(a), len(b)) >= 3:
        return a.startswith(b) or b.startswith(a)
    return False


def contradicting_type(
    lines: Sequence[TextLine], barcodes: Sequence[str], claimed: DocumentType
) -> bool:
    """True when machine-readable evidence on the photo names another type than `claimed`."""
    marks = {
        t for line in lines for pattern, t in _TYPE_MARKS if pattern.match(_squeeze(line.text))
    }
    if any(code.startswith("FFT1;") for code in barcodes):
        marks.add(DocumentType.FFT_LICENCE)
    return bool(marks) and claimed not in marks


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.upper())


def _comparable(value: FieldValue) -> str:
    text = unicodedata.normalize("NFKD", str(value).upper())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))
