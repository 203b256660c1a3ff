"""Prometheus metrics (`/metrics`), of two kinds.

Fleet figures are computed at scrape time from the database and Redis, which every bot and worker
shares, so any one process's `/metrics` shows the whole deployment: scans of the last 24 hours by
status, type and failure reason, their time to result and cost, the queue depth, and whether the
database, Redis and a worker are up.

Process counters (`papiers_*_total`, the time-to-result histogram) count what this process did;
the worker updates them where a scan ends, through `scan_finished`. Sum them across processes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.asyncio import Redis

from jobs.queue import QUEUE_NAME
from papiers import health
from papiers.store import ScanStats, Store

CONTENT_TYPE: Final = CONTENT_TYPE_LATEST
WINDOW: Final = timedelta(hours=24)
SNAPSHOT_TTL_S: Final = 5.0  # several scrapers (fly, a local Prometheus) share one query

PROCESS_REGISTRY = CollectorRegistry()
ProcessCollector(registry=PROCESS_REGISTRY)  # RSS, CPU, open files of this process

SCANS_FINISHED = Counter(
    "papiers_scans_finished",
    "Scans this process ended, by document type and final status.",
    ["document_type", "status"],
    registry=PROCESS_REGISTRY,
)
TIME_TO_RESULT = Histogram(
    "papiers_time_to_result_seconds",
    "From the photo's arrival to the scan's end: what the agent waits.",
    ["status"],
    buckets=(1, 2, 3, 5, 8, 13, 20, 30, 60, 120, 300, 600),
    registry=PROCESS_REGISTRY,
)
PROVIDER_ERRORS = Counter(
    "papiers_provider_errors",
    "Reading providers that failed or answered unusably, so that the next one was tried.",
    ["provider"],
    registry=PROCESS_REGISTRY,
)
PROVIDER_COST = Counter(
    "papiers_provider_cost_eur",
    "Estimated cost of the reads this process made, in euros, by provider.",
    ["provider"],
    registry=PROCESS_REGISTRY,
)


def scan_finished(
    *,
    document_type: str | None,
    status: str,
    seconds: float | None,
    provider: str | None = None,
    cost_eur: float = 0.0,
    providers_tried: Sequence[str] = (),
) -> None:
    """Count a scan this process ended ("done" or "failed"), its providers' errors and cost."""
    SCANS_FINISHED.labels(document_type or "none", status).inc()
    if seconds is not None:
        TIME_TO_RESULT.labels(status).observe(max(0.0, seconds))
    for tried in providers_tried:
        if tried != provider:
            PROVIDER_ERRORS.labels(tried).inc()
    if provider and cost_eur > 0:
        PROVIDER_COST.labels(provider).inc(cost_eur)


@dataclass(frozen=True)
class FleetSnapshot:
    """What the database and Redis say about the whole deployment at one moment."""

    health: health.HealthReport
    stats: ScanStats | None  # None when the database is down
    queue_depth: int | None  # None when Redis is down


async def fleet_snapshot(
    store: Store, redis: Redis, *, now: datetime | None = None, timeout_s: float = 2.0
) -> FleetSnapshot:
    """Health, the last 24 hours' scan statistics, and the number of jobs waiting in the queue."""
    report = await health.check(store, redis, timeout_s=timeout_s)
    end = now or datetime.now(UTC)
    stats = await store.stats(end - WINDOW, end) if report.up("database") else None
    # arq keeps a job in the queue's sorted set until it ends: running jobs count too.
    depth = int(await redis.zcard(QUEUE_NAME)) if report.up("redis") else None
    return FleetSnapshot(report, stats, depth)


class FleetCollector(Collector):
    """Serves one snapshot as gauges (prometheus_client collectors are synchronous)."""

    def __init__(self, snapshot: FleetSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily(
            "papiers_up", "1 when the component answers (worker: a heartbeat).", None, ["component"]
        )
        for component in self.snapshot.health.checks:
            up.add_metric([component], 1.0 if self.snapshot.health.up(component) else 0.0)
        yield up
        if self.snapshot.queue_depth is not None:
            yield GaugeMetricFamily(
                "papiers_queue_depth",
                "Scan jobs in the queue: waiting, deferred for a retry, or running.",
                value=self.snapshot.queue_depth,
            )
        if self.snapshot.stats is not None:
            yield from _stats_metrics(self.snapshot.stats)


def _stats_metrics(stats: ScanStats) -> Iterable[Metric]:
    groups = (
        ("papiers_scans_24h", "status", stats.by_status, "by status"),
        ("papiers_scans_24h_by_type", "document_type", stats.by_type, "by document type"),
        ("papiers_scans_24h_by_provider", "provider", stats.by_provider, "by reading provider"),
        ("papiers_failed_scans_24h", "reason", stats.failure_reasons, "failed, by reason"),
    )
    for name, label, counts, grouping in groups:
        family = GaugeMetricFamily(name, f"Scans of the last 24 h, {grouping}.", None, [label])
        for value, count in sorted(counts.items()):
            family.add_metric([value], float(count))
        yield family
    wait = GaugeMetricFamily(
        "papiers_time_to_result_24h_seconds",
        "Time to result of the last 24 h's done scans (creation to end), by quantile.",
        labels=["quantile"],
    )
    for quantile, milliseconds in (("0.5", stats.median_ms), ("0.95", stats.p95_ms)):
        if milliseconds is not None:
            wait.add_metric([quantile], milliseconds / 1000)
    yield wait
    yield GaugeMetricFamily(
        "papiers_cost_24h_eur",
        "Estimated reading cost of the last 24 h's scans, in euros.",
        value=stats.cost_eur,
    )


class MetricsPage:
    """Renders `/metrics`: this process's counters, then the fleet gauges (cached a few seconds)."""

    def __init__(self, store: Store, redis: Redis, *, ttl_s: float = SNAPSHOT_TTL_S) -> None:
        self._store, self._redis, self._ttl_s = store, redis, ttl_s
        self._cached: tuple[float, bytes] | None = None

    async def render(self) -> bytes:
        """The exposition text (Prometheus format 0.0.4)."""
        if self._cached is None or time.monotonic() - self._cached[0] > self._ttl_s:
            registry = CollectorRegistry(auto_describe=False)
            registry.register(FleetCollector(await fleet_snapshot(self._store, self._redis)))
            self._cached = (time.monotonic(), generate_latest(registry))
        return generate_latest(PROCESS_REGISTRY) + self._cached[1]
