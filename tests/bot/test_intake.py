"""End to end through the real python-telegram-bot, a fake Bot API, Redis, arq and the local
engine: what an agent sees when sending photos, files, PDFs and albums."""

from __future__ import annotations

import io
from functools import cache

import pytest
from PIL import Image

from docgen import Difficulty, Sample, generate
from jobs.reader import pipeline_reader
from papiers.store import ScanStatus
from tests.bot.helpers import ack_call, documents, edits_of, png_bytes, texts
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.stack import AGENT, STRANGER, Stack
from tests.fakes.telegram import FakeTelegram


@cache
def passport_sample() -> Sample:
    return generate("passport", Difficulty.CLEAN, 7)


def as_pdf(image: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(image)).convert("RGB").save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()


async def scans_of(stack: Stack, user_id: int = AGENT) -> list:
    return await stack.store.recent_scans(user_id, limit=50)


def assert_passport_read(payload: dict, sample: Sample) -> None:
    assert payload["schema"] == "papiers.scan/1"
    assert payload["document_type"] == "passport"
    for key in ("document_number", "surname", "birth_date"):
        assert payload["fields"][key]["value"] == sample.fields[key], key


async def test_a_photo_is_acknowledged_edited_then_answered_with_summary_and_json(
    make_stack: StackFactory,
) -> None:
    sample = passport_sample()
    async with make_stack(reader=None) as stack:
        await stack.start_worker(pipeline_reader(stack.settings))
        tg = stack.telegram
        tg.send_photo(AGENT, sample.image)
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT, within=60)

        ack = ack_call(tg, AGENT)
        assert ack.params["text"].startswith("📥 Scan #1 reçu")
        edits = edits_of(tg, AGENT, ack.result["message_id"])
        assert edits[0].startswith("⏳ Scan #1") and edits[-1].startswith("✅ Scan #1")
        actions = {c.params["action"] for c in tg.calls_to("sendChatAction", AGENT)}
        assert {"typing", "upload_document"} <= actions

        summary = next(t for t in texts(tg, AGENT) if t.startswith("<b>Scan #1"))
        assert "Passeport" in summary and "✅" in summary
        [(filename, payload)] = documents(tg, AGENT)
        assert filename == "scan-1-passport.json"
        assert_passport_read(payload, sample)
        [scan] = await scans_of(stack)
        assert scan.status is ScanStatus.DONE and scan.document_type == "passport"


async def test_an_image_sent_as_a_file_and_a_pdf_are_read(make_stack: StackFactory) -> None:
    sample = passport_sample()
    async with make_stack(reader=None) as stack:
        await stack.start_worker(pipeline_reader(stack.settings))
        tg = stack.telegram
        tg.send_document(AGENT, sample.image, filename="passeport.jpg", mime_type="image/jpeg")
        tg.send_document(
            AGENT, as_pdf(sample.image), filename="scan.pdf", mime_type="application/pdf"
        )
        await tg.wait_calls("sendDocument", 2, chat_id=AGENT, within=90)
        sent = dict(documents(tg, AGENT))
        assert set(sent) == {"scan-1-passport.json", "scan-2-passport.json"}
        for payload in sent.values():
            assert_passport_read(payload, sample)


async def test_an_album_is_one_scan_with_several_pages(make_stack: StackFactory) -> None:
    reader = FixedReader()
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes(), media_group_id="album-1", caption="passeport")
        tg.send_photo(AGENT, png_bytes(800, 600), media_group_id="album-1")
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        [ack] = [t for t in texts(tg, AGENT) if t.startswith("📥")]
        assert "(2 pages)" in ack
        [(_, payload)] = documents(tg, AGENT)
        assert payload["pages"] == 2
        [call] = reader.calls
        assert len(call["files"]) == 2 and call["document_type"] == "passport"
        assert len(await scans_of(stack)) == 1


async def test_the_same_update_delivered_twice_makes_one_scan(make_stack: StackFactory) -> None:
    async with make_stack(reader=FixedReader()) as stack:
        tg = stack.telegram
        update = tg.send_photo(AGENT, png_bytes())
        duplicate = {k: v for k, v in update.items() if k != "update_id"}
        tg.push_update(duplicate)  # a webhook retry: same message, new update id
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        await tg.wait_for(lambda f: not f._updates, within=5)
        assert len(await scans_of(stack)) == 1
        assert len([t for t in texts(tg, AGENT) if t.startswith("📥")]) == 1


async def test_the_same_file_sent_again_points_to_the_first_scan(make_stack: StackFactory) -> None:
    async with make_stack(reader=FixedReader()) as stack:
        tg = stack.telegram
        first = tg.send_photo(AGENT, png_bytes())
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        again = tg.message(AGENT, photo=first["message"]["photo"])
        tg.push_update({"message": again})
        await tg.wait_for(lambda f: any("déjà envoyé" in t for t in texts(f, AGENT)))
        assert len(await scans_of(stack)) == 1


async def test_a_stranger_is_refused_politely_and_nothing_is_stored(
    make_stack: StackFactory,
) -> None:
    reader = FixedReader()
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        tg.send_photo(STRANGER, png_bytes(), language="en")
        [refusal] = await tg.wait_calls("sendMessage", 1, chat_id=STRANGER)
        assert "reserved for authorised agents" in refusal.params["text"]
        assert str(STRANGER) in refusal.params["text"]
        assert await stack.store.get_user(STRANGER) is None
        assert await scans_of(stack, STRANGER) == []
        assert not tg.calls_to("getFile") and not reader.calls


@pytest.mark.parametrize(
    ("filename", "mime", "size", "expected"),
    [
        ("rapport.docx", "application/vnd.openxmlformats", None, "n'est ni une photo"),
        ("enorme.jpg", "image/jpeg", 25 * 1024 * 1024, "trop volumineux"),
    ],
)
async def test_files_are_checked_before_any_download(
    make_stack: StackFactory, filename: str, mime: str, size: int | None, expected: str
) -> None:
    async with make_stack(reader=FixedReader()) as stack:
        tg = stack.telegram
        tg.send_document(
            AGENT, b"PK\x03\x04 not a photo", filename=filename, mime_type=mime, size=size
        )
        [reply] = await tg.wait_calls("sendMessage", 1, chat_id=AGENT)
        assert expected in reply.params["text"]
        assert not tg.calls_to("getFile") and await scans_of(stack) == []


async def test_a_corrupt_image_fails_with_the_reason_and_advice(make_stack: StackFactory) -> None:
    corrupt = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40
    async with make_stack(reader=None) as stack:
        await stack.start_worker(pipeline_reader(stack.settings))
        tg = stack.telegram
        tg.send_document(AGENT, corrupt, filename="photo.jpg", mime_type="image/jpeg")
        await tg.wait_for(lambda f: any("n'a pas pu être lu" in t for t in texts(f, AGENT)))
        failure = next(t for t in texts(tg, AGENT) if "n'a pas pu être lu" in t)
        assert "💡" in failure
        [scan] = await scans_of(stack)
        assert scan.status is ScanStatus.FAILED and scan.error_code == "image_corrupt"
        assert not tg.calls_to("sendDocument")


async def test_an_agent_over_the_rate_limit_is_told_to_wait(make_stack: StackFactory) -> None:
    async with make_stack(reader=FixedReader(), user_rate_limit_per_minute=2) as stack:
        tg = stack.telegram
        for width in (700, 710, 720):
            tg.send_photo(AGENT, png_bytes(width))
        await tg.wait_for(lambda f: any("trop vite" in t for t in texts(f, AGENT)))
        assert len(await scans_of(stack)) == 2


def telegram_of(stack: Stack) -> FakeTelegram:
    return stack.telegram


async def test_flood_limits_delay_the_acknowledgement_but_do_not_lose_it(
    make_stack: StackFactory,
) -> None:
    async with make_stack(reader=FixedReader()) as stack:
        tg = stack.telegram
        tg.fail_next("sendMessage", retry_after=1)
        tg.send_photo(AGENT, png_bytes())
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        refused, ack = tg.calls_to("sendMessage", AGENT)[:2]
        assert refused.result is None and ack.params["text"].startswith("📥")
        assert ack.at - refused.at >= 1.0
