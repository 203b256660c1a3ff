"""The real offline pipeline, end to end, on a handful of generated photos (one per type)."""

from __future__ import annotations

import importlib.util
from datetime import date

import pytest

import docgen
from extraction.documents import _MODULES
from extraction.models import DocumentType, FieldStatus
from extraction.pipeline import InputFile, scan_sync

TODAY = date(2026, 11, 21)
PARSED = [
    document_type.value
    for document_type, module in _MODULES.items()
    if document_type.value in docgen.DOCUMENT_TYPES and importlib.util.find_spec(module)
]


def scan(sample: docgen.Sample):  # type: ignore[no-untyped-def]
    return scan_sync([InputFile(sample.image, sample.filename)], language="en", today=TODAY)


def misread(sample: docgen.Sample, result) -> dict[str, tuple[object, object]]:  # type: ignore[no-untyped-def]
    return {
        name: (truth, result.fields[name].value)
        for name, truth in sample.fields.items()
        if truth is not None and result.fields[name].value != truth
    }


@pytest.mark.parametrize("document_type", PARSED)
def test_a_scanned_document_is_read_field_for_field(document_type: str) -> None:
    sample = docgen.generate(document_type, docgen.Difficulty.CLEAN, 3)

    result = scan(sample)

    assert result.document_type == DocumentType(document_type)
    assert result.engine.provider == "local"
    assert len(misread(sample, result)) <= 1, misread(sample, result)


def test_a_phone_photo_of_a_card_lying_on_its_side_gives_its_mrz_fields() -> None:
    sample = docgen.generate("fr_identity_card", docgen.Difficulty.PHONE, 1000)
    assert sample.rotation == 90  # a card lying on its side among other papers

    result = scan(sample)

    assert result.document_type is DocumentType.FR_IDENTITY_CARD
    assert result.mrz is not None and result.mrz.check_digits_ok
    wrong = misread(sample, result)
    for name in ("document_number", "birth_date", "expiry_date", "sex", "nationality"):
        assert name not in wrong  # the MRZ's fields, proven by its check digits
    assert result.fields["document_number"].status is FieldStatus.VALID


@pytest.mark.parametrize(
    ("document_type", "difficulty", "seed"),
    [
        ("passport", docgen.Difficulty.HARD, 1001),
        ("fr_identity_card", docgen.Difficulty.PHONE, 1002),
    ],
)
def test_a_document_upside_down_among_upright_papers_gives_its_mrz_fields(
    document_type: str, difficulty: docgen.Difficulty, seed: int
) -> None:
    # Both photos were read upright, as their papers are, and their MRZ came back as `>>>…`.
    sample = docgen.generate(document_type, difficulty, seed)

    result = scan(sample)

    assert result.document_type == DocumentType(document_type)
    assert result.mrz is not None and result.mrz.check_digits_ok
    assert "document_number" not in misread(sample, result)


def test_a_photo_without_any_text_says_so() -> None:
    import cv2
    import numpy as np

    blank = np.full((900, 1200, 3), (90, 120, 150), np.uint8)
    noise = np.random.default_rng(0).normal(0, 6, blank.shape)
    photo = np.clip(blank + noise, 0, 255).astype(np.uint8)
    encoded = cv2.imencode(".jpg", photo)[1].tobytes()

    result = scan_sync([InputFile(encoded, "table.jpg")], language="en", today=TODAY)

    assert result.document_type is DocumentType.UNKNOWN
    assert result.fields == {}


def _local_reading(reading, *page_codes: str):  # type: ignore[no-untyped-def]
    import numpy as np

    from extraction.findings import Finding
    from extraction.pipeline import LocalReading, PreparedPage

    page = PreparedPage(
        index=0,
        image=np.zeros((4, 4, 3), np.uint8),
        findings=[Finding(code) for code in page_codes],
    )
    document_type = DocumentType.PASSPORT if reading is not None else DocumentType.UNKNOWN
    return LocalReading([page], document_type, 0.9, reading, list(page.findings))


def test_edges_not_found_needs_no_retake_once_the_text_found_the_document() -> None:
    from extraction.documents.base import DocumentReading
    from extraction.models import EngineInfo
    from extraction.pipeline import build_result

    engine = EngineInfo(provider="local")
    read = _local_reading(DocumentReading(fields={}), "document_not_found", "glare")
    unread = _local_reading(None, "document_not_found")

    found = build_result(read, language="en", engine=engine)
    lost = build_result(unread, language="en", engine=engine)

    assert [issue.code for issue in found.quality.issues] == ["glare"]
    assert not found.warnings
    assert [issue.code for issue in lost.quality.issues] == ["document_not_found"]
    assert not lost.quality.ok


def test_an_outline_around_a_receipt_beside_the_card_gives_way_to_the_card() -> None:
    # A hard photo: the clearest outline is a receipt's; the card lies beside it, in shadow.
    sample = docgen.generate("fr_vehicle_registration", docgen.Difficulty.HARD, 1000)

    result = scan(sample)

    assert result.document_type is DocumentType.FR_VEHICLE_REGISTRATION
    truth = sample.fields["first_registration_date"]
    assert result.fields["first_registration_date"].value == truth


def test_a_carte_grise_read_in_the_whole_photo_is_cut_out_and_read_again() -> None:
    # A hard photo whose card runs out of the frame: no outline, the whole photo's block held the
    # card's larger print only (plate `37 JPN 33`, holder `HEHDI`, no CNIT). Located by that print,
    # the card is cut out, drawn flat and read again.
    sample = docgen.generate("fr_vehicle_registration", docgen.Difficulty.HARD, 1002)

    result = scan(sample)

    for name in ("registration_number", "holder_name", "cnit", "displacement_cc"):
        assert result.fields[name].value == sample.fields[name]


def test_the_full_size_photo_is_freed_before_the_whole_photo_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weakref

    import cv2
    import numpy as np

    from extraction import ocr, pipeline, preprocess

    # Printed lines on a plain table, no document edge: the outline is not found.
    photo = np.full((1500, 2000, 3), 170, np.uint8)
    for row in range(8):
        cv2.putText(photo, "NOM DUPONT 1234", (300, 300 + 120 * row), 0, 2.5, (30, 30, 30), 5)
    assert preprocess.find_document(photo) is None
    decoded = [photo]
    alive = weakref.ref(decoded[0])
    monkeypatch.setattr(pipeline, "decode_files", lambda files, limits: decoded)
    held_while_reading: list[bool] = []

    def read_text_blocks(image, *, page, likeness):  # type: ignore[no-untyped-def]
        held_while_reading.append(alive() is not None)
        return ocr.OcrPage(image=image)

    monkeypatch.setattr(ocr, "read_text_blocks", read_text_blocks)
    del photo  # only the pipeline holds it now

    pipeline.read_local([InputFile(b"unused", "photo.jpg")], today=TODAY)

    assert held_while_reading == [False]


def test_only_a_page_that_may_be_a_licence_is_searched_for_codes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from extraction import pipeline

    searched: list[int] = []

    def decode(image):  # type: ignore[no-untyped-def]
        searched.append(image.size)
        return []

    monkeypatch.setattr(pipeline, "decode_barcodes", decode)
    assert scan(docgen.generate("passport", docgen.Difficulty.CLEAN, 3)).document_type.value == (
        "passport"
    )
    assert searched == []
    licence = scan(docgen.generate("fft_licence", docgen.Difficulty.CLEAN, 3))
    assert licence.document_type.value == "fft_licence" and len(searched) == 1


def test_an_outline_that_seemed_cut_keeps_its_page_unless_the_whole_photo_read_the_mrz_better(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    from extraction import ocr, pipeline, preprocess, quality
    from extraction.geometry import DocumentGeometry
    from extraction.text import TextLine

    card = docgen.generate("fr_identity_card", docgen.Difficulty.CLEAN, 2)  # 2021: TD1
    title = TextLine("CARTE NATIONALE D'IDENTITÉ", 0.99, 0.1, 0.05, 0.7, 0.1)
    mrz = [
        TextLine(row, 0.99, 0.05, 0.7 + 0.08 * index, 0.95, 0.75 + 0.08 * index)
        for index, row in enumerate(card.mrz_lines)
    ]
    corners = np.array([[10, 10], [900, 10], [900, 600], [10, 600]], np.float32)
    monkeypatch.setattr(
        preprocess, "find_document", lambda image: DocumentGeometry(corners, confidence=0.9)
    )
    # Text touching the crop's edges: the outline seemed to cut the card, so the whole photo
    # is read too; there, the MRZ's names line was lost.
    outlined = ocr.OcrPage(image=np.zeros((8, 8, 3), np.uint8), lines=[title, *mrz], cut_off=True)
    whole = ocr.OcrPage(image=np.ones((8, 8, 3), np.uint8), lines=[title, *mrz[:2]])
    monkeypatch.setattr(quality, "assess", lambda image, geometry: quality.QualityReport([], False))
    monkeypatch.setattr(ocr, "read_document", lambda image, page: outlined)
    monkeypatch.setattr(ocr, "read_text_blocks", lambda image, page, likeness: whole)
    photo = np.full((700, 1000, 3), 200, np.uint8)

    assert pipeline.prepare_page(photo, 0).lines == outlined.lines
    # Read as well in the block: the outlined page, flattened at full resolution, is kept.
    whole.lines = [title, *mrz]
    assert pipeline.prepare_page(photo, 0).lines == outlined.lines
    # Read better in the block (the outline cut the names line off): the block is kept.
    outlined.lines = [title, *mrz[:2]]
    assert pipeline.prepare_page(photo, 0).lines is whole.lines
