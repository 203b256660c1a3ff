"""Retries with exponential backoff and full jitter, honouring `Retry-After`, for one provider.

The SDKs' own retries are switched off so that this is the only place that decides: a transient
failure (429, 5xx, timeout, dropped connection) is tried again; anything else, or a wait longer
than the policy allows, hands over to the next provider at once.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from extraction.providers.base import (
    FailureKind,
    Provider,
    ProviderAnswer,
    ProviderFailure,
    ReadingRequest,
)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to insist on one provider before falling back to the next."""

    max_retries: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    timeout_s: float = 30.0
    # A server asking us to wait longer than this is treated as down for this scan.
    max_retry_after_s: float = 20.0
    # Time one provider may take, retries included (default: twice the call timeout), so that a
    # hung provider costs one timeout, not `max_retries` of them, before the next one is asked.
    budget_s: float | None = None

    @property
    def budget(self) -> float:
        return self.budget_s if self.budget_s is not None else 2 * self.timeout_s


def backoff_delay(attempt: int, policy: RetryPolicy, rng: random.Random | None = None) -> float:
    """Full-jitter exponential backoff (AWS architecture blog, "Exponential Backoff And Jitter")."""
    ceiling = min(policy.max_delay_s, policy.base_delay_s * (2**attempt))
    return (rng or random).uniform(0, ceiling)


async def read_with_retries(
    provider: Provider,
    request: ReadingRequest,
    policy: RetryPolicy,
    *,
    sleep: Sleep = asyncio.sleep,
) -> ProviderAnswer:
    """One provider's answer, retrying transient failures; raises the last `ProviderFailure`."""
    attempt = 0
    started = time.monotonic()
    while True:
        try:
            # A safety net over the SDK's own timeout: a stuck connection never hangs a scan.
            async with asyncio.timeout(policy.timeout_s + 1.0):
                return await provider.read(request, timeout_s=policy.timeout_s)
        except TimeoutError:
            failure = ProviderFailure(provider.name, FailureKind.TIMEOUT)
        except ProviderFailure as error:
            failure = error
        if not failure.transient or attempt >= policy.max_retries:
            raise failure
        delay = backoff_delay(attempt, policy)
        if failure.retry_after_s is not None:
            if failure.retry_after_s > policy.max_retry_after_s:
                raise failure
            delay = max(delay, failure.retry_after_s)
        if time.monotonic() - started + delay + policy.timeout_s > policy.budget:
            raise failure
        attempt += 1
        await sleep(delay)
