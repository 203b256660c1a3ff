"""The small SQL surface both backends provide, so the store's queries are written once.

Queries use PostgreSQL's `$1` placeholders; the SQLite backend rewrites them to `?1`. Datetimes are
passed as aware datetimes and come back as aware UTC datetimes (SQLite stores fixed-width ISO text,
which sorts like time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

Row = Mapping[str, Any]
Clock = Callable[[], datetime]
Dialect = Literal["sqlite", "postgres"]


def utc_now() -> datetime:
    """The current time, aware UTC: the default clock of a store."""
    return datetime.now(UTC)


class Connection(Protocol):
    async def execute(self, sql: str, *args: object) -> None:
        """Run one statement."""
        ...

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        """Run one statement and return every row."""
        ...

    async def fetchrow(self, sql: str, *args: object) -> Row | None:
        """Run one statement and return its first row, or None."""
        ...


class Database(Protocol):
    @property
    def dialect(self) -> Dialect:
        """Which SQL flavour this is: "sqlite" or "postgres"."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A connection inside a write transaction, committed on success, rolled back on error."""
        ...

    def connection(self) -> AbstractAsyncContextManager[Connection]:
        """A connection for reads (each statement on its own)."""
        ...

    async def close(self) -> None:
        """Close every connection."""
        ...


def as_utc(value: datetime | str | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite hands back ISO text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def split_statements(script: str) -> list[str]:
    """The statements of a migration file: split at `;` ending a line, `--` comments dropped."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    chunks = "\n".join(lines).split(";\n")
    return [chunk.strip().rstrip(";").strip() for chunk in chunks if chunk.strip().rstrip(";")]
