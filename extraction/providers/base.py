"""What every AI reading provider offers, and the plain errors they raise.

A provider only carries a request to its API and brings back the raw answer text with its usage:
parsing, validation and checking happen once, in `schemas.py` and `verify.py`, for every provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Usage:
    """What one call consumed: tokens for chat models, pages for OCR models."""

    input_tokens: int = 0
    output_tokens: int = 0
    pages: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.pages + other.pages,
        )


@dataclass(frozen=True, slots=True)
class ReadingRequest:
    """One document to read: its rectified pages as JPEG, the instructions and the answer schema."""

    images: tuple[bytes, ...]
    prompt: str
    schema_name: str
    schema: dict[str, Any] = field(hash=False)


@dataclass(frozen=True, slots=True)
class ProviderAnswer:
    """The raw answer (JSON text, still untrusted), the model that wrote it, and its usage."""

    text: str
    model: str
    usage: Usage = Usage()


class FailureKind(StrEnum):
    RATE_LIMITED = "rate_limited"  # 429
    SERVER_ERROR = "server_error"  # 5xx
    TIMEOUT = "timeout"
    CONNECTION = "connection"  # refused, reset, dropped mid-answer
    REFUSED = "refused"  # safety filter, blocked prompt
    BAD_ANSWER = "bad_answer"  # not JSON, not an object, empty
    REJECTED = "rejected"  # 4xx other than 429: bad key, bad request, unknown model


TRANSIENT_KINDS = frozenset(
    {
        FailureKind.RATE_LIMITED,
        FailureKind.SERVER_ERROR,
        FailureKind.TIMEOUT,
        FailureKind.CONNECTION,
    }
)


class ProviderFailure(Exception):
    """One provider call that failed, as plain data (picklable: SDK errors hold live responses)."""

    def __init__(
        self,
        provider: str,
        kind: FailureKind,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(provider, kind, status, retry_after_s)
        self.provider = provider
        self.kind = FailureKind(kind)
        self.status = status
        self.retry_after_s = retry_after_s

    @property
    def transient(self) -> bool:
        """Worth trying again after a pause (quota, overload, network)."""
        return self.kind in TRANSIENT_KINDS

    def __str__(self) -> str:
        status = f" {self.status}" if self.status is not None else ""
        return f"{self.provider}: {self.kind.value}{status}"


class Provider(Protocol):
    """An AI reading service: sends a `ReadingRequest`, returns its answer or raises
    `ProviderFailure` (never an SDK exception)."""

    name: str
    model: str

    async def read(self, request: ReadingRequest, *, timeout_s: float) -> ProviderAnswer:
        """Read the document once (no retries: `retry.py` owns them)."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP connections."""
        ...


def kind_of_status(status: int) -> FailureKind:
    """429 → rate limited, 408 → timeout, 5xx → server error, other 4xx → rejected."""
    if status == 429:
        return FailureKind.RATE_LIMITED
    if status == 408:
        return FailureKind.TIMEOUT
    if status >= 500:
        return FailureKind.SERVER_ERROR
    return FailureKind.REJECTED


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds form; HTTP dates are ignored)."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(0.0, seconds)
