"""CSV export for French Excel: UTF-8 with a BOM (or Excel guesses Windows-1252) and `;` as
separator (the French list separator, since `,` is the decimal mark); `,` on request."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from papiers.exports.columns import header, row
from papiers.exports.injection import safe_cell
from papiers.store import Scan

BOM = "\ufeff".encode()


class CsvPart:
    """One CSV file: BOM and header first, then one line per scan."""

    extension = "csv"

    def __init__(self, path: Path, fields: Sequence[str], *, delimiter: str = ";") -> None:
        self._fields = tuple(fields)
        self._file = path.open("wb")
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\r\n")
        self._file.write(BOM)
        self.size = len(BOM)
        self._emit(header(self._fields))

    def write(self, scan: Scan) -> None:
        """Append the scan's line, every text cell neutralised against formula injection."""
        self._emit([safe_cell(cell) for cell in row(scan, self._fields)])

    def close(self) -> None:
        self._file.close()

    def _emit(self, cells: Sequence[object]) -> None:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(["" if cell is None else cell for cell in cells])
        data = self._buffer.getvalue().encode("utf-8")
        self._file.write(data)
        self.size += len(data)
