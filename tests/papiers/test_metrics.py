"""`papiers.metrics`: process counters, fleet gauges from the store and Redis, valid exposition."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from jobs.queue import QUEUE_NAME
from papiers import metrics
from papiers.health import WORKER_HEARTBEAT_KEY
from papiers.store import ScanFile, SqlStore, open_store
from tests.fakes.fixtures import redis_server
from tests.fakes.redis_server import RedisServer

__all__ = ["redis_server"]

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    opened = await open_store(str(tmp_path / "papiers.sqlite3"))
    yield opened
    await opened.close()


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url, socket_connect_timeout=1, socket_timeout=1)
    yield client
    await client.aclose()


def parse(text: bytes) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
    }


def process_value(name: str, **labels: str) -> float:
    return metrics.PROCESS_REGISTRY.get_sample_value(name, labels) or 0.0


async def add_scan(store: SqlStore, number: int) -> int:
    photo = ScanFile(f"F{number}", f"U{number}", "photo")
    scan, _ = await store.create_scan(
        user_id=7, chat_id=7, language="fr", idempotency_key=f"k{number}", files=[photo]
    )
    return scan.id


def test_scan_finished_counts_the_scan_its_wait_and_its_providers() -> None:
    done = {"document_type": "passport", "status": "done"}
    before = process_value("papiers_scans_finished_total", **done)
    waits = process_value("papiers_time_to_result_seconds_count", status="done")
    gemini_errors = process_value("papiers_provider_errors_total", provider="gemini")
    mistral_cost = process_value("papiers_provider_cost_eur_total", provider="mistral")

    metrics.scan_finished(
        document_type="passport",
        status="done",
        seconds=4.2,
        provider="mistral",
        cost_eur=0.002,
        providers_tried=["gemini", "mistral"],
    )

    assert process_value("papiers_scans_finished_total", **done) == before + 1
    assert process_value("papiers_time_to_result_seconds_count", status="done") == waits + 1
    assert process_value("papiers_provider_errors_total", provider="gemini") == gemini_errors + 1
    assert process_value("papiers_provider_errors_total", provider="mistral") == 0
    cost = process_value("papiers_provider_cost_eur_total", provider="mistral")
    assert cost == pytest.approx(mistral_cost + 0.002)


def test_a_failed_scan_of_unknown_type_is_labelled_none() -> None:
    labels = {"document_type": "none", "status": "failed"}
    before = process_value("papiers_scans_finished_total", **labels)
    metrics.scan_finished(document_type=None, status="failed", seconds=None)
    assert process_value("papiers_scans_finished_total", **labels) == before + 1


async def test_the_page_shows_the_fleet_from_the_store_and_redis(
    store: SqlStore, redis: Redis
) -> None:
    done, failed, _queued = [await add_scan(store, n) for n in range(3)]
    for scan_id in (done, failed):
        await store.claim_scan(scan_id)
    await store.finish_scan(
        done,
        result_json="{}",
        document_type="passport",
        provider="gemini",
        duration_ms=900,
        cost_eur=0.0015,
    )
    await store.fail_scan(failed, "unreadable")
    await redis.zadd(QUEUE_NAME, {"scan:3": 1.0, "scan:4": 2.0})
    await redis.set(WORKER_HEARTBEAT_KEY, "x", ex=31)

    samples = parse(await metrics.MetricsPage(store, redis).render())

    assert samples[("papiers_scans_24h", (("status", "done"),))] == 1
    assert samples[("papiers_scans_24h", (("status", "failed"),))] == 1
    assert samples[("papiers_scans_24h", (("status", "queued"),))] == 1
    assert samples[("papiers_scans_24h_by_type", (("document_type", "passport"),))] == 1
    assert samples[("papiers_scans_24h_by_provider", (("provider", "gemini"),))] == 1
    assert samples[("papiers_failed_scans_24h", (("reason", "unreadable"),))] == 1
    assert samples[("papiers_cost_24h_eur", ())] == pytest.approx(0.0015)
    assert samples[("papiers_queue_depth", ())] == 2
    assert ("papiers_time_to_result_24h_seconds", (("quantile", "0.5"),)) in samples
    for component in ("database", "redis", "worker"):
        assert samples[("papiers_up", (("component", component),))] == 1
    assert samples[("process_resident_memory_bytes", ())] > 0


async def test_with_redis_stopped_the_page_still_renders_and_says_so(
    store: SqlStore, redis: Redis, redis_server: RedisServer
) -> None:
    await add_scan(store, 1)
    redis_server.stop()
    samples = parse(await metrics.MetricsPage(store, redis).render())
    assert samples[("papiers_up", (("component", "redis"),))] == 0
    assert samples[("papiers_up", (("component", "worker"),))] == 0
    assert ("papiers_queue_depth", ()) not in samples
    assert samples[("papiers_scans_24h", (("status", "queued"),))] == 1


async def test_snapshots_are_cached_for_a_few_seconds(store: SqlStore, redis: Redis) -> None:
    queued = ("papiers_scans_24h", (("status", "queued"),))
    page = metrics.MetricsPage(store, redis, ttl_s=60)
    assert queued not in parse(await page.render())
    await add_scan(store, 1)
    assert queued not in parse(await page.render())  # the cached snapshot
    assert parse(await metrics.MetricsPage(store, redis, ttl_s=0).render())[queued] == 1
