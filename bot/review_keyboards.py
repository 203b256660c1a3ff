"""The buttons under a result ("✏️ Correct", "✅ Confirm") and the field chooser of a correction.

Callback data stays under Telegram's 64 bytes: `fix:42`, `fixf:42:max_laden_mass_service_kg`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from extraction.models import DocumentType
from papiers.i18n import N_, translate
from papiers.summary import field_label

CORRECT: Final = "fix"  # fix:<scan id>: choose a field to correct
CORRECT_FIELD: Final = "fixf"  # fixf:<scan id>:<field>: send the new value of that field
CORRECT_CANCEL: Final = "fixx"  # fixx:<scan id>: stop the correction in progress
CONFIRM: Final = "ok"  # ok:<scan id>: the agent checked the result, mark it reviewed


def review_keyboard(scan_id: int, language: str, *, reviewed: bool = False) -> InlineKeyboardMarkup:
    """ "✏️ Correct" and, until the scan is confirmed, "✅ Confirm"."""
    buttons = [
        InlineKeyboardButton(
            translate(language, N_("✏️ Correct")), callback_data=f"{CORRECT}:{scan_id}"
        )
    ]
    if not reviewed:
        buttons.append(
            InlineKeyboardButton(
                translate(language, N_("✅ Confirm")), callback_data=f"{CONFIRM}:{scan_id}"
            )
        )
    return InlineKeyboardMarkup([buttons])


def field_keyboard(
    scan_id: int, document_type: DocumentType, fields: Sequence[str], language: str
) -> InlineKeyboardMarkup:
    """One button per field (two per row, labels as in the summary), then "Cancel"."""
    buttons = [
        InlineKeyboardButton(
            field_label(name, language, document_type)[:60],
            callback_data=f"{CORRECT_FIELD}:{scan_id}:{name}",
        )
        for name in fields
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([cancel_button(scan_id, language)])
    return InlineKeyboardMarkup(rows)


def cancel_button(scan_id: int, language: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        translate(language, N_("Cancel")), callback_data=f"{CORRECT_CANCEL}:{scan_id}"
    )


def parse_field_choice(data: str) -> tuple[int, str] | None:
    """`fixf:42:vin` → (42, "vin"); None when malformed."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != CORRECT_FIELD or not parts[1].isdigit() or not parts[2]:
        return None
    return int(parts[1]), parts[2]
