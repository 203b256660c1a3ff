"""Every user-facing message exists, non-empty, in both catalogs, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from papiers.i18n import LANGUAGES, LOCALES_DIR, normalize_language, translate

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("papiers", "extraction", "bot", "jobs")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "translate": (2,)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _source_messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for package in PACKAGES:
        directory = ROOT / package
        if not directory.exists():
            continue
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            directory, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            text = message if isinstance(message, str) else message[0]
            if text:
                found.setdefault(text, f"{package}/{filename}")
    return found


def _catalog(language: str) -> dict[str, str]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    return {str(m.id): str(m.string) for m in catalog if m.id}


MESSAGES = _source_messages()


def test_the_source_has_messages() -> None:
    assert len(MESSAGES) > 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    catalog = _catalog(language)
    missing = {m: where for m, where in MESSAGES.items() if not catalog.get(m)}
    assert not missing, f"{len(missing)} messages missing in {language}: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language: str) -> None:
    catalog = _catalog(language)
    wrong = {
        msgid: msgstr
        for msgid, msgstr in catalog.items()
        if msgstr and set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(msgstr))
    }
    assert not wrong


def test_french_is_really_french() -> None:
    catalog = _catalog("fr")
    translated = [m for m in MESSAGES if catalog.get(m) and catalog[m] != m]
    assert len(translated) >= 0.9 * len(MESSAGES)


def test_translate_fills_placeholders_and_normalizes_language() -> None:
    assert translate("en-GB", "The document expired on {date}.", date="2020-01-01") == (
        "The document expired on 2020-01-01."
    )
    assert normalize_language("fr_FR.UTF-8") == "fr"
    assert normalize_language("de", default="en") == "en"
