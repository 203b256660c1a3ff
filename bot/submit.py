"""Turn received files into a scan: idempotent record, acknowledgement, then the queue.

Used by single files, albums and the "which document is it?" buttons. The ack is sent before the
job is queued so the worker always has a message to edit; if Redis is away the scan stays queued in
the database and the workers' recovery loop queues it later (nothing is lost).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

from redis.exceptions import RedisError
from telegram import Bot, ReplyParameters

from bot.access import Agent
from bot.deps import BotDeps
from bot.keyboards import history_keyboard
from bot.summary import ack_text
from extraction.models import DocumentType
from jobs.queue import SEEN_FILE_PREFIX, enqueue_scan
from papiers.i18n import N_, translate
from papiers.logging_setup import scan_id_var
from papiers.store import PENDING_STATUSES, Scan, ScanFile, ScanStatus

logger = logging.getLogger(__name__)

SEEN_MESSAGE_TTL_S: Final = 24 * 3600
MAX_RESUBMISSIONS: Final = 50


async def first_delivery(deps: BotDeps, chat_id: int, message_id: int) -> bool:
    """False when this very message was already handled (a re-delivered update)."""
    try:
        fresh = await deps.redis.set(
            f"{SEEN_FILE_PREFIX}msg:{chat_id}:{message_id}", 1, nx=True, ex=SEEN_MESSAGE_TTL_S
        )
    except RedisError:
        return True  # the store's idempotency key still prevents a second scan
    return bool(fresh)


def files_key(agent: Agent, files: Sequence[ScanFile]) -> str:
    """The scan's idempotency key: the same files from the same agent are one scan."""
    return f"files:{agent.user_id}:" + "+".join(sorted(f.file_unique_id for f in files))


async def submit_scan(
    deps: BotDeps,
    bot: Bot,
    agent: Agent,
    files: Sequence[ScanFile],
    *,
    key: str,
    type_hint: DocumentType | None,
    reply_to: int | None,
) -> Scan | None:
    """Record, acknowledge and queue a scan; returns it, or None when it was not new."""
    scan, created = await _create(deps, agent, files, key, type_hint)
    if not created:
        await _tell_already_received(bot, agent, scan, reply_to)
        return None
    token = scan_id_var.set(scan.id)  # the log lines about this scan carry its number
    try:
        ahead = await deps.store.queue_position(scan.id)
        ack = await bot.send_message(
            agent.chat_id,
            ack_text(agent.language, scan.id, ahead, pages=len(files)),
            reply_parameters=_reply(reply_to),
        )
        await deps.store.set_ack_message(scan.id, ack.message_id)
        try:
            await enqueue_scan(deps.redis, scan.id)
        except RedisError as error:
            logger.warning("not queued yet (%s): recovery will", type(error).__name__)
    finally:
        scan_id_var.reset(token)
    return scan


async def _create(
    deps: BotDeps,
    agent: Agent,
    files: Sequence[ScanFile],
    key: str,
    type_hint: DocumentType | None,
) -> tuple[Scan, bool]:
    # A failed or cancelled scan does not block sending the same file again: chain a new key.
    for _ in range(MAX_RESUBMISSIONS):
        scan, created = await deps.store.create_scan(
            user_id=agent.user_id,
            chat_id=agent.chat_id,
            language=agent.language,
            idempotency_key=key,
            files=tuple(files),
            type_hint=type_hint.value if type_hint else None,
        )
        if created or scan.status not in (ScanStatus.FAILED, ScanStatus.CANCELLED):
            return scan, created
        key = f"{key}:after{scan.id}"
    return scan, False


async def _tell_already_received(bot: Bot, agent: Agent, scan: Scan, reply_to: int | None) -> None:
    if scan.status in PENDING_STATUSES:
        text = translate(
            agent.language,
            N_("You already sent this file: it is scan #{number}, still in progress."),
            number=scan.id,
        )
        markup = None
    else:
        text = translate(
            agent.language,
            N_("You already sent this file: it was read as scan #{number}."),
            number=scan.id,
        )
        markup = history_keyboard([scan.id])
    await bot.send_message(
        agent.chat_id, text, reply_markup=markup, reply_parameters=_reply(reply_to)
    )


def _reply(message_id: int | None) -> ReplyParameters | None:
    return ReplyParameters(message_id, allow_sending_without_reply=True) if message_id else None
