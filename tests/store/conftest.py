"""Fixtures running every store test on both backends: an SQLite file, and a PostgreSQL database
created for this test session (papiers_test_<random>) and dropped after it."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from papiers.store import SqlStore, open_store

# The server where the session's database is created (PostgreSQL runs there in CI).
POSTGRES_ADMIN_URL = os.environ.get(
    "PAPIERS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    """A store clock the test moves by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def _execute(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _admin(statement: str, url: str = POSTGRES_ADMIN_URL) -> None:
    """Run one statement on its own thread and loop: a fixture may start inside a running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _execute(url, statement)).result()


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the session; unreachable server: skip locally, fail in CI."""
    name = f"papiers_test_{secrets.token_hex(4)}"
    try:
        _admin(f'CREATE DATABASE "{name}"')
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        reason = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error!r}"
        if os.environ.get("CI", "").lower() in {"true", "1"}:
            pytest.fail(reason)
        pytest.skip(reason)
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty database of each backend (PostgreSQL: the session database, schema wiped)."""
    if request.param == "sqlite":
        return str(tmp_path / "papiers.sqlite3")
    url: str = request.getfixturevalue("postgres_session_url")
    _admin("DROP SCHEMA public CASCADE; CREATE SCHEMA public", url)
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def open_stores(
    database_url: str, clock: FakeClock
) -> AsyncIterator[Callable[..., Awaitable[SqlStore]]]:
    """Open more stores on the same database, like other processes would; all closed after."""
    opened: list[SqlStore] = []

    async def open_one(*, migrate: bool = True) -> SqlStore:
        store = await open_store(database_url, now=clock, migrate=migrate)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        await store.close()


@pytest.fixture
async def store(open_stores: Callable[..., Awaitable[SqlStore]]) -> SqlStore:
    """A migrated store on an empty database, its clock at START."""
    return await open_stores()
