"""Gemini through `google-genai`: `generate_content` with the image parts inline and a response
JSON schema. SDK retries are off (`attempts=1`), which also stops its hidden 1–10 s sleep-and-retry
on aiohttp connection errors; `retry.py` decides instead."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import httpx
from google import genai
from google.genai import errors, types

from extraction.providers.base import (
    FailureKind,
    ProviderAnswer,
    ProviderFailure,
    ReadingRequest,
    Usage,
    kind_of_status,
    parse_retry_after,
)

NAME = "gemini"

_REFUSALS = frozenset({"SAFETY", "PROHIBITED_CONTENT", "SPII", "BLOCKLIST", "RECITATION"})
_RETRY_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")


class GeminiProvider:
    """Reads documents with Gemini (API key auth, optional base URL for a proxy or a test fake)."""

    name = NAME

    def __init__(
        self, *, api_key: str, model: str = "gemini-2.5-flash", base_url: str | None = None
    ) -> None:
        options = types.HttpOptions(
            base_url=base_url, retry_options=types.HttpRetryOptions(attempts=1)
        )
        self._client = genai.Client(api_key=api_key, vertexai=False, http_options=options)
        self.model = model

    async def read(self, request: ReadingRequest, *, timeout_s: float) -> ProviderAnswer:
        """One call; every SDK or transport error comes out as a plain `ProviderFailure`."""
        try:
            return await self._generate(request, timeout_ms=max(1, round(timeout_s * 1000)))
        except ProviderFailure:
            raise
        except Exception as error:  # converted to a plain, picklable failure
            raise failure_from(error) from None

    async def aclose(self) -> None:
        """Close the SDK's HTTP sessions."""
        await self._client.aio.aclose()

    async def _generate(self, request: ReadingRequest, *, timeout_ms: int) -> ProviderAnswer:
        parts = [types.Part.from_text(text=request.prompt)]
        parts.extend(types.Part.from_bytes(data=i, mime_type="image/jpeg") for i in request.images)
        config = types.GenerateContentConfig(
            response_mime_type="application/json",
            response_json_schema=request.schema,
            temperature=0,
            thinking_config=_thinking(self.model),
            http_options=types.HttpOptions(
                timeout=timeout_ms, retry_options=types.HttpRetryOptions(attempts=1)
            ),
        )
        response = await self._client.aio.models.generate_content(
            model=self.model,
            contents=[types.Content(role="user", parts=parts)],
            config=config,
        )
        usage = _usage(response.usage_metadata)
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            raise ProviderFailure(NAME, FailureKind.REFUSED)
        candidate = response.candidates[0] if response.candidates else None
        if candidate is None:
            raise ProviderFailure(NAME, FailureKind.BAD_ANSWER)
        if candidate.finish_reason is not None and candidate.finish_reason.value in _REFUSALS:
            raise ProviderFailure(NAME, FailureKind.REFUSED)
        content_parts = candidate.content.parts if candidate.content else None
        text = "".join(p.text or "" for p in content_parts or () if not p.thought).strip()
        if not text:
            raise ProviderFailure(NAME, FailureKind.BAD_ANSWER)
        return ProviderAnswer(text=text, model=response.model_version or self.model, usage=usage)


def failure_from(error: Exception) -> ProviderFailure:
    """Map a `google-genai` / aiohttp / httpx exception to a plain failure."""
    if isinstance(error, errors.APIError):
        status = int(error.code) if error.code else 0
        return ProviderFailure(NAME, kind_of_status(status), status, _retry_after(error))
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        return ProviderFailure(NAME, FailureKind.TIMEOUT)
    if isinstance(error, aiohttp.ClientError | httpx.TransportError | ConnectionError):
        return ProviderFailure(NAME, FailureKind.CONNECTION)
    # Anything else (a body that is not JSON, a shape the SDK's models refuse) is a bad answer.
    return ProviderFailure(NAME, FailureKind.BAD_ANSWER)


def _retry_after(error: errors.APIError) -> float | None:
    headers = getattr(error.response, "headers", None)
    from_header = parse_retry_after(headers.get("retry-after") if headers is not None else None)
    if from_header is not None:
        return from_header
    # Google APIs also say how long to wait in a google.rpc.RetryInfo detail, e.g. "12s".
    details = (
        error.details.get("error", {}).get("details", []) if isinstance(error.details, dict) else []
    )
    for detail in details if isinstance(details, list) else []:
        delay = detail.get("retryDelay") if isinstance(detail, dict) else None
        match = _RETRY_DELAY.match(delay) if isinstance(delay, str) else None
        if match:
            return float(match.group(1))
    return None


def _thinking(model: str) -> types.ThinkingConfig | None:
    # Copying printed fields needs no reasoning; 2.5 Flash models think by default, billed as
    # output tokens and adding seconds. Pro models cannot switch thinking off: leave them be.
    if model.startswith("gemini-2.5-flash"):
        return types.ThinkingConfig(thinking_budget=0)
    return None


def _usage(metadata: Any) -> Usage:
    if metadata is None:
        return Usage()
    # Thinking tokens are billed as output.
    output = (metadata.candidates_token_count or 0) + (metadata.thoughts_token_count or 0)
    return Usage(input_tokens=metadata.prompt_token_count or 0, output_tokens=output)
