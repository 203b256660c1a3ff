"""/status, /history, /cancel and the buttons under results, through the real bot."""

from __future__ import annotations

import json

from extraction.models import DocumentType, EngineInfo, ScanResult
from papiers.store import ScanStatus
from tests.bot.helpers import documents, png_bytes, texts
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.stack import AGENT, OTHER_AGENT


async def test_status_lists_pending_scans_with_position_and_age(make_stack: StackFactory) -> None:
    reader = FixedReader()
    reader.release.clear()  # every read waits: scans stay pending
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        tg.send_photo(OTHER_AGENT, png_bytes(640))
        await tg.wait_calls("sendMessage", 1, chat_id=OTHER_AGENT)
        tg.send_photo(AGENT, png_bytes(650))
        tg.send_photo(AGENT, png_bytes(660))
        await tg.wait_for(lambda f: len([t for t in texts(f, AGENT) if "📥" in t]) == 2)
        assert "1 avant le vôtre" in texts(tg, AGENT)[0]

        tg.send_text(AGENT, "/status")
        await tg.wait_for(lambda f: any("Vos scans en cours" in t for t in texts(f, AGENT)))
        status = next(t for t in texts(tg, AGENT) if "Vos scans en cours" in t)
        assert "#2" in status and "#3" in status and "#1" not in status
        assert "1 avant lui" in status and "2 avant lui" in status and "il y a" in status

        reader.release.set()
        await tg.wait_calls("sendDocument", 2, chat_id=AGENT)


async def test_history_resends_a_json_and_cancel_stops_a_scan(make_stack: StackFactory) -> None:
    reader = FixedReader()
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes(700))
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)

        reader.release.clear()
        tg.send_photo(AGENT, png_bytes(710))
        await tg.wait_for(lambda f: len(reader.calls) == 2)
        tg.send_text(AGENT, "/cancel 2")
        await tg.wait_for(lambda f: any("a été annulé" in t for t in texts(f, AGENT)))
        tg.send_text(AGENT, "/cancel 1")
        await tg.wait_for(lambda f: any("ne peut pas être annulé" in t for t in texts(f, AGENT)))
        reader.release.set()

        tg.send_text(AGENT, "/history")
        [history] = await tg.wait_for_call(
            "sendMessage", AGENT, lambda c: "derniers" in c.params["text"]
        )
        assert "#1" in history.params["text"] and "#2" in history.params["text"]
        markup = json.loads(history.params["reply_markup"])
        [[button]] = markup["inline_keyboard"]  # only the finished scan has a JSON
        assert button["callback_data"] == "json:1"
        tg.press_button(AGENT, history.result, button["callback_data"])
        await tg.wait_calls("sendDocument", 2, chat_id=AGENT)
        assert [name for name, _ in documents(tg, AGENT)] == ["scan-1-passport.json"] * 2
        assert (await stack.store.get_scan(2)).status is ScanStatus.CANCELLED  # type: ignore[union-attr]
        assert len(documents(tg, AGENT)) == 2  # the cancelled scan sent no result


async def test_an_unknown_document_asks_its_type_with_buttons(make_stack: StackFactory) -> None:
    unknown = ScanResult(document_type=DocumentType.UNKNOWN, engine=EngineInfo(provider="local"))
    reader = FixedReader(lambda files: unknown)
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        tg.send_photo(AGENT, png_bytes())
        [question] = await tg.wait_for_call(
            "sendMessage", AGENT, lambda c: "De quel document" in c.params["text"]
        )
        buttons = [row[0] for row in json.loads(question.params["reply_markup"])["inline_keyboard"]]
        assert "retype:1:passport" in [b["callback_data"] for b in buttons]
        assert not tg.calls_to("sendDocument")

        reader.result = FixedReader().result
        tg.press_button(AGENT, question.result, "retype:1:passport")
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        assert reader.calls[-1]["document_type"] is DocumentType.PASSPORT
        assert [name for name, _ in documents(tg, AGENT)] == ["scan-2-passport.json"]
