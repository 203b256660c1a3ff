"""`papiers.health.check`: the database, Redis and the worker heartbeat, each up or down."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from papiers.health import WORKER_HEARTBEAT_KEY, check
from papiers.store import SqlStore, open_store
from tests.fakes.fixtures import redis_server
from tests.fakes.redis_server import RedisServer

__all__ = ["redis_server"]


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


async def test_everything_up_once_a_worker_beats(store: SqlStore, redis: Redis) -> None:
    await redis.set(WORKER_HEARTBEAT_KEY, "j_complete=0 j_failed=0", ex=31)
    report = await check(store, redis)
    assert report.ok
    assert report.as_json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
    }


async def test_no_heartbeat_means_no_worker(store: SqlStore, redis: Redis) -> None:
    report = await check(store, redis)
    assert not report.ok
    assert report.checks == {
        "database": "ok",
        "redis": "ok",
        "worker": "down: no worker heartbeat",
    }


async def test_an_ignored_component_is_reported_but_does_not_fail(
    store: SqlStore, redis: Redis
) -> None:
    report = (await check(store, redis)).ignoring(["worker"])
    assert report.ok and not report.up("worker")
    assert report.as_json()["checks"]["worker"] == "down: no worker heartbeat"
    assert report.ignoring(["database"]).ignored == {"worker", "database"}


async def test_a_stopped_redis_is_reported_down(
    store: SqlStore, redis: Redis, redis_server: RedisServer
) -> None:
    await redis.set(WORKER_HEARTBEAT_KEY, "x", ex=31)
    redis_server.stop()
    report = await check(store, redis, timeout_s=1)
    assert not report.ok and not report.up("redis")
    assert report.checks["redis"].startswith("down: ")
    assert report.checks["worker"] == "unknown: Redis is down"
    assert report.up("database")
    assert report.as_json()["status"] == "down"


async def test_a_closed_database_is_reported_down(store: SqlStore, redis: Redis) -> None:
    await store.close()
    report = await check(store, redis, timeout_s=1)
    assert report.checks["database"].startswith("down: ")
    assert report.up("redis")
