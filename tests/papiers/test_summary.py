"""The one formatter of results for people: marks, labels, notes, escaping, Telegram's limit."""

from __future__ import annotations

from extraction.models import (
    DocumentType,
    EngineInfo,
    FieldResult,
    FieldStatus,
    Quality,
    QualityIssue,
    ScanResult,
    ScanWarning,
    Source,
)
from papiers.summary import MAX_MESSAGE_CHARS, field_label, format_summary, note_text


def _result(**fields: FieldResult) -> ScanResult:
    return ScanResult(
        document_type=DocumentType.FR_VEHICLE_REGISTRATION,
        country="FRA",
        fields=fields,
        engine=EngineInfo(provider="local"),
    )


def _field(value: str | int | None, status: FieldStatus, note: str | None = None) -> FieldResult:
    return FieldResult(value=value, confidence=0.9, status=status, source=Source.OCR, note=note)


def test_each_field_has_its_mark_its_label_with_the_printed_code_and_its_value() -> None:
    result = _result(
        make=_field("RENAULT", FieldStatus.VALID),
        vin=_field("VF1AB000000000000", FieldStatus.WARNING, "vin_check_digit"),
        seats=_field(None, FieldStatus.MISSING),
    )

    text = format_summary(result, "fr")

    assert text.splitlines()[0] == "Certificat d'immatriculation français (carte grise)"
    assert "✅ Marque (D.1): RENAULT" in text
    assert "⚠️ N° d'identification (VIN) (E): VF1AB000000000000 (clé de contrôle fausse)" in text
    assert "▫️ Places assises (S.1): non lu" in text


def test_values_from_a_document_are_escaped_in_html_mode() -> None:
    result = _result(holder_name=_field("<b>DUPONT & FILS</b>", FieldStatus.VALID))

    text = format_summary(result, "en", html_mode=True)

    assert "&lt;b&gt;DUPONT &amp; FILS&lt;/b&gt;" in text
    assert text.startswith("<b>French vehicle registration (carte grise)</b>")


def test_warnings_and_retake_advice_follow_the_fields() -> None:
    result = _result(make=_field("RENAULT", FieldStatus.VALID))
    result.warnings.append(ScanWarning(code="document_expired", message="Expired on 2020-01-01."))
    result.quality = Quality(
        ok=False, issues=[QualityIssue(code="glare", message="Glare.", advice="Tilt the card.")]
    )

    lines = format_summary(result, "en").splitlines()

    assert "⚠️ Expired on 2020-01-01." in lines
    assert lines[-2:] == ["Photo quality", "📷 Glare. Tilt the card."]


def test_a_long_result_is_cut_on_a_line_under_telegrams_limit() -> None:
    long_value = "X" * 300
    fields = {name: _field(long_value, FieldStatus.VALID) for name in ("make", "vin", "cnit")}
    result = _result(**fields)
    result.warnings.extend(ScanWarning(code=f"w{i}", message="W" * 200) for i in range(30))

    text = format_summary(result, "fr", html_mode=True)

    assert len(text) <= MAX_MESSAGE_CHARS
    assert text.endswith("(le résultat complet est dans le fichier JSON)")


def test_notes_need_no_values_to_be_shown() -> None:
    assert note_text("low_confidence", "en") == "read with low confidence: check it"
    # A finding whose sentence needs values is left to the document-level warning.
    assert note_text("registration_after_certificate", "en") is None
    assert note_text("not_a_known_code", "fr") is None


def test_printed_codes_are_shown_only_on_a_carte_grise() -> None:
    assert field_label("make", "en", DocumentType.FR_VEHICLE_REGISTRATION) == "Make (D.1)"
    assert field_label("make", "en", DocumentType.TN_VEHICLE_REGISTRATION) == "Make"
