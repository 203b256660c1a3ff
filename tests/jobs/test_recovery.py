"""Nothing is lost and nothing is answered twice when a worker dies or Redis restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from papiers.store import ScanStatus
from tests.bot.helpers import documents, png_bytes, texts
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.redis_server import RedisServer
from tests.fakes.stack import AGENT, Stack

ROOT = Path(__file__).resolve().parents[2]


def start_worker_process(stack: Stack, log: Path) -> subprocess.Popen[bytes]:
    settings = stack.settings
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": settings.telegram_bot_token.get_secret_value(),
        "TELEGRAM_BASE_URL": settings.telegram_base_url,
        "TELEGRAM_BASE_FILE_URL": settings.telegram_base_file_url,
        "REDIS_URL": settings.redis_url,
        "DATABASE_URL": settings.database_url,
        "JOB_TIMEOUT_S": "60",
        "MAX_TRIES": "3",
        "READ_DELAY_S": "2",
    }
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.jobs.worker_process"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


async def test_a_worker_killed_mid_scan_is_replaced_and_the_scan_answered_once(
    make_stack: StackFactory, tmp_path: Path
) -> None:
    async with make_stack(reader=None) as stack:
        tg = stack.telegram
        log = tmp_path / "worker.log"
        first = start_worker_process(stack, log)
        try:
            tg.send_photo(AGENT, png_bytes())
            await tg.wait_for(
                lambda f: any(t.startswith("⏳") for t in texts(f, AGENT, "editMessageText")),
                within=30,
            )
            first.send_signal(signal.SIGKILL)  # mid-read: the reader takes 2 s
            first.wait()
            assert not tg.calls_to("sendDocument")

            second = start_worker_process(stack, log)
            try:
                await tg.wait_calls("sendDocument", 1, chat_id=AGENT, within=40)
                scan = await stack.store.get_scan(1)
                assert scan is not None and scan.status is ScanStatus.DONE
                assert scan.attempts == 2
            finally:
                second.send_signal(signal.SIGTERM)
                second.wait(timeout=20)
        finally:
            if first.poll() is None:
                first.kill()
        assert len(documents(tg, AGENT)) == 1
        assert len([t for t in texts(tg, AGENT) if t.startswith("<b>Scan #1")]) == 1
        assert second.returncode == 0, log.read_text()
        assert "its worker stopped" in log.read_text()  # recovery freed it, arq did not time out


async def test_a_redis_restart_loses_no_scan(
    make_stack: StackFactory, redis_server: RedisServer
) -> None:
    reader = FixedReader()
    reader.release.clear()
    async with make_stack(reader=reader, worker_max_jobs=1) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes(700))
        await tg.wait_for(lambda f: len(reader.calls) == 1)  # scan 1 is being read
        tg.send_photo(AGENT, png_bytes(710))  # scan 2 waits in the Redis queue
        await tg.wait_for(lambda f: len([t for t in texts(f, AGENT) if "📥" in t]) == 2)

        redis_server.restart()  # the queue and every arq key are gone
        reader.release.set()
        await tg.wait_calls("sendDocument", 2, chat_id=AGENT, within=30)
        tg.send_photo(AGENT, png_bytes(720))  # and the bot still takes new scans
        await tg.wait_calls("sendDocument", 3, chat_id=AGENT, within=30)

    names = sorted(name for name, _ in documents(tg, AGENT))
    assert names == [f"scan-{n}-passport.json" for n in (1, 2, 3)]


async def test_a_scan_that_keeps_killing_workers_is_failed_with_a_reason(
    make_stack: StackFactory,
) -> None:
    async with make_stack(reader=None) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes())
        await tg.wait_calls("sendMessage", 1, chat_id=AGENT)
        for _ in range(stack.settings.max_tries):  # as if three workers died reading it
            await stack.store.claim_scan(1)
        await stack.start_worker(FixedReader())
        await tg.wait_for(lambda f: any("abandonné" in t for t in texts(f, AGENT)))
        scan = await stack.store.get_scan(1)
        assert scan is not None and scan.status is ScanStatus.FAILED
        assert scan.error_code == "too_many_attempts"
        assert not tg.calls_to("sendDocument")
