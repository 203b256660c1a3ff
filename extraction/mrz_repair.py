"""Fixing OCR look-alikes in an MRZ: outright where the field type allows one reading only,
and through check digits elsewhere, only when a single smallest set of swaps makes every check
pass (several equally small candidates: no repair, the failing checks are reported)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

from extraction.check_digits import is_valid
from extraction.mrz_formats import (
    DIGIT_FOR_LETTER,
    LETTER_FOR_DIGIT,
    LOOK_ALIKES,
    CheckSpec,
    Kind,
    Layout,
    Span,
)

# Beyond this many look-alike positions under one check, a single digit cannot single one out.
_MAX_AMBIGUOUS = 10
_MAX_COMBINATIONS = 50_000
# In a name field, three fillers start the padding; in other fields, two do (ICAO 9303-3 §4.6).
_NAME_PADDING = re.compile(r"<<<[<KC]*$")
_FIELD_PADDING = re.compile(r"<<[<KC]*$")

Grid = list[list[str]]
Position = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Repair:
    """One character changed: where (line, position) and from what to what."""

    line: int
    position: int
    read: str
    fixed: str


def coerce(grid: Grid, layout: Layout) -> list[Repair]:
    """Fix what the field type leaves no doubt about: letters in numeric fields and check
    digits become digits, digits in code and name fields become letters, and filler look-alikes
    in a field's padding become fillers. Not a guess: no other reading is possible there."""
    changes: list[Repair] = []
    for item in layout.fields:
        line, start, end = item.span
        for position in range(start, end):
            char = grid[line][position]
            fixed = _coerced(char, item.kind)
            if fixed != char:
                changes.append(Repair(line, position, char, fixed))
                grid[line][position] = fixed
        if item.kind in (Kind.NAME, Kind.ALNUM):
            text = "".join(grid[line][start:end])
            pattern = _NAME_PADDING if item.kind is Kind.NAME else _FIELD_PADDING
            match = pattern.search(text)
            for offset in range(match.start(), len(text)) if match else ():
                if text[offset] != "<":
                    changes.append(Repair(line, start + offset, text[offset], "<"))
                    grid[line][start + offset] = "<"
    return changes


def _coerced(char: str, kind: Kind) -> str:
    if kind in (Kind.NUMERIC, Kind.CHECK):
        return DIGIT_FOR_LETTER.get(char, char)
    if kind in (Kind.ALPHA, Kind.NAME):
        return LETTER_FOR_DIGIT.get(char, char)
    return char


def check_passes(grid: Grid, check: CheckSpec) -> bool:
    """True when the check digit matches its data in `grid`."""
    data = "".join("".join(grid[line][start:end]) for line, start, end in check.data)
    line, start, _ = check.digit
    return is_valid(data, grid[line][start])


def run_checks(grid: Grid, layout: Layout) -> dict[str, bool]:
    """Every check of the layout, by name."""
    return {check.name: check_passes(grid, check) for check in layout.checks}


def repair(grid: Grid, layout: Layout) -> list[Repair]:
    """Apply the combination of look-alike swaps that makes every check pass with the fewest
    swaps, if exactly one does; otherwise leave `grid` untouched and return no repair."""
    if all(run_checks(grid, layout).values()):
        return []
    kinds = _kinds(layout)
    field_checks = [check for check in layout.checks if check.name != "composite"]
    composite = next((check for check in layout.checks if check.name == "composite"), None)
    options: list[list[dict[Position, str]]] = []
    for check in field_checks:
        candidates = [{}] if check_passes(grid, check) else _passing_swaps(grid, check, kinds)
        if not candidates:
            return []
        options.append(candidates)
    if composite is not None:
        covered = {pos for check in field_checks for pos in _positions(check.data)}
        composite_only = [pos for pos in _positions(composite.data) if pos not in covered]
        options.append(list(_swaps(grid, _ambiguous(grid, composite_only, kinds))))
    solutions: list[dict[Position, str]] = []
    total = 1
    for option in options:
        total *= len(option)
    if total > _MAX_COMBINATIONS:
        return []
    for combination in product(*options):
        merged = {pos: char for swap in combination for pos, char in swap.items()}
        if all(check_passes(_applied(grid, merged), check) for check in layout.checks):
            solutions.append(merged)
    # OCR rarely makes two slips in one field: among passing combinations the one with the
    # fewest swaps is taken, and only when no other has as few.
    fewest = min((len(solution) for solution in solutions), default=0)
    best = [solution for solution in solutions if len(solution) == fewest]
    if len(best) != 1:
        return []
    repairs = [Repair(line, pos, grid[line][pos], char) for (line, pos), char in best[0].items()]
    for item in repairs:
        grid[item.line][item.position] = item.fixed
    return sorted(repairs, key=lambda item: (item.line, item.position))


def _kinds(layout: Layout) -> dict[Position, Kind]:
    kinds: dict[Position, Kind] = {}
    for item in layout.fields:
        line, start, end = item.span
        for position in range(start, end):
            kinds[(line, position)] = item.kind
    return kinds


def _positions(spans: tuple[Span, ...]) -> list[Position]:
    return [(line, position) for line, start, end in spans for position in range(start, end)]


def _ambiguous(
    grid: Grid, positions: list[Position], kinds: dict[Position, Kind]
) -> list[Position]:
    """Positions whose character has look-alikes the field type allows."""
    found = []
    for line, position in positions:
        char, kind = grid[line][position], kinds.get((line, position))
        if (kind is Kind.ALNUM and char in LOOK_ALIKES) or (
            kind is Kind.NAME and char in "KC" and _next_to_filler(grid[line], position)
        ):
            found.append((line, position))
    return found


def _next_to_filler(line: list[str], position: int) -> bool:
    before = position > 0 and line[position - 1] == "<"
    after = position + 1 < len(line) and line[position + 1] == "<"
    return before or after


def _swaps(grid: Grid, positions: list[Position]) -> Iterator[dict[Position, str]]:
    """Every combination of look-alikes at `positions` (the unchanged reading first)."""
    if len(positions) > _MAX_AMBIGUOUS:
        yield {}
        return
    choices = [(grid[line][pos], *_alternatives(grid[line][pos])) for line, pos in positions]
    for chosen in product(*choices):
        yield {
            (line, pos): char
            for (line, pos), char in zip(positions, chosen, strict=True)
            if char != grid[line][pos]
        }


def _alternatives(char: str) -> tuple[str, ...]:
    return LOOK_ALIKES.get(char, ())


def _passing_swaps(
    grid: Grid, check: CheckSpec, kinds: dict[Position, Kind]
) -> list[dict[Position, str]]:
    positions = _ambiguous(grid, _positions(check.data), kinds)
    if len(positions) > _MAX_AMBIGUOUS:
        return []
    passing = []
    for swap in _swaps(grid, positions):
        if swap and check_passes(_applied(grid, swap), check):
            passing.append(swap)
    return passing


def _applied(grid: Grid, swap: dict[Position, str]) -> Grid:
    trial = [list(line) for line in grid]
    for (line, position), char in swap.items():
        trial[line][position] = char
    return trial
