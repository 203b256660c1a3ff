"""/forget through the fake Bot API: the agent's scans go, other agents' scans stay, and the
deletion is logged and audited with its count only."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.bot.admin_fixtures import admin_stack, command, seed_scan
from tests.fakes.fixtures import StackFactory
from tests.fakes.stack import AGENT, OTHER_AGENT, Stack

__all__ = ["admin_stack"]


def bot_message(stack: Stack, user_id: int, text: str) -> dict[str, Any]:
    return next(
        m for (chat, _), m in stack.telegram.messages.items()
        if chat == user_id and m.get("text") == text
    )  # fmt: skip


async def answer(stack: Stack, message: dict[str, Any], data: str) -> str:
    tg = stack.telegram
    before = len(tg.calls_to("editMessageText", AGENT))
    tg.press_button(AGENT, message, data)
    calls = await tg.wait_calls("editMessageText", before + 1, chat_id=AGENT)
    return str(calls[-1].params["text"])


async def test_forget_deletes_only_the_agents_scans_after_confirmation(
    admin_stack: StackFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with admin_stack(reader=None) as stack:
        mine = [await seed_scan(stack.store, AGENT) for _ in range(3)]
        theirs = [await seed_scan(stack.store, OTHER_AGENT) for _ in range(2)]
        await stack.store.record_correction(
            theirs[0].id, field="surname", old_value="A", new_value="B", user_id=OTHER_AGENT
        )

        [question] = await command(stack, AGENT, "/forget")
        assert question.startswith("Supprimer tous vos scans")
        message = bot_message(stack, AGENT, question)
        assert await answer(stack, message, "forget:no") == "Rien n'a été supprimé."
        assert len(await stack.store.recent_scans(AGENT)) == 3

        assert await answer(stack, message, "forget:yes") == "3 scans supprimés."
        assert await stack.store.recent_scans(AGENT) == []
        assert all([await stack.store.get_scan(s.id) is None for s in mine])
        kept = await stack.store.recent_scans(OTHER_AGENT)
        assert sorted(s.id for s in kept) == sorted(s.id for s in theirs)
        assert all(s.result_json for s in kept)
        assert len(await stack.store.list_corrections(theirs[0].id)) == 1

        [entry] = await stack.store.list_audit()
        assert (entry.actor_id, entry.action, entry.details) == (AGENT, "forget", {"scans": 3})
        assert "forget: 3 scans deleted" in caplog.text
        # The agent keeps access: they can still use the bot.
        [help_text] = await command(stack, AGENT, "/help")
        assert "Comment scanner" in help_text
