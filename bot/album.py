"""Albums: Telegram delivers each photo of an album as its own update with one `media_group_id`,
with no count and the caption on one item only. Items are buffered and the album is submitted as
one scan once no new item arrived for `delay_s` (about 1.5 s)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.access import Agent
from extraction.models import DocumentType
from papiers.store import ScanFile

logger = logging.getLogger(__name__)

DEFAULT_DELAY_S = 1.5


@dataclass
class Album:
    """The pages of one album, in the order the agent sent them."""

    agent: Agent
    media_group_id: str
    items: list[tuple[int, ScanFile]] = field(default_factory=list)
    type_hint: DocumentType | None = None

    @property
    def files(self) -> list[ScanFile]:
        return [file for _, file in sorted(self.items, key=lambda item: item[0])]

    @property
    def first_message_id(self) -> int:
        return min(message_id for message_id, _ in self.items)


AlbumHandler = Callable[[Album], Awaitable[None]]


class AlbumCollector:
    """Collects album items per (chat, media group) and hands over each album once complete."""

    def __init__(self, on_complete: AlbumHandler, delay_s: float = DEFAULT_DELAY_S) -> None:
        self._on_complete = on_complete
        self._delay_s = delay_s
        self._albums: dict[tuple[int, str], Album] = {}
        self._timers: dict[tuple[int, str], asyncio.Task[None]] = {}

    def add(
        self,
        agent: Agent,
        media_group_id: str,
        message_id: int,
        file: ScanFile,
        type_hint: DocumentType | None,
    ) -> None:
        """Add one item; (re)starts the album's quiet-period timer."""
        key = (agent.chat_id, media_group_id)
        album = self._albums.setdefault(key, Album(agent, media_group_id))
        album.items.append((message_id, file))
        album.type_hint = album.type_hint or type_hint
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._timers[key] = asyncio.create_task(self._complete_later(key))

    async def _complete_later(self, key: tuple[int, str]) -> None:
        await asyncio.sleep(self._delay_s)
        self._timers.pop(key, None)
        album = self._albums.pop(key)
        try:
            await self._on_complete(album)
        except Exception:
            logger.exception("album submission failed")

    async def flush(self) -> None:
        """Submit every waiting album now (at shutdown)."""
        for key, timer in list(self._timers.items()):
            timer.cancel()
            self._timers.pop(key, None)
            album = self._albums.pop(key)
            await self._on_complete(album)
