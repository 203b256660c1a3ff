"""The Store on SQL: users, the scan lifecycle and the audit log, written once for both backends.

Exactly-once rests on the database, not on the caller: a UNIQUE idempotency key for creation, and
conditional UPDATEs (`WHERE status IN ('queued', 'processing')`) for every state change, so when
two workers race only one sees its row updated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from papiers.store.base import (
    PENDING_STATUSES,
    AuditDetails,
    AuditEntry,
    Role,
    Scan,
    ScanFile,
    ScanStatus,
    User,
)
from papiers.store.database import Clock, Database, utc_now
from papiers.store.delivery import DeliveryQueries
from papiers.store.history import HistoryQueries
from papiers.store.migrations import apply_migrations, current_version
from papiers.store.rows import (
    audit_details_to_json,
    audit_from_row,
    error_params_to_json,
    files_to_json,
    scan_from_row,
    user_from_row,
)


def _pending(first: int) -> str:
    """The condition "still queued or processing", bound to placeholders $first and $first+1."""
    return f"status IN (${first}, ${first + 1})"


class SqlStore(HistoryQueries, DeliveryQueries):
    """The Store protocol over a Database (SQLite or PostgreSQL)."""

    def __init__(self, database: Database, now: Clock = utc_now) -> None:
        super().__init__(database, now)

    async def migrate(self) -> int:
        """Apply pending schema migrations (serialised across processes); return how many ran."""
        return await apply_migrations(self._db, self._now)

    async def schema_version(self) -> int:
        """The highest applied migration number (0 on an empty database)."""
        return await current_version(self._db)

    async def close(self) -> None:
        """Release connections."""
        await self._db.close()

    # Users

    async def get_user(self, user_id: int) -> User | None:
        """The user, or None when never seen."""
        async with self._db.connection() as connection:
            row = await connection.fetchrow("SELECT * FROM users WHERE user_id = $1", user_id)
        return user_from_row(row) if row is not None else None

    async def upsert_user(
        self,
        user_id: int,
        *,
        language: str | None = None,
        role: Role | None = None,
        allowed: bool | None = None,
    ) -> User:
        """Create the user (role agent, not allowed by default) or update only the given fields."""
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "INSERT INTO users (user_id, language, role, allowed, created_at, updated_at)"
                " VALUES ($1, $2, COALESCE($3, 'agent'), COALESCE($4, FALSE), $5, $5)"
                " ON CONFLICT (user_id) DO UPDATE SET"
                " language = COALESCE($2, users.language), role = COALESCE($3, users.role),"
                " allowed = COALESCE($4, users.allowed), updated_at = $5"
                " RETURNING *",
                user_id,
                language,
                role,
                allowed,
                self._now(),
            )
        assert row is not None
        return user_from_row(row)

    async def list_users(self) -> list[User]:
        """All users, by user_id."""
        async with self._db.connection() as connection:
            rows = await connection.fetch("SELECT * FROM users ORDER BY user_id")
        return [user_from_row(row) for row in rows]

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
        async with self._db.transaction() as connection:
            # ON CONFLICT DO NOTHING waits for a racing insert of the same key to commit, then
            # yields no row: the SELECT that follows sees the winner's scan.
            row = await connection.fetchrow(
                "INSERT INTO scans (user_id, chat_id, status, language, type_hint,"
                " idempotency_key, files, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                " ON CONFLICT (idempotency_key) DO NOTHING RETURNING *",
                user_id,
                chat_id,
                ScanStatus.QUEUED,
                language,
                type_hint,
                idempotency_key,
                files_to_json(files),
                self._now(),
            )
            if row is not None:
                return scan_from_row(row), True
            existing = await connection.fetchrow(
                "SELECT * FROM scans WHERE idempotency_key = $1", idempotency_key
            )
        assert existing is not None, "the conflicting scan was deleted in between"
        return scan_from_row(existing), False

    async def get_scan(self, scan_id: int) -> Scan | None:
        """The scan, or None."""
        async with self._db.connection() as connection:
            row = await connection.fetchrow("SELECT * FROM scans WHERE id = $1", scan_id)
        return scan_from_row(row) if row is not None else None

    async def set_ack_message(self, scan_id: int, message_id: int) -> None:
        """Remember the bot's "received" message so the worker can edit or answer it."""
        async with self._db.transaction() as connection:
            await connection.execute(
                "UPDATE scans SET ack_message_id = $2 WHERE id = $1", scan_id, message_id
            )

    async def claim_scan(self, scan_id: int) -> Scan | None:
        """Mark queued/processing → processing, attempts+1; None when done, failed or cancelled.

        "processing" may be claimed again: that is a job re-delivered after its worker died.
        """
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "UPDATE scans SET status = $2, attempts = attempts + 1, started_at = $3"
                f" WHERE id = $1 AND {_pending(4)} RETURNING *",
                scan_id,
                ScanStatus.PROCESSING,
                self._now(),
                *PENDING_STATUSES,
            )
        return scan_from_row(row) if row is not None else None

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
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "UPDATE scans SET status = $2, result_json = $3, document_type = $4,"
                " provider = $5, duration_ms = $6, cost_eur = $7, finished_at = $8,"
                f" error_code = NULL WHERE id = $1 AND {_pending(9)} RETURNING id",
                scan_id,
                ScanStatus.DONE,
                result_json,
                document_type,
                provider,
                duration_ms,
                float(cost_eur),
                self._now(),
                *PENDING_STATUSES,
            )
        return row is not None

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
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "UPDATE scans SET status = $2, error_code = $3, provider = $4, duration_ms = $5,"
                " cost_eur = $6, finished_at = $7, error_params = $8"
                f" WHERE id = $1 AND {_pending(9)} RETURNING id",
                scan_id,
                ScanStatus.FAILED,
                error_code,
                provider,
                duration_ms,
                float(cost_eur) if cost_eur is not None else None,
                self._now(),
                error_params_to_json(error_params),
                *PENDING_STATUSES,
            )
        return row is not None

    async def cancel_scan(self, scan_id: int, user_id: int) -> bool:
        """Cancel the user's own queued/processing scan; False when not theirs or already over."""
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "UPDATE scans SET status = $3, finished_at = $4"
                f" WHERE id = $1 AND user_id = $2 AND {_pending(5)} RETURNING id",
                scan_id,
                user_id,
                ScanStatus.CANCELLED,
                self._now(),
                *PENDING_STATUSES,
            )
        return row is not None

    async def pending_scans(self, user_id: int) -> list[Scan]:
        """The user's queued/processing scans, oldest first."""
        async with self._db.connection() as connection:
            rows = await connection.fetch(
                f"SELECT * FROM scans WHERE user_id = $1 AND {_pending(2)} ORDER BY id",
                user_id,
                *PENDING_STATUSES,
            )
        return [scan_from_row(row) for row in rows]

    async def queue_position(self, scan_id: int) -> int:
        """How many queued/processing scans (all users) were created before this one."""
        async with self._db.connection() as connection:
            row = await connection.fetchrow(
                f"SELECT COUNT(*) AS ahead FROM scans WHERE id < $1 AND {_pending(2)}",
                scan_id,
                *PENDING_STATUSES,
            )
        return int(row["ahead"]) if row is not None else 0

    async def recent_scans(self, user_id: int, limit: int = 10) -> list[Scan]:
        """The user's latest scans, newest first."""
        async with self._db.connection() as connection:
            rows = await connection.fetch(
                "SELECT * FROM scans WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
                user_id,
                limit,
            )
        return [scan_from_row(row) for row in rows]

    async def unfinished_scans(self, older_than: timedelta | None = None) -> list[Scan]:
        """Queued/processing scans created at least older_than ago (all when None), oldest first."""
        age_filter = ""
        extra: tuple[object, ...] = ()
        if older_than is not None:
            age_filter = " AND created_at <= $3"
            extra = (self._now() - older_than,)
        async with self._db.connection() as connection:
            rows = await connection.fetch(
                f"SELECT * FROM scans WHERE {_pending(1)}{age_filter} ORDER BY id",
                *PENDING_STATUSES,
                *extra,
            )
        return [scan_from_row(row) for row in rows]

    # Audit

    async def add_audit(
        self,
        actor_id: int,
        action: str,
        target: str | None = None,
        details: AuditDetails | None = None,
    ) -> None:
        """Log an admin action. details: ids, counts, codes, field names; never a field value."""
        async with self._db.transaction() as connection:
            await connection.execute(
                "INSERT INTO audit_log (actor_id, action, target, details, created_at)"
                " VALUES ($1, $2, $3, $4, $5)",
                actor_id,
                action,
                target,
                audit_details_to_json(details),
                self._now(),
            )

    async def list_audit(self, limit: int = 50) -> list[AuditEntry]:
        """The latest audit entries, newest first."""
        async with self._db.connection() as connection:
            rows = await connection.fetch(
                "SELECT * FROM audit_log ORDER BY id DESC LIMIT $1", limit
            )
        return [audit_from_row(row) for row in rows]
