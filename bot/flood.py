"""One flood limit for the whole fleet: Telegram counts a bot's messages, not a process's.

PTB's `AIORateLimiter` keeps its buckets in process memory, so a bot process and N workers each
believe they may send 30 messages a second. `SharedFloodLimiter` keeps the buckets in Redis
(the one every process already uses for the queue) and decides atomically in a Lua script with
Redis's clock, so every process draws from the same budget:

- 30 requests per second for the bot (requests that name a chat, as `AIORateLimiter` counts),
- 20 per minute per group or channel,
- and after a `429 Too Many Requests` every process pauses for the `retry_after` Telegram gave,
  not only the one that received it.

Chat actions ("typing…") are best effort: when the budget has no slot free at once they are
skipped, so the budget goes to messages. The bot's own answers (acknowledgements, command
replies) go first: workers may only use the
part of the burst the bot leaves free (`reserve`), so under load results wait, not the "received"
an agent expects within a second.

Buckets follow the generic cell rate algorithm (GCRA): one key per bucket holding the time at
which it is empty again. When Redis cannot be reached the limiter falls back to an in-process
`AIORateLimiter`: messages keep flowing, held back per process as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, Final

from redis.asyncio import Redis
from redis.exceptions import RedisError
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from jobs.queue import FLOOD_PREFIX

logger = logging.getLogger(__name__)

# Requests worth sending only when the budget has room at once (their effect lasts ~5 s anyway).
BEST_EFFORT: Final = frozenset({"sendChatAction"})
GRANTED: Final = "granted"
BUSY: Final = "busy"  # a best-effort request found no free slot
NO_REDIS: Final = "no_redis"
# Wait at most this long between two looks at the buckets (a wait can end early elsewhere).
MAX_NAP_S: Final = 1.0

# KEYS: the pause key, then one key per bucket. ARGV: per bucket, its interval in ms and burst.
# Returns 0 when a slot was taken in every bucket, else the milliseconds to wait (nothing taken).
_ACQUIRE: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return paused end
local wait = 0
local tats = {}
for i = 2, #KEYS do
  local interval = tonumber(ARGV[2 * i - 3])
  local burst = tonumber(ARGV[2 * i - 2])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local new_tat = tat + interval
  local over = new_tat - now - interval * burst
  if over > wait then wait = over end
  tats[i] = new_tat
end
if wait > 0 then return wait end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], tats[i], 'PX', tats[i] - now + 1000)
end
return 0
"""

Callback = Callable[..., Coroutine[Any, Any, Any]]


class SharedFloodLimiter(BaseRateLimiter[int]):
    """A PTB rate limiter whose buckets live in Redis and are shared by every process."""

    def __init__(
        self,
        redis: Redis,
        *,
        overall_per_second: float = FloodLimit.MESSAGES_PER_SECOND,
        overall_burst: int = 8,
        group_per_minute: float = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        group_burst: int = 3,
        reserve: int = 0,
        max_retries: int = 3,
        prefix: str = FLOOD_PREFIX,
    ) -> None:
        """`reserve`: burst slots this process leaves to others (workers leave them to the bot);
        it only ever waits longer for them, never sends faster than the shared rate."""
        self._redis = redis
        self._overall = (round(1000 / overall_per_second), max(1, overall_burst - reserve))
        self._group = (round(60_000 / group_per_minute), max(1, group_burst - reserve))
        self._max_retries = max_retries
        self._prefix = prefix
        self._script = redis.register_script(_ACQUIRE)
        self._local = AIORateLimiter(
            overall_max_rate=overall_per_second,
            group_max_rate=group_per_minute,
            max_retries=max_retries,
        )
        self._redis_down = False

    async def initialize(self) -> None:
        await self._local.initialize()

    async def shutdown(self) -> None:
        await self._local.shutdown()

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        buckets = self._buckets(chat_id)
        retries = rate_limit_args or self._max_retries
        for attempt in range(retries + 1):
            outcome = await self._acquire(buckets, wait=endpoint not in BEST_EFFORT)
            if outcome == NO_REDIS:
                return await self._local.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            if outcome == BUSY:
                return True  # what Telegram answers a chat action: nothing was lost
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                await self._pause_everyone(retry_after_seconds(error) + 0.1)
        raise AssertionError("unreachable")

    def _buckets(self, chat_id: object) -> list[tuple[str, tuple[int, int]]]:
        """The buckets a request draws from: the bot's when it names a chat, a group's too."""
        if chat_id is None:
            return []
        buckets = [(f"{self._prefix}:all", self._overall)]
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[call-overload]
        if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0):
            buckets.append((f"{self._prefix}:chat:{chat_id}", self._group))
        return buckets

    async def _acquire(self, buckets: list[tuple[str, tuple[int, int]]], *, wait: bool) -> str:
        """A slot in every bucket, waiting for one (and for any pause to end) when `wait`;
        GRANTED, BUSY (none free and not `wait`) or NO_REDIS."""
        keys = [f"{self._prefix}:pause", *(key for key, _ in buckets)]
        argv = [value for _, rule in buckets for value in rule]
        while True:
            try:
                wait_ms = int(await self._script(keys=keys, args=argv))
            except (RedisError, OSError) as error:
                if not self._redis_down:
                    logger.warning("flood limits held per process: Redis unreachable (%s)", error)
                self._redis_down = True
                return NO_REDIS
            if self._redis_down:
                logger.info("flood limits shared through Redis again")
                self._redis_down = False
            if wait_ms <= 0:
                return GRANTED
            if not wait:
                return BUSY
            await asyncio.sleep(min(wait_ms / 1000, MAX_NAP_S))

    async def _pause_everyone(self, seconds: float) -> None:
        """Tell every process to hold its requests for `seconds`, then wait it out here too."""
        with contextlib.suppress(RedisError, OSError):
            await self._redis.set(f"{self._prefix}:pause", "1", px=max(1, round(seconds * 1000)))
        await asyncio.sleep(seconds)


def retry_after_seconds(error: RetryAfter) -> float:
    """`retry_after` is an int or a timedelta depending on PTB's PTB_TIMEDELTA setting."""
    value: object = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)  # type: ignore[arg-type]
