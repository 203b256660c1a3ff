"""What one export row holds: the scan's facts, then each field's value, status and source.

The columns depend only on the document type asked for (every type's fields when none is), so
the header is known before the first scan is read and the rows can be streamed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final

from extraction.documents import KNOWN_TYPES, spec_for
from extraction.models import DocumentType
from papiers.store import Scan

Cell = str | int | float | bool | None

SCAN_COLUMNS: Final = (
    "scan_id",
    "document_type",
    "agent_id",
    "created_at",
    "finished_at",
    "provider",
    "reviewed",
    "warnings",
)


def field_names(document_type: DocumentType | None) -> tuple[str, ...]:
    """The fields of one type, or of every known type (first appearance order) when None."""
    types = KNOWN_TYPES if document_type is None else (document_type,)
    names: dict[str, None] = {}
    for known in types:
        names.update(dict.fromkeys(spec_for(known).field_names))
    return tuple(names)


def header(fields: Sequence[str]) -> list[str]:
    """`scan_id…warnings`, then `<field>`, `<field>_status`, `<field>_source` for each field."""
    columns = list(SCAN_COLUMNS)
    for name in fields:
        columns.extend((name, f"{name}_status", f"{name}_source"))
    return columns


def envelope(scan: Scan) -> dict[str, object]:
    """The scan's stored JSON result as a dict (empty when purged)."""
    if not scan.result_json:
        return {}
    loaded = json.loads(scan.result_json)
    return loaded if isinstance(loaded, dict) else {}


def row(scan: Scan, fields: Sequence[str]) -> list[Cell]:
    """One scan as cells in `header(fields)` order; a field the scan lacks is left empty."""
    result = envelope(scan)
    warnings = result.get("warnings")
    codes = (
        [str(w.get("code")) for w in warnings if isinstance(w, dict)]
        if isinstance(warnings, list)
        else []
    )
    cells: list[Cell] = [
        scan.id,
        scan.document_type,
        scan.user_id,
        scan.created_at.isoformat(timespec="seconds"),
        scan.finished_at.isoformat(timespec="seconds") if scan.finished_at else None,
        scan.provider,
        scan.reviewed,
        " ".join(codes) or None,
    ]
    values = result.get("fields")
    found = values if isinstance(values, dict) else {}
    for name in fields:
        entry = found.get(name)
        if isinstance(entry, dict):
            cells.extend((_cell(entry.get("value")), entry.get("status"), entry.get("source")))
        else:
            cells.extend((None, None, None))
    return cells


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
