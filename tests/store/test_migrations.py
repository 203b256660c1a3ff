"""Versioned migrations: applied once, in order, atomically, even with two processes starting."""

from __future__ import annotations

import asyncio

import pytest

from papiers.store import migrations, open_store
from papiers.store.database import split_statements
from papiers.store.migrations import Migration, load_migrations


def test_both_dialects_ship_the_same_numbered_migrations() -> None:
    sqlite, postgres = load_migrations("sqlite"), load_migrations("postgres")
    assert [(m.version, m.name) for m in sqlite] == [(m.version, m.name) for m in postgres]
    assert [m.version for m in sqlite] == list(range(1, len(sqlite) + 1))
    assert all(m.statements for m in sqlite)


def test_split_statements_drops_comments_and_keeps_each_statement() -> None:
    script = "-- tables\nCREATE TABLE a (x TEXT);\n\nCREATE INDEX a_x ON a (x);\n"
    assert split_statements(script) == ["CREATE TABLE a (x TEXT)", "CREATE INDEX a_x ON a (x)"]


async def test_migrate_is_versioned_and_idempotent(open_stores) -> None:
    store = await open_stores(migrate=False)
    assert await store.schema_version() == 0
    shipped = len(load_migrations("sqlite"))
    assert await store.migrate() == shipped
    assert await store.migrate() == 0
    assert await store.schema_version() == shipped
    # A store opened later (migrate=True by default) finds nothing to do and works.
    again = await open_stores()
    assert await again.schema_version() == shipped
    assert await again.list_users() == []


async def test_two_processes_migrating_at_once_apply_each_migration_once(open_stores) -> None:
    first, second = await open_stores(migrate=False), await open_stores(migrate=False)
    applied = await asyncio.gather(first.migrate(), second.migrate())
    assert sorted(applied) == [0, len(load_migrations("sqlite"))]


async def test_a_new_migration_is_applied_on_top(open_stores, monkeypatch) -> None:
    store = await open_stores()
    shipped = migrations.load_migrations

    def with_one_more(dialect):
        extra = Migration(
            len(shipped(dialect)) + 1, "scan_notes", ("ALTER TABLE scans ADD note TEXT",)
        )
        return [*shipped(dialect), extra]

    monkeypatch.setattr(migrations, "load_migrations", with_one_more)
    assert await store.migrate() == 1
    assert await store.schema_version() == len(shipped("sqlite")) + 1
    assert await store.migrate() == 0


async def test_a_failing_migration_leaves_nothing_behind(open_stores, monkeypatch) -> None:
    store = await open_stores(migrate=False)
    shipped = migrations.load_migrations

    def broken(dialect):
        bad = Migration(
            len(shipped(dialect)) + 1, "broken", ("ALTER TABLE no_such_table ADD x TEXT",)
        )
        return [*shipped(dialect), bad]

    monkeypatch.setattr(migrations, "load_migrations", broken)
    with pytest.raises(Exception, match="no_such_table"):
        await store.migrate()
    assert await store.schema_version() == 0
    monkeypatch.setattr(migrations, "load_migrations", shipped)
    assert await store.migrate() == len(shipped("sqlite"))


async def test_open_store_accepts_sqlite_urls_and_paths(tmp_path) -> None:
    for url in (f"sqlite:///{tmp_path}/a.sqlite3", str(tmp_path / "b.sqlite3"), ":memory:"):
        store = await open_store(url)
        try:
            scan, created = await store.create_scan(
                user_id=1, chat_id=1, language="fr", idempotency_key="k", files=[]
            )
            assert created and scan.id == 1
        finally:
            await store.close()
    assert (tmp_path / "a.sqlite3").exists() and (tmp_path / "b.sqlite3").exists()
