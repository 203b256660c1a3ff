"""Start-up (and periodic) recovery: every unfinished scan gets a live job again.

A scan stays `queued`/`processing` in the database when Redis lost its job (restart without
persistence) or when the worker reading it died. Recovery re-enqueues the first kind and frees the
second from arq's in-progress key (which would otherwise block it for job_timeout + 10 s).
Scans that used up their attempts are failed, so every scan ends `done` or `failed`. Scans that
ended but whose answer never went out (the worker died in between) are handed over to be re-sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix

from jobs.lease import LEASE_TTL_S, is_leased
from jobs.queue import QUEUE_NAME, enqueue_scan, scan_job_id
from papiers.store import Scan, Store

logger = logging.getLogger(__name__)

RECENT_S: Final = 30.0  # a scan this young is still the bot's to queue


@dataclass
class RecoveryReport:
    requeued: int = 0
    released: int = 0
    exhausted: list[Scan] = field(default_factory=list)


ExhaustedHandler = Callable[[Scan], Awaitable[None]]
"""Called with a scan whose workers died `max_tries` times: fail it and tell its agent."""
UndeliveredHandler = Callable[[Scan], Awaitable[None]]
"""Called with an ended scan whose answer its dead worker never sent: send it (once)."""


async def recover_scans(
    store: Store,
    redis: ArqRedis,
    *,
    in_progress_timeout_s: float,
    max_tries: int,
    lease_ttl_s: float = LEASE_TTL_S,
    grace_s: float = RECENT_S,
) -> RecoveryReport:
    """Give each unfinished scan without a live worker a job; return what was done.

    Scans younger than `grace_s` are left alone: the bot may still be queueing them (an
    acknowledgement held back by Telegram's flood limit comes before the job).
    """
    report = RecoveryReport()
    for scan in await store.unfinished_scans(older_than=timedelta(seconds=grace_s)):
        if await is_leased(redis, scan.id):
            continue
        job_id = scan_job_id(scan.id)
        remaining_ms = await redis.pttl(in_progress_key_prefix + job_id)
        if remaining_ms > 0:
            held_for_s = in_progress_timeout_s - remaining_ms / 1000
            # A live worker sets the lease right after arq's key; give it a lease's time to do so.
            if held_for_s < lease_ttl_s:
                continue
            if scan.attempts >= max_tries:
                report.exhausted.append(scan)
                continue
            await redis.delete(in_progress_key_prefix + job_id)
            report.released += 1
            logger.info("scan %s: its worker stopped, the job will run again", scan.id)
            continue
        if await redis.zscore(QUEUE_NAME, job_id) is not None:
            continue  # waiting its turn (or a Retry backoff)
        if scan.attempts >= max_tries:
            assert report.exhausted is not None
            report.exhausted.append(scan)
            continue
        if await enqueue_scan(redis, scan.id):
            report.requeued += 1
            logger.info("scan %s had no job (Redis restarted?): queued again", scan.id)
    return report


async def undelivered_without_worker(
    store: Store,
    redis: ArqRedis,
    *,
    lease_ttl_s: float = LEASE_TTL_S,
    grace_s: float = RECENT_S,
) -> list[Scan]:
    """Ended scans never delivered, finished over `grace_s` ago, whose lease stays absent.

    A lease is looked at twice, `lease_ttl_s` apart: a Redis restart wipes the lease of a live
    worker still sending (waiting out a flood limit), and that worker sets it again well within
    a lease's time.
    """
    ended = await store.undelivered_scans(older_than=timedelta(seconds=grace_s))
    candidates = [scan for scan in ended if not await is_leased(redis, scan.id)]
    if not candidates:
        return []
    await asyncio.sleep(lease_ttl_s)
    return [scan for scan in candidates if not await is_leased(redis, scan.id)]


async def recovery_loop(
    store: Store,
    redis: ArqRedis,
    *,
    interval_s: float,
    in_progress_timeout_s: float,
    max_tries: int,
    on_exhausted: ExhaustedHandler,
    on_undelivered: UndeliveredHandler | None = None,
    lease_ttl_s: float = LEASE_TTL_S,
    grace_s: float = RECENT_S,
) -> None:
    """Run recovery now and then every `interval_s` (catches a Redis restart while running)."""
    while True:
        try:
            report = await recover_scans(
                store,
                redis,
                in_progress_timeout_s=in_progress_timeout_s,
                max_tries=max_tries,
                lease_ttl_s=lease_ttl_s,
                grace_s=grace_s,
            )
            for scan in report.exhausted:
                await on_exhausted(scan)
            if on_undelivered is not None:
                for scan in await undelivered_without_worker(
                    store, redis, lease_ttl_s=lease_ttl_s, grace_s=grace_s
                ):
                    await _each(on_undelivered, scan)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("recovery pass failed; trying again in %s s", interval_s)
        await asyncio.sleep(interval_s)


async def _each(handler: UndeliveredHandler, scan: Scan) -> None:
    """One scan's failure must not hold back the others of the pass."""
    try:
        await handler(scan)
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("scan %s: re-sending its answer failed", scan.id)
