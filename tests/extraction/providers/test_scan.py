"""`extraction.pipeline.scan` with a provider chain: a synthetic passport photo read by the offline
engine and by the real Gemini SDK against the fake API, published in the contract's envelope.
(The MRZ overruling an AI value is tested on a fixed local reading in `test_chain.py`.)"""

from __future__ import annotations

from docgen import Difficulty, generate
from extraction.models import Source
from extraction.pipeline import InputFile, scan
from extraction.providers import ProviderChain
from tests.fakes import gemini as fake_gemini


async def test_scan_publishes_the_checked_ai_reading_with_its_cost(gemini, gemini_api) -> None:
    sample = generate("passport", Difficulty.CLEAN, 3)
    gemini_api.answer_fields(dict(sample.fields))
    chain = ProviderChain(["gemini", "local"], {"gemini": gemini})

    result = await scan([InputFile(sample.image, sample.filename)], providers=chain, language="en")

    assert gemini_api.problems == []
    assert "document_number" in fake_gemini.schema_of(gemini_api.requests[0])["properties"]
    assert result.document_type.value == "passport"
    assert result.engine.provider == "gemini" and result.engine.providers_tried == ["gemini"]
    assert result.engine.input_tokens == 1290 and result.engine.cost_eur
    assert {name: field.value for name, field in result.fields.items()} == sample.fields
    read = [field for field in result.fields.values() if field.value is not None]
    assert all(field.source is Source.GEMINI for field in read)
    # Values the offline engine read the same way are worth more than the AI's word alone.
    assert any(field.confidence >= 0.93 for field in read)
