"""/start, /help, /lang, /type and the command menus, through the real bot."""

from __future__ import annotations

import json

from bot.commands import MENU
from tests.bot.helpers import png_bytes, texts
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.stack import AGENT, STRANGER
from tests.fakes.telegram import FakeTelegram


async def test_menus_are_registered_in_both_languages(make_stack: StackFactory) -> None:
    async with make_stack(reader=None) as stack:
        calls = stack.telegram.calls_to("setMyCommands")
        by_language = {
            c.params.get("language_code"): json.loads(c.params["commands"]) for c in calls
        }
        assert set(by_language) == {"fr", "en", None}
        assert [c["command"] for c in by_language["fr"]] == [name for name, _ in MENU]
        assert by_language["fr"][0]["description"] != by_language["en"][0]["description"]
        assert by_language[None] == by_language["fr"]  # DEFAULT_LANGUAGE=fr


async def test_start_explains_how_to_photograph_in_the_telegram_language(
    make_stack: StackFactory,
) -> None:
    async with make_stack(reader=None) as stack:
        tg = stack.telegram
        tg.send_text(AGENT, "/start", language="en")
        [welcome] = await tg.wait_calls("sendMessage", 1, chat_id=AGENT)
        assert welcome.params["text"].startswith("Welcome!")
        assert "four corners" in welcome.params["text"]
        assert welcome.params["parse_mode"] == "HTML"


async def test_lang_switches_every_later_answer(make_stack: StackFactory) -> None:
    async with make_stack(reader=FixedReader()) as stack:
        tg = stack.telegram
        tg.send_text(AGENT, "/lang en")  # Telegram says French, the agent prefers English
        await tg.wait_for(lambda f: any("English from now on" in t for t in texts(f, AGENT)))
        tg.send_photo(AGENT, png_bytes())
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        assert any(t.startswith("📥 Scan #1 received") for t in texts(tg, AGENT))
        assert any("Passport" in t for t in texts(tg, AGENT))
        tg.send_text(AGENT, "/lang xx")
        await tg.wait_for(lambda f: any("Usage: /lang" in t for t in texts(f, AGENT)))


async def choose_type(tg: FakeTelegram, words: str) -> None:
    tg.send_text(AGENT, f"/type {words}")
    await tg.wait_for(lambda f: any("sera lu comme" in t for t in texts(f, AGENT)))


async def test_type_names_the_next_document(make_stack: StackFactory) -> None:
    reader = FixedReader()
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        await choose_type(tg, "carte grise")
        tg.send_photo(AGENT, png_bytes(700))
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        tg.send_photo(AGENT, png_bytes(710), caption="CNI recto")
        await tg.wait_calls("sendDocument", 2, chat_id=AGENT)
        tg.send_photo(AGENT, png_bytes(720))
        await tg.wait_calls("sendDocument", 3, chat_id=AGENT)
        hints = [call["document_type"] for call in reader.calls]
        assert hints == ["fr_vehicle_registration", "fr_identity_card", None]


async def test_a_type_chosen_before_a_bot_restart_still_applies(make_stack: StackFactory) -> None:
    reader = FixedReader()
    async with make_stack(reader=reader) as stack:
        tg = stack.telegram
        await choose_type(tg, "passeport")
        await stack.restart_bot()  # a deploy, or another bot process behind the webhook
        tg.send_photo(AGENT, png_bytes(700))
        await tg.wait_calls("sendDocument", 1, chat_id=AGENT)
        assert [call["document_type"] for call in reader.calls] == ["passport"]


async def test_commands_refuse_strangers(make_stack: StackFactory) -> None:
    async with make_stack(reader=None) as stack:
        tg = stack.telegram
        tg.send_text(STRANGER, "/history")
        [refusal] = await tg.wait_calls("sendMessage", 1, chat_id=STRANGER)
        assert "réservé aux agents autorisés" in refusal.params["text"]
