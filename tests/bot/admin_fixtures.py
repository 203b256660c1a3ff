"""Fixtures for the admin, correction and /forget tests: the stack from `tests/fakes` with this
issue's features wired (whether or not `bot.app.FEATURES` lists them yet), a fake Bot API that
also answers sendPhoto and deleteMyCommands, and scans seeded straight into the store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import date
from functools import partial
from types import ModuleType
from typing import Any

import pytest

import tests.fakes.stack as stack_module
from bot import admin_export, admin_stats, admin_users, corrections, forget, intake
from bot.app import FEATURES, build_application
from extraction.documents import spec_for
from extraction.documents.base import DocumentReading
from extraction.models import DocumentType, EngineInfo, FieldResult, ScanResult, Source
from papiers.store import Scan, ScanFile, Store
from tests.fakes.fixtures import StackFactory
from tests.fakes.stack import Stack
from tests.fakes.telegram import FakeTelegram

MINE: tuple[ModuleType, ...] = (admin_users, admin_export, admin_stats, corrections, forget)


def features() -> tuple[ModuleType, ...]:
    """FEATURES with this issue's modules before `intake` (added only if not wired yet)."""
    missing = tuple(m for m in MINE if m not in FEATURES)
    position = FEATURES.index(intake)
    return (*FEATURES[:position], *missing, *FEATURES[position:])


async def _send_photo(self: FakeTelegram, params: dict[str, Any], files: dict[str, bytes],
                      filenames: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    chat_id = int(params["chat_id"])
    data, _ = self._input_file("photo", params, files, filenames)
    stored = self.add_file(data, "png")
    photo = [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
              "width": 1200, "height": 800}]  # fmt: skip
    return self._bot_message(chat_id, photo=photo)


async def _delete_my_commands(self: FakeTelegram, *_: Any) -> bool:
    return True


@pytest.fixture
async def admin_stack(
    make_stack: StackFactory, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[StackFactory]:
    """`make_stack` with every feature of this issue wired."""
    monkeypatch.setattr(
        stack_module, "build_application", partial(build_application, features=features())
    )
    monkeypatch.setattr(FakeTelegram, "_m_sendphoto", _send_photo, raising=False)
    monkeypatch.setattr(FakeTelegram, "_m_deletemycommands", _delete_my_commands, raising=False)
    yield make_stack


def passport_envelope(fields: Mapping[str, str | int | None]) -> ScanResult:
    """A passport result from ground-truth values, checked by the passport's own rules."""
    reading = DocumentReading(
        fields={
            name: FieldResult(value=value, confidence=0.99, source=Source.MRZ)
            for name, value in fields.items()
        }
    )
    spec = spec_for(DocumentType.PASSPORT)
    spec.check(reading, today=date.today())
    return ScanResult(
        document_type=DocumentType.PASSPORT,
        country="FRA",
        fields=reading.fields,
        engine=EngineInfo(provider="local", duration_ms=1200),
    )


PASSPORT: dict[str, str | int | None] = {
    "document_number": "19AB12345",
    "surname": "MARTIN",
    "given_names": "JEANNE CLAIRE",
    "sex": "F",
    "nationality": "FRA",
    "issuing_state": "FRA",
    "birth_date": "1990-02-03",
    "expiry_date": "2031-05-06",
    "personal_number": None,
}


async def seed_scan(
    store: Store, user_id: int, result: ScanResult | None = None, *, key: str | None = None
) -> Scan:
    """A finished scan of `user_id` holding `result` (a valid passport by default)."""
    result = result or passport_envelope(PASSPORT)
    number = len(await store.recent_scans(user_id, limit=1000))
    scan, _ = await store.create_scan(
        user_id=user_id,
        chat_id=user_id,
        language="fr",
        idempotency_key=key or f"seed:{user_id}:{number}",
        files=[ScanFile(f"F{user_id}{number}", f"U{user_id}{number}", "photo")],
    )
    await store.finish_scan(
        scan.id,
        result_json=result.to_json(),
        document_type=result.document_type.value,
        provider="local",
        duration_ms=1200,
    )
    found = await store.get_scan(scan.id)
    assert found is not None
    return found


async def command(stack: Stack, user_id: int, text: str, *, replies: int = 1) -> list[str]:
    """Send `text` and wait for `replies` more messages to that chat; return the new texts."""
    before = len(stack.telegram.calls_to("sendMessage", user_id))
    stack.telegram.send_text(user_id, text)
    calls = await stack.telegram.wait_calls("sendMessage", before + replies, chat_id=user_id)
    return [c.params["text"] for c in calls[before:]]
