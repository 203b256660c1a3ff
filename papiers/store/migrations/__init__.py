"""Versioned schema migrations: `NNNN_name.<dialect>.sql` files applied in order, once.

A migration is never edited after release; a change to the schema is a new numbered file, in both
dialects. Applied versions are recorded in `schema_version`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib.resources import files

from papiers.store.database import Clock, Database, Dialect, split_statements

logger = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^(\d{4})_(\w+)\.(sqlite|postgres)\.sql$")
# Any constant shared by every Papiers process: the key of PostgreSQL's advisory lock.
_ADVISORY_LOCK_KEY = 0x70617069  # "papi"

_VERSION_TABLE = {
    "sqlite": "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    "postgres": "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
}


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def load_migrations(dialect: Dialect) -> list[Migration]:
    """The migrations shipped for dialect, by version; versions must run 1, 2, 3… without gaps."""
    found: list[Migration] = []
    for entry in files(__name__).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is None or match.group(3) != dialect:
            continue
        statements = tuple(split_statements(entry.read_text(encoding="utf-8")))
        found.append(Migration(int(match.group(1)), match.group(2), statements))
    found.sort(key=lambda migration: migration.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"{dialect} migrations are not numbered 1..n without gaps")
    return found


async def current_version(database: Database) -> int:
    """The highest applied version, 0 when the database is empty."""
    async with database.transaction() as connection:
        await connection.execute(_VERSION_TABLE[database.dialect])
        row = await connection.fetchrow("SELECT MAX(version) AS version FROM schema_version")
    return int(row["version"]) if row is not None and row["version"] is not None else 0


async def apply_migrations(database: Database, now: Clock) -> int:
    """Apply every pending migration in one transaction; return how many ran.

    Two processes starting together serialise: PostgreSQL on an advisory lock, SQLite on its write
    lock (BEGIN IMMEDIATE). The second one then finds nothing left to do.
    """
    migrations = load_migrations(database.dialect)
    async with database.transaction() as connection:
        if database.dialect == "postgres":
            await connection.execute("SELECT pg_advisory_xact_lock($1)", _ADVISORY_LOCK_KEY)
        await connection.execute(_VERSION_TABLE[database.dialect])
        rows = await connection.fetch("SELECT version FROM schema_version")
        applied = {int(row["version"]) for row in rows}
        unknown = sorted(applied - {m.version for m in migrations})
        if unknown:
            logger.warning("database has migrations newer than this code: %s", unknown)
        pending = [m for m in migrations if m.version not in applied]
        for migration in pending:
            for statement in migration.statements:
                await connection.execute(statement)
            await connection.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                migration.version,
                migration.name,
                now(),
            )
            logger.info("applied migration %04d_%s", migration.version, migration.name)
    return len(pending)
