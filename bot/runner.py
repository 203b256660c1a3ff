"""The long-running processes: the bot (polling or webhook), the worker, or both in one process.

Each also serves /healthz and /metrics on HTTP_PORT (bot/webhook.py), where fly.io checks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal

from telegram import Update

from bot.app import build_application, start_application
from bot.deps import BotDeps
from bot.webhook import OpsServer, webhook_secret
from jobs.lease import LEASE_TTL_S
from jobs.queue import connect
from jobs.reader import Reader
from jobs.recovery import RECENT_S
from jobs.worker import check_health, create_worker, stop_worker
from papiers.logging_setup import configure_logging
from papiers.settings import Settings, get_settings
from papiers.store import Store

logger = logging.getLogger(__name__)


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def _open_store(settings: Settings) -> Store:
    from papiers.store import open_store

    store = await open_store(settings.database_url)
    await store.migrate()
    return store


async def serve(
    settings: Settings,
    *,
    bot: bool = True,
    worker: bool = True,
    reader: Reader | None = None,
    recovery_interval_s: float = 30.0,
    recovery_grace_s: float = RECENT_S,
    lease_ttl_s: float = LEASE_TTL_S,
    http: bool = False,
) -> None:
    """Run the bot and/or the worker until SIGINT/SIGTERM; `http` serves /healthz and /metrics.

    The bot takes updates from a webhook when TELEGRAM_WEBHOOK_URL is set (HTTP on), else polls.
    """
    stop = _stop_event()
    store = await _open_store(settings)
    redis = await connect(settings.redis_url)
    arq_worker = (
        create_worker(
            settings,
            store=store,
            reader=reader,
            recovery_interval_s=recovery_interval_s,
            recovery_grace_s=recovery_grace_s,
            lease_ttl_s=lease_ttl_s,
            handle_signals=False,
        )
        if worker
        else None
    )
    application = build_application(settings, store=store, redis=redis) if bot else None
    webhook = application is not None and bool(settings.telegram_webhook_url)
    ops = (
        OpsServer(settings, store=store, application=application if webhook else None)
        if http or webhook
        else None
    )
    try:
        if application is not None:
            await start_application(application)
            if not webhook:
                assert application.updater is not None
                await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
                logger.info("bot polling")
        if ops is not None:
            await ops.start()  # in webhook mode: listening first, then setWebhook
        worker_task = asyncio.create_task(arq_worker.async_run()) if arq_worker else None
        stopping = asyncio.create_task(stop.wait())
        waiting = {stopping} | ({worker_task} if worker_task else set())
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if worker_task in done and worker_task is not None:
            worker_task.result()  # the worker stopped on its own: surface why
        stopping.cancel()
    finally:
        if ops is not None:
            await ops.stop()
        if application is not None:
            deps: BotDeps = application.bot_data["deps"]
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await deps.albums.close()
            if application.running:
                await application.stop()
            await application.shutdown()
        if arq_worker is not None:
            await stop_worker(arq_worker)
        await redis.aclose()
        await store.close()


def load_reader(spec: str, settings: Settings) -> Reader:
    """`package.module:factory` → `factory(settings)`, a reader replacing the pipeline."""
    module_name, _, attribute = spec.partition(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    reader: Reader = factory(settings)
    return reader


def run_service(name: str, *, reader: str | None = None, check: bool = False) -> int:
    """Run `bot`, `worker` or `run` (both) until stopped; 0 on a clean stop."""
    settings = get_settings()
    configure_logging(
        settings.log_level,
        json_lines=settings.log_json,
        secrets=[settings.telegram_bot_token.get_secret_value(), webhook_secret(settings)],
    )
    if check:
        return 0 if asyncio.run(check_health(settings)) else 1
    if name in ("bot", "run") and not settings.telegram_bot_token.get_secret_value():
        logger.error("TELEGRAM_BOT_TOKEN is not set")
        return 2
    if not settings.allowed_user_ids and not settings.admin_ids:
        logger.warning("ALLOWED_USER_IDS and ADMIN_IDS are empty: only users allowed in the store")
    chosen = load_reader(reader, settings) if reader else None
    asyncio.run(
        serve(
            settings,
            bot=name in ("bot", "run"),
            worker=name in ("worker", "run"),
            reader=chosen,
            http=True,
        )
    )
    return 0
