"""/users, /allow, /revoke, /promote: who may use the bot, changed from the chat by admins; and
/audit, the latest admin actions.

Every change is written to the audit log (ids only). `ADMIN_IDS` admins come from the
configuration: they cannot be revoked from the chat, which keeps at least one admin in charge.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.access import Agent
from bot.admin_access import hide_admin_menu, require_admin, show_admin_menu
from bot.deps import Context, get_deps
from papiers.i18n import N_, translate
from papiers.store import Role

MAX_CHARS = 4000  # under Telegram's 4096 per message
AUDIT_LINES = 30


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("users", users))
    application.add_handler(CommandHandler("allow", allow))
    application.add_handler(CommandHandler("revoke", revoke))
    application.add_handler(CommandHandler("promote", promote))
    application.add_handler(CommandHandler("audit", audit))


def parse_user_id(args: list[str] | None) -> int | None:
    """The Telegram user id given after the command (`/allow 123456`), or None."""
    if not args or not args[0].isdigit() or len(args[0]) > 15:
        return None
    return int(args[0])


async def users(update: Update, context: Context) -> None:
    """Everyone the bot knows, and the ids from the configuration, with role and access."""
    admin = await require_admin(update, context)
    message = update.effective_message
    if admin is None or message is None:
        return
    deps = get_deps(context)
    settings = deps.settings
    stored = {user.user_id: user for user in await deps.store.list_users()}
    ids = sorted(set(stored) | set(settings.admin_ids) | set(settings.allowed_user_ids))
    language = admin.language
    lines = [translate(language, N_("{count} users:"), count=len(ids))]
    for user_id in ids:
        user = stored.get(user_id)
        is_admin = user_id in settings.admin_ids or (user is not None and user.role is Role.ADMIN)
        allowed = (
            is_admin or user_id in settings.allowed_user_ids or (user is not None and user.allowed)
        )
        role = translate(language, N_("admin") if is_admin else N_("agent"))
        access = translate(language, N_("allowed") if allowed else N_("not allowed"))
        configured = user_id in settings.admin_ids or user_id in settings.allowed_user_ids
        origin = translate(language, N_("(configuration)")) if configured else ""
        lines.append(" · ".join(part for part in (str(user_id), role, access, origin) if part))
    await deps.store.add_audit(admin.user_id, "users", details={"count": len(ids)})
    for chunk in _chunks(lines):
        await message.reply_text(chunk)


async def allow(update: Update, context: Context) -> None:
    """`/allow ID`: the user may send documents."""
    admin, user_id = await _admin_and_target(update, context, N_("Usage: /allow 123456"))
    if admin is None or user_id is None:
        return
    deps = get_deps(context)
    await deps.store.upsert_user(user_id, allowed=True)
    await deps.store.add_audit(admin.user_id, "allow", str(user_id))
    text = translate(admin.language, N_("User {user_id} is allowed."), user_id=user_id)
    await _reply(update, text)


async def revoke(update: Update, context: Context) -> None:
    """`/revoke ID`: the user may no longer use the bot (an admin in the store loses that too)."""
    admin, user_id = await _admin_and_target(update, context, N_("Usage: /revoke 123456"))
    if admin is None or user_id is None:
        return
    deps = get_deps(context)
    if user_id in deps.settings.admin_ids or user_id in deps.settings.allowed_user_ids:
        text = translate(
            admin.language,
            N_(
                "User {user_id} is allowed by the configuration (ADMIN_IDS or "
                "ALLOWED_USER_IDS): remove them there."
            ),
            user_id=user_id,
        )
        await _reply(update, text)
        return
    before = await deps.store.get_user(user_id)
    await deps.store.upsert_user(user_id, allowed=False, role=Role.AGENT)
    await deps.store.add_audit(admin.user_id, "revoke", str(user_id))
    if before is not None and before.role is Role.ADMIN:
        await hide_admin_menu(context.bot, user_id)
    text = translate(admin.language, N_("User {user_id} no longer has access."), user_id=user_id)
    await _reply(update, text)


async def promote(update: Update, context: Context) -> None:
    """`/promote ID`: the user becomes an admin (and is allowed)."""
    admin, user_id = await _admin_and_target(update, context, N_("Usage: /promote 123456"))
    if admin is None or user_id is None:
        return
    deps = get_deps(context)
    await deps.store.upsert_user(user_id, allowed=True, role=Role.ADMIN)
    await deps.store.add_audit(admin.user_id, "promote", str(user_id))
    await show_admin_menu(context.bot, user_id, deps.settings.default_language)
    await _reply(
        update,
        translate(admin.language, N_("User {user_id} is now an administrator."), user_id=user_id),
    )


async def audit(update: Update, context: Context) -> None:
    """The latest audit entries, newest first: when, who, what, on whom, and the counts."""
    admin = await require_admin(update, context)
    message = update.effective_message
    if admin is None or message is None:
        return
    entries = await get_deps(context).store.list_audit(limit=AUDIT_LINES)
    if not entries:
        await message.reply_text(translate(admin.language, N_("The audit log is empty.")))
        return
    lines = []
    for entry in entries:
        details = " ".join(f"{key}={value}" for key, value in entry.details.items())
        when = entry.created_at.strftime("%Y-%m-%d %H:%M")
        target = f" → {entry.target}" if entry.target else ""
        lines.append(f"{when} · {entry.actor_id} · {entry.action}{target} {details}".rstrip())
    for chunk in _chunks(lines):
        await message.reply_text(chunk)


async def _admin_and_target(
    update: Update, context: Context, usage: str
) -> tuple[Agent | None, int | None]:
    admin = await require_admin(update, context)
    if admin is None:
        return None, None
    user_id = parse_user_id(context.args)
    if user_id is None:
        await _reply(update, translate(admin.language, usage))
    return admin, user_id


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)


def _chunks(lines: list[str]) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > MAX_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current else chunks
