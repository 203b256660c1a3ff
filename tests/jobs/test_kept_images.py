"""KEEP_IMAGES end to end: photos are written nowhere by default; with KEEP_IMAGES=true the worker
saves each scan's files (under a neutral name) for the retention job to delete later."""

from __future__ import annotations

from pathlib import Path

from jobs.worker import create_worker
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.stack import AGENT

PHOTO = b"\xff\xd8\xff\xe0 synthetic photo bytes"


def files_holding(directory: Path, data: bytes) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file() and data in p.read_bytes()]


async def scan_one_photo(make_stack: StackFactory, **settings: object) -> None:
    async with make_stack(reader=FixedReader(), **settings) as stack:
        stack.telegram.send_photo(AGENT, PHOTO, caption="passeport")
        await stack.telegram.wait_calls("sendDocument", 1, chat_id=AGENT)


async def test_photos_are_not_written_anywhere_by_default(
    make_stack: StackFactory, tmp_path: Path
) -> None:
    images = tmp_path / "images"
    await scan_one_photo(make_stack, images_dir=str(images))
    assert not images.exists()
    assert not files_holding(tmp_path, PHOTO)


async def test_keep_images_saves_each_scan_files(make_stack: StackFactory, tmp_path: Path) -> None:
    images = tmp_path / "images"
    await scan_one_photo(make_stack, keep_images=True, images_dir=str(images))
    assert (images / "scan-1" / "page-1.jpg").read_bytes() == PHOTO


def test_the_worker_runs_the_retention_purge(tmp_path: Path) -> None:
    from papiers.settings import Settings

    settings = Settings(_env_file=None, database_url=str(tmp_path / "p.sqlite3"))  # type: ignore[call-arg]
    worker = create_worker(settings, reader=FixedReader(), handle_signals=False)
    assert [job.name for job in worker.cron_jobs] == ["purge_expired"]
