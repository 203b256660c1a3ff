"""Text blocks of a photo whose document could not be outlined: lines grouped by direction.

Papers lying around the document (letters, receipts) are rarely parallel to it, so the direction
of the text lines separates them: each direction is turned level and cropped to its own lines,
and the caller reads each block and keeps the one that looks most like a known document.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from extraction.orientation import order_corners

BIN_DEG = 5
MIN_SHARE = 0.15  # of the total line length, for a direction to make a block of its own
MIN_GAP_DEG = 20
MAX_BLOCKS = 3
# Lines this far from every strong direction make a block of their own when there are enough of
# them, whatever their share: a carte grise's short lines beside a letter's long ones.
ORPHAN_GAP_DEG = 30
MIN_ORPHAN_LINES = 6
MARGIN = 0.03  # around a block's lines, as a share of its size


def line_direction(quad: np.ndarray) -> float:
    """Direction of a text quad's long side, in degrees within [0, 180)."""
    along = quad[1] - quad[0]
    across = quad[3] - quad[0]
    vector = along if np.linalg.norm(along) >= np.linalg.norm(across) else across
    return float(np.degrees(np.arctan2(vector[1], vector[0])) % 180.0)


def _gap(first: float, second: float) -> float:
    difference = abs(first - second) % 180.0
    return min(difference, 180.0 - difference)


def split_by_direction(quads: Sequence[np.ndarray]) -> list[tuple[float, list[np.ndarray]]]:
    """Up to three (direction, quads) blocks: the directions holding a good share of the text,
    strongest first, then one far from them all that enough lines run along."""
    bins = np.zeros(180 // BIN_DEG)
    directions = []
    for quad in quads:
        if _elongated(quad):
            directions.append(line_direction(quad))
            bins[int(directions[-1] // BIN_DEG) % len(bins)] += line_length(quad)
    if not bins.any():
        return [(0.0, list(quads))]
    smooth = bins + np.roll(bins, 1) * 0.5 + np.roll(bins, -1) * 0.5
    peaks: list[float] = []
    for index in np.argsort(-smooth):
        direction = (index + 0.5) * BIN_DEG
        if smooth[index] < MIN_SHARE * smooth.sum() / 2 or len(peaks) == MAX_BLOCKS:
            break
        if all(_gap(direction, peak) >= MIN_GAP_DEG for peak in peaks):
            peaks.append(direction)
    for index in np.argsort(-smooth):
        direction = (index + 0.5) * BIN_DEG
        if len(peaks) == MAX_BLOCKS or smooth[index] == 0:
            break
        near = sum(_gap(other, direction) < ORPHAN_GAP_DEG / 2 for other in directions)
        if near >= MIN_ORPHAN_LINES and all(
            _gap(direction, peak) >= ORPHAN_GAP_DEG for peak in peaks
        ):
            peaks.append(direction)
    blocks: list[list[np.ndarray]] = [[] for _ in peaks]
    squat = []
    for quad in quads:
        if _elongated(quad):
            nearest = min(range(len(peaks)), key=lambda i: _gap(line_direction(quad), peaks[i]))
            blocks[nearest].append(quad)
        else:
            squat.append(quad)
    # A box about as tall as wide (one digit: the seats) has no direction worth the name: it
    # goes with the line nearest to it.
    centers = [(quad.mean(axis=0), index) for index, block in enumerate(blocks) for quad in block]
    for quad in squat:
        middle = quad.mean(axis=0)
        nearest = min(centers, key=lambda item: float(np.linalg.norm(item[0] - middle)))[1]
        blocks[nearest].append(quad)
    return [(peak, block) for peak, block in zip(peaks, blocks, strict=True) if block]


def line_span(quad: np.ndarray) -> float:
    """A text quad's long side in units of its short side (a line's length in text heights)."""
    along = float(np.linalg.norm(quad[1] - quad[0]))
    across = float(np.linalg.norm(quad[3] - quad[0]))
    return max(along, across) / max(min(along, across), 1.0)


def _elongated(quad: np.ndarray) -> bool:
    return line_span(quad) >= 2


def line_length(quad: np.ndarray) -> float:
    """A text quad's long side, in pixels."""
    return float(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0])))


def level_block(
    image: np.ndarray, quads: Sequence[np.ndarray], direction: float
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Turn the photo so the block's lines run level, and crop it to them (with a margin)."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), direction, 1.0)
    points = np.concatenate([quad.reshape(-1, 1, 2) for quad in quads]).astype(np.float32)
    moved = cv2.transform(points, matrix).reshape(-1, 2)
    x0, y0 = moved.min(axis=0)
    x1, y1 = moved.max(axis=0)
    pad_x, pad_y = MARGIN * (x1 - x0) + 4, MARGIN * (y1 - y0) + 4
    x0, y0, x1, y1 = x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y
    matrix[:, 2] -= (x0, y0)
    size = (max(1, round(x1 - x0)), max(1, round(y1 - y0)))
    level = cv2.warpAffine(
        image, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    shifted = cv2.transform(points, matrix).reshape(-1, 4, 2)
    return level, [order_corners(quad) for quad in shifted]
