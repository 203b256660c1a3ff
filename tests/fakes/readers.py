"""Readers for tests and benchmarks that need a reading of known latency or outcome.

End-to-end tests use the real pipeline; these stand in where the point is timing (a slow AI
provider), a crash mid-read, or an exact value (a name holding `<` and `&`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from extraction.errors import ExtractionError
from extraction.models import (
    DocumentType,
    EngineInfo,
    FieldResult,
    FieldStatus,
    ScanResult,
    Source,
)
from jobs.reader import Reader
from papiers.settings import Settings


def passport_result(surname: str = "MARTIN", pages: int = 1) -> ScanResult:
    """A small, valid passport result (synthetic person)."""

    def valid(value: str | int) -> FieldResult:
        return FieldResult(
            value=value, confidence=0.99, status=FieldStatus.VALID, source=Source.MRZ
        )

    return ScanResult(
        document_type=DocumentType.PASSPORT,
        country="FRA",
        fields={
            "document_number": valid("19AB12345"),
            "surname": valid(surname),
            "given_names": valid("JEANNE"),
            "birth_date": valid("1990-02-03"),
            "expiry_date": FieldResult(
                value="2020-01-01", confidence=0.9, status=FieldStatus.INVALID, source=Source.MRZ
            ),
            "personal_number": FieldResult(),
        },
        pages=pages,
        engine=EngineInfo(provider="fixed", duration_ms=0),
    )


class FixedReader:
    """Answers after `delay_s` with `result` (or raises `errors` first, one per call)."""

    def __init__(
        self,
        result: ScanResult | Callable[[Sequence[Any]], ScanResult] | None = None,
        *,
        delay_s: float = 0.0,
        errors: Sequence[BaseException] = (),
    ) -> None:
        self.result = result or passport_result()
        self.delay_s = delay_s
        self.errors = list(errors)
        self.calls: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.release = asyncio.Event()
        self.release.set()

    async def __call__(
        self, files: Sequence[Any], *, document_type: DocumentType | None, language: str
    ) -> ScanResult:
        self.calls.append(
            {"files": list(files), "document_type": document_type, "language": language}
        )
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self.release.wait()
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            if self.errors:
                raise self.errors.pop(0)
            result = self.result(files) if callable(self.result) else self.result
            return result.model_copy(update={"pages": len(files)})
        finally:
            self.in_flight -= 1


def slow_reader(settings: Settings) -> Reader:
    """`--reader tests.fakes.readers:slow_reader`: a 2 s read, like an AI provider."""
    return FixedReader(delay_s=2.0)


def failing_reader(code: str) -> FixedReader:
    return FixedReader(errors=[ExtractionError(code)] * 100)
