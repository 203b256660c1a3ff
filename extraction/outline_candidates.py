"""Candidate document outlines in a small photo.

A document's border is four straight edges, even where a shadow, a glare or another paper
touching it breaks the contour of its shape: so outlines are built from straight edge lines
(Hough segments merged into lines, then two roughly parallel pairs crossing at near right angles,
or one pair and a third line closed at a known format's aspect) as well as from closed contours.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from extraction.document_aspect import ASPECTS
from extraction.document_outline import MIN_AREA_FRACTION, EdgeMap
from extraction.orientation import order_corners

MAX_LINES = 18
# The longest lines seen only in warmth (a cream card on white paper) added to those.
WARM_LINES = 4
# The longest lines among which an outline with one unseen side is looked for.
COMPLETED_LINES = 10
# Outlines whose corners all fall in the same cell of this size (px) are one shape.
SAME_SHAPE = 3.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A quadrilateral (4×2 float32, small-image pixels, tl tr br bl) that may outline the
    document; `completed` when its fourth side was not seen but placed by a known aspect."""

    quad: np.ndarray
    completed: bool = False


def candidate_outlines(small: np.ndarray, edges: EdgeMap) -> Iterator[Candidate]:
    """Outlines that may be the document's: from four edge lines, three lines and a known aspect,
    or closed contours; each shape once (lines merged differently often give the same one)."""
    seen: set[bytes] = set()
    contours = (Candidate(quad) for quad in _contour_quads(edges.edges, small.shape))
    for candidate in itertools.chain(_line_quads(edges, small.shape), contours):
        key = np.round(candidate.quad / SAME_SHAPE).astype(np.int16).tobytes()
        if key not in seen:
            seen.add(key)
            yield candidate


def _edge_lines(edges: np.ndarray, short: int) -> list[tuple[float, float, float]]:
    segments = cv2.HoughLinesP(
        edges, 1, np.pi / 360, threshold=40, minLineLength=0.1 * short, maxLineGap=12
    )
    if segments is None:
        return []
    return _merge_segments(segments.reshape(-1, 4).astype(np.float64))


def _line_quads(edges: EdgeMap, shape: tuple[int, ...]) -> Iterator[Candidate]:
    short = min(shape[:2])
    lines = _edge_lines(edges.edges, short)
    warm = [
        line
        for line in _edge_lines(edges.warm_edges, short)
        if not any(_same_line(line, other) for other in lines)
    ]
    lines = lines + warm[:WARM_LINES]
    if not lines:
        return
    pairs = []
    for first, second in itertools.combinations(lines, 2):
        if _angle_gap(first[0], second[0]) < np.radians(25) and abs(first[1] - second[1]) > (
            0.15 * short
        ):
            pairs.append((first, second))
    for (a, b), (c, d) in itertools.combinations(pairs, 2):
        if _angle_gap(a[0], c[0]) < np.radians(55):
            continue
        corners = [_cross(a, c), _cross(c, b), _cross(b, d), _cross(d, a)]
        if any(point is None for point in corners):
            continue
        quad = np.array(corners, dtype=np.float32)
        if _inside(quad, shape, margin=0.02) and _convex(quad):
            yield Candidate(order_corners(quad))
    for quad in _completed_quads(lines[:COMPLETED_LINES], pairs, shape):
        yield Candidate(quad, completed=True)


def _completed_quads(
    lines: list[tuple[float, float, float]],
    pairs: list[tuple[tuple[float, float, float], tuple[float, float, float]]],
    shape: tuple[int, ...],
) -> Iterator[np.ndarray]:
    """Outlines with one side unseen (a pale card on white paper shows only three borders): two
    parallel borders and one across them, closed at the length a known format's aspect gives."""
    for a, b in pairs:
        if a not in lines or b not in lines:
            continue
        for c in lines:
            if _angle_gap(a[0], c[0]) < np.radians(55):
                continue
            first, second = _cross(a, c), _cross(b, c)
            if first is None or second is None:
                continue
            start, end = np.array(first), np.array(second)
            along_a = np.array([-np.sin(a[0]), np.cos(a[0])])
            along_b = np.array([-np.sin(b[0]), np.cos(b[0])])
            if float(np.dot(along_a, along_b)) < 0:
                along_b = -along_b
            across = float(np.linalg.norm(end - start))
            for aspect in ASPECTS:
                for length in (across * aspect, across / aspect):
                    for sign in (1.0, -1.0):
                        far_start = start + sign * length * along_a
                        far_end = end + sign * length * along_b
                        quad = np.array([start, end, far_end, far_start], dtype=np.float32)
                        if _inside(quad, shape, margin=0.02) and _convex(quad):
                            yield order_corners(quad)


def _merge_segments(segments: np.ndarray) -> list[tuple[float, float, float]]:
    """Segments → lines (normal angle θ in [0, π), offset ρ, total length), collinear ones merged,
    longest first."""
    lines: list[list[float]] = []
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    for index in np.argsort(-lengths):
        x1, y1, x2, y2 = segments[index]
        theta = (np.arctan2(x2 - x1, -(y2 - y1))) % np.pi
        rho = x1 * np.cos(theta) + y1 * np.sin(theta)
        for line in lines:
            if _angle_gap(line[0], theta) < np.radians(3):
                other = x1 * np.cos(line[0]) + y1 * np.sin(line[0])
                if abs(other - line[1]) < 6:
                    line[2] += float(lengths[index])
                    break
        else:
            lines.append([float(theta), float(rho), float(lengths[index])])
    lines.sort(key=lambda line: -line[2])
    return [(line[0], line[1], line[2]) for line in lines[:MAX_LINES]]


def _same_line(first: tuple[float, float, float], second: tuple[float, float, float]) -> bool:
    """Near the same angle and offset (ρ changes sign where θ wraps round π)."""
    return (
        _angle_gap(first[0], second[0]) < np.radians(3) and abs(abs(first[1]) - abs(second[1])) < 6
    )


def _angle_gap(first: float, second: float) -> float:
    gap = abs(first - second) % np.pi
    return float(min(gap, np.pi - gap))


def _cross(
    first: tuple[float, float, float], second: tuple[float, float, float]
) -> tuple[float, float] | None:
    """Where two lines (θ, ρ, length) cross, by Cramer's rule; None when near parallel."""
    a, b = math.cos(first[0]), math.sin(first[0])
    c, d = math.cos(second[0]), math.sin(second[0])
    determinant = a * d - b * c
    if abs(determinant) < 1e-3:
        return None
    return (first[1] * d - b * second[1]) / determinant, (
        a * second[1] - first[1] * c
    ) / determinant


def _contour_quads(edges: np.ndarray, shape: tuple[int, ...]) -> Iterator[np.ndarray]:
    closed = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2)
    contours, _ = cv2.findContours(closed, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    area_min = MIN_AREA_FRACTION * shape[0] * shape[1]
    for contour in contours:
        hull = cv2.convexHull(contour)
        if cv2.contourArea(hull) < area_min:
            continue
        quad = cv2.approxPolyN(hull, 4, epsilon_percentage=-1, ensure_convex=True)
        quad = np.asarray(quad, dtype=np.float32).reshape(-1, 2)
        if quad.shape[0] == 4 and _inside(quad, shape, margin=0.02):
            yield order_corners(quad)


def _inside(quad: np.ndarray, shape: tuple[int, ...], margin: float) -> bool:
    height, width = shape[:2]
    slack_x, slack_y = margin * width, margin * height
    return bool(
        (quad[:, 0] >= -slack_x).all()
        and (quad[:, 0] <= width + slack_x).all()
        and (quad[:, 1] >= -slack_y).all()
        and (quad[:, 1] <= height + slack_y).all()
    )


def _convex(quad: np.ndarray) -> bool:
    return bool(cv2.isContourConvex(quad.astype(np.float32).reshape(-1, 1, 2)))
