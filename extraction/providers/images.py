"""The picture a model gets: the rectified, upright document, never the raw photo or a URL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    from extraction.pipeline import PreparedPage

# Vision models downscale larger images anyway (Gemini tiles at 768 px, Mistral caps at 1540 px);
# 1600 px on the long side keeps MRZ characters legible at about a third of the upload.
MAX_SIDE = 1600
JPEG_QUALITY = 85
# Around the text when the document's edges were not found: labels sit near the card's border.
MARGIN = 0.08


def document_view(page: PreparedPage) -> np.ndarray:
    """The page's document; when its outline was not found, the area its text lines cover
    (plus a margin), so the background of the photo does not travel."""
    if not page.lines or all(f.code != "document_not_found" for f in page.findings):
        return page.image
    height, width = page.image.shape[:2]
    x0 = min(line.x0 for line in page.lines)
    y0 = min(line.y0 for line in page.lines)
    x1 = max(line.x1 for line in page.lines)
    y1 = max(line.y1 for line in page.lines)
    margin_x, margin_y = MARGIN * max(x1 - x0, 0.2), MARGIN * max(y1 - y0, 0.2)
    left, right = max(0.0, x0 - margin_x), min(1.0, x1 + margin_x)
    top, bottom = max(0.0, y0 - margin_y), min(1.0, y1 + margin_y)
    crop = page.image[
        round(top * height) : round(bottom * height), round(left * width) : round(right * width)
    ]
    return crop if crop.size else page.image


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
