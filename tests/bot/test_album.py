"""Albums gathered in Redis: one scan per album, whichever bot process receives its items, and
none lost when a process stops or dies within the quiet period."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.access import Agent
from bot.album import Album, AlbumCollector
from extraction.models import DocumentType
from jobs.queue import OPEN_ALBUMS
from papiers.store import ScanFile
from tests.fakes.redis_server import RedisServer

AGENT = Agent(user_id=1, chat_id=1, language="fr", is_admin=False)
QUIET_S = 0.1


def photo(n: int) -> ScanFile:
    return ScanFile(f"file{n}", f"u{n}", "photo", "image/jpeg", 1000 + n)


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url)
    yield client
    await client.aclose()


class Received:
    """An `on_complete` callback that records albums."""

    def __init__(self) -> None:
        self.albums: list[Album] = []
        self._arrived = asyncio.Condition()

    async def __call__(self, album: Album) -> None:
        async with self._arrived:
            self.albums.append(album)
            self._arrived.notify_all()

    async def wait_for(self, count: int) -> None:
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.albums) >= count), 3)


async def test_items_of_one_media_group_become_one_album_in_message_order(redis: Redis) -> None:
    received = Received()
    collector = AlbumCollector(redis, received, delay_s=QUIET_S)
    await collector.add(AGENT, "g1", 11, photo(2), None)
    await collector.add(AGENT, "g1", 10, photo(1), DocumentType.PASSPORT)
    await collector.add(AGENT, "g2", 12, photo(3), None)
    await received.wait_for(2)
    await asyncio.sleep(3 * QUIET_S)
    assert len(received.albums) == 2
    by_group = {album.media_group_id: album for album in received.albums}
    assert by_group["g1"].files == [photo(1), photo(2)]
    assert by_group["g1"].type_hint is DocumentType.PASSPORT
    assert by_group["g1"].first_message_id == 10
    assert by_group["g1"].agent == AGENT
    assert by_group["g2"].files == [photo(3)]
    assert await redis.zcard(OPEN_ALBUMS) == 0
    assert await redis.keys("papiers:album:*") == []  # nothing kept once submitted


async def test_an_album_split_across_two_bot_processes_is_one_scan(redis: Redis) -> None:
    first, second = Received(), Received()
    one = AlbumCollector(redis, first, delay_s=QUIET_S)
    other = AlbumCollector(redis, second, delay_s=QUIET_S)
    await one.add(AGENT, "g1", 1, photo(1), None)
    await other.add(AGENT, "g1", 2, photo(2), None)
    await one.add(AGENT, "g1", 3, photo(3), None)
    await asyncio.sleep(5 * QUIET_S)
    albums = first.albums + second.albums
    assert len(albums) == 1
    assert albums[0].files == [photo(1), photo(2), photo(3)]


async def test_an_album_left_by_a_process_that_died_is_submitted_by_another(
    redis: Redis,
) -> None:
    dead, alive = Received(), Received()
    dying = AlbumCollector(redis, dead, delay_s=QUIET_S)
    await dying.add(AGENT, "g1", 1, photo(1), None)
    for timer in list(dying._timers.values()):  # the process is killed: its timers never fire
        timer.cancel()
    survivor = AlbumCollector(redis, alive, delay_s=QUIET_S, sweep_interval_s=0.05)
    await survivor.start()
    try:
        await alive.wait_for(1)
    finally:
        await survivor.close()
    assert dead.albums == []
    assert alive.albums[0].files == [photo(1)]


async def test_stopping_submits_the_albums_it_waits_on_once_due(redis: Redis) -> None:
    received = Received()
    collector = AlbumCollector(redis, received, delay_s=QUIET_S)
    await collector.start()
    await collector.add(AGENT, "g1", 1, photo(1), None)
    await collector.close()
    assert [album.files for album in received.albums] == [[photo(1)]]


async def test_a_failed_submission_is_retried_not_lost(redis: Redis) -> None:
    attempts: list[Album] = []

    async def fails_once(album: Album) -> None:
        attempts.append(album)
        if len(attempts) == 1:
            raise ConnectionError("database down")

    collector = AlbumCollector(redis, fails_once, delay_s=QUIET_S, sweep_interval_s=0.05)
    await collector.add(AGENT, "g1", 1, photo(1), DocumentType.FR_IDENTITY_CARD)
    await collector.start()
    try:
        for _ in range(100):
            if len(attempts) >= 2:
                break
            await asyncio.sleep(0.02)
    finally:
        await collector.close()
    assert len(attempts) == 2
    assert attempts[1].files == [photo(1)]
    assert attempts[1].type_hint is DocumentType.FR_IDENTITY_CARD
