"""Delivery of a scan's answer, tracked apart from its status.

A worker stores the result (`finish_scan`), then sends it; if it dies in between, the scan is done
but its agent never heard. `delivered_at` says the answer went out; recovery re-sends the others,
one worker at a time thanks to a claim (a conditional UPDATE only one caller can win).
"""

from __future__ import annotations

from datetime import timedelta

from papiers.store.base import Scan, ScanStatus
from papiers.store.database import Clock, Database
from papiers.store.rows import scan_from_row

_ENDED = "status IN ($2, $3)"  # done or failed: the statuses whose answer the agent awaits


class DeliveryQueries:
    """`mark_delivered`, `undelivered_scans` and `claim_delivery`, for both backends."""

    _db: Database
    _now: Clock

    async def mark_delivered(self, scan_id: int) -> bool:
        """Record that the agent was sent the scan's answer; True only for the first call."""
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "UPDATE scans SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL"
                " RETURNING id",
                scan_id,
                self._now(),
            )
        return row is not None

    async def undelivered_scans(self, older_than: timedelta) -> list[Scan]:
        """Done/failed scans never delivered, finished at least older_than ago, oldest first.

        Purged scans are left out: their result is gone, there is nothing left to send.
        """
        async with self._db.connection() as connection:
            rows = await connection.fetch(
                f"SELECT * FROM scans WHERE delivered_at IS NULL AND {_ENDED}"
                " AND purged_at IS NULL AND finished_at <= $1 ORDER BY id",
                self._now() - older_than,
                ScanStatus.DONE,
                ScanStatus.FAILED,
            )
        return [scan_from_row(row) for row in rows]

    async def claim_delivery(
        self, scan_id: int, owner: str, *, stale_after: timedelta
    ) -> Scan | None:
        """Take the right to (re-)send an undelivered answer: the scan for one caller at a time.

        None when delivered, gone, or claimed by another less than stale_after ago (a claimer
        that died leaves a claim that goes stale).
        """
        now = self._now()
        async with self._db.transaction() as connection:
            row = await connection.fetchrow(
                "UPDATE scans SET delivery_claimed_at = $4, delivery_claimed_by = $5,"
                " delivery_attempts = delivery_attempts + 1"
                f" WHERE id = $1 AND delivered_at IS NULL AND {_ENDED} AND purged_at IS NULL"
                " AND (delivery_claimed_at IS NULL OR delivery_claimed_at <= $6) RETURNING *",
                scan_id,
                ScanStatus.DONE,
                ScanStatus.FAILED,
                now,
                owner,
                now - stale_after,
            )
        return scan_from_row(row) if row is not None else None
