"""The one place that formats a scan result for a person: the CLI (plain text) and the bot (HTML).

Every value read from a document is escaped in HTML mode: names can hold `<` or `&`.
"""

from __future__ import annotations

import html
from typing import Final

from extraction.messages import CATALOG
from extraction.models import DocumentType, FieldResult, FieldStatus, ScanResult
from papiers.i18n import N_, translate

MARKS: Final = {
    FieldStatus.VALID: "✅",
    FieldStatus.WARNING: "⚠️",
    FieldStatus.INVALID: "❌",
    FieldStatus.MISSING: "▫️",
}

DOCUMENT_NAMES: Final = {
    DocumentType.FR_VEHICLE_REGISTRATION: N_("French vehicle registration (carte grise)"),
    DocumentType.TN_VEHICLE_REGISTRATION: N_("Tunisian vehicle registration (carte grise)"),
    DocumentType.FR_IDENTITY_CARD: N_("French identity card"),
    DocumentType.PASSPORT: N_("Passport"),
    DocumentType.FFT_LICENCE: N_("French Tennis Federation licence"),
    DocumentType.UNKNOWN: N_("Unknown document"),
}

FIELD_LABELS: Final = {
    # carte grise (SIV): the printed code follows the label, as agents know them
    "registration_number": N_("Registration number"),
    "first_registration_date": N_("First registration"),
    "holder_name": N_("Holder"),
    "holder_address": N_("Holder's address"),
    "make": N_("Make"),
    "type_variant_version": N_("Type, variant, version"),
    "cnit": N_("CNIT"),
    "commercial_name": N_("Commercial name"),
    "vin": N_("VIN"),
    "max_laden_mass_kg": N_("Max. laden mass (kg)"),
    "max_laden_mass_service_kg": N_("Max. laden mass in service (kg)"),
    "mass_in_service_kg": N_("Mass in service (kg)"),
    "certificate_date": N_("Certificate date"),
    "eu_category": N_("EU category"),
    "national_genre": N_("National genre"),
    "eu_body": N_("EU body"),
    "national_body": N_("National body"),
    "type_approval": N_("Type approval"),
    "displacement_cc": N_("Displacement (cm³)"),
    "net_power_kw": N_("Net power (kW)"),
    "fuel": N_("Fuel"),
    "fiscal_power_cv": N_("Fiscal power (CV)"),
    "seats": N_("Seats"),
    "co2_g_km": N_("CO₂ (g/km)"),
    "environmental_class": N_("Environmental class"),
    "technical_inspection_date": N_("Technical inspection"),
    "total_tax_eur": N_("Total tax (EUR)"),
    "formula_number": N_("Form number"),
    # Tunisian carte grise
    "owner_name": N_("Owner"),
    "owner_address": N_("Owner's address"),
    "commercial_type": N_("Commercial type"),
    "vehicle_type": N_("Vehicle type"),
    "gross_weight_kg": N_("Gross weight (kg)"),
    "empty_weight_kg": N_("Empty weight (kg)"),
    "genre": N_("Genre"),
    # identity documents
    "document_number": N_("Document number"),
    "surname": N_("Surname"),
    "given_names": N_("Given names"),
    "sex": N_("Sex"),
    "nationality": N_("Nationality"),
    "issuing_state": N_("Issuing state"),
    "birth_date": N_("Date of birth"),
    "birth_place": N_("Place of birth"),
    "issue_date": N_("Date of issue"),
    "expiry_date": N_("Expiry date"),
    "card_model": N_("Card model"),
    "personal_number": N_("Personal number"),
    # FFT licence
    "licence_number": N_("Licence number"),
    "club_name": N_("Club"),
    "season": N_("Season"),
    "ranking": N_("Ranking"),
    "league": N_("League"),
}

PRINTED_CODES: Final = {
    "registration_number": "A",
    "first_registration_date": "B",
    "holder_name": "C.1",
    "holder_address": "C.3",
    "make": "D.1",
    "type_variant_version": "D.2",
    "cnit": "D.2.1",
    "commercial_name": "D.3",
    "vin": "E",
    "max_laden_mass_kg": "F.1",
    "max_laden_mass_service_kg": "F.2",
    "mass_in_service_kg": "G",
    "certificate_date": "I",
    "eu_category": "J",
    "national_genre": "J.1",
    "eu_body": "J.2",
    "national_body": "J.3",
    "type_approval": "K",
    "displacement_cc": "P.1",
    "net_power_kw": "P.2",
    "fuel": "P.3",
    "fiscal_power_cv": "P.6",
    "seats": "S.1",
    "co2_g_km": "V.7",
    "environmental_class": "V.9",
    "technical_inspection_date": "X.1",
    "total_tax_eur": "Y.6",
}

# Short words for a field's `note` (a finding code) beside its value; the document-level
# warning, when there is one, gives the whole sentence with the values.
NOTES: Final = {
    "low_confidence": N_("read with low confidence: check it"),
    "document_expired": N_("expired"),
    "mrz_check_failed": N_("MRZ check digit fails"),
    "mrz_printed_mismatch": N_("MRZ and printed zone differ"),
    "accent_doubtful": N_("accents uncertain"),
    "vin_check_digit": N_("check digit does not match"),
    "vin_format": N_("not a valid VIN"),
    "code_unknown": N_("not an official code"),
    "format_invalid": N_("unexpected format"),
    "date_not_real": N_("not a real date"),
    "date_in_future": N_("in the future"),
    "dates_out_of_order": N_("dates out of order"),
    "plate_format_unknown": N_("plate format unknown"),
    "value_out_of_range": N_("out of range"),
}

MAX_MESSAGE_CHARS: Final = 4096  # Telegram's limit for one text message


def document_name(document_type: DocumentType, language: str) -> str:
    return translate(language, DOCUMENT_NAMES[document_type])


def field_label(key: str, language: str, document_type: DocumentType | None = None) -> str:
    """A field's name for a person, with its printed code on a carte grise (`Make (D.1)`)."""
    label = translate(language, FIELD_LABELS[key]) if key in FIELD_LABELS else key
    code = PRINTED_CODES.get(key) if document_type is DocumentType.FR_VEHICLE_REGISTRATION else None
    return f"{label} ({code})" if code else label


def note_text(code: str, language: str) -> str | None:
    """A field note for a person: a short phrase, or the finding's own sentence when it needs
    no values; None when only the document-level warning can say it."""
    if code in NOTES:
        return translate(language, NOTES[code])
    entry = CATALOG.get(code)
    if entry is not None and "{" not in entry.text:
        return translate(language, entry.text)
    return None


def _value_text(field: FieldResult, language: str) -> str:
    if field.value is None:
        return translate(language, N_("not read"))
    return str(field.value)


def format_summary(
    result: ScanResult, language: str, *, html_mode: bool = False, title: str | None = None
) -> str:
    """The fields with their marks, then warnings and retake advice; under Telegram's limit."""

    def esc(text: str) -> str:
        return html.escape(text, quote=False) if html_mode else text

    def bold(text: str) -> str:
        return f"<b>{esc(text)}</b>" if html_mode else text

    lines = [bold(title or document_name(result.document_type, language))]
    for key, field in result.fields.items():
        label = field_label(key, language, result.document_type)
        line = f"{MARKS[field.status]} {esc(label)}: {esc(_value_text(field, language))}"
        note = note_text(field.note, language) if field.note else None
        if note:
            line += f" ({esc(note)})"
        lines.append(line)
    if result.warnings:
        lines.append("")
        lines.extend(f"⚠️ {esc(w.message)}" for w in result.warnings)
    if not result.quality.ok:
        lines.append("")
        lines.append(bold(translate(language, N_("Photo quality"))))
        for issue in result.quality.issues:
            advice = f" {issue.advice}" if issue.advice else ""
            lines.append(f"📷 {esc(issue.message + advice)}")
    return _fit("\n".join(lines), language)


def _fit(text: str, language: str) -> str:
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    ellipsis = "\n" + translate(language, N_("… (the full result is in the JSON file)"))
    cut = text[: MAX_MESSAGE_CHARS - len(ellipsis)]
    return cut[: cut.rfind("\n")] + ellipsis
