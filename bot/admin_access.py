"""Who is an admin (`ADMIN_IDS`, or promoted in the store), the refusal everyone else gets, and
the admin command menu, shown only in admins' own chats (setMyCommands with a chat scope)."""

from __future__ import annotations

import logging
from typing import Any, Final

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, ExtBot

from bot import commands
from bot.access import Agent, require_agent
from bot.deps import Context, get_deps
from papiers.i18n import LANGUAGES, N_, translate
from papiers.settings import Settings
from papiers.store import Role, Store

logger = logging.getLogger(__name__)

ADMIN_MENU: Final = (
    ("export", N_("Export scans: /export csv 2026-01-01 2026-01-31")),
    ("stats", N_("Statistics: /stats 7d, /stats 30d")),
    ("users", N_("Agents and administrators")),
    ("allow", N_("Allow an agent: /allow 123456")),
    ("revoke", N_("Remove an agent's access: /revoke 123456")),
    ("promote", N_("Make an agent administrator: /promote 123456")),
    ("audit", N_("The latest administrator actions")),
)


async def require_admin(update: Update, context: Context) -> Agent | None:
    """The admin behind the update; anyone else gets a polite refusal and None."""
    agent = await require_agent(update, context)
    if agent is None or agent.is_admin:
        return agent
    logger.info("refused an admin command to an agent")
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            translate(agent.language, N_("This command is reserved for administrators."))
        )
    return None


def admin_menu(language: str) -> list[BotCommand]:
    """The agents' menu followed by the admin commands, in one language."""
    extra = [BotCommand(name, translate(language, text)) for name, text in ADMIN_MENU]
    return [*commands.menu(language), *extra]


async def admin_ids(settings: Settings, store: Store) -> set[int]:
    """Admins from the configuration and from the store."""
    promoted = {user.user_id for user in await store.list_users() if user.role is Role.ADMIN}
    return set(settings.admin_ids) | promoted


async def show_admin_menu(bot: ExtBot[Any] | Any, user_id: int, default_language: str) -> None:
    """Give one admin's private chat the admin menu (per language, and a default)."""
    scope = BotCommandScopeChat(user_id)
    try:
        for language in LANGUAGES:
            await bot.set_my_commands(admin_menu(language), scope=scope, language_code=language)
        await bot.set_my_commands(admin_menu(default_language), scope=scope)
    except TelegramError as error:  # a chat that never started the bot: it gets it later
        logger.info("admin menu not set (%s)", type(error).__name__)


async def hide_admin_menu(bot: ExtBot[Any] | Any, user_id: int) -> None:
    """Back to the agents' menu in this chat (the chat scope is deleted)."""
    scope = BotCommandScopeChat(user_id)
    try:
        for language in LANGUAGES:
            await bot.delete_my_commands(scope=scope, language_code=language)
        await bot.delete_my_commands(scope=scope)
    except TelegramError as error:
        logger.info("admin menu not removed (%s)", type(error).__name__)


async def register_admin_menus(application: Application) -> None:  # type: ignore[type-arg]
    """At start-up: every admin's chat gets the admin menu."""
    deps = get_deps(application)
    for user_id in sorted(await admin_ids(deps.settings, deps.store)):
        await show_admin_menu(application.bot, user_id, deps.settings.default_language)
