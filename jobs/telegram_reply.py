"""How the worker talks to the agent: progress edits, chat actions, the result and the JSON file.

The worker has its own `Bot`, drawing on the bot's flood budget through Redis (`bot.flood`).
Files are fetched through the Bot API; a `File.file_path` holds the bot token, so it is never
logged nor passed on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Final, TypeVar

from redis.asyncio import Redis
from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatAction, FileSizeLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.flood import SharedFloodLimiter, retry_after_seconds
from bot.keyboards import document_type_keyboard
from bot.review_keyboards import review_keyboard
from bot.summary import (
    done_text,
    failed_text,
    failure_text,
    json_filename,
    reading_text,
    result_text,
)
from extraction.errors import ExtractionError, IntakeError
from extraction.models import DocumentType, ScanResult
from papiers.settings import Settings
from papiers.store import Scan

if TYPE_CHECKING:  # the pipeline loads the OCR engine: import it only where it runs
    from extraction.pipeline import InputFile

logger = logging.getLogger(__name__)

CHAT_ACTION_EVERY_S: Final = 4.0  # a chat action shows for about 5 s
SEND_ATTEMPTS: Final = 4
# Burst slots of the shared flood budget a worker leaves to the bot's acknowledgements.
WORKER_RESERVE: Final = 5
T = TypeVar("T")


def make_bot(settings: Settings, redis: Redis) -> ExtBot[int]:
    """A Bot for the worker on the configured Bot API server, drawing on the fleet's flood
    budget in `redis` after the bot's own answers."""
    return ExtBot(
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        rate_limiter=SharedFloodLimiter(redis, reserve=WORKER_RESERVE),
    )


async def send_with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Run a Bot API call, waiting out flood limits and retrying network failures."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as error:
            if attempt == SEND_ATTEMPTS:
                raise
            await asyncio.sleep(retry_after_seconds(error))
        except (BadRequest, Forbidden):
            raise
        except NetworkError:  # includes TimedOut
            if attempt == SEND_ATTEMPTS:
                raise
            await asyncio.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


async def download_files(bot: ExtBot[int], scan: Scan) -> list[InputFile]:
    """The scan's files, fetched through the Bot API (Telegram serves at most 20 MB)."""
    from extraction.pipeline import InputFile

    files = []
    for item in scan.files:
        if item.file_size and item.file_size > FileSizeLimit.FILESIZE_DOWNLOAD:
            raise IntakeError(
                "file_too_large",
                {"size_mb": -(-item.file_size // 1_048_576), "max_mb": 20},
            )
        telegram_file = await send_with_retries(partial(bot.get_file, item.file_id))
        data = await send_with_retries(telegram_file.download_as_bytearray)
        files.append(InputFile(bytes(data), filename=item.file_name or _default_name(item.kind)))
    return files


def _default_name(kind: str) -> str:
    return "photo.jpg" if kind == "photo" else "document"


async def edit_status(bot: ExtBot[int], scan: Scan, text: str) -> None:
    """Edit the scan's "received" message; a failed edit never fails the scan."""
    if scan.ack_message_id is None:
        return
    try:
        await send_with_retries(
            lambda: bot.edit_message_text(
                text, chat_id=scan.chat_id, message_id=scan.ack_message_id
            )
        )
    except TelegramError as error:
        # "message is not modified" or a deleted message: the result still follows.
        logger.info("scan %s: status edit skipped (%s)", scan.id, type(error).__name__)


class ChatActivity:
    """One repeating chat action per chat and action, however many scans of that chat are running.

    Chat actions count against the flood limit like messages; one per chat is all a person sees.
    """

    def __init__(self, bot: ExtBot[int]) -> None:
        self._bot = bot
        self._running: dict[tuple[int, str], tuple[asyncio.Task[None], int]] = {}

    @contextlib.asynccontextmanager
    async def show(self, chat_id: int, action: str) -> AsyncIterator[None]:
        """Show `action` ("typing", "upload_document") in the chat while the block runs."""
        key = (chat_id, action)
        task, users = self._running.get(key, (None, 0))
        if task is None:
            task = asyncio.create_task(self._repeat(chat_id, action))
        self._running[key] = (task, users + 1)
        try:
            yield
        finally:
            task, users = self._running[key]
            if users > 1:
                self._running[key] = (task, users - 1)
            else:
                del self._running[key]
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _repeat(self, chat_id: int, action: str) -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await self._bot.send_chat_action(chat_id, action)
            await asyncio.sleep(CHAT_ACTION_EVERY_S)


async def mark_reading(bot: ExtBot[int], scan: Scan) -> None:
    await edit_status(bot, scan, reading_text(scan.language, scan.id))


async def deliver_result(bot: ExtBot[int], scan: Scan, result: ScanResult) -> None:
    """Edit the status, send the summary (with type buttons when unsure), then the JSON file."""
    await edit_status(bot, scan, done_text(scan.language, scan.id))
    unknown = result.document_type is DocumentType.UNKNOWN
    markup: InlineKeyboardMarkup = (
        document_type_keyboard(scan.id, scan.language)
        if unknown
        else review_keyboard(scan.id, scan.language)  # ✏️ Corriger / ✅ Confirmer
    )
    await _send_text(bot, scan, result_text(scan.language, scan.id, result), markup)
    if unknown:
        return  # nothing worth a JSON file until the agent says which document it is
    # The upload takes a moment at most: one "sending a file" action, not a repeating one.
    with contextlib.suppress(TelegramError):
        await bot.send_chat_action(scan.chat_id, ChatAction.UPLOAD_DOCUMENT)
    payload = result.model_dump_json(by_alias=True, indent=2).encode()
    await send_with_retries(
        lambda: bot.send_document(
            scan.chat_id,
            document=payload,
            filename=json_filename(scan.id, result.document_type.value),
        )
    )


async def deliver_failure(
    bot: ExtBot[int], scan: Scan, code: str, error: ExtractionError | None = None
) -> None:
    """Tell the agent the scan failed, why, and what to do."""
    await edit_status(bot, scan, failed_text(scan.language, scan.id))
    await _send_text(bot, scan, failure_text(scan.language, scan.id, code, error), None)


async def _send_text(
    bot: ExtBot[int], scan: Scan, text: str, markup: InlineKeyboardMarkup | None
) -> Message:
    reply = (
        ReplyParameters(scan.ack_message_id, allow_sending_without_reply=True)
        if scan.ack_message_id
        else None
    )
    return await send_with_retries(
        lambda: bot.send_message(
            scan.chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_parameters=reply,
        )
    )
