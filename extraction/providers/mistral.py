"""Mistral: a vision chat completion constrained by a JSON schema, or (setting `MISTRAL_USE_OCR`)
the OCR endpoint with a document annotation schema. Images travel as base64 data URIs, never as
URLs (a Telegram file URL contains the bot token)."""

from __future__ import annotations

import base64

import cv2
import httpx2
import numpy as np
from mistralai.client import Mistral, errors, models

from extraction.providers.base import (
    FailureKind,
    ProviderAnswer,
    ProviderFailure,
    ReadingRequest,
    Usage,
    kind_of_status,
    parse_retry_after,
)

NAME = "mistral"


class MistralProvider:
    """Reads documents with `mistralai` ≥ 3 (`mistralai.client`); SDK retries stay off."""

    name = NAME

    def __init__(
        self,
        *,
        api_key: str,
        model: str = "mistral-medium-latest",
        server_url: str | None = None,
        use_ocr: bool = False,
        ocr_model: str = "mistral-ocr-latest",
    ) -> None:
        self._client = Mistral(api_key=api_key, server_url=server_url)
        self._use_ocr = use_ocr
        self.model = ocr_model if use_ocr else model

    async def read(self, request: ReadingRequest, *, timeout_s: float) -> ProviderAnswer:
        """One call; every SDK or transport error comes out as a plain `ProviderFailure`."""
        timeout_ms = max(1, round(timeout_s * 1000))
        try:
            if self._use_ocr:
                return await self._annotate(request, timeout_ms)
            return await self._chat(request, timeout_ms)
        except ProviderFailure:
            raise
        except Exception as error:  # converted to a plain, picklable failure
            raise failure_from(error) from None

    async def aclose(self) -> None:
        """Close the SDK's async HTTP client."""
        client = self._client.sdk_configuration.async_client
        if isinstance(client, httpx2.AsyncClient):
            await client.aclose()

    async def _chat(self, request: ReadingRequest, timeout_ms: int) -> ProviderAnswer:
        content: list[models.ContentChunk] = [models.TextChunk(text=request.prompt)]
        content.extend(models.ImageURLChunk(image_url=_data_uri(i)) for i in request.images)
        response = await self._client.chat.complete_async(
            model=self.model,
            messages=[models.UserMessage(content=content)],
            response_format=_response_format(request),
            temperature=0,
            timeout_ms=timeout_ms,
        )
        usage = Usage(
            input_tokens=response.usage.prompt_tokens or 0,
            output_tokens=response.usage.completion_tokens or 0,
        )
        message = response.choices[0].message if response.choices else None
        text = _message_text(message.content if message else None)
        if not text:
            raise ProviderFailure(NAME, FailureKind.BAD_ANSWER)
        return ProviderAnswer(text=text, model=response.model or self.model, usage=usage)

    async def _annotate(self, request: ReadingRequest, timeout_ms: int) -> ProviderAnswer:
        response = await self._client.ocr.process_async(
            model=self.model,
            document=models.ImageURLChunk(image_url=_data_uri(_one_image(request.images))),
            document_annotation_format=_response_format(request),
            document_annotation_prompt=request.prompt,
            include_blocks=False,
            include_image_base64=False,
            timeout_ms=timeout_ms,
        )
        annotation = response.document_annotation
        if not isinstance(annotation, str) or not annotation.strip():
            raise ProviderFailure(NAME, FailureKind.BAD_ANSWER)
        usage = Usage(pages=response.usage_info.pages_processed)
        return ProviderAnswer(text=annotation, model=response.model or self.model, usage=usage)


def _response_format(request: ReadingRequest) -> models.ResponseFormat:
    schema = models.JSONSchema.model_validate(
        {"name": request.schema_name, "schema": request.schema, "strict": True}
    )
    return models.ResponseFormat(type="json_schema", json_schema=schema)


def failure_from(error: Exception) -> ProviderFailure:
    """Map a `mistralai` / `httpx2` exception to a plain failure (no response object kept)."""
    if isinstance(error, errors.ResponseValidationError):
        return ProviderFailure(NAME, FailureKind.BAD_ANSWER, error.status_code)
    if isinstance(error, errors.MistralError):
        retry_after = parse_retry_after(error.headers.get("retry-after"))
        return ProviderFailure(
            NAME, kind_of_status(error.status_code), error.status_code, retry_after
        )
    if isinstance(error, httpx2.TimeoutException | TimeoutError):
        return ProviderFailure(NAME, FailureKind.TIMEOUT)
    if isinstance(error, httpx2.TransportError | errors.NoResponseError | ConnectionError):
        return ProviderFailure(NAME, FailureKind.CONNECTION)
    return ProviderFailure(NAME, FailureKind.BAD_ANSWER)


def _data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _message_text(content: object) -> str:
    if isinstance(content, str):
        return content.strip()
    if isinstance(content, list):
        return "".join(getattr(chunk, "text", "") or "" for chunk in content).strip()
    return ""


def _one_image(images: tuple[bytes, ...]) -> bytes:
    # The OCR endpoint takes one document: pages of an album are stacked top to bottom.
    if len(images) == 1:
        return images[0]
    pages = []
    for data in images:
        page = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        if page is None:
            raise ProviderFailure(NAME, FailureKind.REJECTED)
        pages.append(page)
    width = max(page.shape[1] for page in pages)
    padded = [
        cv2.copyMakeBorder(p, 0, 0, 0, width - p.shape[1], cv2.BORDER_CONSTANT) for p in pages
    ]
    ok, encoded = cv2.imencode(".jpg", np.vstack(padded), [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ProviderFailure(NAME, FailureKind.REJECTED)
    return bytes(encoded.tobytes())
