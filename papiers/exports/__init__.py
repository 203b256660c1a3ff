"""Exports of finished scans for admins: CSV (French Excel), XLSX or JSON Lines, streamed from
the store to files on disk, split and zipped under Telegram's upload limit.

    outcome = await export_scans(store.iter_scans_for_export(start, end), ExportFormat.CSV,
                                 directory=tmp, stem="papiers-2026-11")
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Final

from extraction.models import DocumentType
from papiers.exports.columns import field_names
from papiers.exports.csv import CsvPart
from papiers.exports.jsonl import JsonlPart
from papiers.exports.split import MARGIN, TELEGRAM_UPLOAD_LIMIT, Part, PartedWriter, bundle
from papiers.exports.xlsx import XlsxPart
from papiers.store import Scan

BATCH: Final = 500  # scans written per trip to the writer thread


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


@dataclass(frozen=True)
class ExportOutcome:
    files: list[Path]
    rows: int
    parts: int


def part_opener(
    export_format: ExportFormat, document_type: DocumentType | None, *, delimiter: str = ";"
) -> tuple[str, Callable[[Path], Part]]:
    """The file extension and the part constructor for a format."""
    fields = field_names(document_type)
    if export_format is ExportFormat.CSV:
        return "csv", partial(CsvPart, fields=fields, delimiter=delimiter)
    if export_format is ExportFormat.XLSX:
        return "xlsx", partial(XlsxPart, fields=fields)
    return "jsonl", JsonlPart


async def export_scans(
    scans: AsyncIterator[Scan],
    export_format: ExportFormat,
    *,
    directory: Path,
    stem: str,
    document_type: DocumentType | None = None,
    delimiter: str = ";",
    max_part_bytes: int = TELEGRAM_UPLOAD_LIMIT - MARGIN,
    limit: int = TELEGRAM_UPLOAD_LIMIT - MARGIN,
    on_progress: Callable[[int], Awaitable[None]] | None = None,
) -> ExportOutcome:
    """Write every scan to export files in `directory`; file writing runs off the event loop."""
    extension, opener = part_opener(export_format, document_type, delimiter=delimiter)
    writer = PartedWriter(directory, stem, extension, opener, max_bytes=max_part_bytes)
    batch: list[Scan] = []
    async for scan in scans:
        batch.append(scan)
        if len(batch) >= BATCH:
            await asyncio.to_thread(writer.write, batch)
            batch = []
            if on_progress is not None:
                await on_progress(writer.rows)
    await asyncio.to_thread(writer.write, batch)
    parts = await asyncio.to_thread(writer.close)
    files = await asyncio.to_thread(bundle, parts, stem, limit=limit)
    return ExportOutcome(files=files, rows=writer.rows, parts=len(parts))


__all__ = ["ExportFormat", "ExportOutcome", "export_scans", "part_opener"]
