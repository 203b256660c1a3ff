"""Find the document in the photo and flatten it: perspective, then lighting.

Geometry is found on a ~1000 px copy (cheap, and enough for corners within a few pixels); the warp
reads from the full-resolution photo. A wrong crop costs more than no crop (a cut-off field is
lost, a whole photo is merely slower to read), so `find_document` answers None when unsure.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extraction.document_aspect import aspect_score, nearest_format, side_lengths
from extraction.document_outline import (
    MIN_PRIOR,
    UNSEEN,
    edge_map,
    edge_support,
    outline_prior,
    score_outlines,
    side_coverages,
    text_placement,
)
from extraction.geometry import DocumentGeometry
from extraction.orientation import order_corners
from extraction.outline_candidates import Candidate, candidate_outlines

WORK_SIDE = 640
# Longer side of the rectified document: 44 MRZ characters across a card get ~35 px each.
CANONICAL_SIDE = 1800
# A photo with no document found is read as is, but not larger than this (speed, memory).
UNCROPPED_MAX_SIDE = 2000
MIN_CONFIDENCE = 0.5
# Outlines whose borders score at least this share of the best's are near it, if their overall
# score (text placement included) is at least TEXT_SLACK of the best's.
NEAR_BEST = 0.87
TEXT_SLACK = 0.6
# ... and if their weakest side is seen at least this share of the best's weakest.
WEAKEST_SLACK = 0.5
# A bigger near-best outline replaces the best when it adds what an inner box leaves out (the
# MRZ band, a header: 15-60 % more area); a few % more is the edge of the card's own shadow,
# twice the area a paper around it.
OUTER_GROWTH = (1.15, 1.6)
# An outline with one side placed by aspect, not seen, is trusted this much less.
COMPLETED_WEIGHT = 0.9
# How many of the best-scored outlines get the (costlier) checks of where the text lies and
# whether their sides' steps run on past the corners.
TEXT_CHECKED = 24
# A scanner bed: the rim of the frame (share of the short side) is one plain colour, within
# BED_STEP levels on most (BED_PLAIN) of its pixels; the document differs from it by more.
BED_RIM = 0.015
BED_STEP = 5
BED_PLAIN = 0.97
BED_MIN_AREA = 0.2
BED_SOLIDITY = 0.97
# Marks smaller than this (px² in the small copy) are dust or noise; the document's main patch
# covers at least BED_BODY of its rectangle.
BED_MARK_AREA = 12
BED_BODY = 0.6
BED_SPREAD = 2.0
BED_CONFIDENCE = 0.95
# A measured aspect this close (log ratio) to a known format is taken to be that format.
SNAP_DISTANCE = 0.06


def find_document(image: np.ndarray) -> DocumentGeometry | None:
    """The document's corners in full-resolution pixels, or None when no outline is convincing."""
    small, scale = shrink(image, WORK_SIDE)
    on_bed = scanned_outline(small)
    if on_bed is not None:
        corners = order_corners(on_bed.astype(np.float32) / scale)
        return DocumentGeometry(corners=corners, confidence=BED_CONFIDENCE)
    edges = edge_map(small)
    candidates = list(candidate_outlines(small, edges))
    weights = np.array([COMPLETED_WEIGHT if item.completed else 1.0 for item in candidates])
    first_pass = score_outlines(edges, [item.quad for item in candidates]) * weights
    ranked = [i for i in np.argsort(-first_pass, kind="stable")[:TEXT_CHECKED] if first_pass[i] > 0]
    outlines: list[ScoredOutline] = []
    if ranked:
        quads = np.stack([candidates[i].quad for i in ranked])
        coverages = side_coverages(edges, quads, beyond=True)
        supports = edge_support(coverages)
        for row, index in enumerate(ranked):
            candidate = candidates[index]
            weakest = float(coverages[row].min())
            if weakest < UNSEEN:
                candidate = Candidate(candidate.quad, completed=True)
            prior = outline_prior(candidate.quad, small.shape)
            border = (
                prior * float(supports[row]) * (COMPLETED_WEIGHT if candidate.completed else 1.0)
                if prior >= MIN_PRIOR
                else 0.0
            )
            placement = float(np.sqrt(text_placement(edges, candidate.quad)))
            outlines.append(ScoredOutline(border * placement, border, weakest, candidate))
    if not outlines or max(outline.score for outline in outlines) < MIN_CONFIDENCE:
        return None
    chosen = choose_outline(outlines)
    corners = order_corners(chosen.candidate.quad.astype(np.float32) / scale)
    return DocumentGeometry(corners=corners, confidence=round(float(chosen.score), 3))


@dataclass(frozen=True, slots=True)
class ScoredOutline:
    """A candidate outline and how much it looks like the document: `border` from its shape and
    sides alone, `score` weighing in where the text lies around it."""

    score: float
    border: float
    weakest: float  # how much of the weakest side is seen as a border
    candidate: Candidate


def choose_outline(scored: list[ScoredOutline]) -> ScoredOutline:
    """The document's outline among scored candidates (non-empty): the best, or a bigger one
    around it. An inner rectangle (the MRZ band's, a header band's or the photo's edge taken for
    a border) can score as well as the border, so a near-best outline adding an inner box's worth
    of area wins. Near-best is judged on the borders: a card lying on printed paper has text
    all around it, like an inner box, so where the text lies only has to be not far off. An
    outline closed by a guessed aspect is no evidence of where the border lies, so it never wins
    by size alone; nor does one whose added side is barely seen (the photo's edge beside a card
    scores well on the three sides it shares with it)."""
    best = max(scored, key=lambda outline: outline.score)
    if best.candidate.completed:
        return best
    area = float(cv2.contourArea(best.candidate.quad))
    around = [
        outline
        for outline in scored
        if outline.border >= best.border * NEAR_BEST
        and outline.score >= best.score * TEXT_SLACK
        and outline.weakest >= best.weakest * WEAKEST_SLACK
        and not outline.candidate.completed
        and OUTER_GROWTH[0] <= cv2.contourArea(outline.candidate.quad) / area <= OUTER_GROWTH[1]
    ]
    return max([best, *around], key=lambda outline: cv2.contourArea(outline.candidate.quad))


def scanned_outline(small: np.ndarray) -> np.ndarray | None:
    """The document on a flatbed scan: the frame's rim is a plain neutral bed, and the document
    is the one solid rectangle whose colour differs from it (papers and cards are tinted or
    darker than a scanner's lid). None when the rim is not a plain bed or no such rectangle."""
    height, width = small.shape[:2]
    rim = max(2, round(BED_RIM * min(height, width)))
    blurred = cv2.blur(small, (5, 5)).astype(np.int16)
    ring = np.concatenate(
        [
            blurred[:rim].reshape(-1, 3),
            blurred[-rim:].reshape(-1, 3),
            blurred[:, :rim].reshape(-1, 3),
            blurred[:, -rim:].reshape(-1, 3),
        ]
    )
    bed = np.median(ring, axis=0)
    if float(np.mean(np.abs(ring - bed).max(axis=1) <= BED_STEP)) < BED_PLAIN:
        return None
    differs = (np.abs(blurred - bed).max(axis=2) > BED_STEP).astype(np.uint8)
    differs = cv2.morphologyEx(differs, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(differs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    # A white band of the document (a passport's MRZ strip) matches the bed: only its print
    # differs, so every sizeable mark counts, not just the largest patch.
    marks = [contour for contour in contours if cv2.contourArea(contour) >= BED_MARK_AREA]
    if not marks:
        return None
    body = max(float(cv2.contourArea(contour)) for contour in marks)
    hull = cv2.convexHull(np.concatenate(marks))
    (center_x, center_y), (side_x, side_y), angle = cv2.minAreaRect(hull)
    # The blur spread each border outwards by about BED_SPREAD px.
    rectangle = ((center_x, center_y), (side_x - 2 * BED_SPREAD, side_y - 2 * BED_SPREAD), angle)
    box = cv2.boxPoints(rectangle).astype(np.float32)
    box_area = float(cv2.contourArea(box))
    if box_area < BED_MIN_AREA * height * width or body < BED_BODY * box_area:
        return None
    if (
        float(cv2.contourArea(hull)) < BED_SOLIDITY * box_area
        or aspect_score(box, small.shape) < 0.3
    ):
        return None
    return order_corners(box)


def shrink(image: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """A copy whose longer side is at most `side`, and its scale. Big photos are first decimated
    by whole steps (a free view), so the area filter reads a few megapixels instead of twelve."""
    height, width = image.shape[:2]
    step = max(1, max(height, width) // (2 * side))
    view = image[::step, ::step] if step > 1 else image
    scale = min(1.0, side / max(view.shape[:2]))
    small = cv2.resize(view, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return small, small.shape[1] / width


def rectify(image: np.ndarray, geometry: DocumentGeometry | None) -> np.ndarray:
    """The document flattened to a canonical size (or the photo, bounded, when it was not found),
    with uneven lighting evened out."""
    if geometry is None:
        height, width = image.shape[:2]
        scale = min(1.0, UNCROPPED_MAX_SIDE / max(height, width))
        flat = (
            cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            if scale < 1.0
            else image
        )
    else:
        flat = _warp(image, geometry.corners)
    return even_lighting(flat)


def document_size(corners: np.ndarray, shape: tuple[int, ...]) -> tuple[int, int]:
    """Width and height of the flattened document (`corners` in a photo of `shape`): its true
    aspect, snapped to a known format when close, at the canonical size."""
    width, height = side_lengths(corners)
    aspect = max(width, height) / max(1.0, min(width, height))
    known, distance = nearest_format(corners, shape)
    if distance < SNAP_DISTANCE:
        aspect = known
    short_side = round(CANONICAL_SIDE / aspect)
    return (CANONICAL_SIDE, short_side) if width >= height else (short_side, CANONICAL_SIDE)


def _warp(image: np.ndarray, corners: np.ndarray) -> np.ndarray:
    out_w, out_h = document_size(corners, image.shape)
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(
        image, matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE
    )


def even_lighting(image: np.ndarray) -> np.ndarray:
    """Divide out slow brightness changes (shadows, a lamp's hot spot) while keeping text
    contrast: the background is estimated on a small copy, where text disappears under a
    morphological closing; the gain stays within 0.6..2.5 so dark designs are not blown out."""
    height, width = image.shape[:2]
    scale = 128 / max(height, width)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), 4)
    level = float(np.percentile(background, 90))
    background = np.clip(background, max(1.0, level / 2.5), level / 0.6).astype(np.uint8)
    background = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)
    result: np.ndarray = cv2.divide(image, cv2.merge((background,) * 3), scale=level)
    return result
