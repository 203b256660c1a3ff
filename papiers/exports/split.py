"""Keeping exports under Telegram's 50 MB upload limit for bots: rows go to numbered parts that
each stay under the limit, and several parts travel in zip archives filled up to the limit.

Each part is a complete file (its own header), so any one of them opens on its own.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final, Protocol

from papiers.store import Scan

TELEGRAM_UPLOAD_LIMIT: Final = 50 * 1000 * 1000  # bots may send files up to 50 MB
# Room for the zip's own headers and Telegram's multipart encoding.
MARGIN: Final = 1_000_000
ZIP_ENTRY_OVERHEAD: Final = 256
_CHUNK: Final = 1 << 20


class Part(Protocol):
    size: int

    def write(self, scan: Scan) -> None: ...

    def close(self) -> None: ...


class PartedWriter:
    """Writes scans to `<stem>.<ext>`, or `<stem>-1.<ext>`, `<stem>-2.<ext>`… past `max_bytes`."""

    def __init__(
        self,
        directory: Path,
        stem: str,
        extension: str,
        open_part: Callable[[Path], Part],
        *,
        max_bytes: int = TELEGRAM_UPLOAD_LIMIT - MARGIN,
    ) -> None:
        self._directory, self._stem, self._extension = directory, stem, extension
        self._open_part = open_part
        self._max_bytes = max_bytes
        self._paths: list[Path] = []
        self._part: Part | None = None
        self.rows = 0

    def write(self, scans: Iterable[Scan]) -> None:
        """Append scans, starting a new part before one would pass the size limit."""
        for scan in scans:
            part = self._current()
            before = part.size
            part.write(scan)
            self.rows += 1
            # A part holds at least one row; a row that pushed it over moves to the next part
            # only when the limit is hard (we cannot unwrite), so rotate as soon as it is near.
            if part.size >= self._max_bytes or part.size + (part.size - before) > self._max_bytes:
                self._rotate()

    def close(self) -> list[Path]:
        """Finish the last part (an empty export still gets its header) and list every part."""
        if self._part is not None or not self._paths:
            self._current()
            self._rotate()
        if len(self._paths) == 1:
            single = self._directory / f"{self._stem}.{self._extension}"
            self._paths[0].rename(single)
            self._paths[0] = single
        return list(self._paths)

    def _current(self) -> Part:
        if self._part is None:
            path = self._directory / f"{self._stem}-{len(self._paths) + 1}.{self._extension}"
            self._paths.append(path)
            self._part = self._open_part(path)
        return self._part

    def _rotate(self) -> None:
        if self._part is not None:
            self._part.close()
            self._part = None


def deflated_size(path: Path) -> int:
    """The size of `path` once deflated as zipfile does (same zlib settings, so the same bytes)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    total = 0
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            total += len(compressor.compress(chunk))
    return total + len(compressor.flush())


def bundle(
    parts: Sequence[Path], stem: str, *, limit: int = TELEGRAM_UPLOAD_LIMIT - MARGIN
) -> list[Path]:
    """The files to send: a lone part under the limit as it is, otherwise zip archives each
    holding as many whole parts as fit under `limit` once compressed."""
    if len(parts) == 1 and parts[0].stat().st_size <= limit:
        return list(parts)
    groups: list[list[Path]] = []
    filled = limit + 1
    for part in parts:
        size = deflated_size(part) + ZIP_ENTRY_OVERHEAD + 2 * len(part.name)
        if filled + size > limit:
            groups.append([])
            filled = 0
        groups[-1].append(part)
        filled += size
    archives = []
    for number, group in enumerate(groups, start=1):
        name = f"{stem}.zip" if len(groups) == 1 else f"{stem}-{number}.zip"
        archive = parts[0].parent / name
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for part in group:
                zipped.write(part, arcname=part.name)
        archives.append(archive)
    return archives
