"""The worker keeps polling through a Redis restart instead of exiting (arq 0.28 would exit 1)."""

from __future__ import annotations

import asyncio
from typing import Any

from arq.constants import in_progress_key_prefix
from redis.exceptions import ConnectionError as RedisConnectionError

from jobs.queue import enqueue_scan
from papiers.store import ScanFile
from tests.bot.helpers import documents, png_bytes
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.redis_server import RedisServer
from tests.fakes.stack import AGENT, Stack, eventually


def dropping_watch(stack: Stack) -> list[str]:
    """Make the worker's next WATCH of an in-progress key fail as a dropped connection does."""
    assert stack.worker is not None
    pool: Any = stack.worker.pool
    original = pool.pipeline
    dropped: list[str] = []

    def pipeline(*args: Any, **kwargs: Any) -> Any:
        pipe = original(*args, **kwargs)
        real_watch = pipe.watch

        async def watch(*names: Any) -> Any:
            key = names[0].decode() if isinstance(names[0], bytes) else str(names[0])
            if key.startswith(in_progress_key_prefix + "scan:") and not dropped:
                dropped.append(key)
                raise RedisConnectionError("Connection closed by server.")
            return await real_watch(*names)

        pipe.watch = watch
        return pipe

    pool.pipeline = pipeline
    return dropped


async def test_a_connection_dropped_at_watch_does_not_stop_the_worker(
    make_stack: StackFactory,
) -> None:
    async with make_stack(reader=FixedReader(), worker_max_jobs=1) as stack:
        dropped = dropping_watch(stack)
        stack.telegram.send_photo(AGENT, png_bytes())
        await stack.telegram.wait_calls("sendDocument", 1, chat_id=AGENT, within=20)
        assert dropped == ["arq:in-progress:scan:1"]
        assert stack.worker is not None and stack.worker_task is not None
        assert not stack.worker_task.done()
        worker = stack.worker
        # The job slot arq took before the failed WATCH was given back: max_jobs=1 still runs.
        await eventually(lambda: worker.job_counter == 0)
        stack.telegram.send_photo(AGENT, png_bytes(710))
        await stack.telegram.wait_calls("sendDocument", 2, chat_id=AGENT, within=20)


async def test_the_worker_outlives_a_redis_restart_and_reads_the_next_scan(
    make_stack: StackFactory, redis_server: RedisServer
) -> None:
    async with make_stack(reader=FixedReader()) as stack:
        assert stack.worker_task is not None
        redis_server.stop()
        await asyncio.sleep(2.0)  # several polls fail meanwhile
        assert not stack.worker_task.done()
        redis_server.start()
        # A scan recorded and queued after the restart (as the bot does) is read and answered.
        scan, _ = await stack.store.create_scan(
            user_id=AGENT,
            chat_id=AGENT,
            language="fr",
            idempotency_key="after-restart",
            files=[ScanFile(stack.telegram.add_file(png_bytes()).file_id, "U1", "photo")],
        )
        assert await enqueue_scan(stack.redis, scan.id)
        await stack.telegram.wait_calls("sendDocument", 1, chat_id=AGENT, within=30)
        assert not stack.worker_task.done()
        assert [name for name, _ in documents(stack.telegram, AGENT)] == [
            f"scan-{scan.id}-passport.json"
        ]
