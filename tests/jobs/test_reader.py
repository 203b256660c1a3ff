"""The worker's reader asks the providers of the worker's own settings, then closes them."""

from __future__ import annotations

from pydantic import SecretStr

from docgen import Difficulty, generate
from extraction.models import Source
from extraction.pipeline import InputFile
from extraction.providers import close_shared_chain
from jobs.reader import pipeline_reader
from papiers.settings import Settings
from tests.fakes import gemini as fake_gemini


async def test_the_reader_uses_the_workers_provider_settings() -> None:
    sample = generate("passport", Difficulty.CLEAN, 3)
    async with fake_gemini.FakeGemini() as gemini_api:
        gemini_api.answer_fields(dict(sample.fields))
        settings = Settings(
            extraction_providers=["gemini", "local"],
            gemini_api_key=SecretStr(fake_gemini.API_KEY),
            gemini_base_url=gemini_api.url,
        )
        read = pipeline_reader(settings)
        try:
            result = await read(
                [InputFile(sample.image, sample.filename)], document_type=None, language="en"
            )
        finally:
            await close_shared_chain()

    assert gemini_api.problems == [] and len(gemini_api.requests) == 1
    assert result.engine.provider == "gemini"
    assert result.fields["surname"].source is Source.GEMINI
