"""The fleet-wide flood limiter, driven through real PTB bots against the fake Bot API and a
private redis-server. Two bots stand for two processes (the bot and a worker, or two workers).

Times are checked as lower bounds only (a request cannot go out before its slot), which a slow
machine cannot break."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import pytest
from redis.asyncio import Redis
from telegram.ext import ExtBot

from bot.flood import SharedFloodLimiter
from tests.fakes.redis_server import RedisServer, free_port
from tests.fakes.telegram import TOKEN, FakeTelegram

CHAT = 42
GROUP = -1001234


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


def process_bot(telegram: FakeTelegram, redis: Redis, **limits: float) -> ExtBot[int]:
    """A bot as one process of the fleet builds it, with its own limiter and Redis client."""
    return ExtBot(
        token=TOKEN,
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        rate_limiter=SharedFloodLimiter(redis, **limits),  # type: ignore[arg-type]
    )


async def two_processes(
    telegram: FakeTelegram, url: str, **limits: float
) -> tuple[list[ExtBot[int]], list[Redis]]:
    clients = [Redis.from_url(url), Redis.from_url(url)]
    bots = [process_bot(telegram, client, **limits) for client in clients]
    for bot in bots:
        await bot.initialize()
    return bots, clients


async def close(bots: list[ExtBot[int]], clients: list[Redis]) -> None:
    for bot in bots:
        await bot.shutdown()
    for client in clients:
        await client.aclose()


async def test_two_processes_share_one_budget(
    telegram: FakeTelegram, redis_server: RedisServer
) -> None:
    bots, clients = await two_processes(telegram, redis_server.url, overall_per_second=10)
    try:
        started = time.monotonic()
        await asyncio.gather(
            *(bots[n % 2].send_message(CHAT + n, f"message {n}") for n in range(20))
        )
        elapsed = time.monotonic() - started
    finally:
        await close(bots, clients)
    sent = [call for call in telegram.calls if call.method == "sendMessage"]
    assert len(sent) == 20
    # 10 a second with a burst of 8: the 20th message cannot leave before 1.2 s, whichever
    # process sends it. Two in-process limiters would have let both halves go at once.
    assert elapsed >= 1.1
    first = min(call.at for call in sent)
    assert sum(1 for call in sent if call.at - first < 0.5) <= 8 + 5


async def test_the_bots_answers_go_before_a_busy_workers(redis_server: RedisServer) -> None:
    """Straight at the limiters (PTB's one-connection pool would serialise a bot's sends and
    hide the order in which slots were granted)."""
    clients = [Redis.from_url(redis_server.url), Redis.from_url(redis_server.url)]
    bot = SharedFloodLimiter(clients[0], overall_per_second=10)
    worker = SharedFloodLimiter(clients[1], overall_per_second=10, reserve=5)
    granted: list[str] = []

    async def send(text: str) -> bool:
        granted.append(text)
        return True

    def request(limiter: SharedFloodLimiter, chat_id: int, text: str) -> Awaitable[Any]:
        data = {"chat_id": chat_id, "text": text}
        return limiter.process_request(send, (text,), {}, "sendMessage", data, None)

    try:
        results = [asyncio.create_task(request(worker, CHAT + n, f"result {n}")) for n in range(15)]
        await asyncio.sleep(0.05)  # the worker has taken what it may of the burst
        await request(bot, CHAT + 100, "received")
        await asyncio.gather(*results)
    finally:
        for client in clients:
            await client.aclose()
    # The worker may fill only 3 of the 8 burst slots: the acknowledgement finds one free at
    # once, ahead of the 12 results still waiting.
    assert granted.index("received") == 3


async def test_a_group_gets_its_own_slower_bucket(
    telegram: FakeTelegram, redis_server: RedisServer
) -> None:
    bots, clients = await two_processes(
        telegram, redis_server.url, group_per_minute=120, group_burst=1
    )
    try:
        started = time.monotonic()
        await asyncio.gather(*(bots[n % 2].send_message(GROUP, "to the group") for n in range(3)))
        group_elapsed = time.monotonic() - started
        started = time.monotonic()
        await asyncio.gather(*(bots[n % 2].send_message(CHAT, "private") for n in range(3)))
        private_elapsed = time.monotonic() - started
    finally:
        await close(bots, clients)
    assert group_elapsed >= 0.95  # 2 a second, one at a time: the third waits 1 s
    assert private_elapsed < group_elapsed


async def test_a_429_in_one_process_pauses_the_other(
    telegram: FakeTelegram, redis_server: RedisServer
) -> None:
    bots, clients = await two_processes(telegram, redis_server.url)
    telegram.fail_next("sendMessage", retry_after=1)
    try:
        first = asyncio.create_task(bots[0].send_message(CHAT, "hits the flood limit"))
        await telegram.wait_calls("sendMessage", 1)
        refused_at = time.monotonic()
        await asyncio.sleep(0.1)  # the pause is set right after the 429 arrives
        await bots[1].send_message(CHAT + 1, "other process")
        second_sent_at = time.monotonic()
        await first
    finally:
        await close(bots, clients)
    assert second_sent_at - refused_at >= 1.0
    texts = [call.params["text"] for call in telegram.calls if call.method == "sendMessage"]
    assert texts.count("hits the flood limit") == 2  # refused once, then sent


async def test_messages_keep_flowing_when_redis_is_down(
    telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    bot = process_bot(telegram, client)
    await bot.initialize()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.flood"):
            await bot.send_message(CHAT, "first")
            await bot.send_message(CHAT, "second")
    finally:
        await bot.shutdown()
        await client.aclose()
    texts = [call.params["text"] for call in telegram.calls if call.method == "sendMessage"]
    assert texts == ["first", "second"]
    warnings = [record for record in caplog.records if "Redis unreachable" in record.getMessage()]
    assert len(warnings) == 1  # said once, not per message


async def test_requests_without_a_chat_are_not_counted(
    telegram: FakeTelegram, redis_server: RedisServer
) -> None:
    bots, clients = await two_processes(telegram, redis_server.url)
    try:
        await bots[0].get_me()
        keys = await clients[0].keys("papiers:flood:*")
        await bots[0].send_message(CHAT, "counted")
        keys_after = await clients[0].keys("papiers:flood:*")
    finally:
        await close(bots, clients)
    assert keys == []
    assert keys_after == [b"papiers:flood:all"]


async def test_a_chat_action_is_skipped_rather_than_queued_behind_messages(
    telegram: FakeTelegram, redis_server: RedisServer
) -> None:
    bots, clients = await two_processes(telegram, redis_server.url, overall_per_second=2)
    try:
        await asyncio.gather(*(bots[0].send_message(CHAT, f"result {n}") for n in range(8)))
        assert await bots[1].send_chat_action(CHAT, "typing") is True  # skipped, not queued
        await asyncio.sleep(1.0)  # the budget refills: the next chat action goes out
        assert await bots[1].send_chat_action(CHAT, "typing") is True
    finally:
        await close(bots, clients)
    assert len(telegram.calls_to("sendChatAction")) == 1  # the first one was never sent
    assert len(telegram.calls_to("sendMessage")) == 8
