"""Page orientation from detected text lines: quarter turns (0/90/180/270) and small skew.

Text boxes are long and flat when the page is upright or upside down, tall when it lies on its
side: that settles 90/270 against 0/180 for free. Telling 0 from 180 needs the look of the letters:
PP-OCR's line classifier votes on the longest lines (a line-by-line verdict is unreliable, on MRZ
lines especially, a page-wide vote is not).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from extraction.ocr_engines import PaddleEngine, crop_line

# How many of the longest lines vote on 0 versus 180 degrees.
VOTERS = 9


def quad_extent(quad: np.ndarray) -> tuple[float, float]:
    """Width and height of a text quad along the page axes."""
    return float(np.ptp(quad[:, 0])), float(np.ptp(quad[:, 1]))


def lies_on_its_side(quads: Sequence[np.ndarray]) -> bool:
    """True when most text (weighted by length) runs vertically."""
    flat = tall = 0.0
    for quad in quads:
        width, height = quad_extent(quad)
        if width > 1.5 * height:
            flat += width
        elif height > 1.5 * width:
            tall += height
    return tall > flat


def rotate_quarter(image: np.ndarray, turns: int) -> np.ndarray:
    """The image turned clockwise by `turns` quarter turns."""
    return np.ascontiguousarray(np.rot90(image, k=-(turns % 4)))


def rotate_quads(
    quads: Sequence[np.ndarray], turns: int, shape: tuple[int, ...]
) -> list[np.ndarray]:
    """Quads of an image of `shape` moved with it by `turns` clockwise quarter turns, re-ordered
    so each starts at its new top-left corner."""
    moved = []
    for quad in quads:
        points = quad.astype(np.float32)
        height = shape[0]
        for turn in range(turns % 4):
            points = np.stack([height - points[:, 1], points[:, 0]], axis=1)
            height = shape[1] if turn % 2 == 0 else shape[0]
        moved.append(order_corners(points))
    return moved


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points ordered top-left, top-right, bottom-right, bottom-left."""
    center = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - center[1], points[:, 0] - center[0])
    ordered = points[np.argsort(angles)]  # clockwise from the left, image y pointing down
    start = int(np.argmin(ordered[:, 0] + ordered[:, 1]))
    return np.roll(ordered, -start, axis=0).astype(np.float32)


def upside_down(engine: PaddleEngine, image: np.ndarray, quads: Sequence[np.ndarray]) -> bool:
    """Whether the (flat-text) page is upside down, by a vote of the longest lines."""
    longest = sorted(quads, key=lambda quad: -quad_extent(quad)[0])[:VOTERS]
    crops = [crop_line(image, quad) for quad in longest]
    votes = engine.upside_down(crops)
    if not votes:
        return False
    weights = [quad_extent(quad)[0] for quad in longest]
    return float(np.average(votes, weights=weights)) > 0.5


def skew_degrees(quads: Sequence[np.ndarray]) -> float:
    """The median slant of the long text lines, in degrees (positive: clockwise)."""
    angles = []
    weights = []
    for quad in quads:
        top = quad[1] - quad[0]
        bottom = quad[2] - quad[3]
        direction = top + bottom
        length = float(np.linalg.norm(direction))
        width, height = quad_extent(quad)
        if length == 0 or width < 3 * height:
            continue
        angles.append(float(np.degrees(np.arctan2(direction[1], direction[0]))))
        weights.append(length)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    median_index = int(np.searchsorted(cumulative, cumulative[-1] / 2))
    return float(np.asarray(angles)[order][median_index])


def deskew(
    image: np.ndarray, quads: Sequence[np.ndarray], degrees: float
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Rotate the image (and its quads) by -`degrees` around its centre, keeping its size."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    turned = cv2.warpAffine(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    moved = [
        order_corners(
            cv2.transform(quad.reshape(-1, 1, 2).astype(np.float32), matrix).reshape(4, 2)
        )
        for quad in quads
    ]
    return turned, moved
