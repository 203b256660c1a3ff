"""Shared fixtures: a synthetic passport (ICAO 9303 TD3 MRZ with real check digits) as the local
engine would have read it, and the real SDK providers pointed at the fake APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import numpy as np
import pytest

from extraction.check_digits import check_digit
from extraction.documents import spec_for
from extraction.models import DocumentType
from extraction.pipeline import LocalReading, PreparedPage
from extraction.providers.gemini import GeminiProvider
from extraction.providers.mistral import MistralProvider
from extraction.text import TextLine
from tests.fakes import gemini as fake_gemini
from tests.fakes import mistral as fake_mistral

TODAY = date(2026, 11, 21)
NUMBER, BIRTH, EXPIRY = "XK4711230", "900315", "310914"

# What a correct AI answer for the synthetic passport looks like.
PASSPORT_FIELDS: dict[str, str | None] = {
    "document_number": NUMBER,
    "surname": "MARTIN",
    "given_names": "ÉLODIE CLAIRE",
    "sex": "F",
    "nationality": "FRA",
    "issuing_state": "FRA",
    "birth_date": "1990-03-15",
    "expiry_date": "2031-09-14",
    "personal_number": None,
}


def passport_mrz() -> tuple[str, str]:
    """A synthetic TD3 MRZ whose check digits all pass."""
    line1 = "P<FRAMARTIN<<ELODIE<CLAIRE".ljust(44, "<")
    personal = "<" * 14
    body = (
        NUMBER + check_digit(NUMBER) + "FRA" + BIRTH + check_digit(BIRTH) + "F"
        + EXPIRY + check_digit(EXPIRY) + personal + check_digit(personal)
    )  # fmt: skip
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)


def passport_lines() -> list[TextLine]:
    line1, line2 = passport_mrz()
    return [
        TextLine("PASSEPORT", 0.95, 0.1, 0.05, 0.4, 0.1),
        TextLine(line1, 0.93, 0.02, 0.82, 0.98, 0.88),
        TextLine(line2, 0.93, 0.02, 0.9, 0.98, 0.96),
    ]


def page(lines: list[TextLine], *, blocked: bool = False) -> PreparedPage:
    image = np.full((700, 1000, 3), 235, np.uint8)
    image[600:680, 20:980] = 40  # something that is not a blank page
    return PreparedPage(index=0, image=image, lines=lines, blocked=blocked)


def local_passport(*, typed: bool = True) -> LocalReading:
    """The offline engine's reading: typed (classified) or not (type unknown, no reading)."""
    lines = passport_lines()
    if not typed:
        return LocalReading([page(lines)], DocumentType.UNKNOWN, 0.2, None, [])
    spec = spec_for(DocumentType.PASSPORT)
    reading = spec.read(lines, [])
    spec.check(reading, today=TODAY)
    return LocalReading([page(lines)], DocumentType.PASSPORT, 0.9, reading, [])


@pytest.fixture
async def mistral_api() -> AsyncIterator[fake_mistral.FakeMistral]:
    async with fake_mistral.FakeMistral() as server:
        yield server


@pytest.fixture
async def gemini_api() -> AsyncIterator[fake_gemini.FakeGemini]:
    async with fake_gemini.FakeGemini() as server:
        yield server


@pytest.fixture
async def mistral(mistral_api: fake_mistral.FakeMistral) -> AsyncIterator[MistralProvider]:
    provider = MistralProvider(api_key=fake_mistral.API_KEY, server_url=mistral_api.url)
    yield provider
    await provider.aclose()


@pytest.fixture
async def gemini(gemini_api: fake_gemini.FakeGemini) -> AsyncIterator[GeminiProvider]:
    provider = GeminiProvider(api_key=fake_gemini.API_KEY, base_url=gemini_api.url)
    yield provider
    await provider.aclose()
