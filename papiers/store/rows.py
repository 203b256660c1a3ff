"""Database rows → the store's dataclasses (and the JSON columns both ways)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from papiers.store.base import (
    AuditDetails,
    AuditEntry,
    Correction,
    Role,
    Scan,
    ScanFile,
    ScanStatus,
    User,
)
from papiers.store.database import Row, as_utc


def _required_time(value: datetime | str) -> datetime:
    moment = as_utc(value)
    assert moment is not None
    return moment


def files_to_json(files: Iterable[ScanFile]) -> str:
    """The files of a scan as the JSON text stored in scans.files."""
    return json.dumps([asdict(file) for file in files], separators=(",", ":"))


def _files_from_json(text: str) -> tuple[ScanFile, ...]:
    items: list[dict[str, Any]] = json.loads(text)
    return tuple(ScanFile(**item) for item in items)


def scan_from_row(row: Row) -> Scan:
    """A Scan from a full scans row."""
    cost = row["cost_eur"]
    return Scan(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        chat_id=int(row["chat_id"]),
        status=ScanStatus(row["status"]),
        language=row["language"],
        type_hint=row["type_hint"],
        idempotency_key=row["idempotency_key"],
        files=_files_from_json(row["files"]),
        ack_message_id=row["ack_message_id"],
        attempts=int(row["attempts"]),
        error_code=row["error_code"],
        document_type=row["document_type"],
        provider=row["provider"],
        duration_ms=row["duration_ms"],
        cost_eur=float(cost) if cost is not None else None,
        result_json=row["result_json"],
        reviewed=bool(row["reviewed"]),
        created_at=_required_time(row["created_at"]),
        started_at=as_utc(row["started_at"]),
        finished_at=as_utc(row["finished_at"]),
        purged_at=as_utc(row["purged_at"]),
        delivered_at=as_utc(row["delivered_at"]),
        delivery_attempts=int(row["delivery_attempts"]),
        error_params=json.loads(row["error_params"]) if row["error_params"] else {},
    )


def error_params_to_json(params: Mapping[str, str | int] | None) -> str | None:
    """A failure's message parameters as stored JSON (None when there are none)."""
    return json.dumps(dict(params), sort_keys=True) if params else None


def user_from_row(row: Row) -> User:
    """A User from a users row."""
    return User(
        user_id=int(row["user_id"]),
        language=row["language"],
        role=Role(row["role"]),
        allowed=bool(row["allowed"]),
        created_at=_required_time(row["created_at"]),
    )


def correction_from_row(row: Row) -> Correction:
    """A Correction from a corrections row."""
    return Correction(
        id=int(row["id"]),
        scan_id=int(row["scan_id"]),
        field=row["field"],
        old_value=row["old_value"],
        new_value=row["new_value"],
        user_id=int(row["user_id"]),
        created_at=_required_time(row["created_at"]),
    )


def audit_from_row(row: Row) -> AuditEntry:
    """An AuditEntry from an audit_log row."""
    return AuditEntry(
        id=int(row["id"]),
        actor_id=int(row["actor_id"]),
        action=row["action"],
        target=row["target"],
        details=json.loads(row["details"]),
        created_at=_required_time(row["created_at"]),
    )


def audit_details_to_json(details: AuditDetails | None) -> str:
    """Audit details as stored JSON (sorted keys, so entries read the same)."""
    return json.dumps(dict(details or {}), sort_keys=True, separators=(",", ":"))
