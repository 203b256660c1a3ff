"""What the bot, the worker and the admin commands may ask of storage: the `Store` protocol and the
plain dataclasses it returns. Two implementations share one behaviour: SQLite (one file, one
machine) and PostgreSQL (several machines). Open one with `papiers.store.open_store(url)`.

Times are aware UTC datetimes. Scan ids are the numbers agents see ("Scan #42").
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol, runtime_checkable

# Audit details: short, non-personal facts only (ids, counts, codes, field NAMES). Never a value
# read from a document, because the audit log is kept longer than results and shown to admins.
AuditDetails = Mapping[str, str | int | float | bool | None]


class ScanNotFoundError(LookupError):
    """The scan does not exist (never created, or deleted by /forget)."""


class ScanStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


PENDING_STATUSES = (ScanStatus.QUEUED, ScanStatus.PROCESSING)


class Role(StrEnum):
    AGENT = "agent"
    ADMIN = "admin"


@dataclass(frozen=True)
class ScanFile:
    """One Telegram file of a scan (a photo or a document); file_id is what the worker downloads."""

    file_id: str
    file_unique_id: str
    kind: Literal["photo", "document"]
    mime_type: str | None = None
    file_size: int | None = None
    file_name: str | None = None


@dataclass(frozen=True)
class Scan:
    id: int
    user_id: int
    chat_id: int
    status: ScanStatus
    language: str
    type_hint: str | None
    idempotency_key: str
    files: tuple[ScanFile, ...]
    ack_message_id: int | None
    attempts: int
    error_code: str | None
    document_type: str | None
    provider: str | None
    duration_ms: int | None
    cost_eur: float | None
    result_json: str | None
    reviewed: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    # Set when retention purged the result and files; the row stays for statistics only.
    purged_at: datetime | None = None
    # Set once the agent was sent the result (or the failure): recovery re-sends the others.
    delivered_at: datetime | None = None
    delivery_attempts: int = 0
    # The failure message's parameters (sizes, limits; never a value read from a document).
    error_params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class User:
    user_id: int
    language: str | None
    role: Role
    allowed: bool
    created_at: datetime


@dataclass(frozen=True)
class Correction:
    """One field correction made in chat; old_value is the value before it (the scan's history)."""

    id: int
    scan_id: int
    field: str
    old_value: str | None
    new_value: str | None
    user_id: int
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor_id: int
    action: str
    target: str | None
    details: dict[str, str | int | float | bool | None]
    created_at: datetime


@dataclass(frozen=True)
class ScanStats:
    """Counts over scans created in [start, end). Keys "none" stand for an unknown type/provider."""

    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    by_provider: dict[str, int] = field(default_factory=dict)
    failure_reasons: dict[str, int] = field(default_factory=dict)
    scans_per_user: dict[int, int] = field(default_factory=dict)
    # Time to result = finished_at - created_at of done scans (what the agent waits), in ms.
    median_ms: int | None = None
    p95_ms: int | None = None
    cost_eur: float = 0.0


@runtime_checkable
class Store(Protocol):
    """Persistent state of Papiers. Every method is safe with several bots/workers at once."""

    async def migrate(self) -> int:
        """Apply pending schema migrations (serialised across processes); return how many ran."""
        ...

    async def schema_version(self) -> int:
        """The highest applied migration number (0 on an empty database)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...

    # Users
    async def get_user(self, user_id: int) -> User | None:
        """The user, or None when never seen."""
        ...

    async def upsert_user(
        self,
        user_id: int,
        *,
        language: str | None = None,
        role: Role | None = None,
        allowed: bool | None = None,
    ) -> User:
        """Create the user (role agent, not allowed by default) or update only the given fields."""
        ...

    async def list_users(self) -> list[User]:
        """All users, by user_id."""
        ...

    # Scans
    async def create_scan(
        self,
        *,
        user_id: int,
        chat_id: int,
        language: str,
        idempotency_key: str,
        files: Sequence[ScanFile],
        type_hint: str | None = None,
    ) -> tuple[Scan, bool]:
        """Record a queued scan; a repeated idempotency_key returns the existing scan and False."""
        ...

    async def get_scan(self, scan_id: int) -> Scan | None:
        """The scan, or None."""
        ...

    async def set_ack_message(self, scan_id: int, message_id: int) -> None:
        """Remember the bot's "received" message so the worker can edit or answer it."""
        ...

    async def claim_scan(self, scan_id: int) -> Scan | None:
        """Mark queued/processing → processing, attempts+1; None when done, failed or cancelled."""
        ...

    async def finish_scan(
        self,
        scan_id: int,
        *,
        result_json: str,
        document_type: str | None,
        provider: str | None,
        duration_ms: int,
        cost_eur: float = 0.0,
    ) -> bool:
        """Store the result; True only for the one call that moved the scan to done."""
        ...

    async def fail_scan(
        self,
        scan_id: int,
        error_code: str,
        *,
        provider: str | None = None,
        duration_ms: int | None = None,
        cost_eur: float | None = None,
        error_params: Mapping[str, str | int] | None = None,
    ) -> bool:
        """Mark failed with a stable error code; True only for the call that moved it to failed."""
        ...

    # Delivery of the answer (a worker may die between storing it and sending it)
    async def mark_delivered(self, scan_id: int) -> bool:
        """Record that the agent was sent the scan's answer; True only for the first call."""
        ...

    async def undelivered_scans(self, older_than: timedelta) -> list[Scan]:
        """Done/failed scans never delivered, finished at least older_than ago, oldest first."""
        ...

    async def claim_delivery(
        self, scan_id: int, owner: str, *, stale_after: timedelta
    ) -> Scan | None:
        """Take the right to (re-)send an undelivered answer: the scan for one caller at a time.

        None when delivered, gone, or claimed by another less than stale_after ago.
        """
        ...

    async def cancel_scan(self, scan_id: int, user_id: int) -> bool:
        """Cancel the user's own queued/processing scan; False when not theirs or already over."""
        ...

    async def pending_scans(self, user_id: int) -> list[Scan]:
        """The user's queued/processing scans, oldest first."""
        ...

    async def queue_position(self, scan_id: int) -> int:
        """How many queued/processing scans (all users) were created before this one."""
        ...

    async def recent_scans(self, user_id: int, limit: int = 10) -> list[Scan]:
        """The user's latest scans, newest first."""
        ...

    async def unfinished_scans(self, older_than: timedelta | None = None) -> list[Scan]:
        """Queued/processing scans created at least older_than ago (all when None), oldest first."""
        ...

    # Corrections and review
    async def record_correction(
        self,
        scan_id: int,
        *,
        field: str,
        old_value: str | None,
        new_value: str | None,
        user_id: int,
        result_json: str | None = None,
    ) -> Correction:
        """Append to the scan's history; when result_json is given it replaces the stored result."""
        ...

    async def list_corrections(self, scan_id: int) -> list[Correction]:
        """The scan's correction history, oldest first."""
        ...

    async def mark_reviewed(self, scan_id: int, reviewed: bool = True) -> bool:
        """Set the reviewed flag; False when the scan does not exist."""
        ...

    # Retention, export, statistics
    async def delete_user_scans(self, user_id: int) -> int:
        """Delete every scan (and its corrections) of one agent; return how many scans."""
        ...

    async def purge_results(self, older_than: datetime) -> int:
        """Drop results, files and corrections of scans created before older_than; return count.

        The row stays with what statistics need only; an unfinished one is failed as "expired".
        """
        ...

    def iter_scans_for_export(
        self, start: datetime, end: datetime, document_type: str | None = None
    ) -> AsyncIterator[Scan]:
        """Done scans with a result created in [start, end) (one type when given), in id order."""
        ...

    async def stats(self, start: datetime, end: datetime) -> ScanStats:
        """Numbers about scans created in [start, end)."""
        ...

    # Audit
    async def add_audit(
        self,
        actor_id: int,
        action: str,
        target: str | None = None,
        details: AuditDetails | None = None,
    ) -> None:
        """Log an admin action. details: ids, counts, codes, field names; never a field value."""
        ...

    async def list_audit(self, limit: int = 50) -> list[AuditEntry]:
        """The latest audit entries, newest first."""
        ...
