"""What a reading costs: a price table per model, in EUR, that operators can override.

Defaults are the providers' public list prices (late 2025, USD taken as EUR; a ~10% error is fine
for a budget estimate). Chat models bill tokens; Mistral OCR bills pages, more with annotations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from extraction.providers.base import Usage


@dataclass(frozen=True, slots=True)
class Price:
    """EUR per million input tokens, per million output tokens, and per page."""

    input_per_million: float = 0.0
    output_per_million: float = 0.0
    per_page: float = 0.0


DEFAULT_PRICES: Mapping[str, Price] = {
    "mistral-medium-latest": Price(0.40, 2.00),
    "mistral-small-latest": Price(0.10, 0.30),
    "mistral-large-latest": Price(0.50, 1.50),
    "pixtral-large-latest": Price(2.00, 6.00),
    # OCR with a document annotation: 3 USD per 1000 pages (1 USD without annotation).
    "mistral-ocr-latest": Price(per_page=0.003),
    "gemini-2.5-flash": Price(0.30, 2.50),
    "gemini-2.5-flash-lite": Price(0.10, 0.40),
    "gemini-2.5-pro": Price(1.25, 10.00),
    "gemini-2.0-flash": Price(0.10, 0.40),
}


def parse_prices(text: str) -> dict[str, Price]:
    """Read overrides like `gemini-2.5-flash=0.3/2.5, mistral-ocr-latest=page:0.003`."""
    prices: dict[str, Price] = {}
    for item in text.replace(";", ",").split(","):
        if "=" not in item:
            continue
        model, _, spec = (part.strip() for part in item.partition("="))
        if spec.startswith("page:"):
            prices[model] = Price(per_page=float(spec.removeprefix("page:")))
        else:
            tokens_in, _, tokens_out = spec.partition("/")
            prices[model] = Price(float(tokens_in), float(tokens_out or 0))
    return prices


def estimate_cost(model: str, usage: Usage, prices: Mapping[str, Price] = DEFAULT_PRICES) -> float:
    """Estimated EUR for one call; 0 for a model missing from the table (it is logged upstream)."""
    price = _price_of(model, prices)
    if price is None:
        return 0.0
    return (
        usage.input_tokens * price.input_per_million / 1_000_000
        + usage.output_tokens * price.output_per_million / 1_000_000
        + usage.pages * price.per_page
    )


def is_priced(model: str, prices: Mapping[str, Price] = DEFAULT_PRICES) -> bool:
    """True when the table knows the model (or its dated release, e.g. `…-2505`)."""
    return _price_of(model, prices) is not None


def _price_of(model: str, prices: Mapping[str, Price]) -> Price | None:
    if model in prices:
        return prices[model]
    # APIs answer with the dated name (`mistral-medium-2508`) for a `-latest` alias.
    family = model.rsplit("-", 1)[0]
    return prices.get(f"{family}-latest")
