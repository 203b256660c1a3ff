from __future__ import annotations

from bot.keyboards import (
    document_type_keyboard,
    history_keyboard,
    parse_retype,
    parse_scan_id,
)
from extraction.models import DocumentType


def test_callback_data_fits_telegram_64_bytes_and_parses_back() -> None:
    keyboard = document_type_keyboard(123456789, "fr")
    data = [row[0].callback_data for row in keyboard.inline_keyboard]
    assert all(isinstance(d, str) and len(d.encode()) <= 64 for d in data)
    assert parse_retype(f"retype:123456789:{DocumentType.PASSPORT}") == (
        123456789,
        DocumentType.PASSPORT,
    )
    assert parse_retype("retype:12:not_a_type") is None
    assert parse_retype("retype:x:passport") is None


def test_history_buttons_three_per_row() -> None:
    keyboard = history_keyboard([1, 2, 3, 4])
    assert keyboard is not None
    assert [len(row) for row in keyboard.inline_keyboard] == [3, 1]
    assert history_keyboard([]) is None
    assert parse_scan_id("json:42", "json") == 42
    assert parse_scan_id("json:abc", "json") is None
