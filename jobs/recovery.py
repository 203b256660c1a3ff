"""Start-up (and periodic) recovery: every unfinished scan gets a live job again.

A scan stays `queued`/`processing` in the database when Redis lost its job (restart without
persistence) or when the worker reading it died. Recovery re-enqueues the first kind and frees the
second from arq's in-progress key (which would otherwise block it for job_timeout + 10 s).
Scans that used up their attempts are failed, so every scan ends `done` or `failed`.
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


async def recovery_loop(
    store: Store,
    redis: ArqRedis,
    *,
    interval_s: float,
    in_progress_timeout_s: float,
    max_tries: int,
    on_exhausted: ExhaustedHandler,
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
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("recovery pass failed; trying again in %s s", interval_s)
        await asyncio.sleep(interval_s)
