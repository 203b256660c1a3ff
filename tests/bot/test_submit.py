"""The bot's log lines about a scan carry its number (scan_id), once the scan exists."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

import bot.submit
from papiers.logging_setup import scan_id_var
from tests.bot.helpers import png_bytes
from tests.fakes.fixtures import StackFactory
from tests.fakes.stack import AGENT, eventually


class ScanIds(logging.Handler):
    """Keeps (logger name, scan_id in context) of each record."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, int | None]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record.name, scan_id_var.get()))


async def test_a_scan_the_bot_could_not_queue_is_logged_with_its_id(
    make_stack: StackFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def redis_away(*_: object) -> bool:
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(bot.submit, "enqueue_scan", redis_away)
    handler = ScanIds()
    logging.getLogger("bot.submit").addHandler(handler)
    try:
        async with make_stack(reader=None) as stack:
            stack.telegram.send_photo(AGENT, png_bytes())
            await stack.telegram.wait_calls("sendMessage", 1, chat_id=AGENT)
            await eventually(lambda: bool(handler.seen))
    finally:
        logging.getLogger("bot.submit").removeHandler(handler)
    assert ("bot.submit", 1) in handler.seen
    assert scan_id_var.get() is None
