"""✏️ Correct and ✅ Confirm under a result, through the fake Bot API: valid values stored with
`source: "user"` and the old value in the scan's history, invalid ones refused and explained."""

from __future__ import annotations

import json
from typing import Any

from bot.review_keyboards import review_keyboard
from papiers.store import Scan
from tests.bot.admin_fixtures import PASSPORT, admin_stack, passport_envelope, seed_scan
from tests.bot.helpers import documents, texts
from tests.fakes.fixtures import StackFactory
from tests.fakes.readers import FixedReader
from tests.fakes.stack import AGENT, OTHER_AGENT, Stack

__all__ = ["admin_stack"]


async def result_message(stack: Stack, scan: Scan) -> dict[str, Any]:
    """A message carrying the review buttons, as the worker sends under a summary."""
    sent = await stack.application.bot.send_message(
        scan.chat_id, f"Scan #{scan.id}", reply_markup=review_keyboard(scan.id, "fr")
    )
    return stack.telegram.messages[(scan.chat_id, sent.message_id)]


async def press(
    stack: Stack, user_id: int, message: dict[str, Any], data: str, *, messages: int = 0
) -> None:
    """Press a button; wait for its answer and for `messages` new messages in the chat."""
    tg = stack.telegram
    before = len(tg.calls_to("answerCallbackQuery"))
    sent = len(tg.calls_to("sendMessage", user_id))
    tg.press_button(user_id, message, data)
    await tg.wait_calls("answerCallbackQuery", before + 1)
    await tg.wait_calls("sendMessage", sent + messages, chat_id=user_id)


async def reply_to_text(stack: Stack, user_id: int, text: str) -> str:
    before = len(stack.telegram.calls_to("sendMessage", user_id))
    stack.telegram.send_text(user_id, text)
    calls = await stack.telegram.wait_calls("sendMessage", before + 1, chat_id=user_id)
    return str(calls[before].params["text"])


def last_message(stack: Stack, user_id: int) -> dict[str, Any]:
    call = stack.telegram.calls_to("sendMessage", user_id)[-1]
    return next(
        m for (chat, _), m in stack.telegram.messages.items()
        if chat == user_id and m["text"] == call.params["text"]
    )  # fmt: skip


async def test_a_valid_correction_is_stored_with_its_history_and_sent_again(
    admin_stack: StackFactory,
) -> None:
    async with admin_stack(reader=None) as stack:
        scan = await seed_scan(stack.store, AGENT)
        message = await result_message(stack, scan)

        await press(stack, AGENT, message, f"fix:{scan.id}", messages=1)
        chooser = stack.telegram.calls_to("sendMessage", AGENT)[-1]
        assert chooser.params["text"] == f"Quel champ du scan #{scan.id} ?"
        buttons = [b for row in json.loads(chooser.params["reply_markup"])["inline_keyboard"]
                   for b in row]  # fmt: skip
        assert {"text": "Nom", "callback_data": f"fixf:{scan.id}:surname"} in buttons

        await press(stack, AGENT, message, f"fixf:{scan.id}:surname", messages=1)
        prompt = texts(stack.telegram, AGENT)[-1]
        assert prompt == "Envoyez la nouvelle valeur de « Nom » (actuellement : MARTIN)."

        stack.telegram.send_text(AGENT, "  dupont-moreau ")
        await stack.telegram.wait_calls("sendDocument", 1, chat_id=AGENT)
        summary = texts(stack.telegram, AGENT)[-1]
        assert summary.startswith(f"✏️ Scan #{scan.id} corrigé.")
        assert "DUPONT-MOREAU" in summary
        [(filename, payload)] = documents(stack.telegram, AGENT)
        assert filename == f"scan-{scan.id}-passport.json"
        surname = payload["fields"]["surname"]
        assert surname["value"] == "DUPONT-MOREAU" and surname["source"] == "user"
        assert surname["status"] == "valid"
        assert payload["fields"]["given_names"]["source"] == "mrz"  # the others untouched

        stored = await stack.store.get_scan(scan.id)
        assert stored is not None and json.loads(stored.result_json or "") == payload
        [history] = await stack.store.list_corrections(scan.id)
        assert (history.field, history.old_value, history.new_value) == (
            "surname",
            "MARTIN",
            "DUPONT-MOREAU",
        )
        assert history.user_id == AGENT
        # The value was consumed by the correction, not taken for a chat message.
        assert not any("Envoyez-moi une photo" in t for t in texts(stack.telegram, AGENT))


async def test_a_value_awaited_survives_a_bot_restart(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        scan = await seed_scan(stack.store, AGENT)
        message = await result_message(stack, scan)
        await press(stack, AGENT, message, f"fixf:{scan.id}:surname", messages=1)
        assert 0 < await stack.redis.ttl(f"papiers:correction:{AGENT}") <= 600  # 10 minutes
        await stack.restart_bot()  # a deploy, or another bot process behind the webhook

        stack.telegram.send_text(AGENT, "DURAND")
        await stack.telegram.wait_calls("sendDocument", 1, chat_id=AGENT)
        [history] = await stack.store.list_corrections(scan.id)
        assert (history.field, history.new_value) == ("surname", "DURAND")
        # Taken once: a second text is an ordinary chat message again.
        assert await stack.redis.get(f"papiers:correction:{AGENT}") is None


async def test_invalid_values_are_refused_then_cancel_ends_the_correction(
    admin_stack: StackFactory,
) -> None:
    async with admin_stack(reader=None) as stack:
        scan = await seed_scan(stack.store, AGENT)
        message = await result_message(stack, scan)
        await press(stack, AGENT, message, f"fixf:{scan.id}:birth_date", messages=1)

        refusal = await reply_to_text(stack, AGENT, "31/02/1990")
        assert refusal.startswith("❌ Envoyez une date comme 31/12/2024")
        refusal = await reply_to_text(stack, AGENT, "2090-01-01")
        assert refusal.startswith("❌ ") and "2090-01-01" in refusal
        assert refusal.endswith("Envoyez une autre valeur, ou appuyez sur Annuler.")
        assert await stack.store.list_corrections(scan.id) == []
        unchanged = await stack.store.get_scan(scan.id)
        assert unchanged is not None and unchanged.result_json == scan.result_json

        await press(stack, AGENT, last_message(stack, AGENT), f"fixx:{scan.id}")
        hint = await reply_to_text(stack, AGENT, "1990-02-04")
        assert hint.startswith("Envoyez-moi une photo")  # back to an ordinary message
        assert await stack.store.list_corrections(scan.id) == []

        await press(stack, AGENT, message, f"fixf:{scan.id}:birth_date", messages=1)
        await reply_to_text(stack, AGENT, "04.02.1990")
        [history] = await stack.store.list_corrections(scan.id)
        assert (history.old_value, history.new_value) == ("1990-02-03", "1990-02-04")


async def test_confirm_marks_the_scan_reviewed(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        scan = await seed_scan(stack.store, AGENT)
        message = await result_message(stack, scan)
        await press(stack, AGENT, message, f"ok:{scan.id}")
        stored = await stack.store.get_scan(scan.id)
        assert stored is not None and stored.reviewed
        answer = stack.telegram.calls_to("answerCallbackQuery")[-1]
        assert answer.params["text"] == f"Scan #{scan.id} confirmé."
        [edit] = await stack.telegram.wait_calls("editMessageReplyMarkup", 1, chat_id=AGENT)
        buttons = json.loads(edit.params["reply_markup"])["inline_keyboard"][0]
        assert [b["callback_data"] for b in buttons] == [f"fix:{scan.id}"]


async def test_nobody_else_can_correct_or_confirm_an_agents_scan(
    admin_stack: StackFactory,
) -> None:
    async with admin_stack(reader=None) as stack:
        scan = await seed_scan(stack.store, AGENT)
        message = await result_message(stack, scan)
        for data in (f"fix:{scan.id}", f"fixf:{scan.id}:surname", f"ok:{scan.id}"):
            await press(stack, OTHER_AGENT, message, data)
            answer = stack.telegram.calls_to("answerCallbackQuery")[-1]
            assert answer.params["text"] == "Ce résultat n'est plus disponible."
        hint = await reply_to_text(stack, OTHER_AGENT, "PIRATE")
        assert hint.startswith("Envoyez-moi une photo")
        stored = await stack.store.get_scan(scan.id)
        assert stored is not None and not stored.reviewed
        assert stored.result_json == scan.result_json


async def test_the_worker_puts_the_review_buttons_under_each_summary(
    admin_stack: StackFactory,
) -> None:
    reader = FixedReader(passport_envelope(PASSPORT))
    async with admin_stack(reader=reader) as stack:
        stack.telegram.send_photo(AGENT, b"\xff\xd8\xff\xe0 not read by the fixed reader")
        await stack.telegram.wait_calls("sendDocument", 1, chat_id=AGENT)
        summary = next(
            c for c in stack.telegram.calls_to("sendMessage", AGENT)
            if c.params["text"].startswith("<b>Scan #")
        )  # fmt: skip
        keyboard = json.loads(summary.params["reply_markup"])["inline_keyboard"]
        assert [b["text"] for b in keyboard[0]] == ["✏️ Corriger", "✅ Confirmer"]
