"""AI provider layer against fake APIs that answer in 2 s: `python -m bench.providers [--quick]`.

Measures (1) calls in flight per worker process, (2) overhead per call added by our layer (JPEG
encoding, schema, SDK, validation, checks) over a bare HTTP round trip, (3) time to fall back to
the second provider when the first is down. No network: the fakes run on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import time

import aiohttp

from extraction.providers import Provider, ProviderChain, RetryPolicy
from extraction.providers.gemini import GeminiProvider
from extraction.providers.mistral import MistralProvider
from tests.extraction.providers.conftest import PASSPORT_FIELDS, TODAY, local_passport
from tests.fakes import gemini as fake_gemini
from tests.fakes import mistral as fake_mistral
from tests.fakes.ai_http import FakeAIServer

ANSWER_S = 2.0


async def in_flight(calls: int) -> None:
    """Many scans at once on one event loop, every answer taking 2 s, for each provider."""
    local = local_passport()
    async with fake_gemini.FakeGemini() as gemini_api, fake_mistral.FakeMistral() as mistral_api:
        providers: dict[str, tuple[Provider, FakeAIServer]] = {
            "gemini": (
                GeminiProvider(api_key=fake_gemini.API_KEY, base_url=gemini_api.url),
                gemini_api,
            ),
            "mistral": (
                MistralProvider(api_key=fake_mistral.API_KEY, server_url=mistral_api.url),
                mistral_api,
            ),
        }
        for name, (provider, api) in providers.items():
            api.answer_fields(PASSPORT_FIELDS)
            api.default_delay_s = ANSWER_S
            chain = ProviderChain([name], {name: provider}, policy=RetryPolicy(timeout_s=60))
            started = time.perf_counter()
            await asyncio.gather(*(chain.read(local, today=TODAY) for _ in range(calls)))
            wall = time.perf_counter() - started
            await chain.aclose()
            print(
                f"in flight ({name}): {calls} scans in {wall:.2f} s with {ANSWER_S:.0f} s answers; "
                f"at most {api.peak_active} calls in flight at once on one event loop"
            )


async def overhead(calls: int) -> None:
    """Per-call time of the whole chain minus a bare aiohttp POST of the same request."""
    async with fake_gemini.FakeGemini() as api:
        api.answer_fields(PASSPORT_FIELDS)
        provider = GeminiProvider(api_key=fake_gemini.API_KEY, base_url=api.url)
        chain = ProviderChain(["gemini"], {"gemini": provider})
        local = local_passport()
        await chain.read(local, today=TODAY)  # warm up connections and caches
        chain_ms = []
        for _ in range(calls):
            started = time.perf_counter()
            await chain.read(local, today=TODAY)
            chain_ms.append((time.perf_counter() - started) * 1000)
        body = json.dumps(api.requests[-1]["body"])
        url = f"{api.url}/v1/models/gemini-2.5-flash:generateContent"
        headers = {"x-goog-api-key": fake_gemini.API_KEY, "content-type": "application/json"}
        bare_ms = []
        async with aiohttp.ClientSession() as session:
            for _ in range(calls):
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                bare_ms.append((time.perf_counter() - started) * 1000)
        await chain.aclose()
    chain_median, bare_median = statistics.median(chain_ms), statistics.median(bare_ms)
    print(
        f"overhead: chain {chain_median:.1f} ms vs bare HTTP {bare_median:.1f} ms per call "
        f"(median of {calls}) → {chain_median - bare_median:.1f} ms added by our layer"
    )


async def fallback() -> None:
    """Gemini down (connection refused, 503s, hung); Mistral answers in 2 s."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    async with fake_mistral.FakeMistral() as mistral_api, fake_gemini.FakeGemini() as gemini_api:
        mistral_api.answer_fields(PASSPORT_FIELDS)
        mistral_api.default_delay_s = ANSWER_S
        gemini_api.script(*[fake_gemini.server_error(503)] * 10)
        for label, gemini_url in (
            ("refused", f"http://127.0.0.1:{closed_port}"),
            ("503", gemini_api.url),
        ):
            gemini = GeminiProvider(api_key=fake_gemini.API_KEY, base_url=gemini_url)
            mistral = MistralProvider(api_key=fake_mistral.API_KEY, server_url=mistral_api.url)
            chain = ProviderChain(["gemini", "mistral"], {"gemini": gemini, "mistral": mistral})
            started = time.perf_counter()
            outcome = await chain.read(local_passport(), today=TODAY)
            wall = time.perf_counter() - started
            await chain.aclose()
            policy = chain.policy
            print(
                f"fallback ({label}, {policy.max_retries} retries, backoff base "
                f"{policy.base_delay_s} s): answer from {outcome.provider} after {wall:.2f} s "
                f"→ {wall - ANSWER_S:.2f} s spent on the dead provider"
            )
        # A hung provider: one call timeout (3 s here), then the next provider; no retries.
        hung = fake_gemini.FakeGemini()
        async with hung:
            hung.default_delay_s = 60
            gemini = GeminiProvider(api_key=fake_gemini.API_KEY, base_url=hung.url)
            mistral = MistralProvider(api_key=fake_mistral.API_KEY, server_url=mistral_api.url)
            policy = RetryPolicy(timeout_s=3.0)
            chain = ProviderChain(
                ["gemini", "mistral"], {"gemini": gemini, "mistral": mistral}, policy=policy
            )
            started = time.perf_counter()
            outcome = await chain.read(local_passport(), today=TODAY)
            wall = time.perf_counter() - started
            await chain.aclose()
            print(
                f"fallback (hung, timeout {policy.timeout_s} s, budget {policy.budget} s): answer "
                f"from {outcome.provider} after {wall:.2f} s → {wall - ANSWER_S:.2f} s on the hung "
                "provider"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer calls")
    quick = parser.parse_args().quick
    asyncio.run(in_flight(60 if quick else 150))
    asyncio.run(overhead(20 if quick else 100))
    asyncio.run(fallback())


if __name__ == "__main__":
    main()
