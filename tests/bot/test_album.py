from __future__ import annotations

import asyncio

from bot.access import Agent
from bot.album import Album, AlbumCollector
from extraction.models import DocumentType
from papiers.store import ScanFile

AGENT = Agent(user_id=1, chat_id=1, language="fr", is_admin=False)


def photo(n: int) -> ScanFile:
    return ScanFile(f"file{n}", f"u{n}", "photo")


async def test_items_of_one_media_group_become_one_album_in_message_order() -> None:
    done: list[Album] = []
    finished = asyncio.Event()

    async def on_complete(album: Album) -> None:
        done.append(album)
        finished.set()

    collector = AlbumCollector(on_complete, delay_s=0.05)
    collector.add(AGENT, "g1", 11, photo(2), None)
    collector.add(AGENT, "g1", 10, photo(1), DocumentType.PASSPORT)
    collector.add(AGENT, "g2", 12, photo(3), None)
    await asyncio.wait_for(finished.wait(), 2)
    await asyncio.sleep(0.1)
    by_group = {album.media_group_id: album for album in done}
    assert [f.file_id for f in by_group["g1"].files] == ["file1", "file2"]
    assert by_group["g1"].type_hint is DocumentType.PASSPORT
    assert by_group["g1"].first_message_id == 10
    assert len(by_group["g2"].files) == 1


async def test_flush_submits_waiting_albums_at_once() -> None:
    done: list[Album] = []

    async def on_complete(album: Album) -> None:
        done.append(album)

    collector = AlbumCollector(on_complete, delay_s=60)
    collector.add(AGENT, "g1", 1, photo(1), None)
    await collector.flush()
    assert len(done) == 1
