"""/stats [period]: scans by type, status and provider, time to result (median, p95), failure
reasons, AI cost and scans per agent; as text, then as a chart (people read charts faster)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.admin_access import require_admin
from bot.admin_args import parse_period
from bot.deps import Context, get_deps
from papiers.charts import euros, seconds, stats_chart, status_label, type_label
from papiers.i18n import N_, translate
from papiers.store import ScanStats

logger = logging.getLogger(__name__)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("stats", stats))


def _counts(counts: Mapping[str, int], label: Callable[[str], str] = str) -> str:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return " · ".join(f"{label(key)} {count}" for key, count in ordered) or "—"


def stats_text(stats: ScanStats, language: str, period: str) -> str:
    """The numbers of a period as plain text, one topic per line."""
    agents = {str(user): count for user, count in stats.scans_per_user.items()}
    types = _counts(stats.by_type, lambda key: type_label(key, language))
    lines = [
        (N_("📊 Statistics {value}"), period),
        (N_("Scans: {value}"), str(stats.total)),
        (N_("By status: {value}"), _counts(stats.by_status, lambda k: status_label(k, language))),
        (N_("By document type: {value}"), types),
        (N_("By provider: {value}"), _counts(stats.by_provider)),
        (
            N_("Time to result: median {value}"),
            f"{seconds(stats.median_ms)}, p95 {seconds(stats.p95_ms)}",
        ),
        (N_("Failure reasons: {value}"), _counts(stats.failure_reasons)),
        (N_("AI cost: {value}"), f"{euros(stats.cost_eur)} €"),
        (N_("Scans per agent: {value}"), _counts(agents)),
    ]
    return "\n".join(translate(language, label, value=value) for label, value in lines)


async def stats(update: Update, context: Context) -> None:
    admin = await require_admin(update, context)
    message = update.effective_message
    if admin is None or message is None:
        return
    period = parse_period(context.args or [], datetime.now(UTC))
    if period is None:
        usage = N_("Usage: /stats 7d, /stats 30d, /stats today, /stats 2026-11-01 2026-11-30")
        await message.reply_text(translate(admin.language, usage))
        return
    deps = get_deps(context)
    numbers = await deps.store.stats(period.start, period.end)
    await deps.store.add_audit(
        admin.user_id,
        "stats",
        details={"from": period.start.date().isoformat(), "to": period.end.date().isoformat()},
    )
    await message.reply_text(stats_text(numbers, admin.language, period.label())[:4096])
    if numbers.total == 0:
        return
    chart = await asyncio.to_thread(stats_chart, numbers, admin.language, period.label())
    try:
        await context.bot.send_photo(admin.chat_id, photo=chart, filename="stats.png")
    except TelegramError as error:
        logger.warning("stats chart not sent: %s", type(error).__name__)
