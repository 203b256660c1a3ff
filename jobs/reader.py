"""The reader a worker calls: the real pipeline by default; benchmarks and tests inject theirs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from extraction.models import DocumentType, ScanResult
from papiers.settings import Settings

if TYPE_CHECKING:  # the pipeline loads the OCR engine: import it only where it runs
    from extraction.pipeline import InputFile


class Reader(Protocol):
    async def __call__(
        self, files: Sequence[InputFile], *, document_type: DocumentType | None, language: str
    ) -> ScanResult:
        """Read the files (pages of one document) into a result; raise `ExtractionError`."""
        ...


def pipeline_reader(settings: Settings) -> Reader:
    """`extraction.pipeline.scan` with the configured size limits (runs off the event loop)."""
    from extraction import pipeline  # the engine's heavy modules load only in workers
    from extraction.providers import shared_chain

    limits = pipeline.ScanLimits(
        max_bytes=settings.max_image_bytes, max_pixels=settings.max_image_pixels
    )

    async def read(
        files: Sequence[InputFile], *, document_type: DocumentType | None, language: str
    ) -> ScanResult:
        return await pipeline.scan(
            files,
            document_type=document_type,
            language=language,
            limits=limits,
            providers=shared_chain(settings),  # this worker's settings, one chain per loop
        )

    return read
