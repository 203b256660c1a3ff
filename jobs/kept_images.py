"""Photos are read in memory and never written anywhere, unless `KEEP_IMAGES=true`: then each
downloaded file is also saved under `IMAGES_DIR/scan-<id>/` (for audits or to build test sets),
and the retention job deletes those folders with the results."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from extraction.models import DocumentType, ScanResult
from jobs.reader import Reader
from papiers.logging_setup import scan_id_var

if TYPE_CHECKING:
    from extraction.pipeline import InputFile

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def keep_files(directory: Path, scan_id: int | None, files: Sequence[InputFile]) -> Path:
    """Save the files of one scan in their own folder; returns the folder."""
    folder = directory / (f"scan-{scan_id}" if scan_id is not None else "scan-unknown")
    folder.mkdir(parents=True, exist_ok=True)
    for number, item in enumerate(files, start=1):
        # The agent's file name may be personal ("passeport-dupont.jpg"): keep its extension only.
        extension = _UNSAFE.sub("", Path(item.filename or "").suffix)[:8] or ".bin"
        (folder / f"page-{number}{extension}").write_bytes(item.data)
    return folder


def keeping_reader(reader: Reader, directory: Path) -> Reader:
    """`reader`, saving each scan's files first (the scan id comes from the job's context)."""

    async def read(
        files: Sequence[InputFile], *, document_type: DocumentType | None, language: str
    ) -> ScanResult:
        await asyncio.to_thread(keep_files, directory, scan_id_var.get(), files)
        return await reader(files, document_type=document_type, language=language)

    return read


def purge_kept_images(directory: Path, older_than: datetime) -> int:
    """Delete the kept folders last written before `older_than`; returns how many."""
    if not directory.is_dir():
        return 0
    cutoff = older_than.timestamp()
    removed = 0
    for folder in directory.glob("scan-*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
