"""XLSX export with openpyxl's write-only mode: rows go to disk as they come, memory stays flat."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from openpyxl import Workbook

from papiers.exports.columns import header, row
from papiers.exports.injection import safe_cell
from papiers.store import Scan

# Per-cell XML around the value (`<c r="AB12" t="inlineStr"><is><t>…</t></is></c>`), counted so
# that `size` bounds the uncompressed sheet: the saved (deflated) file can only be smaller.
CELL_OVERHEAD: Final = 48
ROW_OVERHEAD: Final = 24


class XlsxPart:
    """One workbook with a `scans` sheet; `size` is an upper bound of the file it will save."""

    extension = "xlsx"

    def __init__(self, path: Path, fields: Sequence[str]) -> None:
        self._path = path
        self._fields = tuple(fields)
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet("scans")
        self.size = 16_384  # styles, workbook and content-type parts
        self._append(header(self._fields))

    def write(self, scan: Scan) -> None:
        """Append the scan's row, every text cell neutralised against formula injection."""
        self._append([safe_cell(cell) for cell in row(scan, self._fields)])

    def close(self) -> None:
        self._workbook.save(self._path)

    def _append(self, cells: Sequence[object]) -> None:
        self._sheet.append(list(cells))
        self.size += ROW_OVERHEAD + sum(
            CELL_OVERHEAD + len(str(cell).encode()) for cell in cells if cell is not None
        )
