"""The picture a model gets: the rectified, upright document, never the raw photo or a URL."""

from __future__ import annotations

import cv2
import numpy as np

# Vision models downscale larger images anyway (Gemini tiles at 768 px, Mistral caps at 1540 px);
# 1600 px on the long side keeps MRZ characters legible at about a third of the upload.
MAX_SIDE = 1600
JPEG_QUALITY = 85


def document_jpeg(
    image: np.ndarray, *, max_side: int = MAX_SIDE, quality: int = JPEG_QUALITY
) -> bytes:
    """The document as JPEG, its long side scaled down to `max_side` (never up)."""
    height, width = image.shape[:2]
    scale = max_side / max(height, width)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the document image could not be encoded")
    return bytes(encoded.tobytes())
