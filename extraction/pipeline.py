"""The scan pipeline: files → pages → quality gate → document → reading → rules → `ScanResult`.

CPU-bound steps (decoding, OpenCV, OCR) run in a worker thread so callers on an event loop stay
responsive; `scan_sync` is the same pipeline for the command line.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from extraction import classify, intake, ocr, preprocess, quality
from extraction.barcodes import decode_barcodes
from extraction.documents import spec_for
from extraction.documents.base import DocumentReading, ReadsPageImages
from extraction.errors import IntakeError
from extraction.findings import Finding
from extraction.messages import render_quality_issue, render_warning
from extraction.models import DocumentType, EngineInfo, Quality, ScanResult
from extraction.mrz import find_mrz
from extraction.text import TextLine

if TYPE_CHECKING:
    from extraction.providers import ProviderChain

MAX_FILES = 4
# Quality findings that a successful reading makes moot.
LOCATED_BY_TEXT = frozenset({"document_not_found"})


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file as received: its bytes and, when known, its name (a hint for PDF/HEIC)."""

    data: bytes
    filename: str | None = None


@dataclass
class PreparedPage:
    """One photo after the gate: the rectified, upright document and what was read on it."""

    index: int
    image: np.ndarray
    lines: list[TextLine] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    blocked: bool = False


@dataclass
class LocalReading:
    """What the offline engine made of all pages together."""

    pages: list[PreparedPage]
    document_type: DocumentType
    type_confidence: float
    reading: DocumentReading | None
    findings: list[Finding]


@dataclass(frozen=True, slots=True)
class ScanLimits:
    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 60_000_000


def prepare_page(image: np.ndarray, index: int) -> PreparedPage:
    """Find the document, gate its quality, rectify it and read its text lines."""
    geometry = preprocess.find_document(image)
    gate = quality.assess(image, geometry)
    if gate.blocking:
        return PreparedPage(index=index, image=image, findings=gate.findings, blocked=True)
    page, lost, kind = None, True, DocumentType.UNKNOWN
    if geometry is not None:
        page = ocr.read_document(preprocess.rectify(image, geometry), page=index)
        kind = classify.classify(page.lines).document_type
        lost = page.cut_off or _lost_its_mrz(kind, page.lines)
    if page is None or lost or kind is DocumentType.UNKNOWN:
        # No outline, one that cut through the text, or one around another paper (a receipt
        # beside the card): read the whole photo, each direction of text apart (papers around
        # are rarely parallel), and keep the most document-like block.
        whole = preprocess.rectify(image, None)
        # The full-size photo (36 MB at 12 MP) is not needed any more: freed here when the
        # caller handed it over, it is not held under the whole-photo detector's activations.
        del image
        blocks = ocr.read_text_blocks(whole, page=index, likeness=_document_likeness)
        block_kind = classify.classify(blocks.lines).document_type
        if page is None or (
            (lost or block_kind is not DocumentType.UNKNOWN)
            and not (kind is block_kind and _mrz_read_better(page.lines, blocks.lines))
        ):
            page, kind = blocks, block_kind
    findings = [*gate.findings, *page.findings]
    # Only the licence's QR code is read (20-50 ms a page): a page whose text already names
    # another document is not searched for one.
    may_hold_codes = kind in (DocumentType.FFT_LICENCE, DocumentType.UNKNOWN)
    return PreparedPage(
        index=index,
        image=page.image,
        lines=page.lines,
        barcodes=decode_barcodes(page.image) if may_hold_codes else [],
        findings=findings,
    )


def _lost_its_mrz(kind: DocumentType, lines: list[TextLine]) -> bool:
    """An identity document read without its MRZ: the outline may be an inner line (the MRZ
    band's or the photo's edge) taken for the border, so the whole photo is worth reading."""
    if kind not in (DocumentType.PASSPORT, DocumentType.FR_IDENTITY_CARD):
        return False
    return find_mrz(lines) is None


def _mrz_read_better(outlined: list[TextLine], block: list[TextLine]) -> bool:
    """Whether a page whose outline seemed to cut the document read its MRZ at least as well as
    the whole photo's block did: more check digits passed or more lines (a TD1's names line lost
    in the block), or the same whole, checked MRZ. Its outline then held the document, text
    touching its edges or not (a strip of the paper beside it), and its page, flattened at full
    resolution, reads the printed zone better than the block (a passport's MÜLLER)."""
    ours, theirs = _mrz_rank(outlined), _mrz_rank(block)
    return ours > theirs or (ours == theirs and ours[0])


def _mrz_rank(lines: list[TextLine]) -> tuple[bool, int]:
    """How well an MRZ was read: all its check digits passed, and how many of its lines."""
    reading = find_mrz(lines)
    if reading is None:
        return False, 0
    return reading.check_digits_ok, sum(1 for line in reading.lines if line)


def _document_likeness(lines: list[TextLine]) -> tuple[bool, float, int]:
    verdict = classify.classify(lines)
    return verdict.document_type is not DocumentType.UNKNOWN, verdict.confidence, len(lines)


def decode_files(files: Sequence[InputFile], limits: ScanLimits) -> list[np.ndarray]:
    """Every page of every file, decoded and upright by EXIF (PDFs give their first pages)."""
    if not files:
        raise IntakeError("file_empty")
    pages: list[np.ndarray] = []
    for item in files[:MAX_FILES]:
        pages.extend(
            intake.decode(
                item.data,
                filename=item.filename,
                max_bytes=limits.max_bytes,
                max_pixels=limits.max_pixels,
            )
        )
    return pages


def read_local(
    files: Sequence[InputFile],
    *,
    document_type: DocumentType | None = None,
    today: date | None = None,
    limits: ScanLimits | None = None,
) -> LocalReading:
    """The whole offline reading: decode, gate, rectify, OCR, classify, parse and check."""
    images = decode_files(files, limits or ScanLimits())
    images.reverse()
    pages: list[PreparedPage] = []
    while images:  # each photo is handed over, so prepare_page can free it early
        pages.append(prepare_page(images.pop(), len(pages)))
    findings = [finding for page in pages for finding in page.findings]
    lines = [line for page in pages for line in page.lines]
    barcodes = [code for page in pages for code in page.barcodes]
    if all(page.blocked for page in pages):
        return LocalReading(pages, DocumentType.UNKNOWN, 0.0, None, findings)

    if document_type is None or document_type is DocumentType.UNKNOWN:
        verdict = classify.classify(lines, barcodes)
        if verdict.document_type is DocumentType.UNKNOWN:
            findings.append(Finding(verdict.reason_code or "unknown_document"))
            return LocalReading(pages, DocumentType.UNKNOWN, verdict.confidence, None, findings)
        document_type, confidence = verdict.document_type, verdict.confidence
    else:
        confidence = 1.0

    spec = spec_for(document_type)
    if isinstance(spec, ReadsPageImages):
        reading = spec.read_pages(lines, barcodes, [page.image for page in pages])
    else:
        reading = spec.read(lines, barcodes)
    spec.check(reading, today=today or date.today())
    return LocalReading(pages, document_type, confidence, reading, findings)


def build_result(
    local: LocalReading,
    *,
    language: str,
    engine: EngineInfo,
    reading: DocumentReading | None = None,
    extra_findings: Sequence[Finding] = (),
) -> ScanResult:
    """Assemble the contract envelope; `reading` overrides the local one (an AI reading)."""
    chosen = reading or local.reading
    quality_findings = [f for page in local.pages for f in page.findings]
    quality_codes = {f.code for f in quality_findings}
    if chosen is not None:
        # The text located the document where its edges did not: no retake is needed for that.
        quality_findings = [f for f in quality_findings if f.code not in LOCATED_BY_TEXT]
    warnings = [f for f in local.findings if f.code not in quality_codes]
    if chosen is not None:
        warnings.extend(chosen.findings)
    warnings.extend(extra_findings)
    country = _issuing_country(local.document_type, chosen)
    return ScanResult(
        document_type=local.document_type if chosen is not None else DocumentType.UNKNOWN,
        country=country,
        fields=chosen.fields if chosen is not None else {},
        mrz=chosen.mrz if chosen is not None else None,
        warnings=[render_warning(f, language) for f in _unique(warnings)],
        quality=Quality(
            ok=not quality_findings,
            issues=[render_quality_issue(f, language) for f in _unique(quality_findings)],
        ),
        pages=len(local.pages),
        engine=engine,
    )


def _issuing_country(document_type: DocumentType, reading: DocumentReading | None) -> str | None:
    """The issuing state: fixed for national documents, read from the MRZ for passports."""
    if reading is None:
        return None
    country = spec_for(document_type).country
    if country is None and "issuing_state" in reading.fields:
        value = reading.fields["issuing_state"].value
        return value if isinstance(value, str) else None
    return country


def _unique(findings: Sequence[Finding]) -> list[Finding]:
    seen: set[tuple[str, str | None]] = set()
    unique = []
    for finding in findings:
        key = (finding.code, finding.field)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def scan_sync(
    files: Sequence[InputFile],
    *,
    document_type: DocumentType | None = None,
    language: str = "fr",
    today: date | None = None,
    limits: ScanLimits | None = None,
) -> ScanResult:
    """Scan with the offline engine only (no network, no key)."""
    started = time.perf_counter()
    local = read_local(files, document_type=document_type, today=today, limits=limits)
    engine = EngineInfo(
        provider="local",
        model=ocr.ENGINE_NAME,
        duration_ms=round((time.perf_counter() - started) * 1000),
        providers_tried=["local"],
    )
    return build_result(local, language=language, engine=engine)


async def scan(
    files: Sequence[InputFile],
    *,
    document_type: DocumentType | None = None,
    language: str = "fr",
    today: date | None = None,
    limits: ScanLimits | None = None,
    providers: ProviderChain | None = None,
) -> ScanResult:
    """Read with the offline engine, then with the AI providers (`providers`, by default the
    event loop's chain from settings), whose answers the offline evidence checks field by field.

    Raises `ProviderError` when every provider failed and `local` is not in the chain."""
    from extraction.providers import shared_chain
    from papiers.settings import get_settings

    started = time.perf_counter()
    day = today or date.today()
    local = await asyncio.to_thread(
        read_local, files, document_type=document_type, today=day, limits=limits
    )
    chain = providers if providers is not None else shared_chain(get_settings())
    outcome = await chain.read(local, today=day)
    engine = EngineInfo(
        provider=outcome.provider,
        model=outcome.model if outcome.provider != "local" else ocr.ENGINE_NAME,
        duration_ms=round((time.perf_counter() - started) * 1000),
        input_tokens=outcome.usage.input_tokens or None,
        output_tokens=outcome.usage.output_tokens or None,
        pages=outcome.usage.pages or None,
        cost_eur=outcome.cost_eur,
        providers_tried=outcome.providers_tried,
    )
    return build_result(
        outcome.local,
        language=language,
        engine=engine,
        reading=outcome.reading,
        extra_findings=outcome.findings,
    )
