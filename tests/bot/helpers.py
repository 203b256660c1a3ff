"""Small helpers over the fake server's recorded calls."""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image

from tests.fakes.telegram import Call, FakeTelegram


def texts(telegram: FakeTelegram, chat_id: int, method: str = "sendMessage") -> list[str]:
    return [c.params["text"] for c in telegram.calls_to(method, chat_id)]


def documents(telegram: FakeTelegram, chat_id: int) -> list[tuple[str, dict[str, Any]]]:
    """(filename, parsed JSON) of every document the bot sent to the chat."""
    sent = []
    for call in telegram.calls_to("sendDocument", chat_id):
        sent.append((call.filenames["document"], json.loads(call.files["document"])))
    return sent


def edits_of(telegram: FakeTelegram, chat_id: int, message_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in telegram.calls_to("editMessageText", chat_id)
        if int(c.params["message_id"]) == message_id
    ]


def ack_call(telegram: FakeTelegram, chat_id: int) -> Call:
    return next(c for c in telegram.calls_to("sendMessage", chat_id) if "📥" in c.params["text"])


def png_bytes(width: int = 900, height: int = 600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 850), (230, 230, 230)).save(buffer, format="PDF")
    return buffer.getvalue()
