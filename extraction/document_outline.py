"""Candidate document outlines in a small photo, and how much each looks like a document.

Candidates come from edges (the card's border against the table) and from brightness (a light
paper on a darker desk); each closed shape is fitted with the best enclosing quadrilateral
(`approxPolyN`, which also squares off an ID card's rounded corners). The score multiplies what a
real document outline has and clutter rarely has all at once: a known aspect ratio, a border that
is an edge all the way round, a filled convex shape, text inside and a sensible size.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

MIN_AREA_FRACTION = 0.04
# Long side / short side of the formats we read: ID-1 cards (ISO/IEC 7810, 85.60 × 53.98 mm),
# the TD3 passport data page (125 × 88 mm), the SIV certificate, A4 and A5 sheets, A4 folded.
ASPECTS = (1.586, 1.42, 1.5, 1.414, 1.294)
ASPECT_TOLERANCE = 0.14  # in log ratio: perspective makes the measured aspect wander


def candidate_outlines(small: np.ndarray) -> Iterator[np.ndarray]:
    """Quadrilaterals (4×2 float32, small-image pixels) that may outline the document."""
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    area_min = MIN_AREA_FRACTION * gray.shape[0] * gray.shape[1]
    masks = [*_edge_masks(gray), *_brightness_masks(small, gray)]
    seen: list[np.ndarray] = []
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            hull = cv2.convexHull(contour)
            if cv2.contourArea(hull) < area_min:
                continue
            quad = cv2.approxPolyN(hull, 4, epsilon_percentage=-1, ensure_convex=True)
            quad = np.asarray(quad, dtype=np.float32).reshape(-1, 2)
            if quad.shape[0] != 4 or not _inside(quad, gray.shape, margin=0.03):
                continue
            if any(np.abs(quad - other).max() < 6 for other in seen):
                continue
            seen.append(quad)
            yield quad


def _edge_masks(gray: np.ndarray) -> Iterator[np.ndarray]:
    median = float(np.median(gray))
    kernel = np.ones((3, 3), np.uint8)
    for low, high in ((0.66 * median, 1.33 * median), (20.0, 60.0)):
        edges = cv2.Canny(gray, max(5.0, low), max(15.0, high))
        yield cv2.dilate(edges, kernel, iterations=2)


def _brightness_masks(small: np.ndarray, gray: np.ndarray) -> Iterator[np.ndarray]:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    _, light = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    for mask in (light, 255 - light):
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
        yield cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    saturation = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[:, :, 1]
    _, pale = cv2.threshold(saturation, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    pale = cv2.morphologyEx(pale, cv2.MORPH_CLOSE, kernel)
    yield cv2.morphologyEx(pale, cv2.MORPH_OPEN, kernel)


def _inside(quad: np.ndarray, shape: tuple[int, ...], margin: float) -> bool:
    height, width = shape[:2]
    slack_x, slack_y = margin * width, margin * height
    return bool(
        (quad[:, 0] >= -slack_x).all()
        and (quad[:, 0] <= width + slack_x).all()
        and (quad[:, 1] >= -slack_y).all()
        and (quad[:, 1] <= height + slack_y).all()
    )


def score_outline(small: np.ndarray, quad: np.ndarray) -> float:
    """0..1: how much `quad` looks like the outline of a document in `small`."""
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    return (
        aspect_score(quad)
        * _right_angles(quad)
        * _border_contrast(gray, quad)
        * _size_score(quad, gray.shape)
    )


def side_lengths(quad: np.ndarray) -> tuple[float, float]:
    """Mean width and height of a quadrilateral (tl, tr, br, bl order not required)."""
    tl, tr, br, bl = _ordered(quad)
    width = (float(np.linalg.norm(tr - tl)) + float(np.linalg.norm(br - bl))) / 2
    height = (float(np.linalg.norm(bl - tl)) + float(np.linalg.norm(br - tr))) / 2
    return width, height


def nearest_aspect(aspect: float) -> tuple[float, float]:
    """The known format aspect closest to `aspect`, and the log distance to it."""
    known = min(ASPECTS, key=lambda candidate: abs(float(np.log(aspect / candidate))))
    return known, abs(float(np.log(aspect / known)))


def aspect_score(quad: np.ndarray) -> float:
    """1 when the sides' ratio matches a known format, falling off with the log distance."""
    width, height = side_lengths(quad)
    _, distance = nearest_aspect(max(width, height) / max(1.0, min(width, height)))
    return float(np.exp(-((distance / ASPECT_TOLERANCE) ** 2)))


def _right_angles(quad: np.ndarray) -> float:
    """Perspective bends right angles, but a document's corners stay within ~35° of square."""
    worst = 0.0
    for index in range(4):
        a = quad[index - 1] - quad[index]
        b = quad[(index + 1) % 4] - quad[index]
        cosine = abs(float(np.dot(a, b)) / max(1e-6, float(np.linalg.norm(a) * np.linalg.norm(b))))
        worst = max(worst, cosine)
    return float(np.clip(1.0 - (worst - 0.3) / 0.35, 0.0, 1.0)) if worst > 0.3 else 1.0


def _border_contrast(gray: np.ndarray, quad: np.ndarray) -> float:
    """Every side must separate two different surfaces: compare thin strips just inside and just
    outside each side; the weakest side decides."""
    center = quad.mean(axis=0)
    weakest = 1.0
    for index in range(4):
        start, end = quad[index], quad[(index + 1) % 4]
        steps = np.linspace(0.1, 0.9, 24)[:, None]
        points = start + (end - start) * steps
        inward = center - (start + end) / 2
        inward = inward / max(1e-6, float(np.linalg.norm(inward)))
        inner = _sample(gray, points + inward * 6)
        outer = _sample(gray, points - inward * 6)
        if inner.size == 0 or outer.size == 0:
            weakest = 0.0
            break
        difference = np.abs(inner - outer)
        share = float(np.mean(difference > 12))
        weakest = min(weakest, share)
    return float(np.clip(weakest / 0.6, 0.0, 1.0))


def _sample(gray: np.ndarray, points: np.ndarray) -> np.ndarray:
    height, width = gray.shape[:2]
    x = np.round(points[:, 0]).astype(int)
    y = np.round(points[:, 1]).astype(int)
    keep = (x >= 0) & (x < width) & (y >= 0) & (y < height)
    return gray[y[keep], x[keep]].astype(np.float32) if keep.all() else np.empty(0, np.float32)


def _size_score(quad: np.ndarray, shape: tuple[int, ...]) -> float:
    fraction = float(cv2.contourArea(quad.astype(np.float32))) / float(shape[0] * shape[1])
    if fraction > 0.97:
        return 0.3  # the photo's own frame
    return float(np.clip(0.55 + fraction, 0.0, 1.0))


def _ordered(quad: np.ndarray) -> np.ndarray:
    center = quad.mean(axis=0)
    angles = np.arctan2(quad[:, 1] - center[1], quad[:, 0] - center[0])
    ordered = quad[np.argsort(angles)]
    start = int(np.argmin(ordered[:, 0] + ordered[:, 1]))
    return np.roll(ordered, -start, axis=0)
