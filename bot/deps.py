"""What the bot's handlers share, kept in `application.bot_data["deps"]`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from arq.connections import ArqRedis
from telegram.ext import ContextTypes

from papiers.settings import Settings
from papiers.store import Store

if TYPE_CHECKING:
    from bot.album import AlbumCollector

Context = ContextTypes.DEFAULT_TYPE


@dataclass
class BotDeps:
    settings: Settings
    store: Store
    redis: ArqRedis
    albums: AlbumCollector


def get_deps(context: Context | Any) -> BotDeps:
    """The shared dependencies from a handler's context."""
    return cast(BotDeps, context.bot_data["deps"])
