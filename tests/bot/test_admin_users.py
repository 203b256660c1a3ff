"""/users, /allow, /revoke, /promote through the fake Bot API; and every admin command refused
to agents and strangers, with nothing else happening."""

from __future__ import annotations

import json

from bot.admin_access import register_admin_menus
from papiers.store import Role
from tests.bot.admin_fixtures import admin_stack, command, seed_scan
from tests.fakes.fixtures import StackFactory
from tests.fakes.stack import ADMIN, AGENT, STRANGER

__all__ = ["admin_stack"]

ADMIN_COMMANDS = (
    "/export csv",
    "/export xlsx 2026-01-01 2026-12-31 passeport",
    "/stats 7d",
    "/users",
    "/allow 777",
    "/revoke 222",
    "/promote 111",
    "/audit",
)
NEWCOMER = 777


async def test_agents_are_refused_every_admin_command_and_nothing_happens(
    admin_stack: StackFactory,
) -> None:
    async with admin_stack(reader=None) as stack:
        await seed_scan(stack.store, AGENT)
        users_before = await stack.store.list_users()
        for text in ADMIN_COMMANDS:
            [reply] = await command(stack, AGENT, text)
            assert reply == "Cette commande est réservée aux administrateurs.", text
        for text in ADMIN_COMMANDS:
            [reply] = await command(stack, STRANGER, text)
            assert "réservé aux agents autorisés" in reply, text
        assert await stack.store.list_audit() == []
        assert await stack.store.list_users() == users_before
        tg = stack.telegram
        assert not tg.calls_to("sendDocument") and not tg.calls_to("sendPhoto")
        scopes = [json.loads(c.params["scope"]) for c in tg.calls_to("setMyCommands")
                  if "scope" in c.params]  # fmt: skip
        assert not [s for s in scopes if s.get("chat_id") in (AGENT, STRANGER)]


async def test_allow_then_revoke_an_agent(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        [refused] = await command(stack, NEWCOMER, "/help")
        assert "réservé aux agents autorisés" in refused

        [reply] = await command(stack, ADMIN, f"/allow {NEWCOMER}")
        assert reply == f"L'utilisateur {NEWCOMER} est autorisé."
        user = await stack.store.get_user(NEWCOMER)
        assert user is not None and user.allowed and user.role is Role.AGENT
        [help_text] = await command(stack, NEWCOMER, "/help")
        assert "Comment scanner" in help_text

        [reply] = await command(stack, ADMIN, f"/revoke {NEWCOMER}")
        assert reply == f"L'utilisateur {NEWCOMER} n'a plus accès au bot."
        [refused] = await command(stack, NEWCOMER, "/help")
        assert "réservé aux agents autorisés" in refused

        audit = await stack.store.list_audit()
        assert [(e.action, e.target, e.actor_id) for e in reversed(audit)] == [
            ("allow", str(NEWCOMER), ADMIN),
            ("revoke", str(NEWCOMER), ADMIN),
        ]


async def test_promote_gives_admin_commands_and_their_menu(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        [reply] = await command(stack, ADMIN, f"/promote {AGENT}")
        assert reply == f"L'utilisateur {AGENT} est maintenant administrateur."
        user = await stack.store.get_user(AGENT)
        assert user is not None and user.role is Role.ADMIN
        scoped = [
            c
            for c in stack.telegram.calls_to("setMyCommands")
            if json.loads(c.params.get("scope", "{}")).get("chat_id") == AGENT
        ]
        assert len(scoped) == 3
        names = [c["command"] for c in json.loads(scoped[0].params["commands"])]
        assert {"export", "stats", "users", "allow", "revoke", "promote", "audit"} <= set(names)
        assert "start" in names  # the agents' commands stay in an admin's menu

        [stats] = await command(stack, AGENT, "/stats 7d")
        assert stats.startswith("📊 Statistiques")

        [reply] = await command(stack, ADMIN, f"/revoke {AGENT}")
        assert "configuration" in reply  # AGENT is in ALLOWED_USER_IDS: only the config can
        assert (await stack.store.get_user(AGENT)).role is Role.ADMIN  # type: ignore[union-attr]


async def test_a_promoted_admin_loses_the_menu_when_revoked(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        await command(stack, ADMIN, f"/promote {NEWCOMER}")
        await command(stack, ADMIN, f"/revoke {NEWCOMER}")
        deleted = stack.telegram.calls_to("deleteMyCommands")
        assert deleted and all(
            json.loads(c.params["scope"])["chat_id"] == NEWCOMER for c in deleted
        )
        [refused] = await command(stack, NEWCOMER, "/stats")
        assert "réservé aux agents autorisés" in refused


async def test_config_admins_cannot_be_revoked_and_usage_is_explained(
    admin_stack: StackFactory,
) -> None:
    async with admin_stack(reader=None) as stack:
        [reply] = await command(stack, ADMIN, f"/revoke {ADMIN}")
        assert "ADMIN_IDS" in reply
        [usage] = await command(stack, ADMIN, "/allow someone")
        assert usage == "Utilisation : /allow 123456"
        assert await stack.store.list_audit() == []


async def test_users_lists_everyone_with_role_and_access(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        await command(stack, ADMIN, f"/allow {NEWCOMER}")
        [listing] = await command(stack, ADMIN, "/users")
        lines = listing.splitlines()
        assert lines[0] == "4 utilisateurs :"
        assert f"{NEWCOMER} · agent · autorisé" in lines
        assert f"{ADMIN} · administrateur · autorisé · (configuration)" in lines
        assert f"{AGENT} · agent · autorisé · (configuration)" in lines


async def test_admin_menus_are_set_at_start_up_for_every_admin(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        await stack.store.upsert_user(NEWCOMER, role=Role.ADMIN, allowed=True)
        stack.telegram.calls.clear()
        await register_admin_menus(stack.application)
        scoped = [c for c in stack.telegram.calls_to("setMyCommands") if "scope" in c.params]
        chats = {json.loads(c.params["scope"])["chat_id"] for c in scoped}
        assert chats == {ADMIN, NEWCOMER}
        languages = {c.params.get("language_code") for c in scoped}
        assert languages == {"fr", "en", None}


async def test_audit_shows_the_latest_admin_actions(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        [empty] = await command(stack, ADMIN, "/audit")
        assert empty == "Le journal d'audit est vide."
        await command(stack, ADMIN, f"/allow {NEWCOMER}")
        await command(stack, ADMIN, "/stats 7d")
        [log] = await command(stack, ADMIN, "/audit")
        lines = log.splitlines()
        assert f"{ADMIN} · stats" in lines[0]
        assert lines[1].endswith(f"{ADMIN} · allow → {NEWCOMER}")
