"""Corrections, review, retention, /forget, export and statistics, on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from papiers.store import ScanFile, ScanNotFoundError, ScanStatus, SqlStore, history
from tests.store.conftest import START, FakeClock

PHOTO = ScanFile("AgACAgQAAxkBAAIB", "AQADQbwxG", "photo", "image/jpeg", 184_233, None)


async def done_scan(
    store: SqlStore,
    key: str,
    *,
    user_id: int = 100,
    document_type: str | None = "passport",
    provider: str = "local",
    cost_eur: float = 0.0,
    wait: timedelta = timedelta(seconds=1),
    clock: FakeClock | None = None,
) -> int:
    scan, _ = await store.create_scan(
        user_id=user_id, chat_id=user_id, language="fr", idempotency_key=key, files=[PHOTO]
    )
    await store.claim_scan(scan.id)
    if clock is not None:
        clock.advance(seconds=wait.total_seconds())
    await store.finish_scan(
        scan.id,
        result_json=f'{{"key": "{key}"}}',
        document_type=document_type,
        provider=provider,
        duration_ms=int(wait.total_seconds() * 1000),
        cost_eur=cost_eur,
    )
    if clock is not None:
        clock.advance(seconds=-wait.total_seconds())
    return scan.id


async def test_corrections_keep_the_previous_values_in_order(store: SqlStore, clock) -> None:
    scan_id = await done_scan(store, "k")
    first = await store.record_correction(
        scan_id, field="surname", old_value="DUPOMT", new_value="DUPONT", user_id=100
    )
    clock.advance(minutes=1)
    await store.record_correction(
        scan_id,
        field="surname",
        old_value="DUPONT",
        new_value="DUPONT-MARTIN",
        user_id=100,
        result_json='{"fields": {"surname": {"value": "DUPONT-MARTIN", "source": "user"}}}',
    )
    history_rows = await store.list_corrections(scan_id)
    assert [(c.old_value, c.new_value) for c in history_rows] == [
        ("DUPOMT", "DUPONT"),
        ("DUPONT", "DUPONT-MARTIN"),
    ]
    assert history_rows[0] == first and first.created_at == START
    assert history_rows[1].created_at == START + timedelta(minutes=1)
    scan = await store.get_scan(scan_id)
    assert scan is not None and scan.result_json is not None and "MARTIN" in scan.result_json


async def test_correcting_a_missing_scan_raises(store: SqlStore) -> None:
    with pytest.raises(ScanNotFoundError):
        await store.record_correction(404, field="vin", old_value=None, new_value="X", user_id=1)
    assert await store.list_corrections(404) == []


async def test_mark_reviewed(store: SqlStore) -> None:
    scan_id = await done_scan(store, "k")
    assert await store.mark_reviewed(scan_id)
    assert (await store.get_scan(scan_id)).reviewed  # type: ignore[union-attr]
    assert await store.mark_reviewed(scan_id, reviewed=False)
    assert not (await store.get_scan(scan_id)).reviewed  # type: ignore[union-attr]
    assert not await store.mark_reviewed(404)


async def test_forget_deletes_one_agents_scans_and_history_only(store: SqlStore) -> None:
    mine = [await done_scan(store, f"m{i}", user_id=1) for i in range(3)]
    theirs = await done_scan(store, "t", user_id=2)
    for scan_id in (mine[0], theirs):
        await store.record_correction(
            scan_id, field="vin", old_value="A", new_value="B", user_id=scan_id
        )
    assert await store.delete_user_scans(1) == 3
    assert await store.delete_user_scans(1) == 0
    assert all([await store.get_scan(scan_id) is None for scan_id in mine])
    assert await store.list_corrections(mine[0]) == []
    assert await store.get_scan(theirs) is not None
    assert len(await store.list_corrections(theirs)) == 1


async def test_purge_drops_old_payloads_and_keeps_statistics(
    store: SqlStore, clock: FakeClock
) -> None:
    old = await done_scan(store, "old", cost_eur=0.01)
    await store.record_correction(old, field="vin", old_value="A", new_value="B", user_id=100)
    stuck, _ = await store.create_scan(
        user_id=100, chat_id=100, language="fr", idempotency_key="stuck", files=[PHOTO]
    )
    clock.advance(days=31)
    recent = await done_scan(store, "recent")
    await store.record_correction(recent, field="vin", old_value="A", new_value="B", user_id=100)

    cutoff = clock.now - timedelta(days=30)
    assert await store.purge_results(cutoff) == 2
    assert await store.purge_results(cutoff) == 0

    purged = await store.get_scan(old)
    assert purged is not None
    assert (purged.result_json, purged.files, purged.purged_at) == (None, (), clock.now)
    assert (purged.status, purged.document_type, purged.cost_eur) == (
        ScanStatus.DONE,
        "passport",
        0.01,
    )
    assert await store.list_corrections(old) == []
    expired = await store.get_scan(stuck.id)
    assert expired is not None
    assert (expired.status, expired.error_code) == (ScanStatus.FAILED, history.EXPIRED)
    assert await store.claim_scan(stuck.id) is None

    kept = await store.get_scan(recent)
    assert kept is not None and kept.result_json is not None and kept.files == (PHOTO,)
    assert len(await store.list_corrections(recent)) == 1
    stats = await store.stats(START - timedelta(days=1), clock.now + timedelta(days=1))
    assert stats.total == 3 and stats.cost_eur == 0.01


async def test_export_streams_done_scans_in_range_and_type(
    store: SqlStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "EXPORT_BATCH", 2)  # several pages with few scans
    before = await done_scan(store, "before")
    clock.advance(hours=1)
    start = clock.now
    inside = [
        await done_scan(store, f"in{i}", document_type=kind)
        for i, kind in enumerate(["passport", "fr_id_card", "passport", "passport", "passport"])
    ]
    failed, _ = await store.create_scan(
        user_id=100, chat_id=100, language="fr", idempotency_key="failed", files=[PHOTO]
    )
    await store.fail_scan(failed.id, "unreadable")
    clock.advance(hours=1)
    end = clock.now
    after = await done_scan(store, "after")

    every = [scan.id async for scan in store.iter_scans_for_export(start, end)]
    assert every == inside
    passports = [s async for s in store.iter_scans_for_export(start, end, "passport")]
    assert [s.id for s in passports] == [inside[0], *inside[2:]]
    assert all(s.result_json is not None for s in passports)
    assert before not in every and after not in every
    assert [
        s async for s in store.iter_scans_for_export(start, end, "tn_vehicle_registration")
    ] == []


async def test_stats_numbers(store: SqlStore, clock: FakeClock) -> None:
    waits = [1, 2, 3, 4, 10]
    for i, seconds in enumerate(waits):
        await done_scan(
            store,
            f"d{i}",
            user_id=1 if i < 3 else 2,
            document_type="passport" if i % 2 else "fr_id_card",
            provider="gemini" if i < 2 else "local",
            cost_eur=0.002 if i < 2 else 0.0,
            wait=timedelta(seconds=seconds),
            clock=clock,
        )
    for code, user_id in (("unreadable", 1), ("unreadable", 3), ("provider_timeout", 3)):
        scan, _ = await store.create_scan(
            user_id=user_id,
            chat_id=user_id,
            language="en",
            idempotency_key=code + str(user_id),
            files=[PHOTO],
        )
        await store.fail_scan(scan.id, code, provider="mistral", cost_eur=0.001)
    await store.create_scan(
        user_id=2, chat_id=2, language="en", idempotency_key="queued", files=[PHOTO]
    )
    clock.advance(days=2)
    await done_scan(store, "outside", user_id=9)

    stats = await store.stats(START, START + timedelta(days=1))
    assert stats.total == 9
    assert stats.by_status == {"done": 5, "failed": 3, "queued": 1}
    assert stats.by_type == {"fr_id_card": 3, "passport": 2, "none": 4}
    assert stats.by_provider == {"gemini": 2, "local": 3, "mistral": 3, "none": 1}
    assert stats.failure_reasons == {"unreadable": 2, "provider_timeout": 1}
    assert stats.scans_per_user == {1: 4, 2: 3, 3: 2}
    assert (stats.median_ms, stats.p95_ms) == (3000, 10_000)
    assert stats.cost_eur == pytest.approx(0.007)

    empty = await store.stats(START - timedelta(days=9), START - timedelta(days=8))
    assert (empty.total, empty.median_ms, empty.p95_ms, empty.cost_eur) == (0, None, None, 0.0)


async def test_naive_bounds_mean_utc_on_both_backends(store: SqlStore, clock: FakeClock) -> None:
    await done_scan(store, "k")
    naive_start = START.replace(tzinfo=None)
    inside = await store.stats(naive_start, naive_start + timedelta(seconds=1))
    after = await store.stats(naive_start + timedelta(seconds=1), naive_start + timedelta(days=1))
    assert (inside.total, after.total) == (1, 0)
