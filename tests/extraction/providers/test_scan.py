"""`extraction.pipeline.scan` with a provider chain: a synthetic passport photo read by the offline
engine and by the real Gemini SDK against the fake API, published in the contract's envelope."""

from __future__ import annotations

from docgen import Difficulty, generate
from extraction.models import FieldStatus, Source
from extraction.pipeline import InputFile, scan
from extraction.providers import ProviderChain
from tests.fakes import gemini as fake_gemini


async def test_scan_publishes_the_checked_ai_reading_with_its_cost(gemini, gemini_api) -> None:
    sample = generate("passport", Difficulty.CLEAN, 3)
    gemini_api.answer_fields({**sample.fields, "surname": "SCHMITT"})  # one letter misread
    chain = ProviderChain(["gemini", "local"], {"gemini": gemini})

    result = await scan([InputFile(sample.image, sample.filename)], providers=chain, language="en")

    assert gemini_api.problems == []
    assert result.document_type.value == "passport"
    assert result.engine.provider == "gemini" and result.engine.cost_eur
    assert result.fields["document_number"].value == sample.fields["document_number"]
    assert result.fields["document_number"].source is Source.GEMINI
    # The MRZ disagrees with the AI's surname: the checked MRZ value is published, with a warning.
    surname = result.fields["surname"]
    assert (surname.value, surname.source) == (sample.fields["surname"], Source.MRZ)
    assert surname.status is FieldStatus.VALID
    assert ("provider_contradicts_mrz", "surname") in {(w.code, w.field) for w in result.warnings}
    assert schema_sent(gemini_api)


def schema_sent(api: fake_gemini.FakeGemini) -> bool:
    return "document_number" in fake_gemini.schema_of(api.requests[0])["properties"]
