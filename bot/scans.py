"""/status, /history and /cancel, and the buttons under scans (re-send JSON, choose the type)."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.access import require_agent
from bot.deps import Context, get_deps
from bot.keyboards import RESEND_JSON, RETYPE, history_keyboard, parse_retype, parse_scan_id
from bot.submit import submit_scan
from bot.summary import json_filename
from extraction.models import DocumentType
from papiers.i18n import N_, translate
from papiers.store import Scan, ScanStatus
from papiers.summary import document_name

STATUS_MARKS = {
    ScanStatus.QUEUED: "🕒",
    ScanStatus.PROCESSING: "⏳",
    ScanStatus.DONE: "✅",
    ScanStatus.FAILED: "❌",
    ScanStatus.CANCELLED: "🚫",
}
STATUS_NAMES = {
    ScanStatus.QUEUED: N_("queued"),
    ScanStatus.PROCESSING: N_("reading"),
    ScanStatus.DONE: N_("done"),
    ScanStatus.FAILED: N_("failed"),
    ScanStatus.CANCELLED: N_("cancelled"),
}


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("status", status))
    application.add_handler(CommandHandler("history", history))
    application.add_handler(CommandHandler("cancel", cancel))
    application.add_handler(CallbackQueryHandler(resend_json, pattern=f"^{RESEND_JSON}:"))
    application.add_handler(CallbackQueryHandler(retype, pattern=f"^{RETYPE}:"))


def _age(scan: Scan, language: str) -> str:
    seconds = max(0, int((datetime.now(UTC) - scan.created_at).total_seconds()))
    if seconds < 120:
        return translate(language, N_("{seconds} s ago"), seconds=seconds)
    return translate(language, N_("{minutes} min ago"), minutes=seconds // 60)


async def status(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    message = update.effective_message
    if agent is None or message is None:
        return
    store = get_deps(context).store
    pending = await store.pending_scans(agent.user_id)
    if not pending:
        await message.reply_text(translate(agent.language, N_("You have no scan in progress.")))
        return
    lines = [translate(agent.language, N_("Your scans in progress:"))]
    for scan in pending:
        ahead = await store.queue_position(scan.id)
        lines.append(
            translate(
                agent.language,
                N_("{mark} #{number} {state}, {ahead} ahead, received {age}"),
                mark=STATUS_MARKS[scan.status],
                number=scan.id,
                state=translate(agent.language, STATUS_NAMES[scan.status]),
                ahead=ahead,
                age=_age(scan, agent.language),
            )
        )
    await message.reply_text("\n".join(lines))


async def history(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    message = update.effective_message
    if agent is None or message is None:
        return
    scans = await get_deps(context).store.recent_scans(agent.user_id, limit=10)
    if not scans:
        await message.reply_text(translate(agent.language, N_("You have not sent any scan yet.")))
        return
    lines = [translate(agent.language, N_("Your last scans:"))]
    for scan in scans:
        document = (
            document_name(DocumentType(scan.document_type), agent.language)
            if scan.document_type
            else "—"
        )
        when = scan.created_at.strftime("%Y-%m-%d %H:%M")
        state = translate(agent.language, STATUS_NAMES[scan.status])
        lines.append(f"{STATUS_MARKS[scan.status]} #{scan.id} {when} · {document} · {state}")
    with_json = [s.id for s in scans if s.status is ScanStatus.DONE and s.result_json]
    await message.reply_text("\n".join(lines), reply_markup=history_keyboard(with_json))


async def cancel(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    message = update.effective_message
    if agent is None or message is None:
        return
    argument = (context.args or [""])[0].lstrip("#")
    if not argument.isdigit():
        await message.reply_text(translate(agent.language, N_("Usage: /cancel 42")))
        return
    scan_id = int(argument)
    if await get_deps(context).store.cancel_scan(scan_id, agent.user_id):
        text = translate(agent.language, N_("🚫 Scan #{number} was cancelled."), number=scan_id)
    else:
        text = translate(
            agent.language,
            N_("Scan #{number} cannot be cancelled: it is not yours or already finished."),
            number=scan_id,
        )
    await message.reply_text(text)


async def resend_json(update: Update, context: Context) -> None:
    query = update.callback_query
    agent = await require_agent(update, context)
    if agent is None or query is None or query.data is None:
        return
    scan_id = parse_scan_id(query.data, RESEND_JSON)
    scan = await get_deps(context).store.get_scan(scan_id) if scan_id else None
    if scan is None or scan.user_id != agent.user_id or not scan.result_json:
        await query.answer(translate(agent.language, N_("This result is no longer available.")))
        return
    await query.answer()
    await context.bot.send_document(
        agent.chat_id,
        document=scan.result_json.encode(),
        filename=json_filename(scan.id, scan.document_type or "unknown"),
    )


async def retype(update: Update, context: Context) -> None:
    """The agent said which document an unrecognised scan is: read its files again as that type."""
    query = update.callback_query
    agent = await require_agent(update, context)
    if agent is None or query is None or query.data is None:
        return
    parsed = parse_retype(query.data)
    deps = get_deps(context)
    scan = await deps.store.get_scan(parsed[0]) if parsed else None
    if parsed is None or scan is None or scan.user_id != agent.user_id or not scan.files:
        await query.answer(translate(agent.language, N_("This result is no longer available.")))
        return
    await query.answer()
    await submit_scan(
        deps,
        context.bot,
        agent,
        scan.files,
        key=f"retype:{scan.id}:{parsed[1].value}",
        type_hint=parsed[1],
        reply_to=query.message.message_id if query.message else None,
    )
