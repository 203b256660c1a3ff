"""Delivery marks: an answer stored but never sent is found again, and re-sent by one worker."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from papiers.store import ScanStatus, SqlStore, migrations
from tests.store.conftest import START, FakeClock
from tests.store.test_sql_store import new_scan

STALE = timedelta(seconds=15)


async def finished(store: SqlStore, key: str, user_id: int = 100) -> int:
    scan = await new_scan(store, key, user_id)
    await store.claim_scan(scan.id)
    assert await store.finish_scan(
        scan.id, result_json="{}", document_type="passport", provider="local", duration_ms=5
    )
    return scan.id


async def test_a_finished_scan_is_undelivered_until_marked_once(
    store: SqlStore, clock: FakeClock
) -> None:
    scan_id = await finished(store, "k")
    clock.advance(seconds=10)
    assert [s.id for s in await store.undelivered_scans(timedelta(seconds=5))] == [scan_id]
    assert await store.undelivered_scans(timedelta(seconds=30)) == []  # too recent to tell
    assert await store.mark_delivered(scan_id)
    assert not await store.mark_delivered(scan_id)
    assert await store.undelivered_scans(timedelta(0)) == []
    scan = await store.get_scan(scan_id)
    assert scan is not None and scan.delivered_at == START + timedelta(seconds=10)


async def test_only_done_and_failed_scans_await_delivery(store: SqlStore) -> None:
    done = await finished(store, "done")
    failed = await new_scan(store, "failed")
    assert await store.fail_scan(failed.id, "file_too_large", error_params={"max_mb": 20})
    await new_scan(store, "queued")
    cancelled = await new_scan(store, "cancelled")
    assert await store.cancel_scan(cancelled.id, user_id=100)
    waiting = await store.undelivered_scans(timedelta(0))
    assert [s.id for s in waiting] == [done, failed.id]
    assert waiting[1].error_code == "file_too_large"
    assert waiting[1].error_params == {"max_mb": 20}
    assert waiting[0].error_params == {}


async def test_a_purged_or_forgotten_scan_is_not_re_sent(store: SqlStore, clock: FakeClock) -> None:
    old = await finished(store, "old", user_id=1)
    forgotten = await finished(store, "forgotten", user_id=2)
    clock.advance(days=40)
    assert await store.purge_results(START + timedelta(days=1)) == 2
    assert await store.undelivered_scans(timedelta(0)) == []
    assert await store.claim_delivery(old, "w1", stale_after=STALE) is None
    assert await store.delete_user_scans(2) == 1
    assert await store.claim_delivery(forgotten, "w1", stale_after=STALE) is None
    assert not await store.mark_delivered(forgotten)


async def test_one_claim_at_a_time_until_it_goes_stale(store: SqlStore, clock: FakeClock) -> None:
    scan_id = await finished(store, "k")
    claimed = await store.claim_delivery(scan_id, "w1", stale_after=STALE)
    assert claimed is not None and claimed.delivery_attempts == 1
    assert await store.claim_delivery(scan_id, "w2", stale_after=STALE) is None
    clock.advance(seconds=16)  # w1 died while sending
    retaken = await store.claim_delivery(scan_id, "w2", stale_after=STALE)
    assert retaken is not None and retaken.delivery_attempts == 2
    assert await store.mark_delivered(scan_id)
    clock.advance(seconds=60)
    assert await store.claim_delivery(scan_id, "w3", stale_after=STALE) is None


async def test_a_pending_scan_cannot_be_claimed_for_delivery(store: SqlStore) -> None:
    scan = await new_scan(store, "k")
    await store.claim_scan(scan.id)
    assert await store.claim_delivery(scan.id, "w1", stale_after=STALE) is None


async def test_two_workers_racing_to_re_send_only_one_wins(open_stores) -> None:
    worker_a, worker_b = await open_stores(), await open_stores()
    for round_number in range(5):
        scan_id = await finished(worker_a, f"r{round_number}")
        won = await asyncio.gather(
            worker_a.claim_delivery(scan_id, "a", stale_after=STALE),
            worker_b.claim_delivery(scan_id, "b", stale_after=STALE),
            worker_b.claim_delivery(scan_id, "b2", stale_after=STALE),
        )
        assert sum(claim is not None for claim in won) == 1


async def test_scans_ended_before_the_migration_count_as_delivered(
    open_stores, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    shipped = migrations.load_migrations
    monkeypatch.setattr(migrations, "load_migrations", lambda dialect: shipped(dialect)[:1])
    store = await open_stores()
    async with store._db.transaction() as connection:  # scans as the old code left them
        for key, status, finished_at in (("done", "done", START), ("queued", "queued", None)):
            await connection.execute(
                "INSERT INTO scans (user_id, chat_id, status, language, idempotency_key, files,"
                " created_at, finished_at) VALUES (1, 1, $1, 'fr', $2, '[]', $3, $4)",
                status,
                key,
                START,
                finished_at,
            )
    monkeypatch.setattr(migrations, "load_migrations", shipped)
    assert await store.migrate() == len(shipped("sqlite")) - 1
    clock.advance(hours=1)
    assert await store.undelivered_scans(timedelta(0)) == []
    migrated = await store.get_scan(1)
    assert migrated is not None and migrated.delivered_at == START
    still = await store.get_scan(2)
    assert still is not None and still.status is ScanStatus.QUEUED and still.delivered_at is None
