"""Spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR is run as a
formula by Excel and LibreOffice (OWASP "CSV Injection"). A document can carry such a value (a
forged name `=HYPERLINK(…)`), so every text cell of a CSV or XLSX export goes through here."""

from __future__ import annotations

from typing import Final

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The text, prefixed with `'` when a spreadsheet would read it as a formula (OWASP advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: str | int | float | bool | None) -> str | int | float | bool | None:
    """A cell value for a spreadsheet: numbers and booleans as they are, text neutralised."""
    return neutralise(value) if isinstance(value, str) else value
