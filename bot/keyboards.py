"""Inline keyboards and their callback data (Telegram allows 64 bytes of callback data)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from extraction.documents import KNOWN_TYPES
from extraction.models import DocumentType
from papiers.summary import document_name

RETYPE: Final = "retype"  # retype:<scan id>:<document type>: read the scan again as that type
RESEND_JSON: Final = "json"  # json:<scan id>: send the scan's JSON file again


def document_type_keyboard(scan_id: int, language: str) -> InlineKeyboardMarkup:
    """One button per known document type, to read an unrecognised scan again."""
    rows = [
        [InlineKeyboardButton(document_name(t, language), callback_data=f"{RETYPE}:{scan_id}:{t}")]
        for t in KNOWN_TYPES
    ]
    return InlineKeyboardMarkup(rows)


def history_keyboard(scan_ids: Sequence[int]) -> InlineKeyboardMarkup | None:
    """A "📄 #42" button per finished scan, three per row, that re-sends its JSON."""
    buttons = [
        InlineKeyboardButton(f"📄 #{scan_id}", callback_data=f"{RESEND_JSON}:{scan_id}")
        for scan_id in scan_ids
    ]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def parse_retype(data: str) -> tuple[int, DocumentType] | None:
    """`retype:42:passport` → (42, PASSPORT); None when malformed."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != RETYPE or not parts[1].isdigit():
        return None
    try:
        document_type = DocumentType(parts[2])
    except ValueError:
        return None
    return int(parts[1]), document_type


def parse_scan_id(data: str, prefix: str) -> int | None:
    """`json:42` → 42; None when malformed."""
    head, _, tail = data.partition(":")
    return int(tail) if head == prefix and tail.isdigit() else None
