"""/export: finished scans as CSV, XLSX or JSON Lines, sent as files in the admin's chat.

Rows stream from the store to a temporary directory (deleted afterwards); a progress message is
edited while a long export runs; files over Telegram's 50 MB are split and zipped.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Final

from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.admin_access import require_admin
from bot.admin_args import BEGINNING, ExportRequest, parse_export_args
from bot.deps import Context, get_deps
from papiers.exports import export_scans
from papiers.i18n import N_, translate

logger = logging.getLogger(__name__)

PROGRESS_EVERY_S: Final = 3.0  # one edit every few seconds stays well under Telegram's limits
UPLOAD_TIMEOUT_S: Final = 300.0


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("export", export))


def export_stem(request: ExportRequest) -> str:
    """`papiers-2026-11-01_2026-11-30-passport`: what the file holds, in its name."""
    period = request.period
    last = datetime.fromtimestamp(period.end.timestamp() - 1, UTC).date().isoformat()
    first = "all" if period.start <= BEGINNING else period.start.date().isoformat()
    kind = f"-{request.document_type.value}" if request.document_type else ""
    return f"papiers-{first}_{last}{kind}"


async def export(update: Update, context: Context) -> None:
    admin = await require_admin(update, context)
    message = update.effective_message
    if admin is None or message is None:
        return
    request = parse_export_args(context.args or [], datetime.now(UTC))
    if request is None:
        usage = N_(
            "Usage: /export [csv|xlsx|json] [from] [to] [type], for example "
            "/export xlsx 2026-11-01 2026-11-30 passeport. Add “comma” for a CSV with commas."
        )
        await message.reply_text(translate(admin.language, usage))
        return
    deps = get_deps(context)
    language = admin.language
    progress = await message.reply_text(translate(language, N_("⏳ Export in progress…")))
    last_edit = time.monotonic()

    async def report(rows: int) -> None:
        nonlocal last_edit
        if time.monotonic() - last_edit < PROGRESS_EVERY_S:
            return
        last_edit = time.monotonic()
        text = translate(language, N_("⏳ Export in progress: {rows} scans written…"), rows=rows)
        await _edit(progress, text)

    period = request.period
    with TemporaryDirectory(prefix="papiers-export-") as directory:
        try:
            outcome = await export_scans(
                deps.store.iter_scans_for_export(
                    period.start,
                    period.end,
                    request.document_type.value if request.document_type else None,
                ),
                request.export_format,
                directory=Path(directory),
                stem=export_stem(request),
                document_type=request.document_type,
                delimiter=request.delimiter,
                on_progress=report,
            )
            await context.bot.send_chat_action(admin.chat_id, ChatAction.UPLOAD_DOCUMENT)
            for path in outcome.files:
                with path.open("rb") as data:
                    await context.bot.send_document(
                        admin.chat_id,
                        document=data,
                        filename=path.name,
                        write_timeout=UPLOAD_TIMEOUT_S,
                    )
        except (OSError, TelegramError) as error:
            logger.error("export failed: %s", type(error).__name__)
            await _edit(progress, translate(language, N_("❌ The export failed.")))
            return
    await deps.store.add_audit(
        admin.user_id,
        "export",
        details={
            "format": request.export_format.value,
            "from": period.start.date().isoformat(),
            "to": period.end.date().isoformat(),
            "type": request.document_type.value if request.document_type else None,
            "rows": outcome.rows,
            "files": len(outcome.files),
        },
    )
    logger.info("export: %s rows in %s files", outcome.rows, len(outcome.files))
    done = N_("✅ Export ready: {rows} scans ({period}) in {files} file(s).")
    text = translate(
        language, done, rows=outcome.rows, period=period.label(), files=len(outcome.files)
    )
    await _edit(progress, text)


async def _edit(message: Message, text: str) -> None:
    try:
        await message.edit_text(text)
    except TelegramError as error:  # "not modified", or deleted by the admin: the export goes on
        logger.info("export progress not shown (%s)", type(error).__name__)
