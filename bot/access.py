"""Who may use the bot, and in which language to answer them.

Agents are allowed by `ALLOWED_USER_IDS`/`ADMIN_IDS` or by an admin in the store. Anyone else gets
a polite refusal and nothing about them is stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Update

from bot.deps import BotDeps, Context, get_deps
from papiers.i18n import N_, normalize_language, translate
from papiers.store import Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Agent:
    """An allowed user writing in a chat, and the language to answer in."""

    user_id: int
    chat_id: int
    language: str
    is_admin: bool


async def resolve_agent(
    deps: BotDeps, user_id: int, chat_id: int, telegram_language: str | None
) -> Agent | None:
    """The agent for this user, or None when they are not allowed."""
    settings = deps.settings
    stored = await deps.store.get_user(user_id)
    is_admin = user_id in settings.admin_ids or (stored is not None and stored.role is Role.ADMIN)
    allowed = is_admin or user_id in settings.allowed_user_ids or bool(stored and stored.allowed)
    if not allowed:
        return None
    default = normalize_language(telegram_language, settings.default_language)
    language = (
        normalize_language(stored.language, default) if stored and stored.language else default
    )
    return Agent(user_id=user_id, chat_id=chat_id, language=language, is_admin=is_admin)


async def require_agent(update: Update, context: Context) -> Agent | None:
    """The allowed agent behind the update; refuses politely (and returns None) otherwise."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    agent = await resolve_agent(get_deps(context), user.id, chat.id, user.language_code)
    if agent is not None:
        return agent
    logger.info("refused an update from a user who is not allowed")
    language = normalize_language(user.language_code, get_deps(context).settings.default_language)
    text = translate(
        language,
        N_(
            "Sorry, this bot is reserved for authorised agents. Ask your administrator for access "
            "and give them your Telegram id: {user_id}."
        ),
        user_id=user.id,
    )
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
    return None
