"""The Tunisian certificate's column of values, read in its order of rows, for the values whose
label OCR lost and whose text has no shape of its own (a name, an address, a type code).

The certificate prints its values in one column, row under row in a fixed order: plate, first
registration, owner, address, make, commercial type, constructor type, genre, VIN, energy, power,
seats, weights. The values that do have a shape (a plate, a date, a make, a genre, a VIN, a fuel,
`8 CV`, `1473 kg`) show where that column runs and which row is which; the owner and the address
are then the Latin lines between the first registration and the make (a name in words, an address
opening on its number), the two types the lines between the make and the genre. Placed by their
row alone, each stays a guess.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extraction import vehicle_codes
from extraction.documents.tn_fallbacks import DATE_ONLY, MASS, POWER
from extraction.documents.tn_labels import LABELS
from extraction.documents.tn_vehicle_values import (
    BARE_PLATE,
    PARSERS,
    read_fuel,
    read_known_genre,
    read_latin,
    read_tn_date,
    read_vin,
)
from extraction.plates import read_tn_plate
from extraction.printed_values import Read, guess
from extraction.text import TextLine

# The value column's rows, top to bottom, as the certificate prints them (the reader's
# FIELD_NAMES list the same fields in the contract's order).
ROWS: tuple[str, ...] = (
    "registration_number",
    "first_registration_date",
    "owner_name",
    "owner_address",
    "make",
    "commercial_type",
    "vehicle_type",
    "genre",
    "vin",
    "fuel",
    "fiscal_power_cv",
    "seats",
    "gross_weight_kg",
    "empty_weight_kg",
)
_ROW = {name: index for index, name in enumerate(ROWS)}
# The rows as printed, one every 4.75 mm: the owner's name and address each have a second row
# for their Arabic form.
PRINT_ROWS: tuple[str, ...] = (
    *ROWS[:3],
    "_owner_name_arabic",
    "owner_address",
    "_owner_address_arabic",
    *ROWS[4:],
)
_PRINT_ROW = {name: index for index, name in enumerate(PRINT_ROWS)}
# A line stands on a printed row when its middle is this close to it (share of the pitch).
PITCH_TOLERANCE = 0.3
# How far (share of the page width) a value's left edge may stray from the column's line.
COLUMN_TOLERANCE = 0.03
# Rows that place the column: fewer cannot tell its slant from a stray line.
MIN_ROWS = 3
# A line read less surely than this is more likely the Arabic beside the value, misread.
MIN_CONFIDENCE = 0.8
# The blank between two rows' lines holds a row of its own when it is this many lines high.
GAP_HEIGHT = 0.6
# How far left of its neighbours' lines (share of the page width) a value may start: the labels
# end not much further left.
GAP_MARGIN = 0.01
# An address opens on its number (`116 RUE DE LA LIBERTÉ`, `12 BIS AVENUE …`), then words.
_ADDRESS = re.compile(r"^\d{1,4}(?:\s*(?:BIS|TER))?\s+[A-ZÀ-Ý][A-ZÀ-Ý' .-]*[A-ZÀ-Ý]$")
_NAME = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý' -]*[A-ZÀ-Ý]$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 .-]{0,20}$")


@dataclass(frozen=True, slots=True)
class ValueColumn:
    """The certificate's column of values: the lines whose row is known (`rows`, as (line, row
    index in `ROWS`) top to bottom, in the order of the rows) and the other lines on it."""

    rows: list[tuple[TextLine, int]]
    free: list[TextLine]


def value_column(lines: Sequence[TextLine], found: dict[str, Read]) -> ValueColumn | None:
    """The column of values, placed by the lines whose shape (or labelled reading in `found`)
    tells their row; None when too few of them line up."""
    anchors = _anchors(lines, found)
    if len({row for _, row in anchors}) < MIN_ROWS:
        return None
    column = _column(lines, [line for line, _ in anchors])
    if column is None:
        return None
    taken = {id(line) for line, _ in anchors}
    rows = sorted(
        ((line, row) for line, row in anchors if id(line) in column), key=lambda a: a[0].center_y
    )
    rows = _in_order(rows)
    # Of two masses one under the other, the lower is the empty weight's row.
    rows = [
        (
            line,
            _ROW["empty_weight_kg"]
            if index and row == rows[index - 1][1] == _ROW["gross_weight_kg"]
            else row,
        )
        for index, (line, row) in enumerate(rows)
    ]
    free = [line for line in lines if id(line) in column and id(line) not in taken]
    return ValueColumn(rows, free)


def add_by_rows(column: ValueColumn, found: dict[str, Read]) -> None:
    """Fill the first registration, owner, address and types still missing from `found` with
    the column's lines found between their neighbour rows (see the module's docstring)."""
    # The certificate's own date is signed under the rows, never in the column.
    dates = [
        read
        for line, row in column.rows
        if row == _ROW["first_registration_date"]
        if (read := read_tn_date(line.text, line.confidence))
    ]
    if "first_registration_date" not in found and len({read.value for read in dates}) == 1:
        found["first_registration_date"] = guess(dates[0])
    _add_owner(found, column.rows, column.free)
    _add_types(found, column.rows, column.free)
    _add_by_pitch(found, column)


def row_gap(column: ValueColumn, name: str) -> TextLine | None:
    """The box where row `name`'s value stands when no line was read there (a lone digit too
    small for the detector): the blank between the lines of the rows above and under it, both
    known (rows from the make down hold one line each)."""
    row = _ROW[name]
    above = [line for line, known in column.rows if known == row - 1]
    under = [line for line, known in column.rows if known == row + 1]
    if row <= _ROW["make"] or len(above) != 1 or len(under) != 1:
        return None
    top, bottom = above[0], under[0]
    if any(top.y1 <= line.center_y <= bottom.y0 for line in column.free):
        return None
    if bottom.y0 - top.y1 < GAP_HEIGHT * top.height:
        return None
    return replace(
        top,
        text="",
        x0=max(0.0, min(top.x0, bottom.x0) - GAP_MARGIN),
        x1=max(top.x1, bottom.x1),
        y0=top.y1,
        y1=bottom.y0,
    )


def _anchors(lines: Sequence[TextLine], found: dict[str, Read]) -> list[tuple[TextLine, int]]:
    """The lines whose shape (or whose labelled reading in `found`) tells their row."""
    anchors = []
    for line in lines:
        row = _shape_row(line)
        if row is None:
            row = next(
                (
                    _ROW[name]
                    for name, read in found.items()
                    if name in _ROW
                    and (parsed := PARSERS[name](line.text, line.confidence)) is not None
                    and parsed.value == read.value
                ),
                None,
            )
        if row is not None:
            anchors.append((line, row))
    return anchors


def _shape_row(line: TextLine) -> int | None:
    text, confidence = line.text.strip(), line.confidence
    upper = " ".join(text.upper().split())
    if DATE_ONLY.match(text):
        return _ROW["first_registration_date"]
    if POWER.match(text):
        return _ROW["fiscal_power_cv"]
    if MASS.match(text):
        return _ROW["gross_weight_kg"]  # or the empty weight, the row under it: no matter here
    if upper in vehicle_codes.MAKES:
        return _ROW["make"]
    if read_tn_plate(text) or BARE_PLATE.match(text):
        return _ROW["registration_number"]
    if read_known_genre(text, confidence):
        return _ROW["genre"]
    if re.fullmatch(r"[A-Z0-9]{17}", upper) and read_vin(upper, confidence):
        return _ROW["vin"]
    if read_fuel(text, confidence):
        return _ROW["fuel"]
    return None


def _column(lines: Sequence[TextLine], anchors: Sequence[TextLine]) -> set[int] | None:
    """Ids of the lines whose left edge lies on the straight line through the anchors' left
    edges (the column may slant in a photo taken askew); None when the anchors do not line up."""
    middle = sorted(line.x0 for line in anchors)[len(anchors) // 2]
    near = [line for line in anchors if abs(line.x0 - middle) <= 3 * COLUMN_TOLERANCE]
    if len(near) < MIN_ROWS:
        return None
    ys = [line.y0 for line in near]
    xs = [line.x0 for line in near]
    mean_y, mean_x = sum(ys) / len(ys), sum(xs) / len(xs)
    spread = sum((y - mean_y) ** 2 for y in ys)
    if spread <= 0:
        return None
    slope = sum((y - mean_y) * (x - mean_x) for y, x in zip(ys, xs, strict=True)) / spread

    def on_column(line: TextLine) -> bool:
        return abs(line.x0 - (mean_x + slope * (line.y0 - mean_y))) <= COLUMN_TOLERANCE

    if sum(on_column(line) for line in near) < MIN_ROWS:
        return None
    return {id(line) for line in lines if on_column(line)}


def _in_order(rows: list[tuple[TextLine, int]]) -> list[tuple[TextLine, int]]:
    """The longest run of anchors, top to bottom, whose rows never go back up (a line taken
    for the wrong row by its shape is dropped)."""
    best: list[list[tuple[TextLine, int]]] = []
    for index, (line, row) in enumerate(rows):
        chains = [chain for chain in best[:index] if chain[-1][1] <= row]
        best.append([*max(chains, key=len, default=[]), (line, row)])
    return max(best, key=len, default=[])


def _between(
    rows: Sequence[tuple[TextLine, int]], free: Sequence[TextLine], first: str, last: str
) -> tuple[TextLine, TextLine, list[TextLine]] | None:
    """The nearest anchors above row `first` and below row `last`, and the free lines between."""
    above = [line for line, row in rows if row < _ROW[first]]
    under = [line for line, row in rows if row > _ROW[last]]
    if not above or not under:
        return None
    top, bottom = above[-1], under[0]
    return top, bottom, [line for line in free if top.y1 <= line.center_y <= bottom.y0]


def _add_owner(
    found: dict[str, Read], rows: Sequence[tuple[TextLine, int]], free: Sequence[TextLine]
) -> None:
    """The owner's name (words only) and address (opening on its number) between the first
    registration and the make; the Arabic lines under them are no Latin capitals."""
    between = _between(rows, free, "owner_name", "owner_address")
    if between is None:
        return
    _, _, candidates = between
    latin = [line for line in candidates if _latin_value(line)]
    addresses = [line for line in latin if _ADDRESS.match(_plain(line.text))]
    if len(addresses) == 1:
        _take(found, "owner_address", addresses[0])
    limit = addresses[0].y0 if len(addresses) == 1 else 1.0
    names = [
        line
        for line in latin
        if line.y1 <= limit and _NAME.match(_plain(line.text)) and len(line.text.split()) >= 2
    ]
    if names:
        _take(found, "owner_name", names[0])


def _add_types(
    found: dict[str, Read], rows: Sequence[tuple[TextLine, int]], free: Sequence[TextLine]
) -> None:
    """The commercial and constructor types: the code lines between the make and the next row
    that is known, each given the row its height between those two matches (rows are evenly
    spaced there, one line each)."""
    between = _between(rows, free, "commercial_type", "vehicle_type")
    if between is None:
        return
    top, bottom, candidates = between
    top_row = next(row for line, row in rows if line is top)
    bottom_row = next(row for line, row in rows if line is bottom)
    if top_row < _ROW["make"]:
        return
    codes = [line for line in candidates if _latin_value(line) and _CODE.match(_plain(line.text))]
    span = bottom.center_y - top.center_y
    gaps = bottom_row - top_row
    if span <= 0 or len(codes) > gaps - 1:
        return
    for line in codes:
        place = top_row + (line.center_y - top.center_y) / span * gaps
        row = round(place)
        if abs(place - row) > 0.3 or not top_row < row < bottom_row:
            continue
        if ROWS[row] in ("commercial_type", "vehicle_type"):
            _take(found, ROWS[row], line)


def _add_by_pitch(found: dict[str, Read], column: ValueColumn) -> None:
    """The rows are printed evenly spaced: with the pitch and the first row's place fitted on the
    known rows (three agreeing at least), each other Latin line of the column standing on a
    row is that row's value when it has its shape (the owner and the make placed so when the
    rows around them, the date and the plate, were misread)."""
    fit = _pitch_fit([(line.center_y, _PRINT_ROW[ROWS[row]]) for line, row in column.rows])
    if fit is None:
        return
    top, pitch = fit
    nearest: dict[str, tuple[float, TextLine]] = {}
    for line in column.free:
        place = (line.center_y - top) / pitch
        index = round(place)
        off = abs(place - index)
        if off > PITCH_TOLERANCE or not 0 <= index < len(PRINT_ROWS):
            continue
        name = PRINT_ROWS[index]
        nearer = name not in nearest or off < nearest[name][0]
        placeable = name in _ROW and name not in found and nearer
        if placeable and _latin_value(line) and _has_shape(name, line):
            nearest[name] = (off, line)
    for name, (_, line) in nearest.items():
        if read := PARSERS[name](line.text, line.confidence):
            found[name] = guess(read)


def _pitch_fit(known: Sequence[tuple[float, int]]) -> tuple[float, float] | None:
    """(first row's middle, pitch) that the most known (middle, printed row) agree with, at
    least `MIN_ROWS`, refitted on them; None without."""
    best: list[tuple[float, int]] = []
    for (y1, row1), (y2, row2) in itertools.combinations(known, 2):
        if row1 == row2 or (pitch := (y2 - y1) / (row2 - row1)) <= 0:
            continue
        top = y1 - pitch * row1
        agree = [(y, row) for y, row in known if abs((y - top) / pitch - row) <= PITCH_TOLERANCE]
        if len(agree) > len(best):
            best = agree
    if len({row for _, row in best}) < MIN_ROWS:
        return None
    rows = [row for _, row in best]
    ys = [y for y, _ in best]
    mean_row, mean_y = sum(rows) / len(rows), sum(ys) / len(ys)
    spread = sum((row - mean_row) ** 2 for row in rows)
    pitch = sum((row - mean_row) * (y - mean_y) for row, y in zip(rows, ys, strict=True)) / spread
    return (mean_y - pitch * mean_row, pitch) if pitch > 0 else None


def _has_shape(name: str, line: TextLine) -> bool:
    """Whether `line` looks like row `name`'s value (those of no shape of their own: words)."""
    text = _plain(line.text)
    if name == "owner_name":
        return _NAME.match(text) is not None and len(text.split()) >= 2
    if name == "owner_address":
        return _ADDRESS.match(text) is not None
    if name in ("make", "commercial_type", "vehicle_type"):
        return _CODE.match(text) is not None
    if name == "seats":
        return re.fullmatch(r"\d{1,2}", text) is not None
    return _shape_row(line) == _ROW[name]


def _take(found: dict[str, Read], name: str, line: TextLine) -> None:
    """`line` as the value of `name` unless one was found already; a guess (placed by its row)."""
    if name not in found and (read := read_latin(line.text, line.confidence)):
        found[name] = guess(read)


def arabic_address_line(column: ValueColumn) -> TextLine | None:
    """The line of an address printed in Arabic only: the lowest line between the owner's rows
    and the make's holding a number (the address opens on its house number, a name has none),
    when no Latin address was printed there. The Latin recogniser reads its number only."""
    between = _between(column.rows, column.free, "owner_name", "owner_address")
    if between is None:
        return None
    _, _, candidates = between
    latin = [line for line in candidates if re.search(r"[A-Z]{3,}\s+[A-Z]{3,}", line.text)]
    numbered = [line for line in candidates if re.search(r"\d", line.text) and line not in latin]
    if any(_ADDRESS.match(_plain(line.text)) for line in latin) or not numbered:
        return None
    return numbered[-1]


def _latin_value(line: TextLine) -> bool:
    """A value line in Latin capitals read surely, that is no label."""
    text = line.text.strip()
    return (
        line.confidence >= MIN_CONFIDENCE
        and text == text.upper()
        and any(char.isalnum() for char in text)
        and not any(pattern.search(text) for pattern in LABELS.values())
    )


def _plain(text: str) -> str:
    return " ".join(text.strip(" .,:;").split())
