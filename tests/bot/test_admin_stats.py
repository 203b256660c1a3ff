"""/stats through the fake Bot API: the numbers as text, then the chart as a PNG photo."""

from __future__ import annotations

from papiers.store import ScanFile
from tests.bot.admin_fixtures import admin_stack, command, seed_scan
from tests.fakes.fixtures import StackFactory
from tests.fakes.stack import ADMIN, AGENT, OTHER_AGENT

__all__ = ["admin_stack"]


async def test_stats_text_and_chart(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        store = stack.store
        await seed_scan(store, AGENT)
        await seed_scan(store, AGENT)
        await seed_scan(store, OTHER_AGENT)
        failed, _ = await store.create_scan(
            user_id=OTHER_AGENT, chat_id=OTHER_AGENT, language="fr", idempotency_key="f",
            files=[ScanFile("F", "U", "photo")],
        )  # fmt: skip
        await store.fail_scan(failed.id, "timeout", provider="gemini", cost_eur=0.0042)

        [text] = await command(stack, ADMIN, "/stats 7d")
        lines = text.splitlines()
        assert lines[0].startswith("📊 Statistiques ")
        assert "Scans : 4" in lines
        assert "Par statut : terminé 3 · échec 1" in lines
        assert "Par type de document : Passeport 3 · — 1" in lines
        assert "Par moteur de lecture : local 3 · gemini 1" in lines
        assert "Causes d'échec : timeout 1" in lines
        assert "Coût IA : 0.0042 €" in lines
        assert f"Scans par agent : {AGENT} 2 · {OTHER_AGENT} 2" in lines
        assert any(line.startswith("Délai de réponse : médiane ") for line in lines)

        [photo] = await stack.telegram.wait_calls("sendPhoto", 1, chat_id=ADMIN)
        assert photo.files["photo"].startswith(b"\x89PNG\r\n\x1a\n")
        [entry] = await store.list_audit()
        assert entry.action == "stats" and entry.actor_id == ADMIN


async def test_stats_of_an_empty_period_and_a_bad_one(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        [text] = await command(stack, ADMIN, "/stats 2001-01-01 2001-01-31")
        assert "Scans : 0" in text.splitlines()
        assert text.splitlines()[0] == "📊 Statistiques 2001-01-01 → 2001-01-31"
        [usage] = await command(stack, ADMIN, "/stats demain")
        assert usage.startswith("Utilisation : /stats")
        assert not stack.telegram.calls_to("sendPhoto")
