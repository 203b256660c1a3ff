"""A scan's lease: a short-lived Redis key a worker refreshes while it reads the scan.

It lets start-up recovery tell a scan that a live worker is reading (lease present) from one whose
worker died (lease expired) long before arq's own in-progress key would expire.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Final

from redis.asyncio import Redis

from jobs.queue import LEASE_PREFIX

logger = logging.getLogger(__name__)

LEASE_TTL_S: Final = 15.0  # a worker silent this long is dead; refreshed every third of it


def lease_key(scan_id: int) -> str:
    return f"{LEASE_PREFIX}{scan_id}"


@contextlib.asynccontextmanager
async def held_lease(
    redis: Redis, scan_id: int, owner: str, ttl_s: float = LEASE_TTL_S
) -> AsyncIterator[None]:
    """Hold the scan's lease for the duration of the block (refreshed in the background)."""
    key = lease_key(scan_id)
    ttl_ms = int(ttl_s * 1000)
    await redis.set(key, owner, px=ttl_ms)

    async def refresh() -> None:
        while True:
            await asyncio.sleep(ttl_s / 3)
            try:
                await redis.set(key, owner, px=ttl_ms)
            except Exception as error:  # Redis briefly away: the next refresh will retry
                logger.warning(
                    "lease refresh failed for scan %s: %s", scan_id, type(error).__name__
                )

    task = asyncio.create_task(refresh())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with contextlib.suppress(Exception):
            await redis.delete(key)


async def is_leased(redis: Redis, scan_id: int) -> bool:
    """True while some worker holds the scan's lease."""
    return bool(await redis.exists(lease_key(scan_id)))
