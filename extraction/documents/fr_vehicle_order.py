"""Values of the French certificate whose code went unread, placed by the order of the codes.

The certificate prints its codes in their official order (A, B, C.1 … X.1) down each column, each
value left-aligned beside its code (arrêté du 9 février 2009, annexe 2). A value whose code box
was too small to read lies, in its column, between the codes read above and below it: when only
one code of that stretch is still missing and takes a value of its shape (a date, a listed code,
a number…), and agrees with what was read of its box (the digit after the dot usually survives:
`R2` for F.2), the value is that code's. Values of a shape only one field has (a CNIT, a listed
code) anchor their column first. The order found them, not the code: they stay guesses (⚠️).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extraction import vehicle_codes, vin
from extraction.documents.fr_vehicle_values import CODE_LETTER_LOOK_ALIKES, LONE_DATE, PARSERS
from extraction.layout import LabelHit
from extraction.printed_values import GUESS_CONFIDENCE, Read
from extraction.text import TextLine

# Values left-aligned in one column start within this share of the page's width of each other.
COLUMN_TOLERANCE = 0.02
# A column of values: a line and at least this many others left-aligned with it.
COLUMN_ROWS = 2
# A code box sits at most this many line heights left of its value.
CODE_GAP = 3.0
# Past a column's first or last code read, only the next row (in the column's usual spacing).
NEXT_ROW = 1.5
_CODE_BOX = re.compile(r"^\S{1,5}$")
_LAST_DIGIT = re.compile(r"(\d)\W*$")
# Shapes a value must have to be placed by the order alone (the parsers are lenient: they also
# serve values whose code was read).
_INTEGER = re.compile(r"^\d{1,3}(?: ?\d{3})*$")
# The state's number after `e` may be read with look-alikes (`el1*` for `e11*`).
_APPROVAL = re.compile(r"^[eE][\dlI]{1,2}\*\S+$")
_EMISSION_CLASS = re.compile(r"^(?:\d{2,3}/\d{4}\*\S+|EURO\s?\d[A-Z]{0,4})$")
_CNIT = re.compile(r"^M[1I][0O][A-Z0-9]{10,13}$")
# D.2: the maker's type, variant and version codes, a few letters and digits.
_TYPE_CODE = re.compile(r"^(?=.*\d)[A-Z0-9]{5,13}$")
AMOUNT = re.compile(r"^\d+[.,]\d{2}$")
_NAME = re.compile(r"^[A-Z0-9][A-Z0-9 .'\-]+$")
# Fields whose values no other field's look like (a listed code fits one list, or is ambiguous).
_DISTINCTIVE = frozenset(
    {
        "registration_number", "vin", "cnit", "type_approval", "environmental_class",
        "eu_category", "national_genre", "eu_body", "national_body", "fuel",
    }
)  # fmt: skip
# Fields the order never places: the holder's lines wrap (a single line may be half of one),
# and Y.6 is printed in the taxes' row, not a column (see `fr_vehicle_fallbacks.add_total_tax`).
_NOT_PLACED = frozenset({"holder_name", "holder_address", "total_tax_eur"})


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a field read by its code stands: its row, and its code's and value's left edges."""

    page: int
    y: float
    code_x: float | None
    value_x: float


def anchor_of(code_line: TextLine, value_line: TextLine, label_end: int) -> Anchor:
    """The anchor of a value read beside (or after, on the same line as) its code."""
    if code_line is value_line:
        share = label_end / max(len(code_line.text), 1)
        value_x = code_line.x0 + share * (code_line.x1 - code_line.x0)
        return Anchor(code_line.page, code_line.center_y, code_line.x0, value_x)
    return Anchor(code_line.page, code_line.center_y, code_line.x0, value_line.x0)


def codes_in_print_order(order: Sequence[tuple[str, str]], hits: list[LabelHit]) -> list[LabelHit]:
    """`hits` without the codes read out of their column's print order (`order`: each key in the
    order the card prints it). A code box read as another code of its column (`0.3` where D.1
    stands, above D.2) breaks the order: in each column, only the codes of every longest run
    in print order down the page are kept. Two codes contradicting each other with nothing
    else to tell which is right are both dropped: a value placed by the order is a guess, one
    read beside a wrong code is wrong."""
    rank = {key: index for index, (key, _) in enumerate(order)}
    boxes = sorted(
        (hit for hit in hits if hit.start == 0 and hit.key in rank),
        key=lambda hit: (hit.line.page, hit.line.x0),
    )
    columns: list[list[LabelHit]] = []
    for hit in boxes:
        last = columns[-1][-1] if columns else None
        if (
            last is not None
            and last.line.page == hit.line.page
            and hit.line.x0 - last.line.x0 <= COLUMN_TOLERANCE
        ):
            columns[-1].append(hit)
        else:
            columns.append([hit])
    dropped: set[int] = set()
    for column in columns:
        column.sort(key=lambda hit: hit.line.center_y)
        kept = _in_every_longest_run([rank[hit.key] for hit in column])
        dropped.update(id(hit) for index, hit in enumerate(column) if index not in kept)
    return [hit for hit in hits if id(hit) not in dropped]


def _in_every_longest_run(ranks: Sequence[int]) -> set[int]:
    """Indexes of `ranks` that every longest strictly increasing subsequence holds."""
    count = len(ranks)
    ending = [1] * count  # longest run ending at each index
    for i in range(count):
        for j in range(i):
            if ranks[j] < ranks[i]:
                ending[i] = max(ending[i], ending[j] + 1)
    starting = [1] * count  # longest run starting at each index
    for i in reversed(range(count)):
        for j in range(i + 1, count):
            if ranks[i] < ranks[j]:
                starting[i] = max(starting[i], starting[j] + 1)
    longest = max(ending, default=0)
    on_some = [i for i in range(count) if ending[i] + starting[i] - 1 == longest]
    # An index is on every longest run when no other index can take its place in one.
    return {i for i in on_some if sum(ending[j] == ending[i] for j in on_some) == 1}


def add_by_order(
    order: Sequence[tuple[str, str]],
    anchors: list[tuple[str, Anchor]],
    lines: Sequence[TextLine],
    found: dict[str, Read],
) -> list[TextLine]:
    """Place unlabelled values (`lines`) between the codes read around them in their column;
    `order` holds each (key, printed code) in the order the card prints them, `anchors` where
    the keys read by their code stand. Returns the lines left: neither placed nor code boxes."""
    placer = _Placer(order, anchors, lines, found)
    # Values of a shape no other field has first (they anchor their column too), then values
    # between two codes, then rows matching the missing codes one for one, and past a column's
    # end only once nothing more fits inside.
    while line := (
        placer.place_one("shape")
        or placer.place_one("between")
        or placer.place_one("rows")
        or placer.place_one("past")
    ):
        placer.used.append(line)
    return [line for line in placer.values if line not in placer.used]


class _Placer:
    """The state of one placement: the anchors so far, the values placed, each line's code box."""

    def __init__(
        self,
        order: Sequence[tuple[str, str]],
        anchors: list[tuple[str, Anchor]],
        lines: Sequence[TextLine],
        found: dict[str, Read],
    ) -> None:
        self.keys = [key for key, _ in order]
        self.codes = dict(order)
        self.rank = {key: index for index, key in enumerate(self.keys)}
        self.anchors = anchors
        self.found = found
        self.boxes = {id(line): _code_box(line, lines) for line in lines}
        # A short box with a value just right of it is a code, not a value.
        code_boxes = {id(box) for box in self.boxes.values() if box is not None}
        self.values = [line for line in lines if id(line) not in code_boxes]
        self.used: list[TextLine] = []

    def place_one(self, stage: str) -> TextLine | None:
        """Place the first value that only one code fits (adding its anchor); None when none."""
        for line in self.values:
            if line in self.used:
                continue
            box = self.boxes[id(line)]
            # A shape of its own outweighs a code box misread (`024` for D.2.1).
            matches = self._fits(
                line, self._stretch(line, box, stage), box if stage != "shape" else None
            )
            if stage == "rows":
                matches = self._first_of_rows(line, matches)
            if stage == "shape" and len(matches) == 1 and self._shared(line, matches[0][0]):
                continue
            if len(matches) != 1 or matches[0][0] in _NOT_PLACED:
                continue
            key, read = matches[0]
            self.found[key] = Read(read.value, min(read.confidence, GUESS_CONFIDENCE))
            code_x = box.x0 if box is not None else None
            self.anchors.append((key, Anchor(line.page, line.center_y, code_x, line.x0)))
            return line
        return None

    def _fits(
        self, line: TextLine, stretch: list[str], box: TextLine | None
    ) -> list[tuple[str, Read]]:
        text = line.text.strip()
        return [
            (key, read)
            for key in stretch
            if _agrees(self.codes[key], box) and (read := fits(key, text, line.confidence))
        ]

    def _shared(self, line: TextLine, key: str) -> bool:
        """Whether another line has the shape of `key`'s value too (`CA` C.3's box misread,
        `AF` the body): then the shape tells neither apart."""
        return any(
            key in self._stretch(other, None, "shape") and self._fits(other, [key], None)
            for other in self.values
            if other is not line and other not in self.used
        )

    def _first_of_rows(
        self, line: TextLine, fits: list[tuple[str, Read]]
    ) -> list[tuple[str, Read]]:
        """The top row of a stretch holding as many unplaced values as missing codes, each of
        its code's shape in turn, takes the first code (on a card printing codes the contract
        leaves out, F.3 or G.1, the counts differ)."""
        stretch = self._stretch(line, self.boxes[id(line)], "between")
        if len(fits) < 2 or len(stretch) < 2:
            return []
        rows = sorted(
            (
                other
                for other in self.values
                if other not in self.used
                and other.page == line.page
                and abs(other.x0 - line.x0) <= COLUMN_TOLERANCE
                and self._stretch(other, self.boxes[id(other)], "between") == stretch
            ),
            key=lambda other: other.center_y,
        )
        # Codes of the stretch whose value no row here has the shape of are printed in another
        # column (E and I between D.3 and J are in the first): they do not count.
        stretch = [key for key in stretch if any(self._fits(row, [key], None) for row in rows)]
        if len(rows) != len(stretch) or rows[0] is not line:
            return []
        for key, row in zip(stretch, rows, strict=True):
            if not self._fits(row, [key], self.boxes[id(row)]):
                return []
        return [fit for fit in fits if fit[0] == stretch[0]]

    def _stretch(self, line: TextLine, box: TextLine | None, stage: str) -> list[str]:
        """The missing keys whose code may stand beside `line`, by the codes read in its column
        (or, at the `shape` stage, those whose values have a shape of their own, for a line in
        a column of values: a stray word elsewhere in the photo is left to the fallbacks)."""
        column = [
            (anchor, self.rank[key])
            for key, anchor in self.anchors
            if key in self.rank and _same_column(anchor, line, box)
        ]
        if stage == "shape":
            aligned = [
                other
                for other in self.values
                if other is not line
                and other.page == line.page
                and abs(other.x0 - line.x0) <= COLUMN_TOLERANCE
            ]
            read = [
                anchor
                for _, anchor in self.anchors
                if anchor.page == line.page and abs(anchor.value_x - line.x0) <= COLUMN_TOLERANCE
            ]
            in_column = len(aligned) + len(read) >= COLUMN_ROWS
            distinctive = [key for key in self.keys if key in _DISTINCTIVE]
            return [key for key in distinctive if key not in self.found] if in_column else []
        above = [rank for anchor, rank in column if anchor.y < line.center_y]
        below = [rank for anchor, rank in column if anchor.y > line.center_y]
        missing = [key for key in self.keys if key in PARSERS and key not in self.found]
        if above and below:
            return [key for key in missing if max(above) < self.rank[key] < min(below)]
        if stage != "past" or not _next_row(line, [anchor for anchor, _ in column]):
            return []
        # Past the first or last code read, only the next code in print order: the ones beyond
        # may be printed in another column.
        if above:
            return [key for key in missing if self.rank[key] > max(above)][:1]
        if below:
            return [key for key in missing if self.rank[key] < min(below)][-1:]
        # Every code of the column read on this very row (a line read twice): no stretch.
        return []


def _next_row(line: TextLine, column: Sequence[Anchor]) -> bool:
    """Whether `line` is the row just past the first or last code read in its column (the
    column's usual spacing away at most): beyond, it may be a header or another paper's text."""
    rows = sorted(anchor.y for anchor in column)
    if len(rows) < 2:
        return False
    spacing = min(b - a for a, b in itertools.pairwise(rows))
    nearest = min(abs(line.center_y - y) for y in rows)
    return nearest <= NEXT_ROW * spacing


def _code_box(value: TextLine, lines: Sequence[TextLine]) -> TextLine | None:
    """The short box just left of `value` on its row (its code, read or not)."""
    gap = CODE_GAP * value.height
    left = [
        line
        for line in lines
        if line is not value
        and line.page == value.page
        and _CODE_BOX.match(line.text.strip())
        and line.x1 <= value.x0 + 0.25 * value.height
        and value.x0 - line.x1 <= gap
        and abs(line.center_y - value.center_y) < 0.5 * value.height
    ]
    return max(left, key=lambda line: line.x1) if left else None


def _same_column(anchor: Anchor, line: TextLine, box: TextLine | None) -> bool:
    if anchor.page != line.page:
        return False
    if abs(anchor.value_x - line.x0) <= COLUMN_TOLERANCE:
        return True
    return (
        box is not None
        and anchor.code_x is not None
        and abs(anchor.code_x - box.x0) <= COLUMN_TOLERANCE
    )


def _agrees(code: str, box: TextLine | None) -> bool:
    """What was read of the value's code box does not contradict its `code`: a digit read last
    in the box must be the code's last number (`R2`, `12` are some code ending in `.2`)."""
    if box is None:
        return True
    text = box.text.strip()
    digit = _LAST_DIGIT.search(text)
    if digit is None:
        return True
    # A lone letter code's box read as its look-alike digit (`6` for G) says nothing against it.
    if text in CODE_LETTER_LOOK_ALIKES.get(code, ""):
        return True
    return code[-1] == digit.group(1)


def fits(key: str, text: str, confidence: float) -> Read | None:
    """`text` parsed as `key`'s value when it has that value's own shape."""
    upper = text.upper()
    compact = upper.replace(" ", "")
    shape_ok: bool
    if key in _NOT_PLACED:
        # Never placed, but a value of their shape may be theirs: they make a stretch ambiguous.
        amount = AMOUNT.match(text) is not None
        return Read(text, confidence) if amount == (key == "total_tax_eur") else None
    if key in vehicle_codes.CODE_LISTS:
        code = vehicle_codes.normalise_code(key, text)
        # Only road categories: a stray `R1` or `T2` is likelier a misread code box.
        road = key != "eu_category" or code[:1] in {"M", "N", "O", "L"}
        # A look-alike of a listed code fits too (`CL` may be the genre CL or the body CI):
        # the parser repairs it when it is the only fit.
        shape_ok = road and vehicle_codes.closest_code(key, code) is not None
    elif key in _INTEGER_FIELDS:
        shape_ok = _INTEGER.match(text) is not None
    elif key.endswith("_date"):
        shape_ok = LONE_DATE.match(text) is not None
    elif key == "type_approval":
        shape_ok = _APPROVAL.match(compact) is not None
    elif key == "environmental_class":
        shape_ok = _EMISSION_CLASS.match(upper) is not None
    elif key == "cnit":
        shape_ok = _CNIT.match(compact) is not None
    elif key == "type_variant_version":
        shape_ok = _TYPE_CODE.match(compact) is not None
    elif key == "vin":
        # A VIN ends in the maker's serial number, digits (ISO 3779): an address is no VIN.
        # It is printed as one word (address lines are words and numbers).
        cleaned = vin.clean_vin(compact)[0]
        digits = sum(char.isdigit() for char in compact)
        shape_ok = (
            " " not in text
            and vin.is_well_formed(cleaned)
            and vin.ends_in_serial(cleaned)
            and digits >= 4
        )
    elif key in {"make", "commercial_name"}:
        # Not an amount (`0,00`) nor the formula number (`2026ML51073`).
        shape_ok = (
            _NAME.match(upper) is not None
            and AMOUNT.match(text) is None
            and re.search(r"\d{5}", text) is None
        )
    else:
        shape_ok = True
    return PARSERS[key](text, confidence) if shape_ok else None


_INTEGER_FIELDS = frozenset(
    {
        "max_laden_mass_kg", "max_laden_mass_service_kg", "mass_in_service_kg",
        "displacement_cc", "net_power_kw", "fiscal_power_cv", "seats", "co2_g_km",
    }
)  # fmt: skip
