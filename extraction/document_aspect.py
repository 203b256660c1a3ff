"""The shape of the formats we read, and how well an outline in a photo matches one of them.

A slanted photo makes a card look squatter than it is; undoing the perspective needs the camera's
principal point, which is the photo's centre, or the document's own when the photographer aimed
at it (the usual way to take one). Both are tried, and the closest to a known format counts.
"""

from __future__ import annotations

import math

import numpy as np

from extraction.orientation import order_corners

# Long side / short side of the formats we read: ID-1 cards (ISO/IEC 7810, 85.60 × 53.98 mm:
# 2021 identity card, FFT licence), 105 × 74 mm (1995 identity card), the TD3 passport data page
# (125 × 88 mm), the Tunisian card (148 × 105 mm), the SIV certificate (A5 landscape 210 × 148, or
# its 210 × 105 upper part).
ASPECTS = (1.586, 1.419, 2.0)
ASPECT_TOLERANCE = 0.12  # in log ratio: corners found a pixel or two off move it
# Focal length (share of the photo's longer side) assumed when the outline's perspective is too
# weak to measure it: a phone's main camera, ~26 mm equivalent; measured ones outside
# FOCAL_RANGE are noise.
DEFAULT_FOCAL = 0.8
FOCAL_RANGE = (0.4, 2.5)


def side_lengths(quad: np.ndarray) -> tuple[float, float]:
    """Mean width and height of a quadrilateral."""
    tl, tr, br, bl = order_corners(quad)
    width = (float(np.linalg.norm(tr - tl)) + float(np.linalg.norm(br - bl))) / 2
    height = (float(np.linalg.norm(bl - tl)) + float(np.linalg.norm(br - tr))) / 2
    return width, height


def nearest_aspect(aspect: float) -> tuple[float, float]:
    """The known format aspect closest to `aspect`, and the log distance to it."""
    known = min(ASPECTS, key=lambda candidate: abs(float(np.log(aspect / candidate))))
    return known, abs(float(np.log(aspect / known)))


def nearest_format(quad: np.ndarray, shape: tuple[int, ...]) -> tuple[float, float]:
    """The known format aspect closest to what `quad` (in a photo of `shape`) pictures, and the
    log distance to it, perspective undone about either principal point."""
    height, width = shape[:2]
    corners = [(float(x), float(y)) for x, y in order_corners(quad)]
    estimates = []
    for principal in ((width / 2, height / 2), _diagonals_cross(corners)):
        if principal is not None:
            corrected = undone_perspective(corners, principal, max(height, width))
            if corrected is not None:
                estimates.append(corrected)
    if not estimates:
        tl, tr, br, bl = corners
        across = (math.dist(tl, tr) + math.dist(bl, br)) / 2
        estimates.append(_ratio(across, (math.dist(tl, bl) + math.dist(tr, br)) / 2))
    return min((nearest_aspect(estimate) for estimate in estimates), key=lambda item: item[1])


def aspect_score(quad: np.ndarray, shape: tuple[int, ...]) -> float:
    """1 when `quad` pictures a known format's shape, falling off with the log distance."""
    _, distance = nearest_format(quad, shape)
    return float(np.exp(-((distance / ASPECT_TOLERANCE) ** 2)))


Point = tuple[float, float]


def undone_perspective(corners: list[Point], principal: Point, longer: float) -> float | None:
    """Long side / short side of the rectangle that `corners` (tl, tr, br, bl) picture through a
    camera whose principal point is `principal` (photo of longer side `longer`). Zhang & He,
    "Whiteboard scanning and image enhancement" (2007): the rectangle's two vanishing directions
    give the focal length, then the true ratio of the sides. None when the quad is degenerate."""
    tl, tr, br, bl = ((x - principal[0], y - principal[1]) for x, y in corners)
    across_denominator = _triple(tr, br, bl)
    down_denominator = _triple(bl, br, tr)
    if abs(across_denominator) < 1e-9 or abs(down_denominator) < 1e-9:
        return None
    k_across = _triple(tl, br, bl) / across_denominator
    k_down = _triple(tl, br, tr) / down_denominator
    across = (k_across * tr[0] - tl[0], k_across * tr[1] - tl[1], k_across - 1.0)
    down = (k_down * bl[0] - tl[0], k_down * bl[1] - tl[1], k_down - 1.0)
    focal_squared = (DEFAULT_FOCAL * longer) ** 2
    if abs(across[2] * down[2]) > 1e-12:
        measured = -(across[0] * down[0] + across[1] * down[1]) / (across[2] * down[2])
        if (FOCAL_RANGE[0] * longer) ** 2 < measured < (FOCAL_RANGE[1] * longer) ** 2:
            focal_squared = measured
    width = math.sqrt((across[0] ** 2 + across[1] ** 2) / focal_squared + across[2] ** 2)
    height = math.sqrt((down[0] ** 2 + down[1] ** 2) / focal_squared + down[2] ** 2)
    if min(width, height) <= 0.0:
        return None
    return _ratio(width, height)


def _triple(first: Point, second: Point, third: Point) -> float:
    """(first × second) · third, the points taken as (x, y, 1)."""
    return (
        first[0] * (second[1] - third[1])
        - first[1] * (second[0] - third[0])
        + (second[0] * third[1] - second[1] * third[0])
    )


def _diagonals_cross(corners: list[Point]) -> Point | None:
    """Where the diagonals cross: the image of the document's centre."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = corners
    # tl + s (br - tl) = tr + t (bl - tr)
    ux, uy, vx, vy = cx - ax, cy - ay, dx - bx, dy - by
    determinant = ux * vy - uy * vx
    if abs(determinant) < 1e-9:
        return None
    along = ((bx - ax) * vy - (by - ay) * vx) / determinant
    return ax + along * ux, ay + along * uy


def _ratio(width: float, height: float) -> float:
    return max(width, height) / max(1e-6, min(width, height))
