"""Photos, image files, PDFs and albums sent to the bot: check them, then submit a scan.

Files are checked from Telegram's metadata (type, size) before anything is downloaded: the
Bot API serves downloads of at most 20 MB.
"""

from __future__ import annotations

import logging
from typing import Final

from telegram import Bot, Message, ReplyParameters, Update
from telegram.constants import FileSizeLimit
from telegram.ext import Application, MessageHandler, filters

from bot.access import Agent, require_agent
from bot.album import Album, AlbumHandler
from bot.deps import BotDeps, Context, get_deps
from bot.doc_types import parse_document_type
from bot.ratelimit import seconds_until_allowed
from bot.submit import files_key, first_delivery, submit_scan
from extraction.errors import IntakeError
from extraction.models import DocumentType
from jobs.queue import TYPE_HINT_PREFIX
from papiers.i18n import N_, translate
from papiers.store import ScanFile

logger = logging.getLogger(__name__)

ACCEPTED_EXTENSIONS: Final = {"jpg", "jpeg", "png", "webp", "heic", "heif", "tif", "tiff", "bmp",
                              "pdf"}  # fmt: skip
TYPE_HINT_TTL_S: Final = 600  # a /type choice applies to the next document within 10 minutes


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Photos and documents start scans; other plain text gets a hint."""
    application.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, on_file))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))


def scan_file_of(message: Message) -> ScanFile:
    """The file to read from a photo or document message; IntakeError when it cannot be read."""
    if message.photo:
        largest = max(
            message.photo, key=lambda size: (size.width * size.height, size.file_size or 0)
        )
        file = ScanFile(
            largest.file_id, largest.file_unique_id, "photo", "image/jpeg", largest.file_size
        )
    elif message.document is not None:
        document = message.document
        extension = (document.file_name or "").rsplit(".", 1)[-1].lower()
        mime = document.mime_type or ""
        if not (
            mime.startswith("image/")
            or mime == "application/pdf"
            or extension in ACCEPTED_EXTENSIONS
        ):
            raise IntakeError("not_an_image", {"kind": mime or extension or "?"})
        file = ScanFile(
            document.file_id,
            document.file_unique_id,
            "document",
            document.mime_type,
            document.file_size,
            document.file_name,
        )
    else:
        raise IntakeError("file_empty")
    if file.file_size is not None and file.file_size > FileSizeLimit.FILESIZE_DOWNLOAD:
        raise IntakeError(
            "file_too_large", {"size_mb": -(-file.file_size // 1_048_576), "max_mb": 20}
        )
    return file


async def on_file(update: Update, context: Context) -> None:
    message = update.effective_message
    agent = await require_agent(update, context)
    if agent is None or message is None:
        return
    deps = get_deps(context)
    if not await first_delivery(deps, agent.chat_id, message.message_id):
        return
    try:
        file = scan_file_of(message)
    except IntakeError as error:
        await message.reply_text(_intake_refusal(error, agent.language))
        return
    type_hint = parse_document_type(message.caption) or await take_type_hint(context, agent.user_id)
    if message.media_group_id:
        await deps.albums.add(agent, message.media_group_id, message.message_id, file, type_hint)
        return
    if await refused_by_rate_limit(deps, context.bot, agent, message.message_id):
        return
    await submit_scan(
        deps,
        context.bot,
        agent,
        [file],
        key=files_key(agent, [file]),
        type_hint=type_hint,
        reply_to=message.message_id,
    )


def album_submitter(application: Application) -> AlbumHandler:  # type: ignore[type-arg]
    """The album collector's callback: submit the whole album as one scan."""

    async def submit_album(album: Album) -> None:
        deps: BotDeps = application.bot_data["deps"]
        files = album.files
        if await refused_by_rate_limit(deps, application.bot, album.agent, album.first_message_id):
            return
        await submit_scan(
            deps,
            application.bot,
            album.agent,
            files,
            key=files_key(album.agent, files),
            type_hint=album.type_hint,
            reply_to=album.first_message_id,
        )

    return submit_album


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    agent = await require_agent(update, context)
    if agent is None or message is None:
        return
    text = translate(
        agent.language,
        N_("Send me a photo of the document (or an image or PDF file). /help explains how."),
    )
    await message.reply_text(text)


async def take_type_hint(context: Context, user_id: int) -> DocumentType | None:
    """The type chosen with /type in the last 10 minutes, used once. Kept in Redis, like the
    field awaiting a correction: a bot restart or a second bot process does not forget it."""
    stored = await get_deps(context).redis.getdel(TYPE_HINT_PREFIX + str(user_id))
    if stored is None:
        return None
    try:
        return DocumentType(stored.decode() if isinstance(stored, bytes) else str(stored))
    except ValueError:
        return None


async def remember_type_hint(context: Context, user_id: int, document_type: DocumentType) -> None:
    await get_deps(context).redis.set(
        TYPE_HINT_PREFIX + str(user_id), document_type.value, ex=TYPE_HINT_TTL_S
    )


async def refused_by_rate_limit(deps: BotDeps, bot: Bot, agent: Agent, reply_to: int) -> bool:
    """True (after telling the agent how long to wait) when the agent is over the limit."""
    wait_s = await seconds_until_allowed(
        deps.redis, agent.user_id, deps.settings.user_rate_limit_per_minute
    )
    if wait_s:
        text = translate(
            agent.language,
            N_(
                "You are sending documents too quickly. Wait {seconds} s, then send this one again."
            ),
            seconds=wait_s,
        )
        await bot.send_message(
            agent.chat_id,
            text,
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True),
        )
    return bool(wait_s)


def _intake_refusal(error: IntakeError, language: str) -> str:
    advice = error.advice(language)
    return error.message(language) + (f"\n💡 {advice}" if advice else "")
