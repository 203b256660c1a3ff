"""The ordered list of providers (`EXTRACTION_PROVIDERS`): ask each in turn until one answers,
validate and check its answer, fall back to the offline reading (`local`) or fail clearly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from extraction.documents import spec_for
from extraction.documents.base import DocumentReading
from extraction.errors import ProviderError
from extraction.findings import Finding
from extraction.models import DocumentType, Source
from extraction.providers.base import (
    FailureKind,
    Provider,
    ProviderAnswer,
    ProviderFailure,
    ReadingRequest,
    Usage,
)
from extraction.providers.cost import DEFAULT_PRICES, Price, estimate_cost
from extraction.providers.images import document_jpeg, document_view
from extraction.providers.prompts import prompt_for
from extraction.providers.retry import RetryPolicy, read_with_retries
from extraction.providers.schemas import (
    ParsedAnswer,
    UnusableAnswer,
    answer_model,
    identify_model,
    json_schema,
    parse_answer,
    parse_identified,
)
from extraction.providers.verify import (
    check_against_local,
    contradicting_type,
    cross_check,
    reading_from_answer,
)

if TYPE_CHECKING:
    from extraction.pipeline import LocalReading, PreparedPage

LOCAL = "local"
log = logging.getLogger(__name__)


@dataclass
class ProviderReading:
    """What the chain settled on: the reading to publish (None: the local one) and its cost."""

    local: LocalReading
    reading: DocumentReading | None
    provider: str
    model: str | None = None
    findings: list[Finding] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost_eur: float | None = None
    providers_tried: list[str] = field(default_factory=list)


@dataclass
class _Answered:
    provider: str
    answer: ProviderAnswer
    parsed: ParsedAnswer


@dataclass
class _Ledger:
    """Every call's usage and cost, including answers we threw away (they were billed)."""

    prices: Mapping[str, Price]
    usage: Usage = field(default_factory=Usage)
    cost_eur: float = 0.0
    tried: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    failures: list[ProviderFailure] = field(default_factory=list)

    def bill(self, answer: ProviderAnswer) -> None:
        self.usage = self.usage + answer.usage
        self.cost_eur += estimate_cost(answer.model, answer.usage, self.prices)


class ProviderChain:
    """Providers in order; `local` ends the list (what comes after it is never asked)."""

    def __init__(
        self,
        names: Sequence[str],
        providers: Mapping[str, Provider],
        *,
        policy: RetryPolicy | None = None,
        cross_check: bool = False,
        prices: Mapping[str, Price] = DEFAULT_PRICES,
    ) -> None:
        order = list(names)
        self.names = order[: order.index(LOCAL) + 1] if LOCAL in order else order
        self.providers = dict(providers)
        self.policy = policy or RetryPolicy()
        self.cross_check = cross_check
        self.prices = prices
        unknown = [name for name in self.names if name != LOCAL and name not in self.providers]
        if unknown:
            raise ValueError(f"no provider configured for {', '.join(unknown)}")

    @property
    def ai_names(self) -> list[str]:
        return [name for name in self.names if name != LOCAL]

    async def aclose(self) -> None:
        """Close every provider's connections."""
        await asyncio.gather(*(p.aclose() for p in self.providers.values()))

    async def read(self, local: LocalReading, *, today: date) -> ProviderReading:
        """Ask the providers about the pages the local engine rectified, and check the answer."""
        usable = [page for page in local.pages if not page.blocked]
        if not self.ai_names or not usable:
            # A hopeless photo (every page blocked by the quality gate) is not worth a paid call.
            return ProviderReading(local, None, LOCAL, providers_tried=[LOCAL])
        document_type = local.document_type
        typed = document_type is not DocumentType.UNKNOWN
        model = answer_model(document_type) if typed else identify_model()
        request = ReadingRequest(
            images=await asyncio.to_thread(_encode_pages, usable),
            prompt=prompt_for(document_type if typed else None),
            schema_name=model.__name__,
            schema=json_schema(model),
        )

        def parse(text: str) -> ParsedAnswer:
            return parse_answer(text, document_type) if typed else parse_identified(text)

        ledger = _Ledger(self.prices)
        answers = await self._answers(request, parse, ledger)
        if not answers:
            return self._without_ai(local, ledger)
        first = answers[0]
        if not typed:
            local = self._settle_type(local, first.parsed.document_type, ledger, today)
            if local.document_type is DocumentType.UNKNOWN:
                return self._finish(local, None, first, ledger)
        mrz = local.reading.mrz if local.reading else None
        reading = reading_from_answer(first.parsed, Source(first.provider), today=today, mrz=mrz)
        for other in answers[1:]:
            if other.parsed.document_type is first.parsed.document_type:
                source = Source(other.provider)
                second = reading_from_answer(other.parsed, source, today=today, mrz=mrz)
                cross_check(reading, second)
        check_against_local(reading, local.reading)
        return self._finish(local, reading, first, ledger)

    async def _answers(
        self,
        request: ReadingRequest,
        parse: Callable[[str], ParsedAnswer],
        ledger: _Ledger,
    ) -> list[_Answered]:
        queue = self.ai_names
        if self.cross_check and len(queue) >= 2:
            pair = await asyncio.gather(*(self._ask(n, request, parse, ledger) for n in queue[:2]))
            answered = [answer for answer in pair if answer is not None]
            if answered:
                return answered
            queue = queue[2:]
        for name in queue:
            answer = await self._ask(name, request, parse, ledger)
            if answer is not None:
                return [answer]
        return []

    async def _ask(
        self,
        name: str,
        request: ReadingRequest,
        parse: Callable[[str], ParsedAnswer],
        ledger: _Ledger,
    ) -> _Answered | None:
        ledger.tried.append(name)
        try:
            answer = await read_with_retries(self.providers[name], request, self.policy)
        except ProviderFailure as failure:
            log.warning("provider %s failed: %s (status %s)", name, failure.kind, failure.status)
            ledger.failures.append(failure)
            code = f"provider_{_finding_kind(failure.kind)}"
            ledger.findings.append(Finding(code, params={"provider": name}))
            return None
        ledger.bill(answer)
        try:
            parsed = parse(answer.text)
        except UnusableAnswer:
            log.warning("provider %s gave an answer that is not a JSON object", name)
            ledger.failures.append(ProviderFailure(name, FailureKind.BAD_ANSWER))
            ledger.findings.append(Finding("provider_bad_answer", params={"provider": name}))
            return None
        return _Answered(name, answer, parsed)

    def _settle_type(
        self, local: LocalReading, claimed: DocumentType, ledger: _Ledger, today: date
    ) -> LocalReading:
        """Accept the AI's document type unless machine-readable evidence names another one."""
        if claimed is DocumentType.UNKNOWN:
            return local
        lines = [line for page in local.pages for line in page.lines]
        barcodes = [code for page in local.pages for code in page.barcodes]
        if contradicting_type(lines, barcodes, claimed):
            ledger.findings.append(Finding("provider_type_rejected"))
            return local
        spec = spec_for(claimed)
        evidence = spec.read(lines, barcodes)
        spec.check(evidence, today=today)
        return replace(local, document_type=claimed, reading=evidence)

    def _without_ai(self, local: LocalReading, ledger: _Ledger) -> ProviderReading:
        if LOCAL not in self.names:
            raise ProviderError(
                "providers_failed",
                {"providers": ", ".join(ledger.tried)},
                transient=any(failure.transient for failure in ledger.failures),
            )
        ledger.findings.append(Finding("providers_local_fallback"))
        return ProviderReading(
            local,
            None,
            LOCAL,
            findings=ledger.findings,
            usage=ledger.usage,
            cost_eur=round(ledger.cost_eur, 6),
            providers_tried=[*ledger.tried, LOCAL],
        )

    def _finish(
        self,
        local: LocalReading,
        reading: DocumentReading | None,
        first: _Answered,
        ledger: _Ledger,
    ) -> ProviderReading:
        return ProviderReading(
            local,
            reading,
            first.provider,
            model=first.answer.model,
            findings=ledger.findings,
            usage=ledger.usage,
            cost_eur=round(ledger.cost_eur, 6),
            providers_tried=ledger.tried,
        )


def _encode_pages(pages: Sequence[PreparedPage]) -> tuple[bytes, ...]:
    return tuple(document_jpeg(document_view(page)) for page in pages)


def _finding_kind(kind: FailureKind) -> str:
    if kind is FailureKind.REFUSED:
        return "refused"
    if kind is FailureKind.BAD_ANSWER:
        return "bad_answer"
    return "unavailable"
