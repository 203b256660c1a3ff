"""The provider chain end to end with the real SDKs against the fake APIs: answers checked by the
MRZ, fallbacks, failures, injected keys, type identification, cross-checking, cost."""

from __future__ import annotations

import json
import pickle
import time

import pytest

from extraction.documents.base import DocumentReading
from extraction.errors import ProviderError
from extraction.models import DocumentType, FieldStatus, Source
from extraction.providers import ProviderChain, ProviderReading, RetryPolicy
from extraction.providers.mistral import MistralProvider
from tests.extraction.providers.conftest import PASSPORT_FIELDS, TODAY, local_passport
from tests.fakes import gemini as fake_gemini
from tests.fakes import mistral as fake_mistral
from tests.fakes.ai_http import Reply

FAST = RetryPolicy(max_retries=2, base_delay_s=0.001, max_delay_s=0.01, timeout_s=2.0)


def chain(*names: str, providers: dict[str, object], **options: object) -> ProviderChain:
    return ProviderChain(names, providers, policy=options.pop("policy", FAST), **options)  # type: ignore[arg-type]


def reading_of(outcome: ProviderReading) -> DocumentReading:
    assert outcome.reading is not None
    return outcome.reading


def codes(outcome) -> list[tuple[str, str | None]]:
    return [
        (f.code, f.field)
        for f in [*outcome.findings, *(reading_of(outcome).findings if outcome.reading else [])]
    ]


async def test_agreeing_answer_is_confirmed_by_the_mrz(gemini, gemini_api) -> None:
    gemini_api.answer_fields(PASSPORT_FIELDS)
    outcome = await chain("gemini", "local", providers={"gemini": gemini}).read(
        local_passport(), today=TODAY
    )

    assert gemini_api.problems == []
    fields = reading_of(outcome).fields
    assert fields["document_number"].value == "XK4711230"
    assert fields["document_number"].source is Source.GEMINI
    assert fields["document_number"].confidence >= 0.99
    assert (
        fields["given_names"].value == "ÉLODIE CLAIRE"
    )  # accents from the AI, names agree with MRZ
    assert fields["personal_number"].status is FieldStatus.MISSING
    mrz = reading_of(outcome).mrz
    assert mrz is not None and mrz.check_digits_ok
    assert outcome.provider == "gemini" and outcome.providers_tried == ["gemini"]
    assert (outcome.usage.input_tokens, outcome.usage.output_tokens) == (1290, 200)
    assert outcome.cost_eur == pytest.approx(1290 * 0.30e-6 + 200 * 2.50e-6)


async def test_answer_contradicting_the_mrz_loses_with_a_warning(mistral, mistral_api) -> None:
    mistral_api.answer_fields(
        {**PASSPORT_FIELDS, "document_number": "XK4711239", "birth_date": "1990-08-15"}
    )
    outcome = await chain("mistral", providers={"mistral": mistral}).read(
        local_passport(), today=TODAY
    )

    fields = reading_of(outcome).fields
    assert fields["document_number"].value == "XK4711230"
    assert fields["document_number"].source is Source.MRZ
    assert fields["birth_date"].value == "1990-03-15"
    assert ("provider_contradicts_mrz", "document_number") in codes(outcome)
    assert ("provider_contradicts_mrz", "birth_date") in codes(outcome)
    assert fields["surname"].source is Source.MISTRAL


async def test_invented_keys_and_instructions_in_the_image_change_nothing(
    gemini, gemini_api
) -> None:
    # Text on the photo told the model to add keys and mark everything valid.
    gemini_api.answer_fields(
        {
            **PASSPORT_FIELDS,
            "status": "valid",
            "document_type": "fft_licence",
            "engine": {"cost": 0},
            "sex": True,
            "expiry_date": ["2031-09-14"],
        }
    )
    outcome = await chain("gemini", providers={"gemini": gemini}).read(
        local_passport(), today=TODAY
    )

    fields = reading_of(outcome).fields
    assert set(fields) == set(PASSPORT_FIELDS)
    assert ("provider_unexpected_keys", None) in codes(outcome)
    unexpected = next(
        f for f in reading_of(outcome).findings if f.code == "provider_unexpected_keys"
    )
    assert unexpected.params["count"] == 3
    # Wrong types are rejected; where the MRZ proves the value, the proven value takes over.
    assert ("provider_wrong_type", "sex") in codes(outcome)
    assert (
        fields["expiry_date"].value == "2031-09-14" and fields["expiry_date"].source is Source.MRZ
    )


async def test_wrong_type_without_evidence_is_invalid(gemini, gemini_api) -> None:
    gemini_api.answer_fields({**PASSPORT_FIELDS, "personal_number": 12345})
    outcome = await chain("gemini", providers={"gemini": gemini}).read(
        local_passport(), today=TODAY
    )
    assert reading_of(outcome).fields["personal_number"].status is FieldStatus.INVALID


async def test_rate_limit_is_retried_after_the_delay_asked(gemini, gemini_api) -> None:
    gemini_api.script(fake_gemini.rate_limited("0.2s"))
    gemini_api.answer_fields(PASSPORT_FIELDS)
    started = time.perf_counter()
    outcome = await chain("gemini", providers={"gemini": gemini}).read(
        local_passport(), today=TODAY
    )
    assert time.perf_counter() - started >= 0.2
    assert len(gemini_api.requests) == 2 and outcome.provider == "gemini"


async def test_outage_falls_back_to_the_next_provider(
    gemini, gemini_api, mistral, mistral_api
) -> None:
    gemini_api.script(*[fake_gemini.server_error(503)] * 3)
    mistral_api.answer_fields(PASSPORT_FIELDS)
    outcome = await chain(
        "gemini", "mistral", providers={"gemini": gemini, "mistral": mistral}
    ).read(local_passport(), today=TODAY)
    assert len(gemini_api.requests) == 3  # first try + max_retries
    assert outcome.provider == "mistral" and outcome.providers_tried == ["gemini", "mistral"]
    assert ("provider_unavailable", None) in codes(outcome)
    assert reading_of(outcome).fields["surname"].source is Source.MISTRAL


@pytest.mark.parametrize(
    "reply",
    [
        Reply(content="Sorry, I cannot help with identity documents."),
        Reply(content='{"document_number": "XK47'),
        Reply(content="[1, 2, 3]"),
        Reply(status=502, body="<html>Bad gateway</html>"),
    ],
    ids=["prose", "truncated", "not-an-object", "html-502"],
)
async def test_unusable_answers_fall_back_to_local(mistral, mistral_api, reply) -> None:
    mistral_api.script(*[reply] * 3)
    outcome = await chain("mistral", "local", providers={"mistral": mistral}).read(
        local_passport(), today=TODAY
    )
    assert outcome.provider == "local" and outcome.reading is None
    assert outcome.providers_tried == ["mistral", "local"]
    assert ("providers_local_fallback", None) in codes(outcome)


async def test_safety_block_is_not_retried(gemini, gemini_api, mistral, mistral_api) -> None:
    gemini_api.script(fake_gemini.blocked())
    mistral_api.answer_fields(PASSPORT_FIELDS)
    outcome = await chain(
        "gemini", "mistral", providers={"gemini": gemini, "mistral": mistral}
    ).read(local_passport(), today=TODAY)
    assert len(gemini_api.requests) == 1
    assert ("provider_refused", None) in codes(outcome) and outcome.provider == "mistral"


async def test_timeouts_and_dropped_connections_fail_fast(
    gemini, gemini_api, mistral, mistral_api
) -> None:
    gemini_api.default_delay_s = 5.0  # never answers in time
    mistral_api.script(Reply(drop=True), Reply(drop=True), Reply(drop=True))
    policy = RetryPolicy(max_retries=1, base_delay_s=0.001, max_delay_s=0.01, timeout_s=0.3)
    started = time.perf_counter()
    with pytest.raises(ProviderError) as raised:
        await chain(
            "gemini", "mistral", providers={"gemini": gemini, "mistral": mistral}, policy=policy
        ).read(local_passport(), today=TODAY)
    assert time.perf_counter() - started < 2.5
    assert raised.value.code == "providers_failed" and raised.value.transient
    assert raised.value.params == {"providers": "gemini, mistral"}
    copy = pickle.loads(pickle.dumps(raised.value))  # crosses the arq queue
    assert copy.code == "providers_failed" and "gemini" in copy.message("en")


async def test_unknown_photo_takes_the_type_from_the_ai(gemini, gemini_api) -> None:
    gemini_api.answer_fields({"document_type": "passport", "passport": PASSPORT_FIELDS})
    outcome = await chain("gemini", providers={"gemini": gemini}).read(
        local_passport(typed=False), today=TODAY
    )

    schema = fake_gemini.schema_of(gemini_api.requests[0])
    assert "document_type" in schema["required"] and "passport" in schema["properties"]
    assert outcome.local.document_type is DocumentType.PASSPORT
    # The MRZ the local engine saw is now evidence for the AI's answer.
    assert reading_of(outcome).fields["document_number"].confidence >= 0.99


async def test_ai_type_contradicted_by_the_mrz_is_rejected(gemini, gemini_api) -> None:
    gemini_api.answer_fields({"document_type": "fft_licence", "fft_licence": {"surname": "MARTIN"}})
    outcome = await chain("gemini", providers={"gemini": gemini}).read(
        local_passport(typed=False), today=TODAY
    )
    assert outcome.local.document_type is DocumentType.UNKNOWN and outcome.reading is None
    assert ("provider_type_rejected", None) in codes(outcome)


async def test_cross_check_flags_fields_two_providers_read_differently(
    gemini, gemini_api, mistral, mistral_api
) -> None:
    gemini_api.answer_fields(PASSPORT_FIELDS)
    mistral_api.answer_fields({**PASSPORT_FIELDS, "surname": "MARTINEZ", "given_names": "HÉLÈNE"})
    outcome = await chain(
        "gemini", "mistral", providers={"gemini": gemini, "mistral": mistral}, cross_check=True
    ).read(local_passport(), today=TODAY)

    assert len(gemini_api.requests) == len(mistral_api.requests) == 1
    assert ("providers_disagree", "given_names") in codes(outcome)
    assert reading_of(outcome).fields["given_names"].status is FieldStatus.WARNING
    assert outcome.usage.input_tokens == 1290 + 1830  # both calls are billed


async def test_blocked_photo_costs_no_call(gemini, gemini_api) -> None:
    local = local_passport()
    local.pages[0].blocked = True
    outcome = await chain("gemini", "local", providers={"gemini": gemini}).read(local, today=TODAY)
    assert gemini_api.requests == [] and outcome.provider == "local"


async def test_mistral_ocr_annotation_mode(mistral_api) -> None:
    provider = MistralProvider(
        api_key=fake_mistral.API_KEY, server_url=mistral_api.url, use_ocr=True
    )
    mistral_api.answer_fields(PASSPORT_FIELDS)
    try:
        outcome = await chain("mistral", providers={"mistral": provider}).read(
            local_passport(), today=TODAY
        )
    finally:
        await provider.aclose()
    assert mistral_api.problems == [] and mistral_api.requests[0]["path"] == "/v1/ocr"
    assert outcome.usage.pages == 1 and outcome.cost_eur == pytest.approx(0.003)
    assert reading_of(outcome).fields["surname"].value == "MARTIN"


async def test_request_carries_the_rectified_document_not_a_url(gemini, gemini_api) -> None:
    gemini_api.answer_fields(PASSPORT_FIELDS)
    await chain("gemini", providers={"gemini": gemini}).read(local_passport(), today=TODAY)
    body = json.dumps(gemini_api.requests[0]["body"])
    assert "http" not in body.replace(gemini_api.url, "")
    assert gemini_api.problems == []


def test_unconfigured_provider_names_are_refused() -> None:
    with pytest.raises(ValueError, match="gemini"):
        ProviderChain(["gemini", "local"], {})
    assert ProviderChain(["local", "gemini"], {}).names == ["local"]
