"""What the model is shown: the document scaled to what it needs, without the background."""

from __future__ import annotations

import cv2
import numpy as np

from extraction.findings import Finding
from extraction.pipeline import PreparedPage
from extraction.providers.images import MAX_SIDE, document_jpeg, document_view
from extraction.text import TextLine


def decoded(jpeg: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def test_large_documents_are_scaled_down_small_ones_kept() -> None:
    assert decoded(document_jpeg(np.zeros((2400, 3200, 3), np.uint8))).shape[:2] == (1200, MAX_SIDE)
    assert decoded(document_jpeg(np.zeros((300, 400, 3), np.uint8))).shape[:2] == (300, 400)


def test_without_an_outline_only_the_text_area_is_sent() -> None:
    photo = np.zeros((1000, 2000, 3), np.uint8)
    lines = [
        TextLine("NOM", 0.9, 0.4, 0.4, 0.6, 0.45),
        TextLine("PRENOM", 0.9, 0.4, 0.55, 0.55, 0.6),
    ]
    lost = PreparedPage(0, photo, lines=lines, findings=[Finding("document_not_found")])
    view = document_view(lost)
    assert view.shape[0] < 400 and view.shape[1] < 600
    found = PreparedPage(0, photo, lines=lines)
    assert document_view(found) is photo
