"""Decoding MRZ lines of a known format: fit their lengths, coerce by field type, verify the
check digits, repair look-alikes (`extraction.mrz_repair`), and read every field.

A line cut short by the photo or the OCR is still read: what it holds is decoded and checked,
the fields and check digits on its lost end are left out (`MrzReading.complete` is False).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import product

from extraction.models import MrzBlock
from extraction.mrz_formats import (
    DIGIT_FOR_LETTER,
    FR_1995,
    TD3,
    Kind,
    Layout,
    MrzFormat,
    td1_layout,
)
from extraction.mrz_repair import Grid, Repair, coerce, repair, run_checks

PREFIXES = {MrzFormat.TD3: ("P",), MrzFormat.TD1: ("I", "A", "C"), MrzFormat.FR_1995: ("ID",)}
# The French 1995 card's document code and issuing state are always printed `IDFRA`.
FIXED_TEXT = {MrzFormat.FR_1995: "IDFRA"}
WIDTHS = {MrzFormat.TD3: (44, 44), MrzFormat.FR_1995: (36, 36), MrzFormat.TD1: (30, 30, 30)}
# OCR drops trailing fillers: up to this many missing characters, a line is padded with
# fillers; beyond, it was cut and its end is unknown.
_MAX_DROPPED = 20
_UNREAD = "?"


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
    complete: bool = True  # False when a line was cut short: the checks it held were not run

    @property
    def check_digits_ok(self) -> bool:
        """Every check digit of the zone was verified and passed."""
        return self.complete and all(self.checks.values())

    @property
    def failed_checks(self) -> tuple[str, ...]:
        """The names of the check digits that did not match."""
        return tuple(name for name, ok in self.checks.items() if not ok)

    def confirmed(self, field_name: str) -> bool | None:
        """True when check digits cover the field and all of them pass, False when one of them
        fails, None when no check digit that could be run covers it (names and sex in TD1/TD3,
        for instance, or a field whose check digit was on a lost part of a line). Also None
        when only the composite fails and another field's own check digit fails too: the
        composite's failure is that field's, and cannot tell about this one."""
        names = [name for name in self.confirmed_by.get(field_name, ()) if name in self.checks]
        if not names:
            return None
        if all(self.checks[name] for name in names):
            return True
        own_failed = [name for name in names if not self.checks[name] and name != "composite"]
        failed_elsewhere = any(
            not ok and name != "composite" and name not in names for name, ok in self.checks.items()
        )
        return None if not own_failed and failed_elsewhere else False

    def to_block(self) -> MrzBlock:
        """The contract's `mrz` object."""
        return MrzBlock(
            format=self.format.value,
            lines=[line for line in self.lines if line],  # a lost first line leaves nothing
            check_digits_ok=self.check_digits_ok,
        )


def decode(
    mrz_format: MrzFormat, rows: Sequence[str], *, confidence: float = 1.0
) -> MrzReading | None:
    """Decode rows already known to be of `mrz_format`: fit their lengths, coerce, check,
    repair; None when the rows cannot be that format."""
    expected = WIDTHS[mrz_format]
    if len(rows) != len(expected):
        return None
    fits = [
        [row + _UNREAD * (width - len(row))]
        if len(row) < width - _MAX_DROPPED
        else list(dict.fromkeys([*_fitted(row, width), *_fitted(row[::-1], width)]))
        for row, width in zip(rows, expected, strict=True)
    ]
    best: tuple[int, Grid, Layout, list[Repair]] | None = None
    for combination in product(*fits):
        grid = [list(row) for row in combination]
        layout = _readable(_layout(mrz_format, grid), grid)
        coercions = _restore_fixed_text(mrz_format, grid) + coerce(grid, layout)
        score = 100 * _telling_passes(grid, layout) + _shape_score(grid, layout)
        if best is None or score > best[0]:
            best = (score, grid, layout, coercions)
    if best is None:
        return None
    _, grid, layout, coercions = best
    repairs = repair(grid, layout)
    lines = tuple("".join(row) for row in grid)
    complete = _UNREAD not in "".join(lines)
    return MrzReading(
        format=mrz_format,
        lines=tuple(line.rstrip(_UNREAD) for line in lines),
        fields=_values(mrz_format, lines, layout),
        checks=run_checks(grid, layout),
        repairs=tuple(repairs),
        coercions=tuple(coercions),
        confidence=confidence,
        confirmed_by=_confirmed_by(layout),
        truncated=_truncated(lines, layout),
        repaired=frozenset(_field_at(layout, item.line, item.position) for item in repairs),
        complete=complete,
    )


def starts_with_fixed_text(mrz_format: MrzFormat, row: str) -> bool:
    """True when `row` begins with the format's fixed text, allowing OCR look-alikes (`10FRA`
    for `IDFRA`)."""
    fixed = FIXED_TEXT.get(mrz_format)
    return fixed is not None and len(row) >= len(fixed) and _fixed_text_slips(row, fixed) <= 2


def _fixed_text_slips(row: str, fixed: str) -> int:
    """Characters of `fixed` misread in `row` as a look-alike; 99 when one is not a look-alike."""
    slips = 0
    for read, expected in zip(row, fixed, strict=False):
        if read == expected:
            continue
        if not _look_alike(read, expected):
            return 99
        slips += 1
    return slips


def _look_alike(read: str, expected: str) -> bool:
    """`read` is a character OCR takes `expected` for (`0` or `O` for `D`, `1` for `I`)."""
    digit = DIGIT_FOR_LETTER.get(expected)
    return digit is not None and DIGIT_FOR_LETTER.get(read, read) == digit


def _restore_fixed_text(mrz_format: MrzFormat, grid: Grid) -> list[Repair]:
    """Put back the format's fixed text where OCR read look-alikes (the composite check digit
    covers it, so a wrong guess would still be caught)."""
    fixed = FIXED_TEXT.get(mrz_format)
    row = "".join(grid[0])
    if fixed is None or not starts_with_fixed_text(mrz_format, row):
        return []
    changes = [
        Repair(0, position, read, expected)
        for position, (read, expected) in enumerate(zip(row, fixed, strict=False))
        if read != expected
    ]
    for item in changes:
        grid[0][item.position] = item.fixed
    return changes


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


def _readable(layout: Layout, grid: Grid) -> Layout:
    """The layout without the fields and checks that reach into a lost end of a line."""

    def seen(line: int, start: int, end: int) -> bool:
        return _UNREAD not in grid[line][start:end]

    fields = tuple(item for item in layout.fields if seen(*item.span))
    checks = tuple(
        check
        for check in layout.checks
        if seen(*check.digit) and all(seen(*span) for span in check.data)
    )
    return replace(layout, fields=fields, checks=checks)


def _telling_passes(grid: Grid, layout: Layout) -> int:
    """Checks that pass over data holding more than fillers: an empty field passes its check
    whatever the line says (a line read backwards puts a run of fillers there)."""
    checks = run_checks(grid, layout)
    return sum(
        checks[check.name]
        for check in layout.checks
        if any(grid[line][start:end].count("<") < end - start for line, start, end in check.data)
    )


def _shape_score(grid: Grid, layout: Layout) -> int:
    """How many characters have a shape their field allows (digits in dates…)."""
    score = 3 * "".join(grid[0]).startswith(PREFIXES[layout.format])
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
    if "document_number" in values:
        values["document_number"] = values["document_number"].replace(" ", "")
    if "names" in raw:
        surname, _, given = raw.pop("names").partition("<<")
        values.pop("names")
        values["surname"] = _name(surname)
        values["given_names"] = _name(given)
    for name in ("surname", "given_names"):
        if name in raw:
            values[name] = _name(raw[name])
    if "sex" in values:
        values["sex"] = {"M": "M", "F": "F"}.get(values["sex"], "X")
    for name in ("birth_date", "expiry_date"):
        if name in raw:
            values[name] = raw[name]
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
