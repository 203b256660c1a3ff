"""The chain built from settings: order, keys, names after `local`, one shared chain per loop."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from extraction.errors import ProviderError
from extraction.providers import chain_from_settings, close_shared_chain, shared_chain
from extraction.providers.gemini import GeminiProvider
from extraction.providers.mistral import MistralProvider
from papiers.settings import Settings


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)


async def test_keys_decide_the_default_order() -> None:
    chain = chain_from_settings(
        settings(gemini_api_key=SecretStr("g"), mistral_api_key=SecretStr("m"))
    )
    try:
        assert chain.names == ["gemini", "mistral", "local"]
        assert isinstance(chain.providers["gemini"], GeminiProvider)
        assert isinstance(chain.providers["mistral"], MistralProvider)
    finally:
        await chain.aclose()
    assert chain_from_settings(settings()).names == ["local"]


async def test_configured_order_and_options_are_kept() -> None:
    configured = settings(
        extraction_providers="mistral, local, gemini",
        mistral_api_key=SecretStr("m"),
        mistral_use_ocr=True,
        provider_max_retries=1,
        provider_timeout_s=9,
        cross_check_providers=True,
        provider_prices="mistral-ocr-latest=page:0.001",
    )
    chain = chain_from_settings(configured)
    try:
        assert chain.names == ["mistral", "local"]  # nothing after local is ever asked
        assert chain.providers["mistral"].model == "mistral-ocr-latest"
        assert (chain.policy.max_retries, chain.policy.timeout_s, chain.cross_check) == (1, 9, True)
        assert chain.prices["mistral-ocr-latest"].per_page == 0.001
        assert chain.prices["gemini-2.5-flash"].input_per_million == 0.30
    finally:
        await chain.aclose()


@pytest.mark.parametrize(
    ("names", "code"), [(["gemini"], "provider_not_configured"), (["openai"], "provider_unknown")]
)
def test_a_provider_without_key_or_unknown_is_a_clear_error(names: list[str], code: str) -> None:
    with pytest.raises(ProviderError) as raised:
        chain_from_settings(settings(), names)
    assert raised.value.code == code and names[0] in raised.value.message("en")


async def test_one_shared_chain_per_event_loop() -> None:
    configured = settings(gemini_api_key=SecretStr("g"))
    first = shared_chain(configured)
    assert shared_chain(configured) is first
    await close_shared_chain()
    second = shared_chain(configured)
    assert second is not first
    await close_shared_chain()
