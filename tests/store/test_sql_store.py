"""Users, the scan lifecycle and the audit log, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from papiers.store import Role, Scan, ScanFile, ScanStatus, SqlStore, Store
from tests.store.conftest import START, FakeClock

PHOTO = ScanFile("AgACAgQAAxkBAAIB", "AQADQbwxG", "photo", "image/jpeg", 184_233, None)
PDF = ScanFile("BQACAgQAAxkBAAIC", "AgADYQQAAp", "document", "application/pdf", 91_000, "cg.pdf")


async def new_scan(store: SqlStore, key: str, user_id: int = 100) -> Scan:
    scan, created = await store.create_scan(
        user_id=user_id, chat_id=user_id, language="fr", idempotency_key=key, files=[PHOTO]
    )
    assert created
    return scan


def test_the_sql_store_is_a_store(store: SqlStore) -> None:
    as_protocol: Store = store  # mypy checks every signature; isinstance checks the names
    assert isinstance(as_protocol, Store)


async def test_create_scan_records_a_queued_scan_with_its_files(store: SqlStore) -> None:
    scan, created = await store.create_scan(
        user_id=7,
        chat_id=-42,
        language="en",
        idempotency_key="u1:f1",
        files=[PHOTO, PDF],
        type_hint="passport",
    )
    assert created
    assert scan.status is ScanStatus.QUEUED
    assert scan.files == (PHOTO, PDF)
    assert (scan.user_id, scan.chat_id, scan.language, scan.type_hint) == (7, -42, "en", "passport")
    assert scan.attempts == 0 and not scan.reviewed and scan.result_json is None
    assert scan.created_at == START and scan.created_at.tzinfo is not None
    assert await store.get_scan(scan.id) == scan
    assert await store.get_scan(scan.id + 1000) is None


async def test_create_scan_is_idempotent_on_its_key(store: SqlStore) -> None:
    first = await new_scan(store, "update:981")
    again, created = await store.create_scan(
        user_id=100, chat_id=100, language="fr", idempotency_key="update:981", files=[PDF]
    )
    assert not created
    assert again == first


async def test_two_processes_racing_to_create_the_same_scan_create_one(open_stores) -> None:
    bot_a, bot_b = await open_stores(), await open_stores()

    async def create(store: SqlStore):
        return await store.create_scan(
            user_id=5, chat_id=5, language="fr", idempotency_key="update:77", files=[PHOTO]
        )

    outcomes = await asyncio.gather(*(create(bot_a if i % 2 else bot_b) for i in range(12)))
    assert sum(created for _, created in outcomes) == 1
    assert len({scan.id for scan, _ in outcomes}) == 1


async def test_scan_numbers_are_not_reused_after_deletion(store: SqlStore) -> None:
    first = await new_scan(store, "a")
    await store.delete_user_scans(100)
    second = await new_scan(store, "b")
    assert second.id > first.id


async def test_claim_moves_to_processing_and_counts_attempts(store: SqlStore, clock) -> None:
    scan = await new_scan(store, "k")
    clock.advance(seconds=2)
    claimed = await store.claim_scan(scan.id)
    assert claimed is not None
    assert (claimed.status, claimed.attempts, claimed.started_at) == (
        ScanStatus.PROCESSING,
        1,
        START + timedelta(seconds=2),
    )
    # A job re-delivered after its worker died claims the scan again.
    reclaimed = await store.claim_scan(scan.id)
    assert reclaimed is not None and reclaimed.attempts == 2


async def test_claim_returns_none_once_the_scan_is_over(store: SqlStore) -> None:
    done, failed, cancelled = [await new_scan(store, key) for key in ("d", "f", "c")]
    assert await store.finish_scan(
        done.id, result_json="{}", document_type="passport", provider="local", duration_ms=800
    )
    assert await store.fail_scan(failed.id, "unreadable")
    assert await store.cancel_scan(cancelled.id, user_id=100)
    for scan_id in (done.id, failed.id, cancelled.id):
        assert await store.claim_scan(scan_id) is None
    assert await store.claim_scan(999) is None


async def test_finish_stores_the_result_once(store: SqlStore, clock: FakeClock) -> None:
    scan = await new_scan(store, "k")
    await store.claim_scan(scan.id)
    clock.advance(seconds=3)
    assert await store.finish_scan(
        scan.id,
        result_json='{"schema": "papiers.scan/1"}',
        document_type="fr_id_card",
        provider="gemini",
        duration_ms=2900,
        cost_eur=0.0012,
    )
    assert not await store.finish_scan(
        scan.id, result_json="{}", document_type=None, provider="local", duration_ms=1
    )
    assert not await store.fail_scan(scan.id, "timeout")
    stored = await store.get_scan(scan.id)
    assert stored is not None
    assert stored.status is ScanStatus.DONE
    assert stored.result_json == '{"schema": "papiers.scan/1"}'
    assert (stored.document_type, stored.provider, stored.duration_ms) == (
        "fr_id_card",
        "gemini",
        2900,
    )
    assert stored.cost_eur == 0.0012
    assert stored.finished_at == START + timedelta(seconds=3)


async def test_two_workers_racing_to_finish_only_one_wins(open_stores) -> None:
    worker_a, worker_b = await open_stores(), await open_stores()
    for round_number in range(5):
        scan, _ = await worker_a.create_scan(
            user_id=1, chat_id=1, language="fr", idempotency_key=f"r{round_number}", files=[PHOTO]
        )
        await worker_a.claim_scan(scan.id)
        await worker_b.claim_scan(scan.id)
        won = await asyncio.gather(
            worker_a.finish_scan(
                scan.id,
                result_json='{"by": "a"}',
                document_type="passport",
                provider="local",
                duration_ms=10,
            ),
            worker_b.fail_scan(scan.id, "provider_timeout"),
            worker_b.finish_scan(
                scan.id,
                result_json='{"by": "b"}',
                document_type="passport",
                provider="local",
                duration_ms=10,
            ),
        )
        assert sum(won) == 1
        final = await worker_a.get_scan(scan.id)
        assert final is not None
        expected = [ScanStatus.DONE, ScanStatus.FAILED, ScanStatus.DONE][won.index(True)]
        assert final.status is expected


async def test_fail_records_the_error_code_and_cost(store: SqlStore) -> None:
    scan = await new_scan(store, "k")
    assert await store.fail_scan(scan.id, "provider_error", provider="mistral", cost_eur=0.002)
    failed = await store.get_scan(scan.id)
    assert failed is not None
    assert (failed.status, failed.error_code, failed.provider, failed.cost_eur) == (
        ScanStatus.FAILED,
        "provider_error",
        "mistral",
        0.002,
    )


async def test_cancel_only_the_owners_pending_scan(store: SqlStore) -> None:
    scan = await new_scan(store, "k", user_id=1)
    assert not await store.cancel_scan(scan.id, user_id=2)
    assert await store.cancel_scan(scan.id, user_id=1)
    assert not await store.cancel_scan(scan.id, user_id=1)
    # The worker that was already reading it must not send a result.
    assert not await store.finish_scan(
        scan.id, result_json="{}", document_type=None, provider="local", duration_ms=5
    )
    cancelled = await store.get_scan(scan.id)
    assert cancelled is not None and cancelled.status is ScanStatus.CANCELLED


async def test_pending_and_recent_scans_of_one_user(store: SqlStore) -> None:
    ids = [(await new_scan(store, f"k{i}", user_id=1)).id for i in range(4)]
    other = await new_scan(store, "other", user_id=2)
    await store.finish_scan(
        ids[0], result_json="{}", document_type=None, provider="local", duration_ms=1
    )
    await store.claim_scan(ids[2])
    assert [s.id for s in await store.pending_scans(1)] == ids[1:]
    assert [s.id for s in await store.pending_scans(2)] == [other.id]
    assert [s.id for s in await store.recent_scans(1)] == ids[::-1]
    assert [s.id for s in await store.recent_scans(1, limit=2)] == [ids[3], ids[2]]
    assert await store.recent_scans(3) == []


async def test_queue_position_counts_pending_scans_before_it_for_all_users(store: SqlStore) -> None:
    a = await new_scan(store, "a", user_id=1)
    b = await new_scan(store, "b", user_id=2)
    c = await new_scan(store, "c", user_id=3)
    d = await new_scan(store, "d", user_id=1)
    assert [await store.queue_position(s.id) for s in (a, b, c, d)] == [0, 1, 2, 3]
    await store.claim_scan(a.id)  # processing still counts: it is ahead in the queue
    await store.finish_scan(
        b.id, result_json="{}", document_type=None, provider="local", duration_ms=1
    )
    await store.cancel_scan(c.id, user_id=3)
    assert await store.queue_position(d.id) == 1


async def test_unfinished_scans_by_age(store: SqlStore, clock: FakeClock) -> None:
    old = await new_scan(store, "old")
    clock.advance(minutes=10)
    old_processing = await new_scan(store, "old-processing")
    await store.claim_scan(old_processing.id)
    finished = await new_scan(store, "finished")
    await store.fail_scan(finished.id, "unreadable")
    clock.advance(minutes=10)
    fresh = await new_scan(store, "fresh")
    assert [s.id for s in await store.unfinished_scans()] == [old.id, old_processing.id, fresh.id]
    recent_cutoff = await store.unfinished_scans(older_than=timedelta(minutes=5))
    assert [s.id for s in recent_cutoff] == [old.id, old_processing.id]
    assert [s.id for s in await store.unfinished_scans(timedelta(minutes=15))] == [old.id]


async def test_ack_message_is_remembered(store: SqlStore) -> None:
    scan = await new_scan(store, "k")
    await store.set_ack_message(scan.id, 5501)
    stored = await store.get_scan(scan.id)
    assert stored is not None and stored.ack_message_id == 5501


async def test_upsert_user_creates_then_updates_only_given_fields(store: SqlStore) -> None:
    assert await store.get_user(10) is None
    created = await store.upsert_user(10)
    assert (created.language, created.role, created.allowed) == (None, Role.AGENT, False)
    assert created.created_at == START
    await store.upsert_user(10, language="en")
    await store.upsert_user(10, allowed=True)
    promoted = await store.upsert_user(10, role=Role.ADMIN)
    assert (promoted.language, promoted.role, promoted.allowed) == ("en", Role.ADMIN, True)
    revoked = await store.upsert_user(10, allowed=False)
    assert (revoked.language, revoked.role, revoked.allowed) == ("en", Role.ADMIN, False)
    assert await store.get_user(10) == revoked


async def test_list_users_by_id(store: SqlStore) -> None:
    for user_id in (30, 10, 20):
        await store.upsert_user(user_id, allowed=user_id != 20)
    users = await store.list_users()
    assert [(u.user_id, u.allowed) for u in users] == [(10, True), (20, False), (30, True)]


async def test_audit_log_newest_first(store: SqlStore, clock: FakeClock) -> None:
    await store.add_audit(1, "allow", target="user:55")
    clock.advance(seconds=1)
    await store.add_audit(1, "forget", target="user:55", details={"scans": 3, "self": False})
    entries = await store.list_audit()
    assert [(e.action, e.target, e.details) for e in entries] == [
        ("forget", "user:55", {"scans": 3, "self": False}),
        ("allow", "user:55", {}),
    ]
    assert entries[0].created_at == START + timedelta(seconds=1)
    assert [e.action for e in await store.list_audit(limit=1)] == ["forget"]
