"""Reading the rectified document: orientation, text lines, and a careful second look at the MRZ.

Detection runs once on a modest copy (the page's geometry is all it needs); recognition runs on
line crops taken from the full-resolution document, and only on lines that can hold a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
from extraction.text_blocks import (
    level_block,
    line_direction,
    line_length,
    line_span,
    split_by_direction,
)

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
# A line read at least this surely is upright as it stands.
SURE_READING = 0.9
# A block classified this surely (a checked MRZ, strong titles) is the document: the other
# blocks of the photo are not previewed.
SURE_DOCUMENT = 0.9
MRZ_LENGTHS = (30, 36, 44)
# Two views of a photo are merged on a mask this size (longer side, px); a line that much
# covered by lines already kept is one of them seen again.
MERGE_MASK_SIDE = 512
MERGE_OVERLAP = 0.3
# The quarter-turned view replaces the photo's own only when it shows this much more text.
TURN_GAIN = 1.1
# Share of a detected box's height that the letters fill (DB boxes are unclipped by 1.6).
TEXT_BAND = 0.7
# A line closer than this (share of the side) to the border touches it; this share of the lines
# touching means the crop cut the document.
EDGE_MARGIN = 0.006
CUT_SHARE = 0.12
_MRZ_TEXT = re.compile(r"^[A-Z0-9<«]{20,}$")
# Fillers `<` turned by 180 degrees read as `>`: a run of them on a line with no `<` at all.
_FLIPPED_FILLERS = re.compile(r"^[^<«]*[>»]{4}[^<«]*$")


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


Likeness = tuple[bool, float, int]  # a known document?, how sure, lines read


Preview = tuple[Likeness, np.ndarray, list[np.ndarray], int, dict[int, Recognition]]


def read_text_blocks(
    image: np.ndarray, *, page: int = 0, likeness: Callable[[list[TextLine]], Likeness]
) -> OcrPage:
    """For a photo whose document could not be outlined: split its text by line direction (the
    document and the papers around it), preview each block by its longest lines, and read in
    full the block that `likeness` ranks highest. Blocks of short lines (a form's) are previewed
    before blocks of long ones (a letter's), and a block surely a known document ends the
    search. Detection looks closer here: the document may be small, and bigger print around it
    would hide that from the small-text test.

    The detector hardly sees lines running steeper than ~60 degrees (it learnt on level text):
    when most of what it found runs steep, the lines running level are searched first, and
    only when they hold no known document is the photo detected again turned a quarter (a card
    lying level among papers at 60 degrees is found without that second detection)."""
    reader = engine()
    quads = reader.detect(image, max_side=MAX_DETECT_SIDE)
    level = [quad for quad in quads if not _steep(quad)]
    if len(quads) >= FEW_LINES and _steep_share(quads) < 0.5:
        best = _best_block(reader, image, quads, page, likeness)
    else:
        best = None
        if len(level) >= FEW_LINES:
            best = _best_block(reader, image, level, page, likeness)
        if best is None or not best[0][0]:
            quads = _with_turned_view(reader, image, quads)
            best = _best_block(reader, image, quads, page, likeness)
    if best is None:
        return OcrPage(image=image, findings=[Finding("no_text_found")])
    _, level_image, chosen, rotation, known = best
    return _recognise(reader, level_image, chosen, page=page, rotation=rotation, known=known)


def _best_block(
    reader: PaddleEngine,
    image: np.ndarray,
    quads: list[np.ndarray],
    page: int,
    likeness: Callable[[list[TextLine]], Likeness],
) -> Preview | None:
    """The preview of the block of `quads` that `likeness` ranks highest (None: no text)."""
    if not quads:
        return None
    previews: list[Preview] = []
    blocks = sorted(split_by_direction(quads), key=lambda item: _median_span(item[1]))
    for direction, block in blocks:
        if previews and _surely_known(max(previews, key=lambda preview: preview[0])[0]):
            break
        level, moved = level_block(image, block, direction)
        skew = skew_degrees(moved)
        if abs(skew) > SKEW_TOLERANCE_DEG:
            level, moved = deskew(level, moved, skew)
        rotation = (360 - 90 * round(direction / 90)) % 360
        level, moved, rotation = _upright(reader, level, moved, rotation)
        preview = _preview(reader, level, moved, rotation, page, likeness)
        flipped_rotation = (rotation + 180) % 360
        if _mrz_upside_down(list(preview[4].values())):
            # The document lies the other way round from the papers that outvoted it.
            flipped = (rotate_quarter(level, 2), rotate_quads(moved, 2, level.shape))
            preview = _preview(reader, *flipped, flipped_rotation, page, likeness)
        elif not preview[0][0]:
            # Papers lying head to tail share a direction, and the longest lines (another
            # paper's) may have voted the block upside down: the document may read the other way.
            # Lines read surely this way up are the other paper's: the preview skips them.
            theirs = {i for i, reading in preview[4].items() if reading.confidence >= SURE_READING}
            flipped = (rotate_quarter(level, 2), rotate_quads(moved, 2, level.shape))
            other = _preview(reader, *flipped, flipped_rotation, page, likeness, theirs)
            preview = max(preview, other, key=lambda item: item[0])
        previews.append(preview)
    return max(previews, key=lambda preview: preview[0]) if previews else None


def _surely_known(likeness: Likeness) -> bool:
    return likeness[0] and likeness[1] >= SURE_DOCUMENT


def _median_span(quads: Sequence[np.ndarray]) -> float:
    """The median line's length in text heights: a few on a card or a form, dozens in a
    letter."""
    spans = sorted(line_span(quad) for quad in quads)
    return spans[len(spans) // 2] if spans else 0.0


def _preview(
    reader: PaddleEngine,
    level: np.ndarray,
    moved: list[np.ndarray],
    rotation: int,
    page: int,
    likeness: Callable[[list[TextLine]], Likeness],
    skipped: set[int] | None = None,
) -> Preview:
    """A level block judged by `likeness` on its longest lines (but the `skipped` indexes of the
    lines worth reading), with what was read of them."""
    chosen = _worth_reading(moved)
    candidates = [i for i in range(len(chosen)) if i not in (skipped or set())]
    longest = sorted(candidates, key=lambda i: -quad_extent(chosen[i])[0])
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
    return likeness(sample), level, chosen, rotation, known


def _with_turned_view(
    reader: PaddleEngine, image: np.ndarray, quads: list[np.ndarray]
) -> list[np.ndarray]:
    """The photo's text `quads` merged with what the detector sees on the photo turned a
    quarter: the view showing clearly more text is kept, plus the lines only the other view saw
    running level (a card lying square among papers at 60 degrees: the turned view shows the
    papers, the photo's own the card)."""
    turned = rotate_quarter(image, 1)
    again = rotate_quads(reader.detect(turned, max_side=MAX_DETECT_SIDE), 3, turned.shape)
    del turned
    own_level = [quad for quad in quads if not _steep(quad)]
    turned_level = [quad for quad in again if _steep(quad)]  # level on the turned photo
    if _text_length(again) > TURN_GAIN * _text_length(quads):
        return _add_uncovered(again, own_level, image.shape)
    return _add_uncovered(quads, turned_level, image.shape)


def _add_uncovered(
    quads: list[np.ndarray], others: list[np.ndarray], shape: tuple[int, ...]
) -> list[np.ndarray]:
    """`quads` and, longest first, those of `others` that no line kept already covers (the same
    line seen in both views is kept once)."""
    scale = MERGE_MASK_SIDE / max(shape[:2])
    covered = np.zeros((max(1, round(shape[0] * scale)), max(1, round(shape[1] * scale))), np.uint8)
    for quad in quads:
        cv2.fillConvexPoly(covered, np.round(quad * scale).astype(np.int32), 1)
    kept = list(quads)
    for quad in sorted(others, key=lambda quad: -line_length(quad)):
        alone = np.zeros_like(covered)
        cv2.fillConvexPoly(alone, np.round(quad * scale).astype(np.int32), 1)
        area = int(alone.sum())
        if area and int((alone & covered).sum()) <= MERGE_OVERLAP * area:
            covered |= alone
            kept.append(quad)
    return kept


def _text_length(quads: Sequence[np.ndarray]) -> float:
    return sum(line_length(quad) for quad in quads)


def _steep_share(quads: Sequence[np.ndarray]) -> float:
    """Share of the text length running closer to vertical than to horizontal."""
    steep = sum(line_length(quad) for quad in quads if _steep(quad))
    return steep / max(_text_length(quads), 1e-6)


def _steep(quad: np.ndarray) -> bool:
    return 45.0 <= line_direction(quad) <= 135.0


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
    turned: bool = False,
) -> OcrPage:
    """Recognise the chosen lines of an upright page (those not `known` already) and look twice
    at the MRZ (`turned`: the page was already turned over for it)."""
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
    if not turned and _mrz_upside_down([reading for _, reading in found]):
        # A card lying the other way round from the papers around it: its MRZ fillers come
        # back as `>`. Read the page again turned by 180 degrees.
        return _recognise(
            reader,
            rotate_quarter(image, 2),
            rotate_quads(chosen, 2, image.shape),
            page=page,
            rotation=(rotation + 180) % 360,
            known={},
            turned=True,
        )
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


def _mrz_upside_down(readings: Sequence[Recognition]) -> bool:
    """MRZ lines read upside down (runs of `>` where fillers are) and none read upright."""
    upright = any(looks_like_mrz(reading.text) for reading in readings)
    flipped = sum(bool(_FLIPPED_FILLERS.search(reading.text)) for reading in readings)
    return flipped >= 1 and not upright


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
    run_x = (quad[1, 0] + quad[2, 0] - quad[0, 0] - quad[3, 0]) / 2 / width
    drop_y = (quad[1, 1] + quad[2, 1] - quad[0, 1] - quad[3, 1]) / 2 / height
    return TextLine(
        text=reading.text.replace("«", "<").strip(),
        confidence=round(reading.confidence, 4),
        x0=float(x.min()),
        y0=min(top, bottom),
        x1=float(x.max()),
        y1=max(top, bottom) if bottom != top else min(1.0, top + 1 / height),
        page=page,
        slope=round(float(drop_y / run_x), 4) if run_x > 0 else 0.0,
    )


# A blank this many text heights wide separates words (letters of a word sit closer).
WORD_GAP = 0.3


def line_box_crop(image: np.ndarray, line: TextLine, *, pad: float = 0.35) -> np.ndarray:
    """The pixels of `line`'s box (0..1 coordinates of `image`), grown by `pad` × its height
    on every side (the box's band is the letters' core, see `_text_line`)."""
    height, width = image.shape[:2]
    grow = pad * line.height * height
    top, bottom = max(0, round(line.y0 * height - grow)), round(line.y1 * height + grow)
    left, right = max(0, round(line.x0 * width - grow)), round(line.x1 * width + grow)
    return image[top : min(height, bottom), left : min(width, right)]


def split_words(crop: np.ndarray, *, gap: float = WORD_GAP) -> list[np.ndarray]:
    """The words of a one-line crop, cut at each blank column run wider than `gap` × the
    crop's text height (dark ink on a lighter ground, Otsu's threshold)."""
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)
    columns = ink.sum(axis=0) >= 2
    if rows.size == 0 or not columns.any():
        return []
    text_height = max(1, int(rows[-1] - rows[0] + 1))
    min_blank = max(2, round(gap * text_height))
    pieces, start, blank = [], None, 0
    for x, inked in enumerate(columns):
        if inked:
            start = x if start is None else start
            blank = 0
        elif start is not None:
            blank += 1
            if blank >= min_blank:
                pieces.append((start, x - blank + 1))
                start, blank = None, 0
    if start is not None:
        pieces.append((start, len(columns) - blank))
    margin = max(2, text_height // 4)
    return [crop[:, max(0, a - margin) : b + margin] for a, b in pieces if b - a >= 2]


def read_words(image: np.ndarray, line: TextLine, *, pad: float = 0.35) -> list[Recognition]:
    """Read `line` again word by word: on a line that mixes scripts the recogniser may drop
    the Latin words around one it cannot read (`185 TU 5980 185 تونس 5980` read `185 80`).
    `pad` grows the box as `line_box_crop` does."""
    words = split_words(line_box_crop(image, line, pad=pad))
    return engine().recognize(words) if words else []
