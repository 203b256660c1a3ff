"""An answer stored but never sent (its worker died in between) reaches the agent exactly once."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

from bot.summary import failure_text
from extraction.errors import IntakeError
from jobs.queue import FLOOD_PREFIX
from jobs.scan_job import WorkerDeps, redeliver
from papiers.store import Scan, ScanStatus
from tests.bot.helpers import documents, png_bytes, texts
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.stack import AGENT, Stack
from tests.fakes.telegram import FakeTelegram
from tests.jobs.test_recovery import start_worker_process

PARAMS: dict[str, str | int] = {"size_mb": 31, "max_mb": 20}


def summaries(tg: FakeTelegram, scan_id: int) -> list[str]:
    """Result messages Telegram accepted (a call answered 429 was not shown to anyone)."""
    return [
        c.params["text"]
        for c in tg.calls_to("sendMessage", AGENT)
        if c.result is not None and c.params["text"].startswith(f"<b>Scan #{scan_id}")
    ]


async def test_a_worker_killed_between_storing_and_sending_the_result_is_covered_for(
    make_stack: StackFactory, tmp_path: Path
) -> None:
    async with make_stack(reader=None) as stack:
        tg = stack.telegram
        log = tmp_path / "worker.log"
        first = start_worker_process(stack, log)
        second = None
        try:
            tg.send_photo(AGENT, png_bytes())
            await tg.wait_calls("sendMessage", 1, chat_id=AGENT, within=30)  # the bot's ack
            # The summary then waits a minute in the worker's flood limiter, like under load.
            tg.fail_next("sendMessage", retry_after=60)
            await tg.wait_calls("sendMessage", 2, chat_id=AGENT, within=30)
            scan = await stack.store.get_scan(1)
            assert scan is not None and scan.status is ScanStatus.DONE
            assert scan.delivered_at is None
            first.send_signal(signal.SIGKILL)
            first.wait()
            assert summaries(tg, 1) == [] and not documents(tg, AGENT)
            # The 429 pauses every process of the bot (bot.flood); say the minute is over.
            await stack.redis.delete(f"{FLOOD_PREFIX}:pause")

            second = start_worker_process(stack, log)
            await tg.wait_calls("sendDocument", 1, chat_id=AGENT, within=40)
            await asyncio.sleep(3)  # several recovery passes: none sends it again
            delivered = await stack.store.get_scan(1)
            assert delivered is not None and delivered.delivered_at is not None
            assert delivered.attempts == 1  # not read again: the stored result was sent
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=20)
        assert len(summaries(tg, 1)) == 1, log.read_text()
        assert [name for name, _ in documents(tg, AGENT)] == ["scan-1-passport.json"]
        assert "re-sending the answer" in log.read_text()


async def undelivered_failure(stack: Stack) -> int:
    """A scan failed with a reason (and its parameters) whose agent was never told."""
    stack.telegram.send_photo(AGENT, png_bytes())
    await stack.telegram.wait_calls("sendMessage", 1, chat_id=AGENT)
    scan = await stack.store.claim_scan(1)
    assert scan is not None
    assert await stack.store.fail_scan(
        1, "file_too_large", error_params={"size_mb": 31, "max_mb": 20}
    )
    return scan.id


async def worker_facing_an_undelivered_failure(stack: Stack) -> tuple[WorkerDeps, Scan]:
    """A worker whose recovery waits (it is called by hand), and an undelivered failed scan."""
    scan_id = await undelivered_failure(stack)
    await stack.start_worker(FixedReader(), recovery_interval_s=3600)
    assert stack.worker is not None
    scan = await stack.store.get_scan(scan_id)
    assert scan is not None
    return stack.worker.ctx["deps"], scan


async def test_a_stored_failure_is_re_sent_with_its_reason_once_by_racing_workers(
    make_stack: StackFactory,
) -> None:
    async with make_stack(reader=None) as stack:
        deps, scan = await worker_facing_an_undelivered_failure(stack)
        scan_id = scan.id
        # Two recoveries (two workers) found it at the same moment.
        await asyncio.gather(redeliver(deps, stack.redis, scan), redeliver(deps, stack.redis, scan))
        await redeliver(deps, stack.redis, scan)  # and a later pass finds it delivered
        tg = stack.telegram
        failures = [t for t in texts(tg, AGENT) if t.startswith("❌")]
        # What the first worker would have said, sizes included.
        first = failure_text("fr", 1, "file_too_large", IntakeError("file_too_large", PARAMS))
        assert failures == [first]
        assert "31" in first
        delivered = await stack.store.get_scan(scan_id)
        assert delivered is not None and delivered.delivered_at is not None


async def test_an_answer_telegram_could_not_take_is_left_for_recovery(
    make_stack: StackFactory,
) -> None:
    async with make_stack(reader=None) as stack:
        deps, scan = await worker_facing_an_undelivered_failure(stack)
        scan_id = scan.id
        tg = stack.telegram
        tg.fail_next("sendMessage", retry_after=0, times=100)  # a flood limit that holds on
        await redeliver(deps, stack.redis, scan)
        tried = len(tg.calls_to("sendMessage", AGENT))
        assert tried > 2  # the ack, then attempts that Telegram answered 429
        left = await stack.store.get_scan(scan_id)
        assert left is not None and left.delivered_at is None
        assert [s.id for s in await stack.store.undelivered_scans(timedelta(0))] == [scan_id]
        # Its claim stays fresh for a lease's time: no other recovery sends meanwhile.
        await redeliver(deps, stack.redis, scan)
        assert len(tg.calls_to("sendMessage", AGENT)) == tried
