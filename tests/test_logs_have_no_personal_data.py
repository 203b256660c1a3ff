"""An end-to-end run with logs at DEBUG, set up as in production: a generated passport photo
read by the real pipeline, a correction typed in chat, an export, stats and /forget. Then every
generated field value, the typed value, the bot token and the file URLs are searched for in what
the log handler wrote and in every raw log record: none may appear."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from functools import cache

import pytest

from docgen import Difficulty, Sample, generate
from jobs.reader import pipeline_reader
from papiers.logging_setup import QUIET_AT_DEBUG, configure_logging
from tests.bot.admin_fixtures import admin_stack
from tests.bot.helpers import texts
from tests.fakes.fixtures import StackFactory, make_stack, redis_server
from tests.fakes.stack import ADMIN, AGENT
from tests.fakes.telegram import TOKEN, FakeTelegram

__all__ = ["admin_stack", "make_stack", "redis_server"]

TYPED_SURNAME = "QUENTINVALLIER"  # synthetic, typed by the agent as a correction


@cache
def passport() -> Sample:
    return generate("passport", Difficulty.CLEAN, 7)


@pytest.fixture
def production_logging() -> Iterator[io.StringIO]:
    """configure_logging at DEBUG, its handler writing to a buffer; undone afterwards."""
    root = logging.getLogger()
    names = ("httpx", *QUIET_AT_DEBUG)
    saved = root.level, {name: logging.getLogger(name).level for name in names}
    configure_logging("DEBUG", secrets=[TOKEN])
    [handler] = [h for h in root.handlers if getattr(h, "_papiers", False)]
    buffer = io.StringIO()
    handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)


def secrets_of(sample: Sample, telegram: FakeTelegram) -> set[str]:
    """What must never be logged: field values, MRZ lines, token, file ids and URLs."""
    values = {str(v) for v in sample.fields.values() if v is not None and len(str(v)) >= 4}
    values |= {part for v in values for part in v.split() if len(part) >= 4}
    values |= set(sample.mrz_lines) | {TYPED_SURNAME, TOKEN, TOKEN.split(":")[1]}
    for stored in telegram.files.values():
        values |= {stored.file_id, stored.path, f"{telegram.base_file_url}{TOKEN}/{stored.path}"}
    return values


async def test_no_personal_data_token_or_file_url_in_debug_logs(
    admin_stack: StackFactory,
    production_logging: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sample = passport()
    async with admin_stack(reader=None) as stack:
        await stack.start_worker(pipeline_reader(stack.settings))
        tg = stack.telegram
        tg.send_photo(AGENT, sample.image)
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT, within=60)
        summary = next(t for t in texts(tg, AGENT) if t.startswith("<b>Scan #1"))
        assert str(sample.fields["surname"]) in summary  # the values did flow through the bot

        message = next(
            m for m in tg.messages.values() if m.get("text", "").startswith("<b>Scan #1")
        )
        tg.press_button(AGENT, message, "fixf:1:surname")
        await tg.wait_for(lambda f: any("nouvelle valeur" in t for t in texts(f, AGENT)))
        tg.send_text(AGENT, TYPED_SURNAME.lower())
        await tg.wait_calls("sendDocument", 2, chat_id=AGENT)

        tg.send_text(ADMIN, "/export csv")
        await tg.wait_calls("sendDocument", 1, chat_id=ADMIN)
        assert TYPED_SURNAME.encode() in tg.calls_to("sendDocument", ADMIN)[0].files["document"]
        tg.send_text(ADMIN, "/stats 7d")
        await tg.wait_calls("sendPhoto", 1, chat_id=ADMIN)
        tg.send_text(AGENT, "/forget")
        await tg.wait_for(lambda f: any(t.startswith("Supprimer") for t in texts(f, AGENT)))
        forget = next(m for m in tg.messages.values() if m.get("text", "").startswith("Supprimer"))
        tg.press_button(AGENT, forget, "forget:yes")
        await tg.wait_for(
            lambda f: "scans supprimés" in f.calls_to("editMessageText")[-1].params["text"]
        )
        forbidden = secrets_of(sample, tg)
        assert logging.getLogger().getEffectiveLevel() == logging.DEBUG

    written = production_logging.getvalue()
    raw = "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records)
    # The handler did see the run: the bot's and worker's own lines are there.
    for line in ("scan 1: field surname corrected", "export: 1 rows", "forget: 1 scans deleted"):
        assert line in written, line
    leaks = {value for value in forbidden if value in written or value in raw}
    assert not leaks, f"found in the logs: {sorted(leaks)}"
