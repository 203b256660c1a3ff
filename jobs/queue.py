"""The scan queue on Redis: its key names, how to connect, and the one way to enqueue a scan.

Every Redis key Papiers writes is named here. A scan's arq job id is `scan:<id>`, so enqueueing
the same scan twice while its job waits or runs is a no-op (arq returns None for a known id).
"""

from __future__ import annotations

import logging
from typing import Final

from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

QUEUE_NAME: Final = "papiers:queue"
PROCESS_SCAN: Final = "process_scan"
LEASE_PREFIX: Final = "papiers:lease:"  # + scan id: held while a worker reads the scan
RATE_PREFIX: Final = "papiers:rate:"  # + user id + minute: intake rate limit
SEEN_FILE_PREFIX: Final = "papiers:seen-file:"  # + user id + file_unique_id: resent files
FLOOD_PREFIX: Final = "papiers:flood"  # + :global, :chat:<id>, :pause: Telegram flood budget
CORRECTION_PREFIX: Final = "papiers:correction:"  # + user id: the field awaiting a value
TYPE_HINT_PREFIX: Final = "papiers:type_hint:"  # + user id: the type chosen with /type
ALBUM_PREFIX: Final = "papiers:album:"  # + chat id:media group id + :items/:meta
OPEN_ALBUMS: Final = "papiers:albums"  # sorted set: album id -> due time (ms, Redis's clock)


def scan_job_id(scan_id: int) -> str:
    """The arq job id of a scan: stable, so a scan has at most one live job."""
    return f"scan:{scan_id}"


def redis_settings(url: str) -> RedisSettings:
    """arq's settings for `url`, retrying commands through a Redis restart (up to ~30 s)."""
    settings = RedisSettings.from_dsn(url)
    settings.conn_retries = 30
    settings.retry_on_error = [RedisConnectionError, RedisTimeoutError, ConnectionError]
    settings.retry = Retry(ExponentialBackoff(cap=2.0, base=0.05), retries=25)
    return settings


async def connect(url: str) -> ArqRedis:
    """An arq Redis pool for the bot or the recovery loop."""
    return await create_pool(redis_settings(url), default_queue_name=QUEUE_NAME)


async def enqueue_scan(redis: ArqRedis, scan_id: int) -> bool:
    """Queue the scan's job; False when its job already waits or runs (nothing is added)."""
    job = await redis.enqueue_job(PROCESS_SCAN, scan_id, _job_id=scan_job_id(scan_id))
    if job is None:
        logger.debug("scan %s already has a job", scan_id)
    return job is not None
