"""What the bot and the worker say about a scan, in the agent's language and Telegram HTML.

Fields are laid out by `papiers.summary.format_summary` (the one field formatter, which escapes
every value read from a document); this module adds the scan's number, its progress lines and
the reasons a scan failed. Every text stays under Telegram's 4096-character limit.
"""

from __future__ import annotations

import html
from typing import Final

from extraction.errors import ExtractionError
from extraction.models import DocumentType, ScanResult
from papiers.i18n import N_, translate
from papiers.summary import MAX_MESSAGE_CHARS, document_name, format_summary

# Why a scan failed when the reading itself did not say (codes stored with the failed scan).
FAILURES: Final = {
    "download_failed": (
        N_("The file could not be downloaded from Telegram."),
        N_("Send it again in a moment."),
    ),
    "timeout": (
        N_("Reading took too long and was stopped."),
        N_("Send the photo again; a sharper, closer photo reads faster."),
    ),
    "temporarily_unavailable": (
        N_("The reading service is unavailable right now."),
        N_("Send the photo again in a few minutes."),
    ),
    "too_many_attempts": (
        N_("This scan stopped the reader several times and was abandoned."),
        N_("Send the photo again, or a different photo of the document."),
    ),
    "internal_error": (
        N_("An unexpected error stopped the reading."),
        N_("Send the photo again; if it keeps failing, tell your administrator."),
    ),
}


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def ack_text(language: str, scan_id: int, ahead: int, pages: int = 1) -> str:
    """The "received" message, edited later as the scan moves on."""
    if pages > 1:
        return translate(
            language,
            N_("📥 Scan #{number} received ({pages} pages) — {ahead} ahead of yours."),
            number=scan_id,
            pages=pages,
            ahead=ahead,
        )
    if ahead == 0:
        return translate(language, N_("📥 Scan #{number} received — you are next."), number=scan_id)
    return translate(
        language,
        N_("📥 Scan #{number} received — {ahead} ahead of yours."),
        number=scan_id,
        ahead=ahead,
    )


def reading_text(language: str, scan_id: int) -> str:
    return translate(language, N_("⏳ Scan #{number}: reading the document…"), number=scan_id)


def done_text(language: str, scan_id: int) -> str:
    return translate(language, N_("✅ Scan #{number}: done, the result follows."), number=scan_id)


def failed_text(language: str, scan_id: int) -> str:
    return translate(language, N_("❌ Scan #{number}: failed."), number=scan_id)


def cancelled_text(language: str, scan_id: int) -> str:
    return translate(language, N_("🚫 Scan #{number} was cancelled."), number=scan_id)


def result_text(language: str, scan_id: int, result: ScanResult) -> str:
    """The result summary: scan number and document, each field marked, warnings, advice."""
    title = translate(
        language,
        N_("Scan #{number} — {document}"),
        number=scan_id,
        document=document_name(result.document_type, language),
    )
    text = format_summary(result, language, html_mode=True, title=title)
    if result.document_type is DocumentType.UNKNOWN:
        text += "\n\n" + escape(
            translate(language, N_("Which document is it? Choose below and I will read it again."))
        )
    return text[:MAX_MESSAGE_CHARS]


def failure_text(language: str, scan_id: int, code: str, error: ExtractionError | None) -> str:
    """Why the scan failed and what to do, from the reading's error or the worker's code."""
    if error is not None:
        reason, advice = error.message(language), error.advice(language)
    else:
        reason_id, advice_id = FAILURES.get(code, FAILURES["internal_error"])
        reason, advice = translate(language, reason_id), translate(language, advice_id)
    text = escape(
        translate(
            language,
            N_("❌ Scan #{number} could not be read: {reason}"),
            number=scan_id,
            reason=reason,
        )
    )
    if advice:
        text += "\n💡 " + escape(advice)
    return text[:MAX_MESSAGE_CHARS]


def json_filename(scan_id: int, document_type: str) -> str:
    """`scan-42-fr_vehicle_registration.json`."""
    return f"scan-{scan_id}-{document_type}.json"
