"""Albums: Telegram delivers each photo of an album as its own update with one `media_group_id`,
with no count and the caption on one item only. Items are gathered and the album is submitted as
one scan once no new item arrived for `delay_s` (about 1.5 s).

The items wait in Redis, not in the bot's memory: Telegram does not deliver an update twice once
it was acknowledged, so an album held in memory would be lost with a bot that stops or crashes
within its quiet period, and split in two when its items reach two bot processes (behind one
webhook, or old and new Machines during a deploy). Whichever process claims the album once it is
due submits it, exactly once (the claim is one Lua script); every process sweeps for due albums
that nobody claimed, so those of a process that died are submitted by another, or by the same one
when it starts again. Items are kept at most `KEEP_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.access import Agent
from extraction.models import DocumentType
from jobs.queue import ALBUM_PREFIX, OPEN_ALBUMS
from papiers.store import ScanFile

logger = logging.getLogger(__name__)

DEFAULT_DELAY_S: Final = 1.5
SWEEP_INTERVAL_S: Final = 5.0  # how soon an album left by a stopped process is submitted
KEEP_S: Final = 3600  # an album nobody submits (every bot down for an hour) is dropped

# KEYS: items hash, meta hash, open albums. ARGV: message id, file, agent, type hint or "",
# quiet period (ms), time to keep (s), album id. Each item pushes the album's due time back.
_ADD: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSETNX', KEYS[2], 'agent', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSETNX', KEYS[2], 'hint', ARGV[4]) end
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), ARGV[7])
return now
"""

# KEYS: items hash, meta hash, open albums. ARGV: album id. The album if it is due, else nil;
# once returned it is gone from Redis, so no other process can submit it.
_CLAIM: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not due or tonumber(due) > now then return nil end
redis.call('ZREM', KEYS[3], ARGV[1])
local items = redis.call('HGETALL', KEYS[1])
local meta = redis.call('HGETALL', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return {items, meta}
"""

# KEYS: open albums. The ids of the albums that are due.
_DUE: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
"""


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


def _album_id(chat_id: int, media_group_id: str) -> str:
    return f"{chat_id}:{media_group_id}"


def _keys(album_id: str) -> list[str]:
    return [f"{ALBUM_PREFIX}{album_id}:items", f"{ALBUM_PREFIX}{album_id}:meta", OPEN_ALBUMS]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _pairs(flat: list[Any]) -> dict[str, str]:
    return {_text(flat[i]): _text(flat[i + 1]) for i in range(0, len(flat), 2)}


class AlbumCollector:
    """Gathers album items per (chat, media group) in Redis and hands over each album once, when
    it is complete, to `on_complete`."""

    def __init__(
        self,
        redis: Redis,
        on_complete: AlbumHandler,
        delay_s: float = DEFAULT_DELAY_S,
        sweep_interval_s: float = SWEEP_INTERVAL_S,
    ) -> None:
        self._redis = redis
        self._on_complete = on_complete
        self._delay_s = delay_s
        self._sweep_interval_s = sweep_interval_s
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self._add = redis.register_script(_ADD)
        self._claim = redis.register_script(_CLAIM)
        self._due = redis.register_script(_DUE)

    async def start(self) -> None:
        """Submit albums left due by a stopped process, then keep sweeping for them."""
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep_forever())

    async def add(
        self,
        agent: Agent,
        media_group_id: str,
        message_id: int,
        file: ScanFile,
        type_hint: DocumentType | None,
    ) -> None:
        """Store one item; the album becomes due `delay_s` after its latest item."""
        album_id = _album_id(agent.chat_id, media_group_id)
        await self._store(album_id, agent, message_id, file, type_hint, wait_s=self._delay_s)
        timer = self._timers.pop(album_id, None)
        if timer is not None:
            timer.cancel()
        self._timers[album_id] = asyncio.create_task(self._complete_later(album_id))

    async def close(self) -> None:
        """Stop sweeping; albums this process is waiting on are submitted once due (at most
        `delay_s` from now), so stopping neither loses nor splits them."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        waiting = list(self._timers.values())
        if waiting:
            await asyncio.wait(waiting, timeout=self._delay_s + 1)

    async def sweep(self) -> int:
        """Submit every album that is due and unclaimed; how many were submitted."""
        due = await self._due(keys=[OPEN_ALBUMS])
        submitted = 0
        for album_id in map(_text, due):
            submitted += await self._submit_if_due(album_id)
        return submitted

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except RedisError as error:
                logger.warning("album sweep failed: %s", type(error).__name__)
            await asyncio.sleep(self._sweep_interval_s)

    async def _complete_later(self, album_id: str) -> None:
        try:
            await asyncio.sleep(self._delay_s + 0.01)
        except asyncio.CancelledError:
            return  # a newer item restarted the wait
        self._timers.pop(album_id, None)
        try:
            await self._submit_if_due(album_id)
        except RedisError as error:  # left in Redis: the next sweep submits it
            logger.warning("album claim failed: %s", type(error).__name__)

    async def _submit_if_due(self, album_id: str) -> int:
        claimed = await self._claim(keys=_keys(album_id), args=[album_id])
        if not claimed:
            return 0  # not due yet (a newer item), or already taken by another process
        items, meta = _pairs(claimed[0]), _pairs(claimed[1])
        if "agent" not in meta or not items:
            return 0  # expired halfway: nothing left to submit
        hint = meta.get("hint")
        album = Album(
            agent=Agent(**json.loads(meta["agent"])),
            media_group_id=album_id.split(":", 1)[1],
            items=[(int(mid), ScanFile(**json.loads(raw))) for mid, raw in items.items()],
            type_hint=DocumentType(hint) if hint else None,
        )
        try:
            await self._on_complete(album)
        except Exception:
            logger.exception("album submission failed")
            await self._put_back(album)
            return 0
        return 1

    async def _put_back(self, album: Album) -> None:
        """A submission that failed (database down…) is retried by a later sweep."""
        album_id = _album_id(album.agent.chat_id, album.media_group_id)
        with contextlib.suppress(RedisError):
            for message_id, file in album.items:
                await self._store(
                    album_id,
                    album.agent,
                    message_id,
                    file,
                    album.type_hint,
                    wait_s=self._sweep_interval_s,
                )

    async def _store(
        self,
        album_id: str,
        agent: Agent,
        message_id: int,
        file: ScanFile,
        type_hint: DocumentType | None,
        *,
        wait_s: float,
    ) -> None:
        await self._add(
            keys=_keys(album_id),
            args=[
                message_id,
                json.dumps(dataclasses.asdict(file)),
                json.dumps(dataclasses.asdict(agent)),
                type_hint.value if type_hint else "",
                round(wait_s * 1000),
                KEEP_S,
                album_id,
            ],
        )
