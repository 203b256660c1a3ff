"""The Gemini provider with the real `google-genai` SDK against the fake API."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from extraction.models import DocumentType
from extraction.providers.base import FailureKind, ProviderFailure, ReadingRequest
from extraction.providers.images import document_jpeg
from extraction.providers.prompts import prompt_for
from extraction.providers.schemas import answer_model, json_schema
from tests.fakes import gemini as fake
from tests.fakes.ai_http import Reply


def request() -> ReadingRequest:
    model = answer_model(DocumentType.TN_VEHICLE_REGISTRATION)
    image = document_jpeg(np.full((500, 800, 3), 200, np.uint8))
    return ReadingRequest(
        (image, image),
        prompt_for(DocumentType.TN_VEHICLE_REGISTRATION),
        model.__name__,
        json_schema(model),
    )


async def test_request_has_the_public_api_shape(gemini, gemini_api) -> None:
    gemini_api.answer_fields({"registration_number": "123 TU 4567"})
    answer = await gemini.read(request(), timeout_s=5)

    assert gemini_api.problems == []
    sent = gemini_api.requests[0]
    assert sent["path"] == "/v1/models/gemini-2.5-flash:generateContent"
    parts = sent["body"]["contents"][0]["parts"]
    assert len([p for p in parts if "inlineData" in p]) == 2  # recto and verso
    assert "الطاقة" in parts[0]["text"]  # Arabic labels named in the prompt
    assert set(fake.schema_of(sent)["required"]) == set(
        answer_model(DocumentType.TN_VEHICLE_REGISTRATION).model_fields
    )
    assert answer.text == '{"registration_number": "123 TU 4567"}'
    # Thinking off for Flash (proto3 JSON accepts either spelling; the SDK sends snake case).
    thinking = sent["body"]["generationConfig"]["thinkingConfig"]
    assert thinking in ({"thinkingBudget": 0}, {"thinking_budget": 0})
    # Thinking tokens are billed as output.
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (1290, 200)


@pytest.mark.parametrize(
    ("reply", "kind", "retry_after"),
    [
        (fake.rate_limited("3s"), FailureKind.RATE_LIMITED, 3.0),
        (
            Reply(status=429, body={"error": {"code": 429}}, headers={"Retry-After": "4"}),
            FailureKind.RATE_LIMITED,
            4.0,
        ),
        (fake.server_error(500), FailureKind.SERVER_ERROR, None),
        (fake.server_error(503), FailureKind.SERVER_ERROR, None),
        (Reply(drop=True), FailureKind.CONNECTION, None),
        (Reply(delay_s=2.0), FailureKind.TIMEOUT, None),
        (fake.blocked("PROHIBITED_CONTENT"), FailureKind.REFUSED, None),
        (Reply(body="<html>not json</html>"), FailureKind.BAD_ANSWER, None),
        (Reply(content=""), FailureKind.BAD_ANSWER, None),
    ],
    ids=[
        "429-retryinfo",
        "429-header",
        "500",
        "503",
        "dropped",
        "timeout",
        "blocked",
        "html",
        "empty",
    ],
)
async def test_failures_become_plain_picklable_errors(
    gemini, gemini_api, reply, kind, retry_after
) -> None:
    gemini_api.script(reply)
    with pytest.raises(ProviderFailure) as raised:
        await gemini.read(request(), timeout_s=0.5)
    failure = raised.value
    assert (failure.provider, failure.kind, failure.retry_after_s) == ("gemini", kind, retry_after)
    assert len(gemini_api.requests) == 1  # the SDK's own retries are off
    copy = pickle.loads(pickle.dumps(failure))
    assert (copy.kind, copy.status) == (kind, failure.status)


async def test_finish_reason_safety_is_a_refusal(gemini, gemini_api) -> None:
    body = {
        "candidates": [{"finishReason": "SAFETY", "index": 0}],
        "modelVersion": "gemini-2.5-flash",
    }
    gemini_api.script(Reply(body=body))
    with pytest.raises(ProviderFailure) as raised:
        await gemini.read(request(), timeout_s=5)
    assert raised.value.kind is FailureKind.REFUSED and not raised.value.transient
