"""Docgen documents as the OCR would ideally see them: every text docgen draws becomes a
`TextLine` at its place on the card (0..1 coordinates), with the document's ground truth."""

from __future__ import annotations

from typing import Any
from unittest import mock

from docgen import render_document
from docgen.canvas import Card
from docgen.document import RenderedDocument
from extraction.text import TextLine


def rendered_lines(document_type: str, seed: int) -> tuple[RenderedDocument, list[TextLine]]:
    """Render a docgen document and record each text it draws as an upright text line."""
    lines: list[TextLine] = []
    original = Card.text

    def recording(
        card: Card, x_mm: float, y_mm: float, text: str, size_mm: float, **options: Any
    ) -> float:
        width = original(card, x_mm, y_mm, text, size_mm, **options)
        if text.strip():
            lines.append(
                TextLine(
                    text=text,
                    confidence=0.99,
                    x0=x_mm / card.width_mm,
                    y0=y_mm / card.height_mm,
                    x1=(x_mm + width) / card.width_mm,
                    y1=(y_mm + size_mm) / card.height_mm,
                )
            )
        return width

    with mock.patch.object(Card, "text", recording):
        document = render_document(document_type, seed)
    return document, lines
