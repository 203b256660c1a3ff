"""Cost estimates from the price table."""

from __future__ import annotations

import pytest

from extraction.providers.base import Usage
from extraction.providers.cost import DEFAULT_PRICES, Price, estimate_cost, is_priced, parse_prices


def test_tokens_and_pages_are_priced() -> None:
    assert estimate_cost("gemini-2.5-flash", Usage(1_000_000, 100_000)) == pytest.approx(
        0.30 + 0.25
    )
    assert estimate_cost("mistral-ocr-latest", Usage(pages=2)) == pytest.approx(0.006)


def test_dated_release_uses_its_latest_alias_price() -> None:
    assert is_priced("mistral-medium-2508")
    assert estimate_cost("mistral-medium-2508", Usage(1_000_000, 0)) == pytest.approx(0.40)
    assert not is_priced("some-new-model") and estimate_cost("some-new-model", Usage(10, 10)) == 0


def test_operators_can_override_prices() -> None:
    prices = {
        **DEFAULT_PRICES,
        **parse_prices("gemini-2.5-flash=0.5/3; mistral-ocr-latest=page:0.001"),
    }
    assert prices["gemini-2.5-flash"] == Price(0.5, 3.0)
    assert estimate_cost("mistral-ocr-latest", Usage(pages=3), prices) == pytest.approx(0.003)
