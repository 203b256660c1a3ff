"""PostgreSQL backend (asyncpg pool), for deployments where the bot and workers run on several
machines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import Enum
from typing import Any, Literal

import asyncpg

from papiers.store.database import Row

POOL_MIN_SIZE = 1
POOL_MAX_SIZE = 10


def _bind(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


class PostgresConnection:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def execute(self, sql: str, *args: object) -> None:
        """Run one statement."""
        await self._connection.execute(sql, *(_bind(a) for a in args))

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        """Run one statement and return every row."""
        rows = await self._connection.fetch(sql, *(_bind(a) for a in args))
        return [dict(row) for row in rows]

    async def fetchrow(self, sql: str, *args: object) -> Row | None:
        """Run one statement and return its first row, or None."""
        row = await self._connection.fetchrow(sql, *(_bind(a) for a in args))
        return dict(row) if row is not None else None


class PostgresDatabase:
    dialect: Literal["postgres"] = "postgres"

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    @classmethod
    async def connect(cls, dsn: str) -> PostgresDatabase:
        """Open a connection pool to the database named in dsn (postgresql://…)."""
        pool = await asyncpg.create_pool(dsn, min_size=POOL_MIN_SIZE, max_size=POOL_MAX_SIZE)
        return cls(pool)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresConnection]:
        """A pooled connection inside a READ COMMITTED transaction."""
        async with self._pool.acquire() as connection, connection.transaction():
            yield PostgresConnection(connection)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[PostgresConnection]:
        """A pooled connection, each statement on its own."""
        async with self._pool.acquire() as connection:
            yield PostgresConnection(connection)

    async def close(self) -> None:
        """Close the pool."""
        await self._pool.close()
