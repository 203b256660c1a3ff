"""Corrections and confirmation in chat, from the buttons under each result.

✏️ → choose the field → send the value → checked with the type's rules → stored with
`source: "user"` (the previous value goes to the scan's history) → summary and JSON sent again.
✅ → the scan is marked reviewed (exports show it). Only the scan's own agent may do either.

The field awaiting a value is kept in Redis for 10 minutes, not in the bot's memory: a value sent
after a bot restart, or to another bot process behind the same webhook, is still taken.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Final

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.access import Agent, require_agent
from bot.deps import Context, get_deps
from bot.keyboards import parse_scan_id
from bot.review_keyboards import (
    CONFIRM,
    CORRECT,
    CORRECT_CANCEL,
    CORRECT_FIELD,
    cancel_button,
    field_keyboard,
    parse_field_choice,
    review_keyboard,
)
from bot.summary import escape, json_filename, result_text
from extraction.models import DocumentType, ScanResult
from jobs.queue import CORRECTION_PREFIX
from papiers.corrections import CorrectionRefused, apply_correction
from papiers.i18n import N_, translate
from papiers.store import Scan
from papiers.summary import field_label

logger = logging.getLogger(__name__)

PENDING_TTL_S: Final = 600  # a field chosen more than 10 minutes ago no longer awaits a value
# Runs before the other features' text handlers (group 0): a value awaited is not a chat message.
VALUE_GROUP: Final = -1


@dataclass(frozen=True)
class PendingCorrection:
    scan_id: int
    field: str


async def _remember(context: Context, user_id: int, pending: PendingCorrection) -> None:
    payload = json.dumps({"scan_id": pending.scan_id, "field": pending.field})
    await get_deps(context).redis.set(CORRECTION_PREFIX + str(user_id), payload, ex=PENDING_TTL_S)


async def _awaited(context: Context, user_id: int) -> PendingCorrection | None:
    payload = await get_deps(context).redis.get(CORRECTION_PREFIX + str(user_id))
    if payload is None:
        return None
    stored = json.loads(payload)
    return PendingCorrection(int(stored["scan_id"]), str(stored["field"]))


async def forget_pending(context: Context, user_id: int) -> None:
    """No value awaited from `user_id` any more (cancelled, done, or their data deleted)."""
    await get_deps(context).redis.delete(CORRECTION_PREFIX + str(user_id))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(choose_field, pattern=f"^{CORRECT}:"))
    application.add_handler(CallbackQueryHandler(await_value, pattern=f"^{CORRECT_FIELD}:"))
    application.add_handler(CallbackQueryHandler(cancel_correction, pattern=f"^{CORRECT_CANCEL}:"))
    application.add_handler(CallbackQueryHandler(confirm, pattern=f"^{CONFIRM}:"))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, receive_value), group=VALUE_GROUP
    )


async def _own_result(
    update: Update, context: Context, prefix: str
) -> tuple[Agent, Scan, ScanResult] | None:
    """The agent and their finished scan named by the pressed button, or None (answered)."""
    query = update.callback_query
    agent = await require_agent(update, context)
    if agent is None or query is None or query.data is None:
        return None
    if prefix == CORRECT_FIELD:
        choice = parse_field_choice(query.data)
        scan_id = choice[0] if choice else None
    else:
        scan_id = parse_scan_id(query.data, prefix)
    scan = await get_deps(context).store.get_scan(scan_id) if scan_id else None
    if scan is None or scan.user_id != agent.user_id or not scan.result_json:
        await query.answer(translate(agent.language, N_("This result is no longer available.")))
        return None
    result = ScanResult.model_validate_json(scan.result_json)
    if result.document_type is DocumentType.UNKNOWN:
        await query.answer(translate(agent.language, N_("This result is no longer available.")))
        return None
    return agent, scan, result


async def choose_field(update: Update, context: Context) -> None:
    """✏️ pressed: ask which field to correct."""
    found = await _own_result(update, context, CORRECT)
    if found is None or update.callback_query is None:
        return
    agent, scan, result = found
    await update.callback_query.answer()
    text = translate(agent.language, N_("Which field of scan #{number}?"), number=scan.id)
    keyboard = field_keyboard(scan.id, result.document_type, list(result.fields), agent.language)
    await context.bot.send_message(agent.chat_id, text, reply_markup=keyboard)


async def await_value(update: Update, context: Context) -> None:
    """A field chosen: remember it and ask for its value."""
    found = await _own_result(update, context, CORRECT_FIELD)
    query = update.callback_query
    if found is None or query is None or query.data is None:
        return
    agent, scan, result = found
    choice = parse_field_choice(query.data)
    if choice is None or choice[1] not in result.fields:
        await query.answer(translate(agent.language, N_("This field cannot be corrected.")))
        return
    field = choice[1]
    await query.answer()
    await _remember(context, agent.user_id, PendingCorrection(scan.id, field))
    current = result.fields[field].value
    text = translate(
        agent.language,
        N_("Send the new value of “{field}” (now: {value})."),
        field=field_label(field, agent.language, result.document_type),
        value=current if current is not None else "—",
    )
    markup = InlineKeyboardMarkup([[cancel_button(scan.id, agent.language)]])
    await context.bot.send_message(agent.chat_id, text, reply_markup=markup)


async def cancel_correction(update: Update, context: Context) -> None:
    query = update.callback_query
    agent = await require_agent(update, context)
    if agent is None or query is None:
        return
    await forget_pending(context, agent.user_id)
    await query.answer(translate(agent.language, N_("Correction cancelled.")))


async def receive_value(update: Update, context: Context) -> None:
    """The value of the field being corrected; any other text goes on to the next handlers."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None:
        return
    pending = await _awaited(context, user.id)
    if pending is None:
        return
    agent = await require_agent(update, context)
    if agent is None:
        return
    await _correct(context, agent, pending, message.text)
    raise ApplicationHandlerStop


async def _correct(context: Context, agent: Agent, pending: PendingCorrection, text: str) -> None:
    store = get_deps(context).store
    scan = await store.get_scan(pending.scan_id)
    if scan is None or scan.user_id != agent.user_id or not scan.result_json:
        await forget_pending(context, agent.user_id)
        no_longer = translate(agent.language, N_("This result is no longer available."))
        await context.bot.send_message(agent.chat_id, no_longer)
        return
    result = ScanResult.model_validate_json(scan.result_json)
    try:
        corrected = apply_correction(
            result, pending.field, text, today=date.today(), language=agent.language
        )
    except CorrectionRefused as refused:
        logger.info("scan %s: correction of %s refused", scan.id, pending.field)
        again = translate(agent.language, N_("Send another value, or press Cancel."))
        reply = "\n".join(["❌ " + reason for reason in refused.reasons] + [again])
        markup = InlineKeyboardMarkup([[cancel_button(scan.id, agent.language)]])
        await context.bot.send_message(agent.chat_id, reply, reply_markup=markup)
        return
    await forget_pending(context, agent.user_id)
    await store.record_correction(
        scan.id,
        field=pending.field,
        old_value=None if corrected.old_value is None else str(corrected.old_value),
        new_value=None if corrected.new_value is None else str(corrected.new_value),
        user_id=agent.user_id,
        result_json=corrected.result.to_json(),
    )
    logger.info("scan %s: field %s corrected (%s)", scan.id, pending.field, corrected.status)
    await send_result(context, agent, scan, corrected.result)


async def send_result(context: Context, agent: Agent, scan: Scan, result: ScanResult) -> None:
    """The summary with its buttons, then the JSON file, as after a reading."""
    done = translate(agent.language, N_("✏️ Scan #{number} corrected."), number=scan.id)
    text = escape(done) + "\n\n" + result_text(agent.language, scan.id, result)
    await context.bot.send_message(
        agent.chat_id,
        text[:4096],
        parse_mode=ParseMode.HTML,
        reply_markup=review_keyboard(scan.id, agent.language, reviewed=scan.reviewed),
    )
    payload = result.model_dump_json(by_alias=True, indent=2).encode()
    filename = json_filename(scan.id, result.document_type.value)
    await context.bot.send_document(agent.chat_id, document=payload, filename=filename)


async def confirm(update: Update, context: Context) -> None:
    """✅ pressed: the agent vouches for the result; the scan is marked reviewed."""
    found = await _own_result(update, context, CONFIRM)
    query = update.callback_query
    if found is None or query is None:
        return
    agent, scan, _ = found
    await get_deps(context).store.mark_reviewed(scan.id)
    logger.info("scan %s: confirmed by its agent", scan.id)
    await query.answer(translate(agent.language, N_("Scan #{number} confirmed."), number=scan.id))
    if query.message is not None:
        try:
            await query.edit_message_reply_markup(
                review_keyboard(scan.id, agent.language, reviewed=True)
            )
        except TelegramError as error:  # an old message: the flag is stored all the same
            logger.info("scan %s: keyboard not updated (%s)", scan.id, type(error).__name__)
