"""The one logging set-up: plain or JSON lines, and a filter that keeps secrets out of logs.

A Telegram `File.file_path` is a URL with the bot token in it, and httpx/PTB log request URLs at
DEBUG; the filter masks any `bot<token>` path segment and any configured secret, whatever logs it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

scan_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("scan_id", default=None)

_TOKEN_IN_URL = re.compile(r"bot\d{3,}:[A-Za-z0-9_-]{20,}")
_BARE_TOKEN = re.compile(r"\b\d{6,}:[A-Za-z0-9_-]{30,}\b")
QUIET_AT_DEBUG = ("aiosqlite", "asyncpg", "telegram", "httpcore", "hpack", "PIL")


class RedactingFilter(logging.Filter):
    """Masks bot tokens and configured secrets in every record's final message."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= 6]

    def redact(self, text: str) -> str:
        text = _TOKEN_IN_URL.sub("bot<redacted>", text)
        text = _BARE_TOKEN.sub("<redacted>", text)
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class ScanIdFilter(logging.Filter):
    """Adds `scan_id` (from the current task's context) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.scan_id = scan_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        scan_id = getattr(record, "scan_id", None)
        if scan_id is not None:
            entry["scan_id"] = scan_id
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(scan)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        scan_id = getattr(record, "scan_id", None)
        record.scan = f" [scan {scan_id}]" if scan_id is not None else ""
        return super().format(record)


def configure_logging(
    level: str = "INFO", *, json_lines: bool = False, secrets: Iterable[str] = ()
) -> None:
    """Install the root handler (stderr) with redaction and scan ids; safe to call twice."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(ScanIdFilter())
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_papiers", False):
            root.removeHandler(existing)
    handler._papiers = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO; the Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # At DEBUG these log what they carry: SQL parameters (results), Bot API payloads (summaries).
    for chatty in QUIET_AT_DEBUG:
        logging.getLogger(chatty).setLevel(max(logging.INFO, root.level))
