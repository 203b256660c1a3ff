"""What the bot says about a scan: escaped, localized, marked, and under Telegram's limit."""

from __future__ import annotations

from bot.summary import ack_text, failure_text, json_filename, result_text
from extraction.errors import IntakeError
from extraction.models import (
    DocumentType,
    EngineInfo,
    FieldResult,
    FieldStatus,
    Quality,
    QualityIssue,
    ScanResult,
)
from tests.fakes.readers import passport_result
from tests.fakes.telegram import html_text_length


def test_values_read_from_a_document_are_html_escaped() -> None:
    result = passport_result(surname="O'<b>BRIEN & </b>FILS")
    text = result_text("fr", 42, result)
    assert "O'&lt;b&gt;BRIEN &amp; &lt;/b&gt;FILS" in text
    assert text.startswith("<b>Scan #42 — Passeport</b>")
    html_text_length(text)  # Telegram would parse it


def test_each_field_is_marked_by_its_status() -> None:
    text = result_text("en", 1, passport_result())
    assert "✅ Surname: MARTIN" in text
    assert "❌ Expiry date: 2020-01-01" in text


def test_a_huge_result_stays_under_telegram_limit() -> None:
    fields = {
        f"field_{n}": FieldResult(value="X" * 200, status=FieldStatus.WARNING) for n in range(60)
    }
    result = ScanResult(
        document_type=DocumentType.FR_VEHICLE_REGISTRATION,
        fields=fields,
        engine=EngineInfo(provider="local"),
    )
    text = result_text("fr", 7, result)
    assert html_text_length(text) <= 4096 and len(text) <= 4096
    assert "JSON" in text.splitlines()[-1]


def test_a_failed_quality_gate_gives_retake_advice() -> None:
    result = passport_result().model_copy(
        update={
            "quality": Quality(
                ok=False,
                issues=[QualityIssue(code="blurry", message="Floue.", advice="Reprenez-la.")],
            )
        }
    )
    assert "📷 Floue. Reprenez-la." in result_text("fr", 3, result)


def test_failures_explain_why_and_what_to_do() -> None:
    error = IntakeError("file_too_large", {"size_mb": 30, "max_mb": 20})
    text = failure_text("en", 5, error.code, error)
    assert text.startswith("❌ Scan #5 could not be read: The file is too large (30 MB")
    assert "💡" in text
    assert "trop de temps" in failure_text("fr", 5, "timeout", None)
    assert "inattendue" in failure_text("fr", 5, "no_such_code", None)


def test_acknowledgements_and_file_names() -> None:
    assert ack_text("fr", 42, 3) == "📥 Scan #42 reçu — 3 avant le vôtre."
    assert ack_text("en", 42, 0) == "📥 Scan #42 received — you are next."
    assert "(2 pages)" in ack_text("fr", 42, 1, pages=2)
    assert json_filename(42, "fr_vehicle_registration") == "scan-42-fr_vehicle_registration.json"
