"""The whole Telegram side running in-process for tests: fake Bot API, real PTB bot, real Redis,
real arq worker, real store (SQLite in a temp dir), and a reader of the test's choice."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arq import Worker
from arq.connections import ArqRedis
from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application

from bot.app import build_application, start_application
from jobs.queue import connect
from jobs.reader import Reader
from jobs.worker import create_worker, stop_worker
from papiers.settings import Settings
from papiers.store import SqlStore, open_store
from tests.fakes.telegram import TOKEN, FakeTelegram

AGENT = 111
OTHER_AGENT = 222
STRANGER = 555
ADMIN = 999


def stack_settings(
    telegram: FakeTelegram, redis_url: str, database: Path, **overrides: Any
) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": SecretStr(TOKEN),
        "telegram_base_url": telegram.base_url,
        "telegram_base_file_url": telegram.base_file_url,
        "redis_url": redis_url,
        "database_url": str(database),
        "allowed_user_ids": [AGENT, OTHER_AGENT],
        "admin_ids": [ADMIN],
        "default_language": "fr",
        "user_rate_limit_per_minute": 30,
        "job_timeout_s": 60,
        "max_tries": 3,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def eventually(condition: Callable[[], bool], within: float = 10.0) -> None:
    """Wait until `condition()` holds, for state that has no event to wait on."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - arq and the reader expose no event for these
            await asyncio.sleep(0.01)


@dataclass
class Stack:
    telegram: FakeTelegram
    settings: Settings
    store: SqlStore
    redis: ArqRedis
    application: Application[Any, Any, Any, Any, Any, Any]
    worker: Worker | None
    worker_task: asyncio.Task[None] | None
    album_delay_s: float = 0.4

    async def start_worker(self, reader: Reader, recovery_interval_s: float = 0.5) -> None:
        self.worker = create_worker(
            self.settings,
            store=self.store,
            reader=reader,
            recovery_interval_s=recovery_interval_s,
            recovery_grace_s=2.0,
            handle_signals=False,
        )
        self.worker_task = asyncio.create_task(self.worker.async_run())
        worker = self.worker
        await eventually(lambda: "deps" in worker.ctx)  # on_startup has run

    async def restart_bot(self) -> None:
        """Stop the bot process's application and start a fresh one (nothing kept in memory),
        on the same Redis, database and Bot API."""
        await stop_application(self.application)
        self.application = build_application(
            self.settings, store=self.store, redis=self.redis, album_delay_s=self.album_delay_s
        )
        await start_polling(self.application)

    async def stop_worker(self) -> None:
        if self.worker is not None:
            await stop_worker(self.worker, grace_s=5)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                assert self.worker_task is not None
                await self.worker_task
        self.worker = self.worker_task = None


async def start_polling(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await start_application(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
    )


async def stop_application(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert application.updater is not None
    await application.updater.stop()
    await application.bot_data["deps"].albums.close()
    await application.stop()
    await application.shutdown()


@contextlib.asynccontextmanager
async def running_stack(
    tmp_path: Path,
    redis_url: str,
    *,
    reader: Reader | None,
    album_delay_s: float = 0.4,
    **overrides: Any,
) -> AsyncIterator[Stack]:
    """Start everything (the worker only when `reader` is given); stop it all afterwards."""
    telegram = FakeTelegram()
    await telegram.start()
    settings = stack_settings(telegram, redis_url, tmp_path / "papiers.sqlite3", **overrides)
    store = await open_store(settings.database_url)
    redis = await connect(settings.redis_url)
    application = build_application(settings, store=store, redis=redis, album_delay_s=album_delay_s)
    stack = Stack(telegram, settings, store, redis, application, None, None, album_delay_s)
    await start_polling(application)
    try:
        if reader is not None:
            await stack.start_worker(reader)
        yield stack
    finally:
        await stack.stop_worker()
        await stop_application(stack.application)
        await redis.aclose()
        await store.close()
        await telegram.stop()
