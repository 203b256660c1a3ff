"""Reading the rectified document: orientation, text lines, and a careful second look at the MRZ.

Detection runs once on a modest copy (the page's geometry is all it needs); recognition runs on
line crops taken from the full-resolution document, and only on lines that can hold a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from extraction.findings import Finding
from extraction.ocr_engines import ENGINE_NAME, PaddleEngine, Recognition, crop_line, engine
from extraction.orientation import (
    deskew,
    lies_on_its_side,
    order_corners,
    quad_extent,
    rotate_quads,
    rotate_quarter,
    skew_degrees,
    upside_down,
)
from extraction.text import TextLine
from extraction.text_blocks import level_block, split_by_direction

__all__ = ["ENGINE_NAME", "OcrPage", "read_document", "read_text_blocks"]

# Longer side of the copy the detector sees: a rectified card's text is 12-30 px high there,
# enough for DB detection, whose cost grows with the square of this side.
DETECT_SIDE = 640
# Median text height (px, in the detector's copy) under which the detector is asked again on a
# larger copy, up to MAX_DETECT_SIDE.
SMALL_TEXT_PX = 11.0
MAX_DETECT_SIDE = 1152
# Lines per text block recognised to judge which block is the document.
PREVIEW_LINES = 12
FEW_LINES = 6
# Skew below this is left alone: line crops are warped flat one by one anyway.
SKEW_TOLERANCE_DEG = 1.0
# Lines much smaller than the page's usual text are fine print (legal notices, microprint).
FINE_PRINT_RATIO = 0.45
# The recogniser's own score under which a line is noise (RapidOCR's default text_score).
MIN_CONFIDENCE = 0.5
MRZ_LENGTHS = (30, 36, 44)
# Share of a detected box's height that the letters fill (DB boxes are unclipped by 1.6).
TEXT_BAND = 0.7
# A line closer than this (share of the side) to the border touches it; this share of the lines
# touching means the crop cut the document.
EDGE_MARGIN = 0.006
CUT_SHARE = 0.12
_MRZ_TEXT = re.compile(r"^[A-Z0-9<«]{20,}$")


@dataclass
class OcrPage:
    """The upright document, the text lines read on it (0..1 coordinates of `image`), what went
    wrong, the clockwise rotation (degrees) that made it upright, and whether text runs off its
    edges or hardly any was found (a crop that cut through the document or missed it)."""

    image: np.ndarray
    lines: list[TextLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rotation: int = 0
    cut_off: bool = False


def read_document(image: np.ndarray, *, page: int = 0) -> OcrPage:
    """Turn the document upright and read its text lines."""
    reader = engine()
    quads = _detect(reader, image)
    if not quads:
        return OcrPage(image=image, findings=[Finding("no_text_found")])
    turns = 0
    if lies_on_its_side(quads):
        quads = rotate_quads(quads, 1, image.shape)
        image = rotate_quarter(image, 1)
        turns = 1
    skew = skew_degrees(quads)
    if abs(skew) > SKEW_TOLERANCE_DEG:
        image, quads = deskew(image, quads, skew)
    return _read_level(reader, image, quads, page=page, rotation=90 * turns)


def read_text_blocks(
    image: np.ndarray, *, page: int = 0, likeness: Callable[[list[TextLine]], Any]
) -> OcrPage:
    """For a photo whose document could not be outlined: split its text by line direction (the
    document and the papers around it), preview each block by its longest lines, and read in
    full the block that `likeness` ranks highest. Detection looks closer here: the document may
    be small, and bigger print around it would hide that from the small-text test."""
    reader = engine()
    quads = reader.detect(image, max_side=MAX_DETECT_SIDE)
    if not quads:
        return OcrPage(image=image, findings=[Finding("no_text_found")])
    previews = []
    for direction, block in split_by_direction(quads):
        level, moved = level_block(image, block, direction)
        skew = skew_degrees(moved)
        if abs(skew) > SKEW_TOLERANCE_DEG:
            level, moved = deskew(level, moved, skew)
        rotation = (360 - 90 * round(direction / 90)) % 360
        level, moved, rotation = _upright(reader, level, moved, rotation)
        chosen = _worth_reading(moved)
        longest = sorted(range(len(chosen)), key=lambda i: -quad_extent(chosen[i])[0])
        known = dict(
            zip(
                longest[:PREVIEW_LINES],
                reader.recognize([crop_line(level, chosen[i]) for i in longest[:PREVIEW_LINES]]),
                strict=True,
            )
        )
        sample = [
            _text_line(chosen[i], reading, level.shape, page)
            for i, reading in known.items()
            if reading.confidence >= MIN_CONFIDENCE
        ]
        previews.append((likeness(sample), level, chosen, rotation, known))
    _, level, chosen, rotation, known = max(previews, key=lambda preview: preview[0])
    return _recognise(reader, level, chosen, page=page, rotation=rotation, known=known)


def _upright(
    reader: PaddleEngine, image: np.ndarray, quads: list[np.ndarray], rotation: int
) -> tuple[np.ndarray, list[np.ndarray], int]:
    """A page whose lines run level, turned right side up (0 against 180 degrees)."""
    if upside_down(reader, image, quads):
        return (
            rotate_quarter(image, 2),
            rotate_quads(quads, 2, image.shape),
            (rotation + 180) % 360,
        )
    return image, quads, rotation


def _read_level(
    reader: PaddleEngine, image: np.ndarray, quads: list[np.ndarray], *, page: int, rotation: int
) -> OcrPage:
    """Read a page whose lines already run level."""
    image, quads, rotation = _upright(reader, image, quads, rotation)
    chosen = _worth_reading(quads)
    return _recognise(reader, image, chosen, page=page, rotation=rotation, known={})


def _recognise(
    reader: PaddleEngine,
    image: np.ndarray,
    chosen: list[np.ndarray],
    *,
    page: int,
    rotation: int,
    known: dict[int, Recognition],
) -> OcrPage:
    """Recognise the chosen lines of an upright page (those not `known` already) and look twice
    at the MRZ."""
    missing = [i for i in range(len(chosen)) if i not in known]
    readings = dict(known)
    readings.update(
        zip(missing, reader.recognize([crop_line(image, chosen[i]) for i in missing]), strict=True)
    )
    found = [
        (chosen[i], readings[i])
        for i in range(len(chosen))
        if readings[i].text.strip() and readings[i].confidence >= MIN_CONFIDENCE
    ]
    found = _reread_mrz(reader, image, found)
    lines = [_text_line(quad, reading, image.shape, page) for quad, reading in found]
    lines.sort(key=lambda line: (round(line.center_y, 3), line.x0))
    findings = [] if lines else [Finding("no_text_found")]
    return OcrPage(
        image=image,
        lines=lines,
        findings=findings,
        rotation=rotation,
        cut_off=len(lines) < FEW_LINES
        or runs_off_the_edges([quad for quad, _ in found], image.shape),
    )


def runs_off_the_edges(quads: Sequence[np.ndarray], shape: tuple[int, ...]) -> bool:
    """True when several text boxes touch the image's border: documents keep a printed margin
    (ID-1 cards ~3 mm), so a crop that cuts text is not the document's outline."""
    height, width = shape[:2]
    margin_x, margin_y = EDGE_MARGIN * width, EDGE_MARGIN * height
    touching = [
        quad
        for quad in quads
        if quad[:, 0].min() < margin_x
        or quad[:, 1].min() < margin_y
        or quad[:, 0].max() > width - margin_x
        or quad[:, 1].max() > height - margin_y
    ]
    return len(touching) >= max(2, CUT_SHARE * len(quads))


def _detect(reader: PaddleEngine, image: np.ndarray) -> list[np.ndarray]:
    """Text quads found on a modest copy, or on a larger one when the text is too small or too
    sparse there (a whole photo in which the document could not be outlined)."""
    scale = min(1.0, DETECT_SIDE / max(image.shape[:2]))
    quads = reader.detect(image, max_side=DETECT_SIDE)
    if scale >= 1.0:
        return quads
    heights = [_line_height(quad) * scale for quad in quads]
    height = float(np.median(heights)) if len(heights) >= FEW_LINES else 0.0
    if height >= SMALL_TEXT_PX:
        return quads
    closer = min(MAX_DETECT_SIDE, round(DETECT_SIDE * SMALL_TEXT_PX / max(height, 5.0)))
    return reader.detect(image, max_side=closer)


def _worth_reading(quads: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The lines that are neither fine print nor specks (the typical height is measured once:
    a carte grise has ~70 lines)."""
    if not quads:
        return []
    heights = [_line_height(quad) for quad in quads]
    typical = sorted(heights)[len(heights) // 2]
    return [
        quad
        for quad, height in zip(quads, heights, strict=True)
        if height >= FINE_PRINT_RATIO * typical and quad_extent(quad)[0] >= 0.5 * height
    ]


def _line_height(quad: np.ndarray) -> float:
    return float((np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2)


def looks_like_mrz(text: str) -> bool:
    """Machine-readable zone text: long runs of capitals, digits and `<` fillers."""
    compact = text.replace(" ", "")
    return bool(_MRZ_TEXT.match(compact)) and compact.count("<") + compact.count("«") >= 2


def _reread_mrz(
    reader: PaddleEngine, image: np.ndarray, found: list[tuple[np.ndarray, Recognition]]
) -> list[tuple[np.ndarray, Recognition]]:
    """Join MRZ pieces the detector split on one row and read such rows again, whole, from a
    roomier crop, as well as any row whose length fits no ICAO format; the reading whose length
    fits wins."""
    mrz = [item for item in found if looks_like_mrz(item[1].text)]
    if not mrz:
        return found
    rest = [item for item in found if not looks_like_mrz(item[1].text)]
    rows: list[list[tuple[np.ndarray, Recognition]]] = []
    for item in sorted(mrz, key=lambda item: float(item[0][:, 1].mean())):
        center = float(item[0][:, 1].mean())
        if rows and abs(center - float(rows[-1][-1][0][:, 1].mean())) < 0.5 * _line_height(item[0]):
            rows[-1].append(item)
        else:
            rows.append([item])
    joined = []
    for row in rows:
        row.sort(key=lambda item: float(item[0][:, 0].min()))
        quad = _hull_quad([item[0] for item in row])
        first = Recognition(
            "".join(item[1].text for item in row).replace(" ", ""),
            min(item[1].confidence for item in row),
        )
        if len(first.text) in MRZ_LENGTHS and len(row) == 1:
            joined.append((quad, first))
            continue
        second = reader.recognize([crop_line(image, quad, pad=0.25)])[0]
        second = Recognition(second.text.replace(" ", ""), second.confidence)
        joined.append((quad, _better_mrz(first, second)))
    return rest + joined


def _better_mrz(first: Recognition, second: Recognition) -> Recognition:
    def rank(reading: Recognition) -> tuple[bool, float]:
        return (len(reading.text) in MRZ_LENGTHS, reading.confidence)

    return max(first, second, key=rank)


def _hull_quad(quads: Sequence[np.ndarray]) -> np.ndarray:
    points = np.concatenate(quads).astype(np.float32)
    box = cv2.boxPoints(cv2.minAreaRect(points))
    return order_corners(np.asarray(box, dtype=np.float32))


def _text_line(
    quad: np.ndarray, reading: Recognition, shape: tuple[int, ...], page: int
) -> TextLine:
    height, width = shape[:2]
    x = np.clip(quad[:, 0] / width, 0.0, 1.0)
    # The band between the top and bottom sides' midpoints, less the margin the detector adds
    # around letters: a slanted line's bounding box, or the detector's box itself, would overlap
    # the next row (MRZ rows are set close together).
    top_y = (quad[0, 1] + quad[1, 1]) / 2
    bottom_y = (quad[2, 1] + quad[3, 1]) / 2
    center, half = (top_y + bottom_y) / 2, abs(bottom_y - top_y) / 2 * TEXT_BAND
    top = float(np.clip((center - half) / height, 0.0, 1.0))
    bottom = float(np.clip((center + half) / height, 0.0, 1.0))
    return TextLine(
        text=reading.text.replace("«", "<").strip(),
        confidence=round(reading.confidence, 4),
        x0=float(x.min()),
        y0=min(top, bottom),
        x1=float(x.max()),
        y1=max(top, bottom) if bottom != top else min(1.0, top + 1 / height),
        page=page,
    )
