"""The Telegram front: builds the `Application` and wires every feature in one readable place.

To add a feature, write `bot/<feature>.py` with a `register(application)` function that adds its
handlers, and list the module in `FEATURES` (before `intake`, whose text handler catches the rest).
"""

from __future__ import annotations

import contextlib
import logging
from types import ModuleType
from typing import Any

from arq.connections import ArqRedis
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot import (
    admin_export,
    admin_stats,
    admin_users,
    commands,
    corrections,
    forget,
    intake,
    scans,
)
from bot.admin_access import register_admin_menus
from bot.album import DEFAULT_DELAY_S, AlbumCollector
from bot.deps import BotDeps
from bot.flood import SharedFloodLimiter
from papiers.i18n import LANGUAGES, N_, normalize_language, translate
from papiers.settings import Settings
from papiers.store import Store

logger = logging.getLogger(__name__)

FEATURES: tuple[ModuleType, ...] = (
    commands,
    scans,
    corrections,
    forget,
    admin_users,
    admin_export,
    admin_stats,
    intake,
)


def build_application(
    settings: Settings,
    *,
    store: Store,
    redis: ArqRedis,
    features: tuple[ModuleType, ...] = FEATURES,
    album_delay_s: float = DEFAULT_DELAY_S,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot for `settings`, talking to the configured Bot API server, every feature wired."""
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .rate_limiter(SharedFloodLimiter(redis))
        # Acks must not wait behind a slow update; albums and dedup do not rely on ordering.
        .concurrent_updates(32)
        .build()
    )
    albums = AlbumCollector(redis, intake.album_submitter(application), delay_s=album_delay_s)
    application.bot_data["deps"] = BotDeps(settings, store, redis, albums)
    for feature in features:
        feature.register(application)
    application.add_error_handler(log_error)
    return application


async def start_application(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Initialize (getMe), register the command menus, and start handling updates.

    Receiving updates is up to the caller: `application.updater.start_polling()` or a webhook
    feeding `application.update_queue`.
    """
    await application.initialize()
    await register_menus(application)
    await application.start()
    await application.bot_data["deps"].albums.start()


async def register_menus(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """setMyCommands in each language, and the default language for everyone else."""
    settings: Settings = application.bot_data["deps"].settings
    await register_admin_menus(application)  # admins' chats: agents' menu + admin commands
    for language in LANGUAGES:
        await application.bot.set_my_commands(commands.menu(language), language_code=language)
    await application.bot.set_my_commands(commands.menu(settings.default_language))


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The exception's type and traceback only: update contents can hold personal data.
    error = context.error
    logger.error(
        "handler failed: %s",
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error is not None else None,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    settings: Settings = context.bot_data["deps"].settings
    language = normalize_language(user.language_code if user else None, settings.default_language)
    text = translate(
        language, N_("Sorry, something went wrong on my side. Send it again in a moment.")
    )
    with contextlib.suppress(TelegramError):
        await context.bot.send_message(update.effective_chat.id, text)
