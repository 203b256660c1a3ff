"""The one logging set-up: JSON lines, the scan id on every line of a scan, secrets masked."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from extraction.models import DocumentType, ScanResult
from papiers.logging_setup import configure_logging, scan_id_var
from tests.bot.helpers import png_bytes
from tests.fakes.fixtures import StackFactory, make_stack, redis_server
from tests.fakes.readers import passport_result
from tests.fakes.stack import AGENT
from tests.fakes.telegram import TOKEN

__all__ = ["make_stack", "redis_server"]

logger = logging.getLogger("tests.logging")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_papiers", False):
            root.removeHandler(handler)
    root.setLevel(level)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_json_lines_carry_the_scan_id_only_inside_a_scan(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", json_lines=True)
    logger.info("outside")
    token = scan_id_var.set(42)
    try:
        logger.warning("inside %s", "a scan")
    finally:
        scan_id_var.reset(token)
    outside, inside = json_lines(capsys.readouterr().err)
    assert outside["message"] == "outside" and "scan_id" not in outside
    assert inside["message"] == "inside a scan" and inside["scan_id"] == 42
    assert inside["level"] == "WARNING" and inside["logger"] == "tests.logging"
    assert inside["time"].endswith("+00:00")


def test_text_lines_name_the_scan(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    token = scan_id_var.set(7)
    try:
        logger.info("reading")
    finally:
        scan_id_var.reset(token)
    assert "[scan 7]: reading" in capsys.readouterr().err


def test_tokens_and_secrets_are_masked_in_messages_and_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", json_lines=True, secrets=["webhook-secret-value"])
    logger.info("GET https://api.telegram.org/file/bot%s/photos/1.jpg", TOKEN)
    try:
        raise RuntimeError("header was webhook-secret-value")
    except RuntimeError:
        logger.exception("failed")
    err = capsys.readouterr().err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    assert "webhook-secret-value" not in err
    first, second = json_lines(err)
    assert "bot<redacted>/photos" in first["message"]
    assert "RuntimeError" in second["error"] and "<redacted>" in second["error"]


class LoggingReader:
    """Logs from the event loop and from a thread while it reads, like the real engine."""

    async def __call__(
        self, files: Sequence[Any], *, document_type: DocumentType | None, language: str
    ) -> ScanResult:
        logger.info("read on the loop")
        await asyncio.to_thread(logger.info, "read in a thread")
        return passport_result()


async def test_every_line_logged_while_a_scan_is_read_has_its_id(
    make_stack: StackFactory, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", json_lines=True)
    async with make_stack(reader=LoggingReader()) as stack:
        stack.telegram.send_photo(AGENT, png_bytes())
        await stack.telegram.wait_calls("sendDocument", 1, chat_id=AGENT)
    lines = json_lines(capfd.readouterr().err)
    read = [line for line in lines if line["logger"] == "tests.logging"]
    assert [line["message"] for line in read] == ["read on the loop", "read in a thread"]
    assert all(line["scan_id"] == 1 for line in read)
