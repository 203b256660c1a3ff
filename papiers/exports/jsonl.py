"""JSON Lines export: one line per scan, its facts and the full contract envelope as sent."""

from __future__ import annotations

import json
from pathlib import Path

from papiers.exports.columns import envelope
from papiers.store import Scan


def record(scan: Scan) -> dict[str, object]:
    """`{"scan": {...facts}, "result": {...envelope}}` for one scan."""
    facts: dict[str, object] = {
        "id": scan.id,
        "agent_id": scan.user_id,
        "status": scan.status.value,
        "document_type": scan.document_type,
        "provider": scan.provider,
        "reviewed": scan.reviewed,
        "created_at": scan.created_at.isoformat(),
        "finished_at": scan.finished_at.isoformat() if scan.finished_at else None,
        "duration_ms": scan.duration_ms,
        "cost_eur": scan.cost_eur,
    }
    return {"scan": facts, "result": envelope(scan)}


class JsonlPart:
    """One `.jsonl` file (UTF-8, one JSON object per line)."""

    extension = "jsonl"

    def __init__(self, path: Path) -> None:
        self._file = path.open("wb")
        self.size = 0

    def write(self, scan: Scan) -> None:
        line = json.dumps(record(scan), ensure_ascii=False).encode("utf-8") + b"\n"
        self._file.write(line)
        self.size += len(line)

    def close(self) -> None:
        self._file.close()
