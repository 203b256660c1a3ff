"""The one place that maps finding codes to user messages (English msgids, translated via gettext).

Each area keeps its own table below; codes are stable (they are part of the JSON contract).
A quality or intake entry carries the advice an agent needs to retake the photo.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.findings import Finding
from extraction.models import QualityIssue, ScanWarning
from papiers.i18n import N_, translate


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    advice: str | None = None


# --- intake: files that cannot be read at all (extraction/intake.py) ---------------------------
INTAKE: dict[str, Message] = {}


# --- quality gate: photos that can be read but badly (extraction/quality.py) -------------------
QUALITY: dict[str, Message] = {}


# --- preprocessing and reading (extraction/preprocess.py, extraction/ocr.py, pipeline) --------
READING: dict[str, Message] = {}


# --- document type detection (extraction/classify.py) ------------------------------------------
DETECTION: dict[str, Message] = {}


# --- MRZ and identity documents (extraction/mrz.py, documents/fr_identity_card.py, passport.py)
IDENTITY: dict[str, Message] = {}


# --- vehicles and licences (documents/fr_vehicle_registration.py, tn_…, fft_licence.py) --------
VEHICLE: dict[str, Message] = {}


# --- AI providers (extraction/providers/) -------------------------------------------------------
PROVIDERS: dict[str, Message] = {}


# --- field rules shared by every type (extraction/rules.py) -------------------------------------
RULES: dict[str, Message] = {
    "document_expired": Message(N_("The document expired on {date}.")),
}


def _catalog() -> dict[str, Message]:
    merged: dict[str, Message] = {}
    for table in (INTAKE, QUALITY, READING, DETECTION, IDENTITY, VEHICLE, PROVIDERS, RULES):
        merged.update(table)
    return merged


CATALOG: dict[str, Message] = _catalog()


def message_text(code: str, language: str, params: dict[str, str | int] | None = None) -> str:
    """The localized sentence for a finding code (the code itself if it is unknown)."""
    entry = CATALOG.get(code)
    if entry is None:
        return code
    return translate(language, entry.text, **(params or {}))


def advice_text(code: str, language: str) -> str | None:
    entry = CATALOG.get(code)
    return translate(language, entry.advice) if entry and entry.advice else None


def render_warning(finding: Finding, language: str) -> ScanWarning:
    return ScanWarning(
        code=finding.code,
        field=finding.field,
        message=message_text(finding.code, language, finding.params),
    )


def render_quality_issue(finding: Finding, language: str) -> QualityIssue:
    return QualityIssue(
        code=finding.code,
        message=message_text(finding.code, language, finding.params),
        advice=advice_text(finding.code, language),
    )
