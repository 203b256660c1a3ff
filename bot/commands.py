"""/start, /help, /lang and /type: onboarding, language and the type of the next document."""

from __future__ import annotations

from typing import Final

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot.access import require_agent
from bot.deps import Context, get_deps
from bot.doc_types import parse_document_type
from bot.intake import remember_type_hint
from bot.summary import escape
from papiers.i18n import LANGUAGES, N_, translate
from papiers.summary import document_name

# The menu Telegram shows, registered per language with setMyCommands.
MENU: Final = (
    ("start", N_("What to send and how to photograph it")),
    ("help", N_("How to use the bot")),
    ("status", N_("Your scans in progress")),
    ("history", N_("Your last 10 scans")),
    ("cancel", N_("Cancel a scan: /cancel 42")),
    ("type", N_("Say which document comes next: /type cni")),
    ("lang", N_("Language: /lang fr or /lang en")),
    ("forget", N_("Delete all your scans: /forget")),
)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("lang", lang))
    application.add_handler(CommandHandler("type", type_command))


def menu(language: str) -> list[BotCommand]:
    """The command menu in one language."""
    return [BotCommand(name, translate(language, description)) for name, description in MENU]


def help_text(language: str) -> str:
    return "\n".join(
        [
            translate(language, N_("<b>How to scan a document</b>")),
            translate(
                language,
                N_(
                    "1. Lay the document flat on a dark, plain surface, in daylight, without flash."
                ),
            ),
            translate(
                language,
                N_("2. Frame the whole document, the four corners visible, the phone parallel."),
            ),
            translate(
                language,
                N_(
                    "3. Send it as a photo, or as a file for the best quality (image or PDF). "
                    "Recto and verso: send both in one album."
                ),
            ),
            translate(
                language,
                N_(
                    "4. Add a caption to name the document if you like: carte grise, cni, "
                    "passeport, licence, tn."
                ),
            ),
            "",
            translate(
                language,
                N_(
                    "You get each field marked ✅ valid, ⚠️ doubtful or ❌ invalid, and a JSON "
                    "file. /status shows your scans in progress, /history your last scans."
                ),
            ),
        ]
    )


async def start(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    if agent is None or update.effective_message is None:
        return
    await get_deps(context).store.upsert_user(agent.user_id, language=agent.language)
    welcome = translate(
        agent.language,
        N_("Welcome! I read identity and vehicle documents from your photos."),
    )
    await update.effective_message.reply_text(
        escape(welcome) + "\n\n" + help_text(agent.language), parse_mode=ParseMode.HTML
    )


async def help_command(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    if agent is None or update.effective_message is None:
        return
    await update.effective_message.reply_text(help_text(agent.language), parse_mode=ParseMode.HTML)


async def lang(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    message = update.effective_message
    if agent is None or message is None:
        return
    choice = (context.args or [""])[0].lower()
    if choice not in LANGUAGES:
        text = translate(agent.language, N_("Usage: /lang fr or /lang en"))
        await message.reply_text(text)
        return
    await get_deps(context).store.upsert_user(agent.user_id, language=choice)
    await message.reply_text(translate(choice, N_("I will answer in English from now on.")))


async def type_command(update: Update, context: Context) -> None:
    agent = await require_agent(update, context)
    message = update.effective_message
    if agent is None or message is None:
        return
    document_type = parse_document_type(" ".join(context.args or []))
    if document_type is None:
        text = translate(
            agent.language,
            N_("Usage: /type carte grise, cni, passeport, licence or tn"),
        )
        await message.reply_text(text)
        return
    await remember_type_hint(context, agent.user_id, document_type)
    text = translate(
        agent.language,
        N_("The next document you send will be read as: {document}."),
        document=document_name(document_type, agent.language),
    )
    await message.reply_text(text)
