"""Webhook mode through `serve()`: the secret path and header, setWebhook, /healthz and /metrics."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.runner import serve
from bot.webhook import SECRET_HEADER, webhook_path
from papiers.settings import Settings
from papiers.store import open_store
from tests.bot.helpers import png_bytes, texts
from tests.fakes.readers import FixedReader
from tests.fakes.redis_server import RedisServer, free_port
from tests.fakes.stack import AGENT, stack_settings
from tests.fakes.telegram import FakeTelegram

PUBLIC_URL = "https://papiers.example.org"
SECRET = "s3cret-Token_for-tests"


@dataclass
class Served:
    telegram: FakeTelegram
    settings: Settings
    base: str  # http://127.0.0.1:<port>
    session: aiohttp.ClientSession

    @property
    def hook(self) -> str:
        return self.base + webhook_path(SECRET)

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with self.session.post(self.hook, json=update, headers=headers) as response:
            return response.status

    async def get(self, path: str) -> tuple[int, str]:
        async with self.session.get(self.base + path) as response:
            return response.status, await response.text()


@contextlib.asynccontextmanager
async def serving(tmp_path: Path, redis_url: str, *, worker: bool) -> AsyncIterator[Served]:
    """`serve()` in webhook mode on a free port, with a worker when asked; cancelled afterwards."""
    telegram = FakeTelegram()
    await telegram.start()
    port = free_port()
    settings = stack_settings(
        telegram,
        redis_url,
        tmp_path / "papiers.sqlite3",
        telegram_webhook_url=PUBLIC_URL,
        telegram_webhook_secret=SECRET,
        http_host="127.0.0.1",
        http_port=port,
    )
    task = asyncio.create_task(
        serve(settings, bot=True, worker=worker, reader=FixedReader(), http=True)
    )
    try:
        await telegram.wait_calls("setWebhook", 1, within=20)
        async with aiohttp.ClientSession() as session:
            yield Served(telegram, settings, f"http://127.0.0.1:{port}", session)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await telegram.stop()


async def scans_recorded(settings: Settings) -> int:
    store = await open_store(settings.database_url)
    try:
        return len(await store.recent_scans(AGENT))
    finally:
        await store.close()


async def test_the_webhook_is_registered_with_its_secret_path_and_token(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    async with serving(tmp_path, redis_server.url, worker=False) as served:
        call = served.telegram.calls_to("setWebhook")[0]
        assert call.params["url"] == PUBLIC_URL + webhook_path(SECRET)
        assert call.params["secret_token"] == SECRET
        assert SECRET not in call.params["url"]
        assert not served.telegram.calls_to("getUpdates")  # no polling in webhook mode


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x"])
async def test_a_request_without_the_right_secret_is_refused_and_not_processed(
    tmp_path: Path, redis_server: RedisServer, secret: str | None
) -> None:
    async with serving(tmp_path, redis_server.url, worker=False) as served:
        update = served.telegram.send_photo(AGENT, png_bytes())
        assert await served.post(update, secret=secret) == 403
        await asyncio.sleep(0.5)
        assert not served.telegram.calls_to("sendMessage")
        assert not served.telegram.calls_to("getFile")
        assert await scans_recorded(served.settings) == 0


async def test_a_photo_posted_with_the_secret_is_scanned_and_answered(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    async with serving(tmp_path, redis_server.url, worker=True) as served:
        tg = served.telegram
        update = tg.send_photo(AGENT, png_bytes())
        assert await served.post(update) == 200
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT, within=20)
        assert any(text.startswith("📥") for text in texts(tg, AGENT))
        assert await scans_recorded(served.settings) == 1


async def test_a_body_that_is_not_an_update_is_refused(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    async with serving(tmp_path, redis_server.url, worker=False) as served:
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        for body in (b"not json", b"[1, 2]"):
            async with served.session.post(served.hook, data=body, headers=headers) as response:
                assert response.status == 400


async def test_healthz_is_ok_with_a_worker_and_503_when_redis_stops(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    async with serving(tmp_path, redis_server.url, worker=True) as served:
        status, body = await served.get("/healthz")
        for _ in range(100):  # until the worker's first heartbeat
            if status == 200:
                break
            await asyncio.sleep(0.1)
            status, body = await served.get("/healthz")
        assert json.loads(body) == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
        }
        redis_server.stop()
        status, body = await served.get("/healthz")
        report = json.loads(body)
        assert status == 503 and report["status"] == "down"
        assert report["checks"]["database"] == "ok"
        assert report["checks"]["redis"].startswith("down")
        redis_server.start()  # so that serve() shuts down cleanly


async def test_healthz_without_a_worker_is_503(tmp_path: Path, redis_server: RedisServer) -> None:
    async with serving(tmp_path, redis_server.url, worker=False) as served:
        status, body = await served.get("/healthz")
        assert status == 503
        assert json.loads(body)["checks"]["worker"] == "down: no worker heartbeat"
        status, body = await served.get("/healthz?ignore=worker")
        assert status == 200
        assert json.loads(body)["checks"]["worker"] == "down: no worker heartbeat"


async def test_metrics_parse_and_count_the_scan(tmp_path: Path, redis_server: RedisServer) -> None:
    async with serving(tmp_path, redis_server.url, worker=True) as served:
        tg = served.telegram
        assert await served.post(tg.send_photo(AGENT, png_bytes())) == 200
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT, within=20)
        status, text = await served.get("/metrics")
        assert status == 200
        samples = {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }
        assert samples[("papiers_scans_24h", (("status", "done"),))] == 1
        assert samples[("papiers_scans_24h_by_type", (("document_type", "passport"),))] == 1
        assert samples[("papiers_queue_depth", ())] == 0
        assert samples[("papiers_up", (("component", "redis"),))] == 1
        done = (("document_type", "passport"), ("status", "done"))
        assert samples[("papiers_scans_finished_total", done)] >= 1
