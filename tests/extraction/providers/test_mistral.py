"""The Mistral provider with the real `mistralai` SDK against the fake API: request shape, answers,
and every failure turned into a plain, picklable `ProviderFailure`."""

from __future__ import annotations

import base64
import pickle

import cv2
import numpy as np
import pytest

from extraction.models import DocumentType
from extraction.providers.base import FailureKind, ProviderFailure, ReadingRequest
from extraction.providers.images import document_jpeg
from extraction.providers.prompts import prompt_for
from extraction.providers.schemas import answer_model, json_schema
from tests.fakes import mistral as fake
from tests.fakes.ai_http import Reply


def request() -> ReadingRequest:
    model = answer_model(DocumentType.FR_VEHICLE_REGISTRATION)
    image = document_jpeg(np.full((500, 800, 3), 200, np.uint8))
    return ReadingRequest(
        (image,),
        prompt_for(DocumentType.FR_VEHICLE_REGISTRATION),
        model.__name__,
        json_schema(model),
    )


async def test_chat_request_has_the_public_api_shape(mistral, mistral_api) -> None:
    mistral_api.answer_fields({"vin": "VF1RFB00X56789012"})
    answer = await mistral.read(request(), timeout_s=5)

    assert mistral_api.problems == []
    sent = mistral_api.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["body"]["model"] == "mistral-medium-latest"
    assert "C.1" in fake.content_of(sent) and "D.2.1" in fake.content_of(sent)
    assert set(fake.schema_of(sent)["required"]) >= {"registration_number", "vin", "formula_number"}
    assert answer.text == '{"vin": "VF1RFB00X56789012"}'
    assert answer.model == "mistral-medium-2508"
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (1830, 212)


async def test_wrong_key_is_rejected(mistral_api) -> None:
    from extraction.providers.mistral import MistralProvider

    provider = MistralProvider(api_key="not-the-key", server_url=mistral_api.url)
    try:
        with pytest.raises(ProviderFailure) as raised:
            await provider.read(request(), timeout_s=5)
    finally:
        await provider.aclose()
    assert raised.value.kind is FailureKind.REJECTED and not raised.value.transient


@pytest.mark.parametrize(
    ("reply", "kind", "retry_after"),
    [
        (fake.rate_limited("7"), FailureKind.RATE_LIMITED, 7.0),
        (Reply(status=500, body={"message": "boom"}), FailureKind.SERVER_ERROR, None),
        (Reply(status=503, body="<html>unavailable</html>"), FailureKind.SERVER_ERROR, None),
        (Reply(drop=True), FailureKind.CONNECTION, None),
        (Reply(delay_s=2.0), FailureKind.TIMEOUT, None),
        (Reply(body={"unexpected": "shape"}), FailureKind.BAD_ANSWER, None),
    ],
    ids=["429", "500", "503-html", "dropped", "timeout", "bad-shape"],
)
async def test_failures_become_plain_picklable_errors(
    mistral, mistral_api, reply, kind, retry_after
) -> None:
    mistral_api.script(reply)
    with pytest.raises(ProviderFailure) as raised:
        await mistral.read(request(), timeout_s=0.5)
    failure = raised.value
    assert (failure.provider, failure.kind, failure.retry_after_s) == ("mistral", kind, retry_after)
    assert failure.__cause__ is None and failure.__suppress_context__
    copy = pickle.loads(pickle.dumps(failure))
    assert (copy.kind, copy.status, copy.retry_after_s) == (kind, failure.status, retry_after)


async def test_ocr_mode_stacks_an_album_into_one_document(mistral_api) -> None:
    from extraction.providers.mistral import MistralProvider

    recto = document_jpeg(np.full((400, 600, 3), 90, np.uint8))
    verso = document_jpeg(np.full((300, 500, 3), 160, np.uint8))
    base = request()
    album = ReadingRequest((recto, verso), base.prompt, base.schema_name, base.schema)
    provider = MistralProvider(api_key=fake.API_KEY, server_url=mistral_api.url, use_ocr=True)
    mistral_api.answer_fields({"vin": None})
    try:
        answer = await provider.read(album, timeout_s=5)
    finally:
        await provider.aclose()
    assert mistral_api.problems == []
    sent = mistral_api.requests[0]["body"]
    assert sent["document"]["type"] == "image_url" and sent["include_blocks"] is False
    assert sent["document_annotation_prompt"] == base.prompt
    stacked = base64.b64decode(sent["document"]["image_url"].split(",", 1)[1])
    image = cv2.imdecode(np.frombuffer(stacked, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None and image.shape[:2] == (700, 600)
    assert answer.usage.pages == 1 and answer.model == "mistral-ocr-2505"
