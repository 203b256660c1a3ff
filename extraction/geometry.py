"""Where the document lies in the photo."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DocumentGeometry:
    """The document's four corners in full-resolution photo pixels, ordered top-left, top-right,
    bottom-right, bottom-left (float32, shape 4×2), and how sure the detector is (0..1)."""

    corners: np.ndarray
    confidence: float

    def area_fraction(self, width: int, height: int) -> float:
        """Share of the photo the document covers (for the 'document too small' gate)."""
        x = self.corners[:, 0]
        y = self.corners[:, 1]
        area = 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
        return area / float(width * height)
