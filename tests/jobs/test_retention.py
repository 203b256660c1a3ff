"""Retention driven by a clock the test controls: results older than RETENTION_DAYS are purged
(rows kept for statistics), kept photos deleted, and the purge logged with counts only."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from jobs.kept_images import keep_files, keeping_reader
from jobs.retention import Retention, purge_expired, retention_cron, retention_for
from papiers.logging_setup import scan_id_var
from papiers.settings import Settings
from papiers.store import ScanFile, ScanStatus, SqlStore, open_store
from tests.fakes.readers import FixedReader

START = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def finished_scan(store: SqlStore, key: str, surname: str) -> int:
    scan, _ = await store.create_scan(
        user_id=111, chat_id=111, language="fr", idempotency_key=key,
        files=[ScanFile(f"file-{key}", f"u-{key}", "photo")],
    )  # fmt: skip
    await store.finish_scan(
        scan.id,
        result_json=f'{{"fields": {{"surname": {{"value": "{surname}"}}}}}}',
        document_type="passport",
        provider="local",
        duration_ms=800,
    )
    await store.record_correction(
        scan.id, field="surname", old_value="X", new_value=surname, user_id=111
    )
    return scan.id


async def test_results_older_than_the_retention_are_purged_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    clock = Clock()
    store = await open_store(str(tmp_path / "p.sqlite3"), now=clock)
    try:
        old = await finished_scan(store, "old", "ANCIENNE")
        clock.now = START + timedelta(days=20)
        recent = await finished_scan(store, "recent", "RECENTE")
        unfinished, _ = await store.create_scan(
            user_id=222, chat_id=222, language="fr", idempotency_key="stuck",
            files=[ScanFile("f", "u", "photo")],
        )  # fmt: skip

        images = tmp_path / "kept"
        old_folder = keep_files(images, old, [SimpleNamespace(data=b"jpeg", filename="a.jpg")])  # type: ignore[list-item]
        new_folder = keep_files(images, recent, [SimpleNamespace(data=b"jpeg", filename="b.jpg")])  # type: ignore[list-item]
        os.utime(old_folder, (START.timestamp(), START.timestamp()))
        os.utime(new_folder, ((START + timedelta(days=20)).timestamp(),) * 2)

        clock.now = START + timedelta(days=31)
        retention = Retention(days=30, images_dir=images, now=clock)
        counts = await purge_expired({"retention": retention, "deps": SimpleNamespace(store=store)})
        assert counts == {"scans": 1, "image_folders": 1, "days": 30}

        purged = await store.get_scan(old)
        assert purged is not None and purged.result_json is None and purged.files == ()
        assert purged.purged_at == clock.now and purged.document_type == "passport"
        assert await store.list_corrections(old) == []
        kept = await store.get_scan(recent)
        assert kept is not None and kept.result_json and kept.purged_at is None
        assert len(await store.list_corrections(recent)) == 1
        assert not old_folder.exists() and new_folder.exists()

        clock.now = START + timedelta(days=51)
        counts = await retention.purge(store)
        assert counts["scans"] == 2  # the recent scan, and the one that never finished
        stuck = await store.get_scan(unfinished.id)
        assert stuck is not None and stuck.status is ScanStatus.FAILED
        assert (await retention.purge(store))["scans"] == 0  # nothing twice

        assert "retention: 1 scans purged, 1 kept photo folders deleted" in caplog.text
        assert "ANCIENNE" not in caplog.text and "RECENTE" not in caplog.text
        entries = await store.list_audit()
        assert [e.action for e in entries] == ["retention_purge"] * 2  # not the empty purge
        assert entries[-1].details == {"scans": 1, "image_folders": 1, "days": 30}
    finally:
        await store.close()


async def test_photos_are_kept_only_when_asked(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, retention_days=7)  # type: ignore[call-arg]
    assert retention_for(settings).images_dir is None and retention_for(settings).days == 7
    keeping = Settings(_env_file=None, keep_images=True, images_dir=str(tmp_path))  # type: ignore[call-arg]
    assert retention_for(keeping).images_dir == tmp_path

    inner = FixedReader()
    reader = keeping_reader(inner, tmp_path)
    token = scan_id_var.set(42)
    try:
        photo = SimpleNamespace(data=b"\xff\xd8photo", filename="passeport-dupont.jpg")
        await reader([photo], document_type=None, language="fr")  # type: ignore[list-item]
    finally:
        scan_id_var.reset(token)
    assert [p.name for p in (tmp_path / "scan-42").iterdir()] == ["page-1.jpg"]
    assert (tmp_path / "scan-42" / "page-1.jpg").read_bytes() == b"\xff\xd8photo"
    assert len(inner.calls) == 1


def test_the_purge_is_an_hourly_cron_job() -> None:
    job = retention_cron()
    assert job.name == "purge_expired" and job.minute == 17 and job.run_at_startup
