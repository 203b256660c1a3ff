"""Translations: gettext catalogs under `locales/`, compiled from .po with Babel when loaded.

Every user-facing sentence of every package goes through here. Message ids are English sentences;
`en.po` repeats them so that a test can prove no language is missing a message.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# The catalogs live in the repository's `locales/`; an installed copy (the Docker image) points
# PAPIERS_LOCALES_DIR at its own.
LOCALES_DIR: Final = Path(
    os.environ.get("PAPIERS_LOCALES_DIR") or Path(__file__).resolve().parent.parent / "locales"
)
LANGUAGES: Final = ("fr", "en")
DEFAULT_LANGUAGE: Final = "fr"
DOMAIN: Final = "messages"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (translated where it is shown)."""
    return message


def normalize_language(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map `fr-FR`, `en_GB.UTF-8`, `EN` … to a supported language, else `default`."""
    if code:
        short = code.replace("-", "_").split("_")[0].split(".")[0].lower()
        if short in LANGUAGES:
            return short
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def system_language() -> str:
    """The language of the process's locale (LC_ALL, LC_MESSAGES, LANG), French when unknown."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return normalize_language(value)
    return normalize_language(locale.getlocale()[0])


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog for a language (compiled in memory from its .po on first use)."""
    po_path = LOCALES_DIR / normalize_language(language) / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=normalize_language(language))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translate(language: str, message: str, /, **params: object) -> str:
    """Translate `message` into `language`, then fill its `{named}` placeholders."""
    text = translations(normalize_language(language)).gettext(message)
    return text.format(**params) if params else text
