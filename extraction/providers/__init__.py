"""AI reading providers (Mistral, Gemini) behind one interface, and the chain built from settings.

`shared_chain(get_settings())` is the `ProviderChain` that `extraction.pipeline.scan` uses by
default: one per event loop, because creating the SDK clients costs 0.2–0.3 s each (TLS contexts)
and their connection pools are worth keeping. A worker calls `close_shared_chain()` at shutdown.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Mapping, Sequence

from extraction.errors import ProviderError
from extraction.providers.base import Provider, ProviderFailure, Usage
from extraction.providers.chain import LOCAL, ProviderChain, ProviderReading
from extraction.providers.cost import DEFAULT_PRICES, Price, parse_prices
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
    "close_shared_chain",
    "shared_chain",
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
    prices: Mapping[str, Price] | None = None,
) -> ProviderChain:
    """The chain for `names` (default: `EXTRACTION_PROVIDERS`, or those with a key, then local);
    prices are the defaults overridden by `PROVIDER_PRICES`."""
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
        prices=prices or {**DEFAULT_PRICES, **parse_prices(settings.provider_prices)},
    )


_shared: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ProviderChain] = (
    weakref.WeakKeyDictionary()
)


def shared_chain(settings: Settings) -> ProviderChain:
    """The chain from settings for the running event loop, built on first use."""
    loop = asyncio.get_running_loop()
    chain = _shared.get(loop)
    if chain is None:
        chain = _shared[loop] = chain_from_settings(settings)
    return chain


async def close_shared_chain() -> None:
    """Close the running loop's shared chain (its HTTP connections), if one was built."""
    chain = _shared.pop(asyncio.get_running_loop(), None)
    if chain is not None:
        await chain.aclose()
