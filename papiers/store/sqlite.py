"""SQLite backend (aiosqlite): one file, one connection guarded by a lock, WAL journal so several
processes on the same machine can share the file."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import Enum
from typing import Literal

import aiosqlite

from papiers.store.database import Row

# Another process holding the write lock makes us wait this long before "database is locked".
BUSY_TIMEOUT_MS = 10_000
_PLACEHOLDER = re.compile(r"\$(\d+)")


def _bind(value: object) -> object:
    if isinstance(value, datetime):
        # Fixed-width UTC text so that comparing strings compares times; naive means UTC, as in
        # asyncpg, so both backends read the same moment.
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.isoformat(timespec="microseconds")
    if isinstance(value, Enum):
        return value.value
    return value


class SqliteConnection:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def _run(self, sql: str, args: tuple[object, ...]) -> list[Row]:
        query = _PLACEHOLDER.sub(r"?\1", sql)
        async with self._connection.execute(query, tuple(_bind(a) for a in args)) as cursor:
            rows = await cursor.fetchall()
        return [dict(row) for row in rows]

    async def execute(self, sql: str, *args: object) -> None:
        """Run one statement."""
        await self._run(sql, args)

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        """Run one statement and return every row."""
        return await self._run(sql, args)

    async def fetchrow(self, sql: str, *args: object) -> Row | None:
        """Run one statement and return its first row, or None."""
        rows = await self._run(sql, args)
        return rows[0] if rows else None


class SqliteDatabase:
    dialect: Literal["sqlite"] = "sqlite"

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._wrapped = SqliteConnection(connection)
        # aiosqlite runs one thread per connection; the lock keeps one transaction at a time on it.
        self._lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: str) -> SqliteDatabase:
        """Open (creating if needed) the database file at path."""
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = sqlite3.Row
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        return cls(connection)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteConnection]:
        """A write transaction; BEGIN IMMEDIATE takes the file's write lock up front, so two
        processes serialise instead of failing on a read-then-write upgrade."""
        async with self._lock:
            await self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._wrapped
            except BaseException:
                await self._connection.execute("ROLLBACK")
                raise
            await self._connection.execute("COMMIT")

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[SqliteConnection]:
        """The connection in autocommit mode, for reads."""
        async with self._lock:
            yield self._wrapped

    async def close(self) -> None:
        """Close the connection."""
        await self._connection.close()
