"""The arq worker: its settings, and `on_startup`, where the jobs' dependencies (`ctx["deps"]`) are
built: the store, the worker's own Bot, the reader, and the recovery loop.

Run with `papiers worker` (or `papiers run` together with the bot). Several workers on several
machines share one Redis and one database; each scan's job id keeps it on one worker at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from pathlib import Path
from typing import Any, Final

from arq import Worker, func

from jobs.kept_images import keeping_reader
from jobs.lease import LEASE_TTL_S
from jobs.queue import PROCESS_SCAN, QUEUE_NAME, redis_settings
from jobs.reader import Reader, pipeline_reader
from jobs.recovery import RECENT_S, recovery_loop
from jobs.resilient_worker import ResilientWorker
from jobs.retention import retention_cron, retention_for
from jobs.scan_job import WorkerDeps, fail_abandoned, process_scan, redeliver
from jobs.telegram_reply import ChatActivity, make_bot
from papiers.settings import Settings
from papiers.store import Scan, Store

logger = logging.getLogger(__name__)

ARQ_GRACE_S: Final = 60  # arq's own timeout backs up ours (ours fails the scan politely)
# Only the store's attempt counter limits re-runs (it survives a Redis restart, arq's does not).
ARQ_MAX_TRIES: Final = 1000


def create_worker(
    settings: Settings,
    *,
    store: Store | None = None,
    reader: Reader | None = None,
    recovery_interval_s: float = 30.0,
    recovery_grace_s: float = RECENT_S,
    lease_ttl_s: float = LEASE_TTL_S,
    handle_signals: bool = True,
) -> Worker:
    """A worker for `settings`; `store` and `reader` replace the configured ones (tests, bench)."""
    job_timeout_s = settings.job_timeout_s + ARQ_GRACE_S
    owned: dict[str, Any] = {}

    async def startup(ctx: dict[str, Any]) -> None:
        active_store = store
        if active_store is None:
            from papiers.store import open_store

            active_store = owned["store"] = await open_store(settings.database_url)
            await active_store.migrate()
        bot = make_bot(settings, ctx["redis"])
        await bot.initialize()
        chosen_reader = reader or pipeline_reader(settings)
        if settings.keep_images:  # photos are otherwise never written anywhere
            chosen_reader = keeping_reader(chosen_reader, Path(settings.images_dir))
        deps = WorkerDeps(
            store=active_store,
            bot=bot,
            reader=chosen_reader,
            activity=ChatActivity(bot),
            name=f"{socket.gethostname()}:{os.getpid()}",
            read_timeout_s=settings.job_timeout_s,
            max_tries=settings.max_tries,
            lease_ttl_s=lease_ttl_s,
        )
        ctx["deps"] = deps
        ctx["retention"] = retention_for(settings)

        async def exhausted(scan: Scan) -> None:
            await fail_abandoned(deps, ctx["redis"], scan)

        async def undelivered(scan: Scan) -> None:
            await redeliver(deps, ctx["redis"], scan)

        ctx["recovery"] = asyncio.create_task(
            recovery_loop(
                active_store,
                ctx["redis"],
                interval_s=recovery_interval_s,
                in_progress_timeout_s=job_timeout_s + 10,
                max_tries=settings.max_tries,
                on_exhausted=exhausted,
                on_undelivered=undelivered,
                lease_ttl_s=lease_ttl_s,
                grace_s=recovery_grace_s,
            )
        )

    async def shutdown(ctx: dict[str, Any]) -> None:
        recovery: asyncio.Task[None] | None = ctx.get("recovery")
        if recovery is not None:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery
        deps: WorkerDeps | None = ctx.get("deps")
        if deps is not None:
            await deps.bot.shutdown()
        from extraction.providers import close_shared_chain  # loaded only where it ran

        await close_shared_chain()  # the AI providers' HTTP connections, if any were opened
        if "store" in owned:
            await owned["store"].close()

    return ResilientWorker(
        functions=[
            func(process_scan, name=PROCESS_SCAN, timeout=job_timeout_s, max_tries=ARQ_MAX_TRIES)
        ],
        cron_jobs=[retention_cron()],
        queue_name=QUEUE_NAME,
        redis_settings=redis_settings(settings.redis_url),
        on_startup=startup,
        on_shutdown=shutdown,
        max_jobs=settings.worker_max_jobs,
        job_timeout=job_timeout_s,
        keep_result=0,
        poll_delay=0.2,
        handle_signals=handle_signals,
        health_check_interval=30,
    )


async def check_health(settings: Settings) -> bool:
    """True when a worker wrote its health key recently (`papiers worker --check`)."""
    from arq.worker import async_check_health

    return bool(
        await async_check_health(redis_settings(settings.redis_url), queue_name=QUEUE_NAME) == 0
    )


async def stop_worker(worker: Worker, grace_s: float = 10.0) -> None:
    """Stop taking jobs, let running scans finish for up to `grace_s`, then close the worker.

    A scan still running after the grace period is cancelled: arq queues it again.
    """
    worker.allow_pick_jobs = False
    running = [task for task in worker.tasks.values() if not task.done()]
    if running:
        _, late = await asyncio.wait(running, timeout=grace_s)
        for task in late:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
    worker.tasks.clear()  # close() re-raises a cancelled task's CancelledError otherwise
    await worker.close()
