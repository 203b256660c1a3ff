"""What happens to scans after their result: corrections, review, retention, export, statistics."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime

from papiers.store.base import Correction, Scan, ScanNotFoundError, ScanStats, ScanStatus
from papiers.store.database import Clock, Database, as_utc
from papiers.store.rows import correction_from_row, scan_from_row

EXPORT_BATCH = 200
# A scan still unfinished when its retention ends is closed with this error code.
EXPIRED = "expired"


class HistoryQueries:
    """Corrections, review flag, retention purge, export and statistics, for both backends."""

    def __init__(self, database: Database, now: Clock) -> None:
        self._db = database
        self._now = now

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
        async with self._db.transaction() as connection:
            if await connection.fetchrow("SELECT id FROM scans WHERE id = $1", scan_id) is None:
                raise ScanNotFoundError(scan_id)
            row = await connection.fetchrow(
                "INSERT INTO corrections"
                " (scan_id, field, old_value, new_value, user_id, created_at)"
                " VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                scan_id,
                field,
                old_value,
                new_value,
                user_id,
                self._now(),
            )
            if result_json is not None:
                await connection.execute(
                    "UPDATE scans SET result_json = $2 WHERE id = $1", scan_id, result_json
                )
        assert row is not None
        return correction_from_row(row)

    async def list_corrections(self, scan_id: int) -> list[Correction]:
        """The scan's correction history, oldest first."""
        async with self._db.connection() as connection:
            rows = await connection.fetch(
                "SELECT * FROM corrections WHERE scan_id = $1 ORDER BY id", scan_id
            )
        return [correction_from_row(row) for row in rows]

    async def mark_reviewed(self, scan_id: int, reviewed: bool = True) -> bool:
        """Set the reviewed flag; False when the scan does not exist."""
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "UPDATE scans SET reviewed = $2 WHERE id = $1 RETURNING id", scan_id, reviewed
            )
        return row is not None

    async def delete_user_scans(self, user_id: int) -> int:
        """Delete every scan (and its corrections) of one agent; return how many scans."""
        async with self._db.transaction() as connection:
            rows = await connection.fetch(
                "DELETE FROM scans WHERE user_id = $1 RETURNING id", user_id
            )
        return len(rows)

    async def purge_results(self, older_than: datetime) -> int:
        """Drop results, files and corrections of scans created before older_than; return count.

        The row itself stays, holding only what statistics need (type, status, provider, times,
        cost, error code, agent id); a scan still unfinished is closed as failed "expired".
        """
        now = self._now()
        async with self._db.transaction() as connection:
            await connection.execute(
                "UPDATE scans SET status = $2, error_code = $3, finished_at = $4"
                " WHERE created_at < $1 AND status IN ($5, $6)",
                older_than,
                ScanStatus.FAILED,
                EXPIRED,
                now,
                ScanStatus.QUEUED,
                ScanStatus.PROCESSING,
            )
            await connection.execute(
                "DELETE FROM corrections WHERE scan_id IN"
                " (SELECT id FROM scans WHERE created_at < $1 AND purged_at IS NULL)",
                older_than,
            )
            rows = await connection.fetch(
                "UPDATE scans SET result_json = NULL, files = '[]', purged_at = $2"
                " WHERE created_at < $1 AND purged_at IS NULL RETURNING id",
                older_than,
                now,
            )
        return len(rows)

    async def iter_scans_for_export(
        self, start: datetime, end: datetime, document_type: str | None = None
    ) -> AsyncIterator[Scan]:
        """Done scans with a result created in [start, end) (of one type when given), in id order.

        Rows come in batches by id, so no connection or lock is held while the caller works.
        """
        type_filter = "" if document_type is None else " AND document_type = $5"
        extra: tuple[object, ...] = () if document_type is None else (document_type,)
        last_id = 0
        while True:
            async with self._db.connection() as connection:
                rows = await connection.fetch(
                    "SELECT * FROM scans WHERE status = $1 AND result_json IS NOT NULL"
                    " AND created_at >= $2 AND created_at < $3 AND id > $4"
                    f"{type_filter} ORDER BY id LIMIT {EXPORT_BATCH}",
                    ScanStatus.DONE,
                    start,
                    end,
                    last_id,
                    *extra,
                )
            for row in rows:
                yield scan_from_row(row)
            if len(rows) < EXPORT_BATCH:
                return
            last_id = int(rows[-1]["id"])

    async def stats(self, start: datetime, end: datetime) -> ScanStats:
        """Numbers about scans created in [start, end)."""
        async with self._db.connection() as connection:
            rows = await connection.fetch(
                "SELECT user_id, status, document_type, provider, error_code, cost_eur,"
                " created_at, finished_at FROM scans WHERE created_at >= $1 AND created_at < $2",
                start,
                end,
            )
        waits: list[int] = []
        for row in rows:
            created, finished = as_utc(row["created_at"]), as_utc(row["finished_at"])
            if row["status"] == ScanStatus.DONE and created is not None and finished is not None:
                waits.append(round((finished - created).total_seconds() * 1000))
        return ScanStats(
            total=len(rows),
            by_status=dict(Counter(str(row["status"]) for row in rows)),
            by_type=dict(Counter(str(row["document_type"] or "none") for row in rows)),
            by_provider=dict(Counter(str(row["provider"] or "none") for row in rows)),
            failure_reasons=dict(
                Counter(
                    str(row["error_code"] or "none")
                    for row in rows
                    if row["status"] == ScanStatus.FAILED
                )
            ),
            scans_per_user=dict(Counter(int(row["user_id"]) for row in rows)),
            median_ms=round(statistics.median(waits)) if waits else None,
            p95_ms=_nearest_rank(waits, 0.95),
            cost_eur=round(sum(float(row["cost_eur"] or 0.0) for row in rows), 6),
        )


def _nearest_rank(values: list[int], fraction: float) -> int | None:
    """The nearest-rank percentile: the smallest value with at least fraction of values ≤ it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]
