import io

import cv2
import numpy as np
import segno

from extraction.barcodes import decode_barcodes

PAYLOAD = "FFT1;1234567A;MARTIN;Léa;2001-04-05;2025/2026;15/4;TC DE LYON"


def qr_photo(text: str, size: int) -> np.ndarray:
    """A QR code pasted on a large grey page, as on a photo of a card."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    code = cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_COLOR)
    assert code is not None
    page = np.full((size, size, 3), 200, np.uint8)
    page[100 : 100 + code.shape[0], 150 : 150 + code.shape[1]] = code
    return page


def test_decodes_a_qr_code_on_a_large_photo() -> None:
    assert decode_barcodes(qr_photo(PAYLOAD, 2400)) == [PAYLOAD]


def test_nothing_on_a_blank_page() -> None:
    assert decode_barcodes(np.full((500, 700, 3), 255, np.uint8)) == []


def test_never_raises_on_odd_input() -> None:
    assert decode_barcodes(np.zeros((0, 0, 3), np.uint8)) == []
    assert decode_barcodes(np.zeros((5, 5), np.float64)) == []
