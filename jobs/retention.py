"""Retention: results, file references and correction history of scans older than
`RETENTION_DAYS` are purged by an arq cron job every hour. Each purge is logged and audited with
counts only; the scan rows stay for statistics (type, status, times, cost), without contents."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from arq import cron
from arq.cron import CronJob

from jobs.kept_images import purge_kept_images
from papiers.settings import Settings
from papiers.store import Store
from papiers.store.database import Clock, utc_now

logger = logging.getLogger(__name__)

SYSTEM_ACTOR: Final = 0  # audit entries made by the system itself, not by a person
PURGE_MINUTE: Final = 17  # once an hour, away from the top of the hour other jobs like


@dataclass(frozen=True)
class Retention:
    """How long results live, and where kept photos are (None when photos are not kept)."""

    days: int
    images_dir: Path | None = None
    now: Clock = utc_now

    async def purge(self, store: Store) -> dict[str, int]:
        """Purge everything older than the retention period; returns the counts."""
        cutoff = self.now() - timedelta(days=self.days)
        scans = await store.purge_results(cutoff)
        images = purge_kept_images(self.images_dir, cutoff) if self.images_dir else 0
        counts = {"scans": scans, "image_folders": images, "days": self.days}
        logger.info(
            "retention: %s scans purged, %s kept photo folders deleted (older than %s days)",
            scans,
            images,
            self.days,
        )
        if scans or images:  # an hourly "nothing to purge" would drown the admins' actions
            await store.add_audit(SYSTEM_ACTOR, "retention_purge", details=counts)
        return counts


def retention_for(settings: Settings, *, now: Clock = utc_now) -> Retention:
    """The retention policy of the configuration."""
    images = Path(settings.images_dir) if settings.keep_images else None
    return Retention(days=settings.retention_days, images_dir=images, now=now)


async def purge_expired(ctx: dict[str, Any]) -> dict[str, int]:
    """The cron job: `ctx["retention"]` (a `Retention`) applied to the worker's store."""
    retention: Retention = ctx["retention"]
    return await retention.purge(ctx["deps"].store)


def retention_cron() -> CronJob:
    """The hourly purge, for `WorkerSettings.cron_jobs`."""
    return cron(purge_expired, name="purge_expired", minute=PURGE_MINUTE, run_at_startup=True)
