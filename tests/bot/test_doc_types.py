from __future__ import annotations

import pytest

from bot.doc_types import parse_document_type
from extraction.models import DocumentType


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("carte grise", DocumentType.FR_VEHICLE_REGISTRATION),
        ("Carte Grise recto/verso", DocumentType.FR_VEHICLE_REGISTRATION),
        ("/cni", DocumentType.FR_IDENTITY_CARD),
        ("CNI de M. Dupont", DocumentType.FR_IDENTITY_CARD),
        ("carte d'identité", DocumentType.FR_IDENTITY_CARD),
        ("passeport", DocumentType.PASSPORT),
        ("licence FFT", DocumentType.FFT_LICENCE),
        ("carte grise TN", DocumentType.TN_VEHICLE_REGISTRATION),
        ("tn", DocumentType.TN_VEHICLE_REGISTRATION),
        ("fr_identity_card", DocumentType.FR_IDENTITY_CARD),
        ("photo du client", None),
        ("antenne", None),  # "tn" only as a word
        (None, None),
    ],
)
def test_captions_name_document_types(text: str | None, expected: DocumentType | None) -> None:
    assert parse_document_type(text) == expected
