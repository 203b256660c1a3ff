"""The `process_scan` job: claim the scan, download its files, read them, store, reply once.

Exactly one result per scan: the store's `finish_scan`/`fail_scan` return True only for the one
call that ends the scan, and only that call replies, then marks the scan delivered. A crash before
the end re-runs the job (arq re-runs it, or recovery frees it); a crash between the end and the
mark leaves an undelivered scan that recovery re-sends (`redeliver`) once its lease is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from arq import Retry
from redis.asyncio import Redis
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.summary import FAILURES
from extraction.errors import ExtractionError, ProviderError
from extraction.models import DocumentType, ScanResult
from jobs.lease import LEASE_TTL_S, held_lease
from jobs.reader import Reader
from jobs.telegram_reply import (
    ChatActivity,
    deliver_failure,
    deliver_result,
    download_files,
    mark_reading,
)
from papiers import metrics
from papiers.logging_setup import scan_id_var
from papiers.store import Scan, ScanStatus, Store

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY_S: Final = 60
MAX_REDELIVERIES: Final = 5  # an answer Telegram keeps refusing is given up after this


@dataclass
class WorkerDeps:
    """What every job needs, built once in the worker's `on_startup` (`ctx["deps"]`)."""

    store: Store
    bot: ExtBot[int]
    reader: Reader
    name: str
    read_timeout_s: float
    max_tries: int
    activity: ChatActivity
    lease_ttl_s: float = LEASE_TTL_S


async def process_scan(ctx: dict[str, Any], scan_id: int) -> dict[str, object]:
    """Read one scan and tell its agent the result; returns a small summary for arq's logs."""
    deps: WorkerDeps = ctx["deps"]
    token = scan_id_var.set(scan_id)
    try:
        scan = await deps.store.claim_scan(scan_id)
        if scan is None:
            return {"scan": scan_id, "status": "skipped"}
        async with held_lease(ctx["redis"], scan_id, deps.name, deps.lease_ttl_s):
            if scan.attempts > deps.max_tries:
                status = await fail(deps, scan, "too_many_attempts")
            else:
                status = await _read_and_reply(deps, scan, int(ctx.get("job_try", 1)))
        return {"scan": scan_id, "status": status}
    finally:
        scan_id_var.reset(token)


async def _read_and_reply(deps: WorkerDeps, scan: Scan, job_try: int) -> str:
    started = time.perf_counter()
    # The "reading" edit queues in the flood limiter; the download and the read need not wait.
    reading_edit = asyncio.create_task(mark_reading(deps.bot, scan))
    try:
        try:
            result = await _read(deps, scan)
        finally:
            await _settled(reading_edit)  # so that "done"/"failed" always comes after it
    except ProviderError as error:
        if error.transient:
            return await _retry_or_fail(deps, scan, job_try, "temporarily_unavailable")
        return await fail(deps, scan, error.code, error, started=started)
    except ExtractionError as error:
        return await fail(deps, scan, error.code, error, started=started)
    except TimeoutError:
        return await fail(deps, scan, "timeout", started=started)
    except (NetworkError, ConnectionError, OSError):
        return await _retry_or_fail(deps, scan, job_try, "temporarily_unavailable")
    except TelegramError as error:  # e.g. "file is too big", an expired file id
        logger.warning("download refused by Telegram: %s", type(error).__name__)
        return await fail(deps, scan, "download_failed", started=started)
    except Exception:
        logger.exception("unexpected error while reading")
        return await fail(deps, scan, "internal_error", started=started)

    duration_ms = round((time.perf_counter() - started) * 1000)
    ended = await deps.store.finish_scan(
        scan.id,
        result_json=result.to_json(),
        document_type=result.document_type.value,
        provider=result.engine.provider,
        duration_ms=duration_ms,
        cost_eur=result.engine.cost_eur or 0.0,
    )
    if not ended:
        return "superseded"  # cancelled meanwhile, or another run already answered
    metrics.scan_finished(
        document_type=result.document_type.value,
        status="done",
        seconds=_waited_s(scan),
        provider=result.engine.provider,
        cost_eur=result.engine.cost_eur or 0.0,
        providers_tried=result.engine.providers_tried,
    )
    await _reply(deps, scan, deliver_result(deps.bot, scan, result))
    return "done"


async def _read(deps: WorkerDeps, scan: Scan) -> ScanResult:
    """Download the scan's files and read them, within the time limit."""
    document_type = DocumentType(scan.type_hint) if scan.type_hint else None
    async with deps.activity.show(scan.chat_id, ChatAction.TYPING):
        files = await download_files(deps.bot, scan)
        async with asyncio.timeout(deps.read_timeout_s):
            return await deps.reader(files, document_type=document_type, language=scan.language)


async def _settled(task: asyncio.Task[None]) -> None:
    with contextlib.suppress(Exception):
        await task


async def _retry_or_fail(deps: WorkerDeps, scan: Scan, job_try: int, code: str) -> str:
    if job_try < deps.max_tries:
        delay = min(MAX_RETRY_DELAY_S, 2**job_try)
        logger.info("transient failure, retry %s in %s s", job_try, delay)
        raise Retry(defer=delay)
    return await fail(deps, scan, code)


async def fail(
    deps: WorkerDeps,
    scan: Scan,
    code: str,
    error: ExtractionError | None = None,
    *,
    started: float | None = None,
) -> str:
    """End the scan as failed with `code` and tell its agent why (once)."""
    duration_ms = round((time.perf_counter() - started) * 1000) if started else None
    params = error.params if error is not None else None
    if await deps.store.fail_scan(scan.id, code, duration_ms=duration_ms, error_params=params):
        logger.info("scan failed: %s", code)
        waited_s = _waited_s(scan)
        metrics.scan_finished(document_type=scan.type_hint, status="failed", seconds=waited_s)
        await _reply(deps, scan, deliver_failure(deps.bot, scan, code, error))
    return "failed"


async def fail_abandoned(deps: WorkerDeps, redis: Redis, scan: Scan) -> None:
    """Fail a scan whose workers kept dying (recovery's call), holding its lease while replying."""
    token = scan_id_var.set(scan.id)
    try:
        async with held_lease(redis, scan.id, deps.name, deps.lease_ttl_s):
            await fail(deps, scan, "too_many_attempts")
    finally:
        scan_id_var.reset(token)


async def redeliver(deps: WorkerDeps, redis: Redis, scan: Scan) -> None:
    """Send the stored answer of a scan whose worker died before sending it; one worker does.

    The store's delivery claim picks one caller; the lease then tells other recoveries that
    this worker is alive, however long Telegram's flood limit makes the sending take.
    """
    stale_after = timedelta(seconds=deps.lease_ttl_s)
    claimed = await deps.store.claim_delivery(scan.id, deps.name, stale_after=stale_after)
    if claimed is None:
        return
    token = scan_id_var.set(scan.id)
    try:
        if claimed.delivery_attempts > MAX_REDELIVERIES:
            logger.warning("answer given up after %s re-sends", MAX_REDELIVERIES)
            await deps.store.mark_delivered(scan.id)
            return
        async with held_lease(redis, scan.id, deps.name, deps.lease_ttl_s):
            logger.info("re-sending the answer its worker could not send")
            await _reply(deps, claimed, _stored_answer(deps.bot, claimed))
    finally:
        scan_id_var.reset(token)


def _stored_answer(bot: ExtBot[int], scan: Scan) -> Awaitable[None]:
    """The delivery of what the store holds: the result (from its JSON) or the failure."""
    if scan.status is ScanStatus.DONE and scan.result_json is not None:
        return deliver_result(bot, scan, ScanResult.model_validate_json(scan.result_json))
    code = scan.error_code or "internal_error"
    # Worker codes have their own sentence; others came from the reading's ExtractionError.
    error = None if code in FAILURES else ExtractionError(code, scan.error_params)
    return deliver_failure(bot, scan, code, error)


def _waited_s(scan: Scan) -> float:
    """Seconds since the agent sent the scan (its time to result when the scan ends now)."""
    return (datetime.now(UTC) - scan.created_at).total_seconds()


async def _reply(deps: WorkerDeps, scan: Scan, delivery: Awaitable[None]) -> None:
    """Send the answer, then mark the scan delivered (unless Telegram could not be reached)."""
    # The scan is already ended in the store: a chat that blocked the bot must not re-run it.
    try:
        await delivery
    except (BadRequest, Forbidden) as error:  # refused for good: sending again cannot help
        logger.warning("could not deliver the answer: %s", type(error).__name__)
    except TelegramError as error:  # Telegram unreachable for a while: recovery sends it later
        logger.warning("answer not delivered yet: %s", type(error).__name__)
        return
    await deps.store.mark_delivered(scan.id)
