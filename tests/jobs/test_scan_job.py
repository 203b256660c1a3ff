"""The `process_scan` job: retries, failures, time limits, and exactly one answer per scan."""

from __future__ import annotations

import asyncio
import logging

from extraction.errors import ProviderError
from jobs.scan_job import process_scan
from papiers.logging_setup import configure_logging
from papiers.store import ScanStatus
from tests.bot.helpers import documents, png_bytes, texts
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.stack import AGENT, eventually
from tests.fakes.telegram import TOKEN


async def test_a_transient_provider_error_is_retried_then_answered_once(
    make_stack: StackFactory,
) -> None:
    reader = FixedReader(errors=[ProviderError("providers_unavailable", transient=True)])
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes())
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT, within=15)
        assert len(reader.calls) == 2
        scan = await stack.store.get_scan(1)
        assert scan is not None and scan.status is ScanStatus.DONE and scan.attempts == 2


async def test_a_read_over_the_time_limit_fails_with_advice(make_stack: StackFactory) -> None:
    async with make_stack(reader=FixedReader(delay_s=5), job_timeout_s=1) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes())
        await tg.wait_for(lambda f: any("trop de temps" in t for t in texts(f, AGENT)))
        scan = await stack.store.get_scan(1)
        assert scan is not None and scan.status is ScanStatus.FAILED
        assert scan.error_code == "timeout"


async def test_two_runs_of_one_scan_answer_once(make_stack: StackFactory) -> None:
    reader = FixedReader()
    reader.release.clear()
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes())
        await tg.wait_for(lambda f: reader.in_flight == 1)
        assert stack.worker is not None
        ctx = {**stack.worker.ctx, "job_try": 1}
        # The queued job plus two more runs, as when a worker is wrongly thought dead.
        extra_runs = asyncio.gather(process_scan(ctx, 1), process_scan(ctx, 1))
        await eventually(lambda: reader.in_flight == 3)
        reader.release.set()
        statuses = sorted(outcome["status"] for outcome in await extra_runs)
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        await stack.stop_worker()
        assert "done" in statuses or statuses == ["superseded", "superseded"]
        assert len(documents(tg, AGENT)) == 1
        assert len([t for t in texts(tg, AGENT) if t.startswith("<b>Scan #1")]) == 1


async def test_flood_limits_are_waited_out(make_stack: StackFactory) -> None:
    async with make_stack(reader=FixedReader()) as stack:
        tg = stack.telegram
        tg.fail_next("sendDocument", retry_after=1)
        tg.send_photo(AGENT, png_bytes())
        await tg.wait_calls("sendDocument", 2, chat_id=AGENT)
        [first, second] = tg.calls_to("sendDocument", AGENT)
        assert second.at - first.at >= 1.0
        assert len(documents(tg, AGENT)) == 2  # one refused with 429, then the real one
        assert second.result is not None and first.result is None


async def test_the_bot_token_never_reaches_the_logs(make_stack: StackFactory, capfd) -> None:
    configure_logging("DEBUG")
    try:
        async with make_stack(reader=FixedReader()) as stack:
            tg = stack.telegram
            tg.send_photo(AGENT, png_bytes())
            await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        captured = capfd.readouterr()
        assert "process_scan" in captured.err  # the worker's log was captured…
        secret = TOKEN.split(":")[1]
        assert secret not in captured.err  # …without the token,
        assert "photos/file_" not in captured.err  # nor a File.file_path (which holds it)
    finally:
        logging.getLogger().setLevel(logging.WARNING)
