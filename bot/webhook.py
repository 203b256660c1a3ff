"""The HTTP side of every process: `/healthz`, `/metrics`, and in webhook mode Telegram's updates.

Webhook mode (TELEGRAM_WEBHOOK_URL set): Telegram POSTs each update to a path derived from the
secret, with the secret in `X-Telegram-Bot-Api-Secret-Token` (Bot API `setWebhook.secret_token`).
A request without it gets 403 and is not processed; a good one goes to PTB's `update_queue` and is
acknowledged at once (Telegram waits for the answer before it sends the next update).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any, Final

from aiohttp import web
from redis.asyncio import Redis
from telegram import Update
from telegram.ext import Application

from papiers import health
from papiers.metrics import CONTENT_TYPE, MetricsPage
from papiers.settings import Settings
from papiers.store import Store

logger = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
# Bot API: secret_token is 1-256 characters from A-Z, a-z, 0-9, _ and -.
_SECRET_FORMAT: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
MAX_UPDATE_BYTES: Final = 1024 * 1024  # updates carry file ids, never the files themselves


def webhook_secret(settings: Settings) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the bot token (stable across machines)."""
    if settings.telegram_webhook_secret is not None:
        secret = settings.telegram_webhook_secret.get_secret_value()
        if not _SECRET_FORMAT.fullmatch(secret):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET: 1-256 characters among A-Z a-z 0-9 _ -")
        return secret
    token = settings.telegram_bot_token.get_secret_value()
    return hashlib.sha256(f"papiers-webhook:{token}".encode()).hexdigest()


def webhook_path(secret: str) -> str:
    """The secret path updates are posted to (a hash: the path alone does not reveal the secret)."""
    return "/telegram/" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def webhook_url(settings: Settings) -> str:
    """The URL given to Telegram: TELEGRAM_WEBHOOK_URL (the public base) + the secret path."""
    base = (settings.telegram_webhook_url or "").rstrip("/")
    return base + webhook_path(webhook_secret(settings))


AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def build_http_app(
    *, store: Store, redis: Redis, application: AnyApplication | None, secret: str | None
) -> web.Application:
    """The routes: /healthz, /metrics, and the webhook when `application` and `secret` are given."""
    metrics = MetricsPage(store, redis)

    async def healthz(request: web.Request) -> web.Response:
        # `?ignore=worker`: the bot's routing check, so agents still get acks while workers restart.
        ignored = [name for name in request.query.get("ignore", "").split(",") if name]
        report = (await health.check(store, redis)).ignoring(ignored)
        return web.json_response(report.as_json(), status=200 if report.ok else 503)

    async def metrics_page(_: web.Request) -> web.Response:
        body = await metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    if application is not None and secret is not None:
        app.router.add_post(webhook_path(secret), _update_receiver(application, secret))
    return app


def _update_receiver(application: AnyApplication, secret: str) -> Any:
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            logger.warning("webhook request refused: missing or wrong secret token")
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot) if isinstance(data, dict) else None
        except (ValueError, KeyError, TypeError):  # not JSON, or not an update
            update = None
        if update is None:
            logger.warning("webhook request refused: not a Telegram update")
            return web.Response(status=400)
        await application.update_queue.put(update)
        return web.Response()

    return receive


class OpsServer:
    """Serves the routes on HTTP_HOST:HTTP_PORT, with its own short-timeout Redis client.

    The queue's Redis pool retries through a restart for ~30 s; a health probe must answer sooner.
    """

    def __init__(
        self, settings: Settings, *, store: Store, application: AnyApplication | None = None
    ) -> None:
        self._settings = settings
        self._store = store
        self._application = application
        self._runner: web.AppRunner | None = None
        self._redis: Redis | None = None
        self.port = settings.http_port

    async def start(self) -> None:
        """Listen; in webhook mode, register the webhook with Telegram once listening."""
        settings = self._settings
        webhook = self._application is not None and bool(settings.telegram_webhook_url)
        secret = webhook_secret(settings) if webhook else None
        self._redis = Redis.from_url(
            settings.redis_url, socket_connect_timeout=1.0, socket_timeout=2.0
        )
        app = build_http_app(
            store=self._store,
            redis=self._redis,
            application=self._application if webhook else None,
            secret=secret,
        )
        # No access log: the webhook's path is a secret.
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, settings.http_host, settings.http_port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        logger.info("serving /healthz and /metrics on port %s", self.port)
        if webhook and self._application is not None and secret is not None:
            await register_webhook(self._application, webhook_url(settings), secret)

    async def stop(self) -> None:
        """Stop listening (the webhook stays registered: the next machine up takes it over)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None


async def register_webhook(application: AnyApplication, url: str, secret: str) -> None:
    """setWebhook with the secret token; updates queued meanwhile are kept, not dropped."""
    await application.bot.set_webhook(
        url, secret_token=secret, allowed_updates=Update.ALL_TYPES, max_connections=40
    )
    logger.info("webhook registered")
