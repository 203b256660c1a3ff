"""Turning printed text into contract values: integers, decimals, upper-case names, dates.

Each reader returns the value and how sure it is (the OCR confidence, lowered when the text had
to be repaired from a look-alike character), so a guess never passes for a sure reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from extraction.dates import parse_printed_date
from extraction.layout import LabelHit, pair_with_values
from extraction.models import FieldResult, FieldStatus, Source
from extraction.text import TextLine

# A value rebuilt from look-alike characters (`O` read for `0`…) loses this much confidence.
REPAIR_PENALTY = 0.1
DIGIT_LOOK_ALIKES = str.maketrans("OoDQIl|SsBZG", "000011155826")


@dataclass(frozen=True, slots=True)
class Read:
    """A normalised value and the confidence it deserves."""

    value: str | int
    confidence: float


def field_result(read: Read | None, source: Source = Source.OCR) -> FieldResult:
    """A contract field for a reading (missing when there is none); rules set the status later."""
    if read is None:
        return FieldResult()
    return FieldResult(
        value=read.value,
        confidence=round(max(0.0, min(1.0, read.confidence)), 3),
        status=FieldStatus.VALID,
        source=source,
    )


def read_int(text: str, confidence: float, *, max_digits: int = 6) -> Read | None:
    """The integer in `text` (`1 598`, `1598 cm3`, `85 kW`); `O` or `l` read for digits count as
    repairs."""
    digit = "[0-9OoDQIl|SsBZG]"
    match = re.search(
        rf"(?<![\w.,])({digit}(?:[ \u202f]?{digit}){{0,{max_digits - 1}}})(?!\d)", text
    )
    if not match:
        return None
    raw = match.group(1).replace(" ", "").replace("\u202f", "")
    digits = raw.translate(DIGIT_LOOK_ALIKES)
    if not digits.isdigit() or not any(c.isdigit() for c in raw):
        return None
    repairs = sum(a != b for a, b in zip(raw, digits, strict=True))
    return Read(int(digits), confidence - REPAIR_PENALTY * repairs)


def read_decimal(text: str, confidence: float) -> Read | None:
    """A euro amount as a decimal string with two places (`233,56 €` → `"233.56"`)."""
    match = re.search(r"(\d[\d \u202f]*)[.,](\d{2})(?!\d)", text)
    if match:
        whole = match.group(1).replace(" ", "").replace("\u202f", "")
        return Read(f"{int(whole)}.{match.group(2)}", confidence)
    whole_only = re.search(r"(?<![\d.,])(\d+)(?![\d.,])", text)
    if whole_only:
        return Read(f"{int(whole_only.group(1))}.00", confidence - REPAIR_PENALTY)
    return None


def read_date(text: str, confidence: float, *, year_first: bool | None = None) -> Read | None:
    """A printed date as ISO 8601 (`12/03/2019` → `2019-03-12`)."""
    repaired = re.sub(r"(?<=\d)[Oo](?=\d|/|\.)|(?<=/)[Oo]|[Oo](?=\d)", "0", text)
    parsed = parse_printed_date(repaired, year_first=year_first)
    if parsed is None:
        return None
    penalty = REPAIR_PENALTY if repaired != text else 0.0
    return Read(parsed.isoformat(), confidence - penalty)


def read_text(text: str, confidence: float) -> Read | None:
    """Free text (a name, an address, a make) in upper case with single spaces, accents kept."""
    cleaned = " ".join(text.replace("|", " ").strip(" :;,.-_").split()).upper()
    return Read(cleaned, confidence) if cleaned else None


Parser = Callable[[str, float], "Read | None"]

# What a value the document does not vouch for (deduced, or found by its shape or position
# instead of by its label) is worth at most: below `rules.LOW_CONFIDENCE`, so never valid.
GUESS_CONFIDENCE = 0.6
# Label and value boxes this far apart vertically (in label heights) mean the rows do not line
# up (a skewed photo): a box on the right may then belong to the row above or below.
SKEWED_ROWS = 0.35


def in_prose(hit: LabelHit) -> bool:
    """A label word in lower case after other words is running text (a letter or an invoice
    lying beside the document), not one of the form's capitalised labels."""
    first = hit.line.text[hit.start : hit.start + 1]
    before = hit.line.text[: hit.start]
    return first.islower() and any(char.isalpha() for char in before)


# Pairs OCR confuses in codes made of random letters and digits (I, O and Q are never used
# there, ANTS): in a code with no check digit, nothing tells which one was printed.
_CODE_LOOK_ALIKES = frozenset("8B5S2Z6G")


def has_code_look_alikes(code: str) -> bool:
    """True when an unchecked code holds a character OCR takes for another (`B` read `8`)."""
    return any(char in _CODE_LOOK_ALIKES for char in code)


def guess(read: Read) -> Read:
    """The same value, capped at a guess's confidence."""
    return Read(read.value, min(read.confidence, GUESS_CONFIDENCE))


def read_labelled(
    hits: Sequence[LabelHit],
    lines: Sequence[TextLine],
    parsers: Mapping[str, Parser],
    *,
    max_gap: float = 0.25,
) -> dict[str, Read]:
    """The parsed value of each label (the first that parses wins for a key): its inline text,
    else the box paired with it on its right (see `layout.pair_with_values`). When the rows do
    not line up, the paired boxes are only guesses: each may be its neighbour row's value."""
    hits = [hit for hit in hits if not in_prose(hit)]
    excluded = {id(hit.line) for hit in hits}
    bare = [replace(hit, inline_value="") for hit in hits]
    paired = pair_with_values(bare, lines, excluded, max_gap=max_gap)
    skewed = any(
        abs(value.center_y - hits[index].line.center_y) > SKEWED_ROWS * hits[index].line.height
        for index, value in paired.items()
    )
    found: dict[str, Read] = {}
    for index, hit in enumerate(hits):
        if hit.key in found or hit.key not in parsers:
            continue
        parse = parsers[hit.key]
        texts = [(hit.inline_value, hit.line.confidence, False)] if hit.inline_value else []
        if index in paired:
            texts.append((paired[index].text.strip(), paired[index].confidence, skewed))
        for text, confidence, doubtful in texts:
            if (parsed := parse(text, confidence)) is not None:
                found[hit.key] = guess(parsed) if doubtful else parsed
                break
    return found
