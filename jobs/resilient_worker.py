"""arq's Worker, kept alive through a Redis restart.

arq 0.28 polls Redis in `_poll_iteration`; a dropped connection there (the WATCH in `start_jobs`
sits outside arq's own try block) raises out of `Worker.main` and the process exits with code 1.
Here the poll waits and tries again instead. Nothing is lost or run twice meanwhile: jobs stay in
the queue, arq's in-progress key guards each one, and the store's claim makes a scan's re-run a
no-op once it ended; a Redis that lost its data gets the unfinished scans back from recovery.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

from arq import Worker
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

logger = logging.getLogger(__name__)

REDIS_DOWN_ERRORS: Final = (RedisConnectionError, RedisTimeoutError, WatchError, ConnectionError)
FIRST_WAIT_S: Final = 0.5
LONGEST_WAIT_S: Final = 10.0


class ResilientWorker(Worker):
    """A Worker whose polling survives Redis going away: it logs once, backs off and goes on."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.redis_failures = 0

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except REDIS_DOWN_ERRORS as error:
            self.redis_failures += 1
            if self.redis_failures == 1:
                logger.warning("Redis unreachable (%s): waiting for it", type(error).__name__)
            wait = min(LONGEST_WAIT_S, FIRST_WAIT_S * 2 ** (self.redis_failures - 1))
            await asyncio.sleep(wait)
            return
        if self.redis_failures:
            logger.info("Redis is back after %s failed polls", self.redis_failures)
            self.redis_failures = 0

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        """Start jobs one by one, giving back the job slot arq took when Redis drops meanwhile."""
        for job_id in job_ids:
            if self.job_counter >= self.max_jobs:
                return  # as arq does: the rest waits for the next poll
            try:
                await super().start_jobs([job_id])
            except REDIS_DOWN_ERRORS:
                # arq counted the job and took its semaphore before the WATCH that failed; no
                # task was started, so nothing else will release them.
                self.job_counter -= 1
                self.sem.release()
                raise
