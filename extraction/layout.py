"""Reading printed forms by their labels: the value is the text after a label on the same line,
else the nearest box to its right on the same row, else the box just below it.

Labels are given as compiled patterns matched at the start of a text line or of a word; a line may
hold several labels ("P.1 1598 P.2 85"), and a label's value stops where the next label starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from extraction.text import TextLine


@dataclass(frozen=True, slots=True)
class LabelHit:
    """A label found on a line, with the text that follows it on the same line."""

    key: str
    line: TextLine
    start: int
    end: int
    inline_value: str


@dataclass(frozen=True, slots=True)
class LabelledValue:
    """The text of a label's value and the boxes it came from (several when it wraps)."""

    text: str
    confidence: float
    lines: tuple[TextLine, ...]


def same_row(a: TextLine, b: TextLine) -> bool:
    """True when the boxes overlap vertically over half of the smaller height, the longer line's
    band followed along its slope to the other's middle (a card lying askew in the photo)."""
    shift = _row_shift(a, b)
    overlap = min(a.y1 + shift, b.y1) - max(a.y0 + shift, b.y0)
    return a.page == b.page and overlap > 0.5 * min(a.height, b.height)


def _row_shift(a: TextLine, b: TextLine) -> float:
    """How far `a`'s row lies lower where `b` stands than where `a` is measured, by the slope of
    the longer of the two (a short label's own slope means little)."""
    longer = a if a.x1 - a.x0 >= b.x1 - b.x0 else b
    return longer.slope * (b.center_x - a.center_x)


def find_labels(lines: Iterable[TextLine], labels: Mapping[str, re.Pattern[str]]) -> list[LabelHit]:
    """Every label occurrence, each with the text between it and the next label on its line."""
    hits: list[LabelHit] = []
    for line in lines:
        spans: list[tuple[int, int, str]] = []
        for key, pattern in labels.items():
            for match in pattern.finditer(line.text):
                at_word_start = match.start() == 0 or not line.text[match.start() - 1].isalnum()
                if at_word_start:
                    spans.append((match.start(), match.end(), key))
        spans.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int, str]] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        for index, (start, end, key) in enumerate(kept):
            stop = kept[index + 1][0] if index + 1 < len(kept) else len(line.text)
            value = line.text[end:stop].strip(" :;|")
            hits.append(LabelHit(key, line, start, end, value))
    return hits


def _label_x1(hit: LabelHit) -> float:
    """Where the label ends, estimated from its share of the line's characters."""
    share = hit.end / max(len(hit.line.text), 1)
    return hit.line.x0 + share * (hit.line.x1 - hit.line.x0)


# Detected boxes reach past their letters (DB boxes are unclipped): the box of a value printed
# just right of its code may start this share of a line height (or 0.01 of the page) left of
# where the code's box ends.
BOX_OVERLAP = 0.5


def overlap_allowance(anchor: TextLine) -> float:
    """How far left of `anchor`'s end the box of the text just right of it may start."""
    return max(0.01, BOX_OVERLAP * anchor.height)


def right_of(
    anchor: TextLine, lines: Sequence[TextLine], *, start_x: float, max_gap: float
) -> TextLine | None:
    """The nearest box on the anchor's row starting right of `start_x`, at most `max_gap` away."""
    allowance = overlap_allowance(anchor)
    candidates = [
        line
        for line in lines
        if line is not anchor and same_row(anchor, line) and line.x0 > anchor.x0
        and line.x0 >= start_x - allowance and line.x0 - start_x <= max_gap
    ]  # fmt: skip
    return min(candidates, key=lambda line: line.x0) if candidates else None


def below(
    anchor: TextLine, lines: Sequence[TextLine], *, x0: float, max_lines: float = 1.6
) -> TextLine | None:
    """The nearest box under `anchor` whose left edge is near `x0` (within one line height),
    heights compared where the box stands along the anchor's row (it may run askew)."""
    tolerance = max(anchor.height * 1.5, 0.02)
    candidates = [
        line
        for line in lines
        if line is not anchor and line.page == anchor.page
        and line.y0 >= anchor.center_y + _row_shift(anchor, line)
        and line.y0 - anchor.y1 - _row_shift(anchor, line) <= max_lines * anchor.height
        and abs(line.x0 - x0) <= tolerance
    ]  # fmt: skip
    return (
        min(candidates, key=lambda line: line.y0 - _row_shift(anchor, line)) if candidates else None
    )


def read_value(
    hit: LabelHit,
    lines: Sequence[TextLine],
    excluded: set[int],
    *,
    max_gap: float = 0.25,
    look_below: bool = False,
    wrap: int = 0,
    continues: Callable[[str, str], bool] | None = None,
) -> LabelledValue | None:
    """The value of a label: inline text, else the box to its right, else (with `look_below`)
    the box under it. Boxes whose id is in `excluded` (labels, values already taken) are never
    used. Up to `wrap` lines below are joined while `continues(text_so_far, next_text)` agrees."""
    free = [line for line in lines if id(line) not in excluded]
    if hit.inline_value:
        text, confidence, first = hit.inline_value, hit.line.confidence, hit.line
        value_x0 = _label_x1(hit)
    else:
        neighbour = right_of(hit.line, free, start_x=hit.line.x1, max_gap=max_gap)
        if neighbour is None and look_below:
            neighbour = below(hit.line, free, x0=hit.line.x0)
        if neighbour is None:
            return None
        text, confidence, first = neighbour.text.strip(), neighbour.confidence, neighbour
        value_x0 = neighbour.x0
    used = [first]
    for _ in range(wrap):
        following = below(used[-1], free, x0=value_x0, max_lines=0.9)
        if following is None or following in used:
            break
        if continues is not None and not continues(text, following.text.strip()):
            break
        used.append(following)
        text = f"{text} {following.text.strip()}"
        confidence = min(confidence, following.confidence)
    return LabelledValue(text.strip(), confidence, tuple(used))


def pair_with_values(
    hits: Sequence[LabelHit], lines: Sequence[TextLine], excluded: set[int], *, max_gap: float
) -> dict[int, TextLine]:
    """For labels without inline text, the box to the right of each, chosen jointly: the
    best-aligned (label, box) pairs are taken first, so a slightly tilted photo cannot give one
    box to two labels. Keys are indexes into `hits`."""
    pairs: list[tuple[float, int, int]] = []
    for index, hit in enumerate(hits):
        if hit.inline_value:
            continue
        for position, line in enumerate(lines):
            if id(line) in excluded or not same_row(hit.line, line):
                continue
            if line.x0 <= hit.line.x0 or line.x0 < hit.line.x1 - overlap_allowance(hit.line):
                continue
            if line.x0 - hit.line.x1 > max_gap:
                continue
            offset = line.center_y - hit.line.center_y - _row_shift(hit.line, line)
            misalignment = abs(offset) / max(hit.line.height, 1e-6)
            pairs.append((misalignment, index, position))
    chosen: dict[int, TextLine] = {}
    used: set[int] = set()
    for _, index, position in sorted(pairs):
        if index not in chosen and position not in used:
            chosen[index] = lines[position]
            used.add(position)
    return chosen
