"""Pytest fixtures shared by tests/bot and tests/jobs (imported by their conftest files)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from jobs.reader import Reader
from tests.fakes.redis_server import RedisServer
from tests.fakes.stack import Stack, running_stack

StackFactory = Callable[..., AbstractAsyncContextManager[Stack]]


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server for this test (stoppable and restartable)."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def make_stack(tmp_path: Path, redis_server: RedisServer) -> AsyncIterator[StackFactory]:
    """`async with make_stack(reader=…, **settings) as stack:` runs bot + worker for the test."""

    def factory(*, reader: Reader | None, **overrides: Any) -> AbstractAsyncContextManager[Stack]:
        return running_stack(tmp_path, redis_server.url, reader=reader, **overrides)

    yield factory
