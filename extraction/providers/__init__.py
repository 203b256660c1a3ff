"""AI reading providers (Mistral, Gemini) behind one interface, and the chain built from settings.

`chain_from_settings(get_settings())` gives the `ProviderChain` that `extraction.pipeline.scan`
uses; a worker builds it once at start-up and closes it at shutdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from extraction.errors import ProviderError
from extraction.providers.base import Provider, ProviderFailure, Usage
from extraction.providers.chain import LOCAL, ProviderChain, ProviderReading
from extraction.providers.cost import DEFAULT_PRICES, Price
from extraction.providers.retry import RetryPolicy
from papiers.settings import Settings

__all__ = [
    "LOCAL",
    "Provider",
    "ProviderChain",
    "ProviderFailure",
    "ProviderReading",
    "RetryPolicy",
    "Usage",
    "build_provider",
    "chain_from_settings",
]

KNOWN_PROVIDERS = ("gemini", "mistral", LOCAL)


def build_provider(name: str, settings: Settings) -> Provider:
    """One configured AI provider; `ProviderError("provider_not_configured")` without its key."""
    if name == "mistral" and settings.mistral_api_key:
        from extraction.providers.mistral import MistralProvider

        return MistralProvider(
            api_key=settings.mistral_api_key.get_secret_value(),
            model=settings.mistral_model,
            server_url=settings.mistral_server_url,
            use_ocr=settings.mistral_use_ocr,
            ocr_model=settings.mistral_ocr_model,
        )
    if name == "gemini" and settings.gemini_api_key:
        from extraction.providers.gemini import GeminiProvider

        return GeminiProvider(
            api_key=settings.gemini_api_key.get_secret_value(),
            model=settings.gemini_model,
            base_url=settings.gemini_base_url,
        )
    if name not in KNOWN_PROVIDERS:
        raise ProviderError("provider_unknown", {"provider": name})
    raise ProviderError("provider_not_configured", {"provider": name})


def chain_from_settings(
    settings: Settings,
    names: Sequence[str] | None = None,
    *,
    policy: RetryPolicy | None = None,
    prices: Mapping[str, Price] = DEFAULT_PRICES,
) -> ProviderChain:
    """The chain for `names` (default: `EXTRACTION_PROVIDERS`, or those with a key, then local)."""
    order = [name.strip().lower() for name in (names or settings.providers)]
    if LOCAL in order:  # the offline engine always answers: later names would never be asked
        order = order[: order.index(LOCAL) + 1]
    providers = {
        name: build_provider(name, settings) for name in dict.fromkeys(order) if name != LOCAL
    }
    return ProviderChain(
        order,
        providers,
        policy=policy
        or RetryPolicy(
            max_retries=settings.provider_max_retries, timeout_s=settings.provider_timeout_s
        ),
        cross_check=settings.cross_check_providers,
        prices=prices,
    )
