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
from dataclasses import dataclass, field
from itertools import product

from extraction.models import MrzBlock
from extraction.mrz_formats import FR_1995, TD3, Kind, Layout, MrzFormat, td1_layout
from extraction.mrz_repair import Grid, Repair, coerce, repair, run_checks
from extraction.text import TextLine

__all__ = ["MrzFormat", "MrzReading", "Repair", "clean_line", "find_mrz", "read_mrz"]

_MRZ_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
# What OCR engines make of the `<` filler.
_FILLER_LOOKALIKES = str.maketrans(dict.fromkeys("«‹>(){}[]≤＜〈〔", "<"))
_PREFIXES = {MrzFormat.TD3: ("P",), MrzFormat.TD1: ("I", "A", "C"), MrzFormat.FR_1995: ("ID",)}


@dataclass(frozen=True)
class MrzReading:
    """A decoded MRZ. `fields` hold the raw MRZ values, fillers removed (dates as `YYMMDD`,
    names in the MRZ alphabet with spaces, sex `M`/`F`/`X`); `checks` the result of each check
    digit by name; `repairs` the look-alikes fixed through check digits, `coercions` the ones
    the field type alone decided (letters where only digits are allowed, and the reverse)."""

    format: MrzFormat
    lines: tuple[str, ...]
    fields: dict[str, str]
    checks: dict[str, bool]
    repairs: tuple[Repair, ...] = ()
    coercions: tuple[Repair, ...] = ()
    confidence: float = 1.0
    confirmed_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    truncated: frozenset[str] = frozenset()  # name fields that filled their zone: maybe cut
    repaired: frozenset[str] = frozenset()  # fields changed by `repairs`

    @property
    def check_digits_ok(self) -> bool:
        return all(self.checks.values())

    @property
    def failed_checks(self) -> tuple[str, ...]:
        return tuple(name for name, ok in self.checks.items() if not ok)

    def confirmed(self, field_name: str) -> bool | None:
        """True when check digits cover the field and all of them pass, False when one of them
        fails, None when no check digit covers it (names and sex in TD1/TD3, for instance)."""
        names = self.confirmed_by.get(field_name, ())
        if not names:
            return None
        return all(self.checks[name] for name in names)

    def to_block(self) -> MrzBlock:
        """The contract's `mrz` object."""
        return MrzBlock(
            format=self.format.value, lines=list(self.lines), check_digits_ok=self.check_digits_ok
        )


def clean_line(text: str) -> str:
    """Upper case, accents dropped, filler look-alikes turned to `<`, anything else removed."""
    folded = unicodedata.normalize("NFKD", text.upper().translate(_FILLER_LOOKALIKES))
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
    rows = [row for row in rows if len(row) >= 20]
    best: MrzReading | None = None
    for window, mrz_format in _windows(rows):
        reading = decode(mrz_format, window, confidence=confidence)
        if reading is not None and (best is None or _rank(reading) > _rank(best)):
            best = reading
    return best


def find_mrz(lines: Sequence[TextLine]) -> MrzReading | None:
    """Find and decode the MRZ among OCR lines (boxes on the same row are joined left to right;
    pages are read separately); None when there is none."""
    best: MrzReading | None = None
    for page in sorted({line.page for line in lines}):
        rows = [
            row
            for row in _rows([line for line in lines if line.page == page])
            if looks_like_mrz("".join(part.text.strip() for part in row))
        ]
        texts = [clean_line("".join(part.text for part in row)) for row in rows]
        for start in range(len(rows)):
            for count in (2, 3):
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


def _windows(rows: list[str]) -> Iterator[tuple[list[str], MrzFormat]]:
    for count, formats in ((2, (MrzFormat.TD3, MrzFormat.FR_1995)), (3, (MrzFormat.TD1,))):
        for start in range(len(rows) - count + 1):
            window = rows[start : start + count]
            for mrz_format in formats:
                width = 44 if mrz_format is MrzFormat.TD3 else 36 if count == 2 else 30
                # OCR often drops a line's trailing fillers: accept lines well short of the width.
                # A line the OCR turned by 180° comes back reversed (`>` for `<`).
                first, prefixes = window[0], _PREFIXES[mrz_format]
                fits = all(width - 20 <= len(row) <= width + 6 for row in window)
                if fits and (first.startswith(prefixes) or first[::-1].startswith(prefixes)):
                    yield window, mrz_format


def _rank(reading: MrzReading) -> tuple[bool, int, int, float]:
    passed = sum(reading.checks.values())
    return reading.check_digits_ok, passed, -len(reading.repairs), reading.confidence


def decode(
    mrz_format: MrzFormat, rows: Sequence[str], *, confidence: float = 1.0
) -> MrzReading | None:
    """Decode rows already known to be of `mrz_format`: fit their lengths, coerce, check,
    repair; None when the rows cannot be that format."""
    widths = {MrzFormat.TD3: (44, 44), MrzFormat.FR_1995: (36, 36), MrzFormat.TD1: (30,) * 3}
    expected = widths[mrz_format]
    if len(rows) != len(expected):
        return None
    fits = [
        list(dict.fromkeys([*_fitted(row, width), *_fitted(row[::-1], width)]))
        for row, width in zip(rows, expected, strict=True)
    ]
    best: tuple[int, Grid, Layout, list[Repair]] | None = None
    for combination in product(*fits):
        grid = [list(row) for row in combination]
        layout = _layout(mrz_format, grid)
        coercions = coerce(grid, layout)
        score = 100 * sum(run_checks(grid, layout).values()) + _shape_score(grid, layout)
        if best is None or score > best[0]:
            best = (score, grid, layout, coercions)
    if best is None:
        return None
    _, grid, layout, coercions = best
    repairs = repair(grid, layout)
    lines = tuple("".join(row) for row in grid)
    return MrzReading(
        format=mrz_format,
        lines=lines,
        fields=_values(mrz_format, lines, layout),
        checks=run_checks(grid, layout),
        repairs=tuple(repairs),
        coercions=tuple(coercions),
        confidence=confidence,
        confirmed_by=_confirmed_by(layout),
        truncated=_truncated(lines, layout),
        repaired=frozenset(_field_at(layout, item.line, item.position) for item in repairs),
    )


def _layout(mrz_format: MrzFormat, grid: Grid) -> Layout:
    if mrz_format is MrzFormat.TD3:
        return TD3
    if mrz_format is MrzFormat.FR_1995:
        return FR_1995
    line = "".join(grid[0])
    # ICAO 9303-5: `<` in the number's check-digit place means the number goes on.
    if line[14] == "<" and line[15] != "<":
        end = line.find("<", 15)
        overflow = (end if end > 0 else 30) - 15
        if 2 <= overflow < 15:
            return td1_layout(overflow)
    return td1_layout()


def _shape_score(grid: Grid, layout: Layout) -> int:
    """How many characters have a shape their field allows (digits in dates…)."""
    score = 3 * "".join(grid[0]).startswith(_PREFIXES[layout.format])
    for item in layout.fields:
        line, start, end = item.span
        text = "".join(grid[line][start:end])
        if item.kind in (Kind.NUMERIC, Kind.CHECK):
            score += sum(char.isdigit() for char in text)
        elif item.kind is Kind.SEX:
            score += text in ("M", "F", "<", "X")
        elif item.kind is Kind.ALPHA:
            score += sum(char.isalpha() for char in text)
        elif item.kind is Kind.NAME:
            score += text.endswith("<") or end - start == len(text.rstrip("<"))
            score += not text.startswith("<")
    return score


def _fitted(row: str, width: int) -> list[str]:
    """Candidate readings of `row` at `width` characters: OCR drops or doubles fillers, so
    pad or shorten the end or one run of fillers."""
    if len(row) == width:
        return [row]
    candidates: list[str] = []
    if len(row) < width:
        missing = width - len(row)
        candidates.append(row + "<" * missing)
        for match in re.finditer(r"<+", row):
            candidates.append(row[: match.end()] + "<" * missing + row[match.end() :])
    else:
        extra = len(row) - width
        if row.endswith("<" * extra):
            candidates.append(row[:width])
        for match in re.finditer(r"<+", row):
            if match.end() - match.start() > extra:
                candidates.append(row[: match.start()] + row[match.start() + extra :])
        candidates.extend([row[:width], row[extra:]])
    return list(dict.fromkeys(candidates))


def _values(mrz_format: MrzFormat, lines: tuple[str, ...], layout: Layout) -> dict[str, str]:
    raw = {
        item.name: lines[item.span[0]][item.span[1] : item.span[2]]
        for item in layout.fields
        if item.kind is not Kind.CHECK
    }
    values = {name: text.replace("<", " ").strip() for name, text in raw.items()}
    values = {name: re.sub(r"\s+", " ", text) for name, text in values.items()}
    if "document_number_overflow" in values:
        values["document_number"] += values.pop("document_number_overflow")
    values["document_number"] = values["document_number"].replace(" ", "")
    if "names" in raw:
        surname, _, given = raw.pop("names").partition("<<")
        values.pop("names")
        values["surname"] = _name(surname)
        values["given_names"] = _name(given)
    else:
        values["surname"] = _name(raw["surname"])
        values["given_names"] = _name(raw["given_names"])
    values["sex"] = {"M": "M", "F": "F"}.get(values["sex"], "X")
    values["birth_date"] = raw["birth_date"]
    if "expiry_date" in raw:
        values["expiry_date"] = raw["expiry_date"]
    return values


def _field_at(layout: Layout, line: int, position: int) -> str:
    """The name of the field at a position (a TD1 long number's tail counts as the number)."""
    for item in layout.fields:
        if item.span[0] == line and item.span[1] <= position < item.span[2]:
            return item.name.removesuffix("_overflow")
    return ""


def _truncated(lines: tuple[str, ...], layout: Layout) -> frozenset[str]:
    """Name fields that may have been cut: full, or holding a name up to one filler short of
    the end (a cut right after a separator looks exactly like padding)."""
    full = {
        item.name
        for item in layout.fields
        if item.kind is Kind.NAME
        and not lines[item.span[0]][item.span[1] : item.span[2]].endswith("<<")
    }
    if "names" in full:
        full |= {"surname", "given_names"}
    return frozenset(full - {"names"})


def _name(text: str) -> str:
    return " ".join(part for part in text.split("<") if part)


def _confirmed_by(layout: Layout) -> dict[str, tuple[str, ...]]:
    covering: dict[str, tuple[str, ...]] = {}
    for check in layout.checks:
        for name in check.fields:
            covering[name] = (*covering.get(name, ()), check.name)
    return covering
