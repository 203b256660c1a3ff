"""/forget: an agent deletes all their scans and results (after a confirmation button).

The deletion is logged and audited with the count only; the agent keeps their access.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.access import require_agent
from bot.corrections import forget_pending
from bot.deps import Context, get_deps
from papiers.i18n import N_, translate

logger = logging.getLogger(__name__)

FORGET: Final = "forget"  # forget:yes / forget:no


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("forget", forget))
    application.add_handler(CallbackQueryHandler(forget_answer, pattern=f"^{FORGET}:"))


def confirmation_keyboard(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    translate(language, N_("🗑️ Yes, delete everything")),
                    callback_data=f"{FORGET}:yes",
                ),
                InlineKeyboardButton(
                    translate(language, N_("Keep my scans")), callback_data=f"{FORGET}:no"
                ),
            ]
        ]
    )


async def forget(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    message = update.effective_message
    if agent is None or message is None:
        return
    text = translate(
        agent.language,
        N_(
            "Delete all your scans and their results? This cannot be undone. Your access to "
            "the bot is kept."
        ),
    )
    await message.reply_text(text, reply_markup=confirmation_keyboard(agent.language))


async def forget_answer(update: Update, context: Context) -> None:
    query = update.callback_query
    agent = await require_agent(update, context)
    if agent is None or query is None or query.data is None:
        return
    if query.data != f"{FORGET}:yes":
        await query.answer()
        await _replace(query.edit_message_text, translate(agent.language, N_("Nothing deleted.")))
        return
    deps = get_deps(context)
    deleted = await deps.store.delete_user_scans(agent.user_id)
    await forget_pending(context, agent.user_id)
    await deps.store.add_audit(agent.user_id, "forget", str(agent.user_id), {"scans": deleted})
    logger.info("forget: %s scans deleted at their agent's request", deleted)
    await query.answer()
    text = translate(agent.language, N_("{count} scans deleted."), count=deleted)
    await _replace(query.edit_message_text, text)


async def _replace(edit: Callable[[str], Awaitable[object]], text: str) -> None:
    try:
        await edit(text)
    except TelegramError as error:
        logger.info("forget: message not edited (%s)", type(error).__name__)
