"""Is this deployment able to answer agents? The database, Redis, and a live worker (`/healthz`).

The worker heartbeat is arq's health key: every worker rewrites it each `health_check_interval`
with a time-to-live slightly longer, so the key exists while at least one worker runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Final

from arq.constants import health_check_key_suffix
from redis.asyncio import Redis

from jobs.queue import QUEUE_NAME
from papiers.store import Store

WORKER_HEARTBEAT_KEY: Final = f"{QUEUE_NAME}{health_check_key_suffix}"
OK: Final = "ok"


@dataclass(frozen=True)
class HealthReport:
    """Each component ("database", "redis", "worker") → "ok" or why it is down."""

    checks: dict[str, str]
    ignored: frozenset[str] = frozenset()  # reported, but not failing the whole

    @property
    def ok(self) -> bool:
        return all(state == OK for name, state in self.checks.items() if name not in self.ignored)

    def ignoring(self, components: Iterable[str]) -> HealthReport:
        """The same report, healthy whatever the state of `components` (still reported)."""
        return HealthReport(self.checks, self.ignored | frozenset(components))

    def up(self, component: str) -> bool:
        return self.checks.get(component) == OK

    def as_json(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "down", "checks": dict(self.checks)}


async def check(store: Store, redis: Redis, *, timeout_s: float = 2.0) -> HealthReport:
    """Probe the database, Redis and the worker heartbeat, each within `timeout_s`."""
    (database, _), (redis_state, _) = await asyncio.gather(
        _probe(store.schema_version(), timeout_s), _probe(redis.ping(), timeout_s)
    )
    worker = "unknown: Redis is down"
    if redis_state == OK:
        worker, alive = await _probe(redis.exists(WORKER_HEARTBEAT_KEY), timeout_s)
        if worker == OK and not alive:
            worker = "down: no worker heartbeat"
    return HealthReport({"database": database, "redis": redis_state, "worker": worker})


async def worker_alive(redis: Redis) -> bool:
    """True while some worker's heartbeat key exists."""
    return bool(await redis.exists(WORKER_HEARTBEAT_KEY))


async def _probe(call: Awaitable[object], timeout_s: float) -> tuple[str, object]:
    """("ok", the answer) or ("down: …", None)."""
    # Only the exception's type: messages may hold connection strings with passwords.
    try:
        async with asyncio.timeout(timeout_s):
            return OK, await call
    except TimeoutError:
        return "down: no answer", None
    except Exception as error:
        return f"down: {type(error).__name__}", None
