"""Storage of users, scans, corrections and the audit log: SQLite by default (a file path), or
PostgreSQL when DATABASE_URL is `postgresql://…` (several machines sharing one database).

    store = await open_store(get_settings().database_url)   # migrations applied
    scan, created = await store.create_scan(...)
"""

from __future__ import annotations

from papiers.store.base import (
    PENDING_STATUSES,
    AuditDetails,
    AuditEntry,
    Correction,
    Role,
    Scan,
    ScanFile,
    ScanNotFoundError,
    ScanStats,
    ScanStatus,
    Store,
    User,
)
from papiers.store.database import Clock, Database, utc_now
from papiers.store.postgres import PostgresDatabase
from papiers.store.sql_store import SqlStore
from papiers.store.sqlite import SqliteDatabase

_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+asyncpg://")
_SQLITE_SCHEMES = ("sqlite:///", "sqlite+aiosqlite:///")


def is_postgres_url(database_url: str) -> bool:
    """True when the URL names a PostgreSQL database rather than an SQLite file."""
    return database_url.startswith(_POSTGRES_SCHEMES)


async def open_store(database_url: str, *, now: Clock = utc_now, migrate: bool = True) -> SqlStore:
    """Connect to the database named by DATABASE_URL and, unless told not to, apply migrations.

    `postgresql://user@host/db` → PostgreSQL; `sqlite:///path`, a plain path or `:memory:` → SQLite.
    """
    database: Database
    if is_postgres_url(database_url):
        database = await PostgresDatabase.connect(
            database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        )
    else:
        path = database_url
        for scheme in _SQLITE_SCHEMES:
            path = path.removeprefix(scheme)
        database = await SqliteDatabase.connect(path)
    store = SqlStore(database, now=now)
    if migrate:
        try:
            await store.migrate()
        except BaseException:
            await store.close()
            raise
    return store


__all__ = [
    "PENDING_STATUSES",
    "AuditDetails",
    "AuditEntry",
    "Clock",
    "Correction",
    "Role",
    "Scan",
    "ScanFile",
    "ScanNotFoundError",
    "ScanStats",
    "ScanStatus",
    "SqlStore",
    "Store",
    "User",
    "is_postgres_url",
    "open_store",
    "utc_now",
]
