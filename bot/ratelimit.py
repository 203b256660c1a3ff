"""Per-agent intake limit: a one-minute window counted in Redis (shared by all bot processes)."""

from __future__ import annotations

import logging
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError

from jobs.queue import RATE_PREFIX

logger = logging.getLogger(__name__)

WINDOW_S = 60


async def seconds_until_allowed(redis: Redis, user_id: int, per_minute: int) -> int:
    """0 when the agent may submit one more scan now (and counts it), else the seconds to wait."""
    now = time.time()
    window = int(now // WINDOW_S)
    key = f"{RATE_PREFIX}{user_id}:{window}"
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, WINDOW_S * 2)
            count, _ = await pipe.execute()
    except RedisError as error:
        # Better to let an agent through than to refuse everyone while Redis restarts.
        logger.warning("rate limit unavailable: %s", type(error).__name__)
        return 0
    if int(count) <= per_minute:
        return 0
    return max(1, int((window + 1) * WINDOW_S - now) + 1)
