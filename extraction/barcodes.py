"""QR and DataMatrix codes on a document (the FFT licence's QR code, 2D-Doc style stamps).

Decoding first runs on a copy downscaled to `FAST_SIDE` px (most codes on a card photo are large
enough), then at full size only when nothing was found. It never raises: a code that cannot be
read is simply absent, and the printed fields still get read.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np
import zxingcpp

FAST_SIDE = 1000
_FORMATS = zxingcpp.BarcodeFormats(
    [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.DataMatrix]
)
_log = logging.getLogger(__name__)


def _read(image: np.ndarray) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=_FORMATS, try_rotate=True, try_downscale=True)
    return [barcode.text for barcode in found if barcode.valid and barcode.text]


def decode_barcodes(image: np.ndarray) -> list[str]:
    """The texts of every QR/DataMatrix code in a BGR or grey image, in reading order."""
    try:
        if image.size == 0:
            return []
        height, width = image.shape[:2]
        scale = FAST_SIDE / max(height, width)
        if scale < 1:
            small = cv2.resize(
                image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
            )
            texts = _read(np.ascontiguousarray(small))
            if texts:
                return texts
        return _read(np.ascontiguousarray(image))
    except Exception:  # a broken decoder must never cost the scan its printed fields
        _log.warning("barcode decoding failed", exc_info=True)
        return []
