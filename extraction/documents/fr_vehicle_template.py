"""Values of the French certificate placed by where the form prints them.

The certificate is a printed form: most values start at the same place on every card (the codes
A and B, the two columns D.1 … J.2 and J.3 … X.1 at a fixed row pitch, the taxes' row Y.1 … Y.6,
the formula number). On a far-off or blurred photo the code boxes (2.3 mm print) are the first
thing lost while the values (3 mm) are still read. The lines whose field is known (read by their
code, or of a shape no other field has: the title, the plate, the CNIT, the approval number…)
then show where the form lies on the page: an affine map from the page to the form, fitted on
them with the ones that disagree left out. Every other line is placed by the slot it starts in,
when it has its field's shape. Placed by the layout, not by a code, those values stay guesses.

The holder's name starts at C.1's place too, but its rows, C.4a's statement and the address's
rows below it move down as the name and address wrap (and E and I with them, left to
`fr_vehicle_fallbacks`): from C.1's place down, they are told apart as the fallbacks do.

The millimetres below are the form as `docgen` draws it, which is close to, not a copy of, the
real certificate: they must be measured again on a real specimen before real cards gain from
this. Until then a real card's lines must still agree with these slots within 2.5 mm for a map
to be fitted, so expect few values placed on one, each a guess like every value placed here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from extraction import siv_zone
from extraction.documents.fr_vehicle_fallbacks import (
    HOLDER_COLUMN_ROWS,
    holder_reads,
    split_holder_rows,
)
from extraction.documents.fr_vehicle_order import AMOUNT, Anchor, fits
from extraction.documents.fr_vehicle_values import LONE_DATE, PARSERS
from extraction.plates import read_fr_plate
from extraction.printed_values import GUESS_CONFIDENCE, Read
from extraction.text import TextLine

# Where each value's first character stands on the form, in millimetres from its top-left
# corner (x of the value's left edge, y of its row's middle).
_ROW_PITCH = 7.4
_FIRST_ROW = 21.5
_COLUMNS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (
        85.0,
        (
            "make", "type_variant_version", "cnit", "commercial_name", "max_laden_mass_kg",
            "max_laden_mass_service_kg", "mass_in_service_kg", "eu_category", "national_genre",
            "eu_body",
        ),
    ),
    (
        155.0,
        (
            "national_body", "type_approval", "displacement_cc", "net_power_kw", "fuel",
            "fiscal_power_cv", "seats", "co2_g_km", "environmental_class",
            "technical_inspection_date",
        ),
    ),
)  # fmt: skip
SLOTS: dict[str, tuple[float, float]] = {
    "registration_number": (15.0, 21.5),
    "first_registration_date": (15.0, 28.0),
    **{
        key: (x, _FIRST_ROW + row * _ROW_PITCH)
        for x, keys in _COLUMNS
        for row, key in enumerate(keys)
    },
    "total_tax_eur": (185.0, 96.5),
    "formula_number": (152.0, 6.5),
}
# C.1's first row; the rows below it stand this far apart at most (a row's pitch, 4.8 mm, and
# the 1.7 mm between fields, twice: C.4a's statement row may be lost).
_HOLDER_AT = (15.0, 34.5)
_HOLDER_GAP = 2 * (4.8 + 1.7)
# Lines of the form itself that say where it lies: the title's left edge, the taxes' row.
_TITLE = re.compile(r"CERTIFICAT\s*D\W?\s*\S?MMATRICULATION", re.I)
_REPUBLIC = re.compile(r"R[ÉE]PUBLIQUE\s*FRAN", re.I)
_TITLE_AT = (6.0, 10.8)
_REPUBLIC_AT = (6.0, 5.6)
_TAX_COLUMNS = (15.0, 49.0, 83.0, 117.0, 151.0, 185.0)
# The coupon's zone: two rows (of `siv_zone.LINE_LENGTH` characters), from x 10 mm to 162.7 mm.
_ZONE_ROWS = (131.9, 139.4)
_ZONE_X = (10.0, 162.7)
_ZONE_SLACK = 2
# Values of a shape only one field of the form has: found anywhere, they say where it lies.
_SHAPE_ANCHORS = ("cnit", "type_approval", "environmental_class")
# A line is in a slot when it starts this close to it (mm): half the narrowest row pitch (the
# 6.5 mm between A and B) at most, and less than the gap between a code box and its value.
_ROW_TOLERANCE = 2.8
_START_TOLERANCE = 5.0
# A code box read on the value's line (`48 11.00`) starts this far left of the value.
_CODE_OFFSET = 9.0
# The fit: its points agree within this much (mm); it needs this many, spread over this area.
_FIT_TOLERANCE = 2.5
# The form's width, and its height without and with the coupon (mm).
FORM_WIDTH = 210.0
FORM_HEIGHTS = (105.0, 148.0)
_MIN_POINTS = 4
_MIN_SPREAD_MM2 = 150.0
# Maps are tried through three of the first this many points (560 maps).
_TRIO_POINTS = 16


@dataclass(frozen=True, slots=True)
class _Point:
    page: tuple[float, float]
    form: tuple[float, float]


@dataclass(frozen=True, slots=True)
class FormFit:
    """Where the form lies on one page: the affine map (2×3) from the page's 0..1 coordinates to
    the form's millimetres that the most points agree with, and every point of that page (page
    and form coordinates), those that disagree included."""

    page: int
    matrix: np.ndarray
    page_points: np.ndarray
    form_points: np.ndarray

    def page_is_form(self) -> bool:
        """Whether the page is the card itself (its outline was found): the page's corners land
        on the form's (with or without its coupon), within the fit's tolerance."""
        corners = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])
        mapped = corners @ self.matrix.T
        for height in FORM_HEIGHTS:
            form = np.array([[0, 0], [FORM_WIDTH, 0], [FORM_WIDTH, height], [0, height]])
            if np.linalg.norm(mapped - form, axis=1).max() <= 2 * _FIT_TOLERANCE:
                return True
        return False

    def on_form(self) -> np.ndarray:
        """The points' page coordinates taken to the form (mm) by the affine map."""
        page = np.hstack([self.page_points, np.ones((len(self.page_points), 1))])
        mapped: np.ndarray = page @ self.matrix.T
        return mapped


def add_by_template(
    anchors: Sequence[tuple[str, Anchor]],
    readable: Sequence[TextLine],
    zone: Sequence[TextLine],
    lines: Sequence[TextLine],
    found: dict[str, Read],
) -> tuple[list[TextLine], FormFit | None]:
    """Place the unlabelled `lines` by the form's slots, the form located on the page by the
    values read by their code (`anchors`), the lines of a shape of their own (`readable`: every
    line of the card but its coupon's zone) and the zone's two lines (`zone`). Returns the lines
    left, and where the form lies (None when too few lines agree on a place)."""
    if all(key in found for key in (*SLOTS, "holder_name", "holder_address")):
        return list(lines), None
    points = [*_points(anchors, readable), *_zone_points(zone)]
    page = _busiest_page(points)
    points = [point for point in points if point[0] == page]
    left = [line for line in lines if line.page == page]
    # Each value placed is a point of the form too: the map is refitted with them and the rest
    # placed again, until nothing more is placed.
    fitted = _fit(points)
    while fitted is not None and (placed := _place(fitted, left, found)):
        for key, line in placed:
            points.append((page, _Point(_start(line), SLOTS[key])))
            left.remove(line)
        fitted = _fit(points)
    if fitted is None:
        return list(lines), None
    for line in _place_holder(fitted, left, found):
        left.remove(line)
    fit = FormFit(
        page=page,
        matrix=fitted,
        page_points=np.array([point.page for _, point in points]),
        form_points=np.array([point.form for _, point in points]),
    )
    return [line for line in lines if line.page != page or line in left], fit


def _place_holder(
    fitted: np.ndarray, lines: Sequence[TextLine], found: dict[str, Read]
) -> list[TextLine]:
    """The holder's name and address from the rows left-aligned down from C.1's place (both
    missing); the lines taken."""
    if "holder_name" in found or "holder_address" in found:
        return []
    column = []
    for line in lines:
        x, y = fitted @ np.array([*_start(line), 1.0])
        if abs(x - _HOLDER_AT[0]) <= _START_TOLERANCE and y >= _HOLDER_AT[1] - _ROW_TOLERANCE:
            column.append((float(y), line))
    column.sort(key=lambda row: row[0])
    if not column or column[0][0] > _HOLDER_AT[1] + _ROW_TOLERANCE:
        return []
    rows = [column[0]]
    for y, line in column[1:HOLDER_COLUMN_ROWS]:
        if y - rows[-1][0] > _HOLDER_GAP:
            break
        rows.append((y, line))
    taken = [line for _, line in rows]
    holder = split_holder_rows(taken, print_height=taken[0].height)
    if holder is None:
        return []
    found["holder_name"], found["holder_address"] = holder_reads(*holder)
    return [*holder[0], *holder[1]]


def _place(
    fitted: np.ndarray, lines: Sequence[TextLine], found: dict[str, Read]
) -> list[tuple[str, TextLine]]:
    """Each missing field whose slot a line starts in, with its field's shape, takes the
    nearest such line (each line one field at most); the fields placed, with their lines."""
    nearest: dict[str, tuple[float, TextLine, Read]] = {}
    for line in lines:
        for key, distance, read in _slot_reads(fitted, line, found):
            if key not in nearest or distance < nearest[key][0]:
                nearest[key] = (distance, line, read)
    placed: list[tuple[str, TextLine]] = []
    for key, (_, line, read) in sorted(nearest.items(), key=lambda item: item[1][0]):
        if any(line is other for _, other in placed):
            continue
        found[key] = Read(read.value, min(read.confidence, GUESS_CONFIDENCE))
        placed.append((key, line))
    return placed


def _points(
    anchors: Sequence[tuple[str, Anchor]], readable: Sequence[TextLine]
) -> list[tuple[int, _Point]]:
    """Every (page, point) whose place on the form is known."""
    points = [
        (anchor.page, _Point((anchor.value_x, anchor.y), SLOTS[key]))
        for key, anchor in anchors
        if key in SLOTS
    ]
    for line in readable:
        text = line.text.strip()
        at = _start(line)
        for pattern, form in ((_TITLE, _TITLE_AT), (_REPUBLIC, _REPUBLIC_AT)):
            if pattern.match(text):
                points.append((line.page, _Point(at, form)))
        plate = read_fr_plate(text)
        if plate is not None and not plate.repaired:
            points.append((line.page, _Point(at, SLOTS["registration_number"])))
        if PARSERS["formula_number"](text, line.confidence) is not None:
            points.append((line.page, _Point(at, SLOTS["formula_number"])))
        # A lone date is B's or X.1's (I's moves down with the holder's rows): each is tried.
        if LONE_DATE.match(text):
            for key in ("first_registration_date", "technical_inspection_date"):
                points.append((line.page, _Point(at, SLOTS[key])))
        for key in _SHAPE_ANCHORS:
            if fits(key, text, line.confidence) is not None:
                points.append((line.page, _Point(at, SLOTS[key])))
    points.extend(_tax_row(readable))
    return points


def _zone_points(zone: Sequence[TextLine]) -> list[tuple[int, _Point]]:
    """The coupon zone's two rows (`siv_zone.find_siv_zone_lines`), each found whole (44
    characters, give or take a filler OCR lost or added): both ends are known."""
    points = []
    for y, line in zip(_ZONE_ROWS, zone, strict=False):
        if abs(len(line.text.replace(" ", "")) - siv_zone.LINE_LENGTH) <= _ZONE_SLACK:
            points.append((line.page, _Point(_start(line), (_ZONE_X[0], y))))
            points.append((line.page, _Point(_at(line, line.x1), (_ZONE_X[1], y))))
    return points


def _tax_row(readable: Sequence[TextLine]) -> list[tuple[int, _Point]]:
    """The taxes' row read whole (six amounts side by side): each amount's place is known."""
    amounts = [line for line in readable if AMOUNT.match(line.text.strip())]
    for line in amounts:
        row = sorted(
            (
                other
                for other in amounts
                if other.page == line.page and abs(other.center_y - line.center_y) < line.height
            ),
            key=lambda other: other.x0,
        )
        if len(row) == len(_TAX_COLUMNS):
            return [
                (other.page, _Point(_start(other), (x, SLOTS["total_tax_eur"][1])))
                for other, x in zip(row, _TAX_COLUMNS, strict=True)
            ]
    return []


def _start(line: TextLine) -> tuple[float, float]:
    """Where `line` starts: its left edge, at its row's middle there (a line in a whole photo
    slopes: its box's middle is its middle's height)."""
    return _at(line, line.x0)


def _at(line: TextLine, x: float) -> tuple[float, float]:
    return x, line.center_y + line.slope * (x - line.center_x)


def _busiest_page(points: Sequence[tuple[int, _Point]]) -> int:
    pages = [page for page, _ in points]
    return max(set(pages), key=pages.count) if pages else 0


def _fit(points: Sequence[tuple[int, _Point]]) -> np.ndarray | None:
    """The affine map (2×3) from page to form that the most points agree with; None when too
    few do. The candidates: the page taken as the form itself (an outline found: the page is
    the rectified card, with or without its coupon), then the map through any three points
    spread wide enough. At least `_MIN_POINTS` must agree with a map through three of them
    (three fix it: a fourth confirms it), three with the page taken as the form."""
    if not points:
        return None
    page = np.array([[*point.page, 1.0] for _, point in points])
    form = np.array([point.form for _, point in points])
    candidates = [np.array([[FORM_WIDTH, 0, 0], [0, height, 0]]) for height in FORM_HEIGHTS]
    needed = [3] * len(candidates)
    # The maps through any three of the first points (those read by their code come first);
    # every point votes.
    trios = np.array(list(itertools.combinations(range(min(len(points), _TRIO_POINTS)), 3)))
    if len(trios):
        trios = trios[_areas(form[trios]) >= _MIN_SPREAD_MM2]
        systems = page[trios]
        solvable = np.abs(np.linalg.det(systems)) > 1e-12
        maps = np.linalg.solve(systems[solvable], form[trios[solvable]]).transpose(0, 2, 1)
        candidates.extend(maps)
        needed.extend([_MIN_POINTS] * len(maps))
    stacked = np.array(candidates)
    predicted = (stacked @ page.T).transpose(0, 2, 1)
    agree = np.linalg.norm(predicted - form, axis=2) <= _FIT_TOLERANCE
    counts = agree.sum(axis=1)
    counts[counts < np.array(needed)] = 0
    best = int(np.argmax(counts))
    if counts[best] == 0:
        return None
    matrix: np.ndarray = stacked[best]
    inliers = agree[best]
    # Refitted on its points only when they are more than three spread wide: three fix a map
    # exactly, errors and all.
    if inliers.sum() < _MIN_POINTS or _spread(form[inliers]) < _MIN_SPREAD_MM2:
        return matrix
    solution, *_ = np.linalg.lstsq(page[inliers], form[inliers], rcond=None)
    refitted: np.ndarray = solution.T
    residual = np.linalg.norm(page[inliers] @ refitted.T - form[inliers], axis=1)
    return refitted if float(residual.max()) <= _FIT_TOLERANCE else matrix


def _areas(trios: np.ndarray) -> np.ndarray:
    """The area (mm²) of each triangle of `trios` (shape: count × 3 points × 2)."""
    a, b, c = trios[:, 0], trios[:, 1], trios[:, 2]
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    areas: np.ndarray = np.abs(cross) / 2
    return areas


def _spread(form: np.ndarray) -> float:
    """The largest triangle's area (mm²) among the points: how well they fix an affine map."""
    if len(form) < 3:
        return 0.0
    trios = np.array(list(itertools.combinations(range(len(form)), 3)))
    return float(_areas(form[trios]).max())


def _slot_reads(
    matrix: np.ndarray, line: TextLine, found: Mapping[str, Read]
) -> list[tuple[str, float, Read]]:
    """The missing fields whose slot `line` starts in and whose shape its text has, each with
    how far from the slot it starts (mm)."""
    x, y = matrix @ np.array([*_start(line), 1.0])
    text = line.text.strip()
    reads: list[tuple[str, float, Read]] = []
    for key, (slot_x, slot_y) in SLOTS.items():
        if key in found or abs(y - slot_y) > _ROW_TOLERANCE:
            continue
        candidates = [(x - slot_x, text)]
        head, _, rest = text.partition(" ")
        if rest and len(head) <= len("D.2.1"):
            candidates.append((x + _CODE_OFFSET - slot_x, rest))
        for offset, value in candidates:
            if abs(offset) > _START_TOLERANCE:
                continue
            read = _read(key, value, line.confidence)
            if read is not None:
                reads.append((key, float(np.hypot(offset, y - slot_y)), read))
                break
    return reads


def _read(key: str, text: str, confidence: float) -> Read | None:
    """`text` as `key`'s value when it has that value's shape (Y.6: an amount)."""
    if key == "total_tax_eur":
        return PARSERS[key](text, confidence) if AMOUNT.match(text) else None
    return fits(key, text, confidence)
