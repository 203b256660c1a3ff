"""Retries: backoff with jitter, Retry-After honoured, non-transient failures not retried."""

from __future__ import annotations

import asyncio

import pytest

from extraction.providers.base import FailureKind, ProviderAnswer, ProviderFailure, ReadingRequest
from extraction.providers.retry import RetryPolicy, backoff_delay, read_with_retries

REQUEST = ReadingRequest((b"\xff\xd8\xff",), "read", "answer", {"type": "object"})


class ScriptedProvider:
    """A provider that fails as scripted, then answers (a test double of our own interface)."""

    name = "scripted"
    model = "m"

    def __init__(self, *failures: ProviderFailure | float) -> None:
        self.failures = list(failures)
        self.calls = 0

    async def read(self, request: ReadingRequest, *, timeout_s: float) -> ProviderAnswer:
        self.calls += 1
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, float):
                # Hangs like a stuck server; the SDK's timeout ends the call.
                await asyncio.wait_for(asyncio.sleep(failure), timeout_s)
            else:
                raise failure
        return ProviderAnswer("{}", self.model)

    async def aclose(self) -> None:
        return None


def failure(kind: FailureKind, retry_after: float | None = None) -> ProviderFailure:
    return ProviderFailure("scripted", kind, None, retry_after)


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=4.0)
    assert all(0 <= backoff_delay(0, policy) <= 0.5 for _ in range(50))
    assert max(backoff_delay(10, policy) for _ in range(200)) <= 4.0


async def test_transient_failures_are_retried_honouring_retry_after() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    provider = ScriptedProvider(
        failure(FailureKind.RATE_LIMITED, 3.0), failure(FailureKind.SERVER_ERROR)
    )
    policy = RetryPolicy(max_retries=3, base_delay_s=0.01, max_delay_s=0.02)
    answer = await read_with_retries(provider, REQUEST, policy, sleep=sleep)
    assert answer.text == "{}" and provider.calls == 3
    assert waits[0] == 3.0 and waits[1] <= 0.02


@pytest.mark.parametrize(
    "kind", [FailureKind.REFUSED, FailureKind.REJECTED, FailureKind.BAD_ANSWER]
)
async def test_permanent_failures_are_not_retried(kind: FailureKind) -> None:
    provider = ScriptedProvider(failure(kind))
    with pytest.raises(ProviderFailure):
        await read_with_retries(provider, REQUEST, RetryPolicy(base_delay_s=0))
    assert provider.calls == 1


async def test_a_long_retry_after_hands_over_at_once() -> None:
    provider = ScriptedProvider(failure(FailureKind.RATE_LIMITED, 120.0))
    with pytest.raises(ProviderFailure):
        await read_with_retries(provider, REQUEST, RetryPolicy(max_retry_after_s=20))
    assert provider.calls == 1


async def test_a_stuck_call_times_out_and_is_retried_within_the_budget() -> None:
    provider = ScriptedProvider(10.0, 10.0)
    policy = RetryPolicy(max_retries=1, base_delay_s=0, timeout_s=0.05, budget_s=1.0)
    with pytest.raises(ProviderFailure) as raised:
        await read_with_retries(provider, REQUEST, policy)
    assert raised.value.kind is FailureKind.TIMEOUT and provider.calls == 2


async def test_a_hung_provider_costs_one_timeout_by_default() -> None:
    provider = ScriptedProvider(10.0, 10.0, 10.0)
    policy = RetryPolicy(max_retries=3, base_delay_s=0, timeout_s=0.1)  # budget: 0.2 s
    with pytest.raises(ProviderFailure):
        await read_with_retries(provider, REQUEST, policy)
    assert provider.calls == 1
