"""Machine-readable zones: find them among OCR lines, decode every field, verify every ICAO 9303
check digit, and repair OCR look-alikes only where the check digits leave a single answer.

`find_mrz(text_lines)` reads OCR output; `read_mrz(["P<UTO…", "L898…"])` reads raw MRZ text
(tests, AI providers). Both return an `MrzReading` or None. Layouts: `extraction.mrz_formats`;
look-alike fixes: `extraction.mrz_repair`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from extraction.mrz_decode import PREFIXES, WIDTHS, MrzReading, decode, starts_with_fixed_text
from extraction.mrz_formats import LETTER_FOR_DIGIT, MrzFormat
from extraction.mrz_repair import Repair
from extraction.text import LATIN_LOOK_ALIKES, TextLine

__all__ = [
    "MrzFormat",
    "MrzReading",
    "Repair",
    "clean_line",
    "decode",
    "find_mrz",
    "looks_like_mrz",
    "read_mrz",
]

_MRZ_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
# What OCR engines make of the `<` filler.
_FILLER_LOOKALIKES = str.maketrans(dict.fromkeys("«‹>(){}[]≤＜〈〔", "<"))
_LOWER_FILLERS = re.compile(r"(?<=<)[ck]+|[ck]+(?=<|$)")
_MIN_CUT_LINE = 12  # a line cut shorter than this holds no whole checked field
_ALONE_CHECKS = 4  # check digits a lone second line must pass to be trusted as an MRZ


def clean_line(text: str) -> str:
    """Upper case, accents dropped, filler look-alikes turned to `<` and other scripts' capitals
    to the Latin ones they look like (`∪` is U), anything else removed."""
    text = text.translate(_FILLER_LOOKALIKES)
    if not any(char.islower() and char not in "ck" for char in text):
        # OCR-B has no lower case: in a line printed in capitals, a `c` or `k` by the fillers
        # (or ending a line the photo cut) is how the recogniser reads more fillers.
        text = _LOWER_FILLERS.sub(lambda match: "<" * len(match.group()), text)
    folded = unicodedata.normalize("NFKD", text.upper().translate(LATIN_LOOK_ALIKES))
    return "".join(char for char in folded if char in _MRZ_CHARS)


def looks_like_mrz(text: str) -> bool:
    """A line that could be part of an MRZ: long, nearly all MRZ characters, with fillers or
    no spaces (printed-zone capitals have spaces and no `<`)."""
    squeezed = text.strip().upper().translate(_FILLER_LOOKALIKES)
    cleaned = clean_line(squeezed)
    if len(cleaned) < 20 or len(cleaned) < 0.85 * len(squeezed.replace(" ", "")):
        return False
    if cleaned.count("<") >= 2:
        return True
    return " " not in squeezed and len(cleaned) >= 28 and sum(c.isdigit() for c in cleaned) >= 6


def read_mrz(texts: Sequence[str], *, confidence: float = 1.0) -> MrzReading | None:
    """Decode MRZ text given as lines (a string with newlines is split), choosing the format
    whose layout and check digits fit best; None when no layout fits."""
    rows = [clean_line(part) for text in texts for part in text.splitlines()]
    rows = [row for row in rows if len(row) >= _MIN_CUT_LINE]
    best: MrzReading | None = None
    for window, mrz_format in _windows(rows):
        reading = decode(mrz_format, window, confidence=confidence)
        if reading is not None and (best is None or _rank(reading) > _rank(best)):
            best = reading
    for row in rows if best is None else ():
        # A passport's second line alone (the first lost) still holds five check digits.
        if abs(len(row) - 44) <= 6:
            reading = decode(MrzFormat.TD3, ["", row], confidence=confidence)
            if reading is not None and sum(reading.checks.values()) >= _ALONE_CHECKS:
                best = reading if best is None or _rank(reading) > _rank(best) else best
    if best is None or best.failed_checks:
        best = _td1_without_names(rows, confidence=confidence) or best
    return best


def _td1_without_names(rows: list[str], *, confidence: float) -> MrzReading | None:
    """A TD1 zone whose names line was lost (cut by the photo's edge): its first two lines hold
    all four check digits, composite included, and are trusted when every one of them passes."""
    for start in range(len(rows) - 1):
        first, second = rows[start], rows[start + 1]
        if not (_starts_with(first, PREFIXES[MrzFormat.TD1]) and abs(len(first) - 30) <= 3):
            continue
        reading = decode(MrzFormat.TD1, [first, second, ""], confidence=confidence)
        if reading is not None and reading.checks and all(reading.checks.values()):
            return reading
    return None


def find_mrz(lines: Sequence[TextLine]) -> MrzReading | None:
    """Find and decode the MRZ among OCR lines (boxes on the same row are joined left to right;
    pages are read separately); None when there is none."""
    best: MrzReading | None = None
    previous: list[TextLine] | None = None
    for page in sorted({line.page for line in lines}):
        rows: list[list[TextLine]] = []
        for row in _rows([line for line in lines if line.page == page]):
            row = _mrz_print(row)
            text = "".join(part.text.strip() for part in row)
            # A line cut by the photo's edge is kept when it follows an MRZ line.
            if looks_like_mrz(text) or (rows and rows[-1] is previous and _cut_line(text)):
                rows.append(row)
            previous = row
        rows = _aligned(rows)
        texts = [clean_line("".join(part.text for part in row)) for row in rows]
        for start in range(len(rows)):
            for count in (1, 2, 3):
                if start + count > len(rows):
                    continue
                confidence = min(
                    part.confidence for row in rows[start : start + count] for part in row
                )
                reading = read_mrz(texts[start : start + count], confidence=confidence)
                if reading is not None and (best is None or _rank(reading) > _rank(best)):
                    best = reading
    return best


def _rows(lines: list[TextLine]) -> list[list[TextLine]]:
    """Group boxes whose vertical extents overlap by half their height into rows, top down."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda item: item.center_y):
        last = rows[-1] if rows else None
        if last is not None:
            overlap = min(last[-1].y1, line.y1) - max(last[-1].y0, line.y0)
            if overlap > 0.5 * min(last[-1].height, line.height):
                last.append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda item: item.x0) for row in rows]


def _mrz_print(row: list[TextLine]) -> list[TextLine]:
    """The boxes of a row printed like its longest one: MRZ characters only, no spaces, about
    the same letter height and width. A word beside the zone on the same row (a whole photo
    holds other print) is left out instead of being glued into an MRZ line."""
    if len(row) == 1:
        return row
    anchor = max(row, key=lambda part: len(clean_line(part.text)))
    anchor_width = _letter_width(anchor)

    def same_print(part: TextLine) -> bool:
        # OCR-B has no lower case: a lower-case word is the print of something lying beside.
        if any(char.islower() for char in part.text):
            return False
        # Pieces of one line lie side by side; a box over the zone's own is another row's
        # (a skewed photo brings the printed zone's last values level with the first line).
        if min(part.x1, anchor.x1) - max(part.x0, anchor.x0) > anchor_width:
            return False
        squeezed = part.text.strip().upper().translate(_FILLER_LOOKALIKES)
        if not squeezed or " " in squeezed or clean_line(squeezed) != squeezed:
            return False
        height_ratio = part.height / anchor.height if anchor.height > 0 else 1.0
        width_ratio = _letter_width(part) / anchor_width if anchor_width > 0 else 1.0
        return 0.67 <= height_ratio <= 1.5 and 0.6 <= width_ratio <= 1.65

    return [part for part in row if part is anchor or same_print(part)]


def _aligned(rows: list[list[TextLine]]) -> list[list[TextLine]]:
    """MRZ rows are printed one under the other, starting and ending at the same place: a box of
    a row lying beyond the span of every other row (by more than a letter of the row's longest
    box) is not part of the zone."""
    if len(rows) < 2:
        return rows
    kept = []
    for index, row in enumerate(rows):
        others = [part for other, parts in enumerate(rows) if other != index for part in parts]
        left = min(part.x0 for part in others)
        right = max(part.x1 for part in others)
        margin = _letter_width(max(row, key=lambda part: len(clean_line(part.text))))
        inside = [part for part in row if part.x1 > left - margin and part.x0 < right + margin]
        kept.append(inside or row)
    return kept


def _letter_width(line: TextLine) -> float:
    return (line.x1 - line.x0) / max(1, len(line.text.strip()))


def _windows(rows: list[str]) -> Iterator[tuple[list[str], MrzFormat]]:
    for count, formats in ((2, (MrzFormat.TD3, MrzFormat.FR_1995)), (3, (MrzFormat.TD1,))):
        for start in range(len(rows) - count + 1):
            window = rows[start : start + count]
            for mrz_format in formats:
                width = WIDTHS[mrz_format][0]
                # OCR drops trailing fillers of the first line; the next ones may also be cut.
                # A line the OCR turned by 180° comes back reversed (`>` for `<`).
                first, prefixes = window[0], PREFIXES[mrz_format]
                fits = width - 20 <= len(first) <= width + 6 and all(
                    _MIN_CUT_LINE <= len(row) <= width + 6 for row in window[1:]
                )
                starts = _starts_with(first, prefixes) or starts_with_fixed_text(mrz_format, first)
                if fits and (starts or _starts_with(first[::-1], prefixes)):
                    yield window, mrz_format


def _starts_with(row: str, prefixes: tuple[str, ...]) -> bool:
    """`row` opens with one of the document codes, or with a digit OCR reads for it (`1` for
    `I`; the code's field coerces it back)."""
    letter = LETTER_FOR_DIGIT.get(row[:1], row[:1])
    return row.startswith(prefixes) or (letter + row[1:]).startswith(prefixes)


def _rank(reading: MrzReading) -> tuple[bool, bool, int, int, float]:
    passed = sum(reading.checks.values())
    return (
        reading.check_digits_ok,
        reading.complete,
        passed,
        -len(reading.repairs),
        reading.confidence,
    )


def _cut_line(text: str) -> bool:
    """The start of an MRZ line: MRZ characters only, no spaces, long enough to hold a field."""
    squeezed = text.strip().upper().translate(_FILLER_LOOKALIKES)
    cleaned = clean_line(squeezed)
    return " " not in squeezed and len(cleaned) >= _MIN_CUT_LINE and len(cleaned) == len(squeezed)
