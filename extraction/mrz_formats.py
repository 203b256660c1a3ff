"""Layouts of the machine-readable zones we read: where each field and check digit sits.

ICAO 9303 Part 5 (TD1, 3×30), Part 4 (TD3, 2×44), and the French 1995 identity card's 2×36
pair (see the project brief: its composite covers line 1 and the first 35 characters of line 2).
Positions are 0-based `(line, start, end)` slices, end excluded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MrzFormat(StrEnum):
    TD1 = "TD1"
    TD3 = "TD3"
    FR_1995 = "FR_1995"


class Kind(StrEnum):
    """What a field may hold; it decides which OCR confusions can be fixed there, and how."""

    NUMERIC = "numeric"  # digits (and `<` for an unknown date part): letters are coerced
    ALPHA = "alpha"  # letters and fillers (codes, names): digits are coerced to letters
    NAME = "name"  # like ALPHA, with the name's padding rules
    ALNUM = "alnum"  # letters, digits, fillers: only check digits can settle a confusion
    SEX = "sex"
    CHECK = "check"  # one check digit (or `<` over an empty field)


Span = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class FieldSpan:
    name: str
    span: Span
    kind: Kind


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A check digit at `digit` over the concatenation of `data` spans; `fields` it confirms."""

    name: str
    data: tuple[Span, ...]
    digit: Span
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    format: MrzFormat
    widths: tuple[int, ...]
    fields: tuple[FieldSpan, ...]
    checks: tuple[CheckSpec, ...]

    def field(self, name: str) -> FieldSpan:
        """The field called `name`."""
        return next(item for item in self.fields if item.name == name)


def _field(name: str, line: int, start: int, end: int, kind: Kind) -> FieldSpan:
    return FieldSpan(name, (line, start, end), kind)


def _check_digit(name: str, line: int, position: int) -> FieldSpan:
    return FieldSpan(f"{name}_check", (line, position, position + 1), Kind.CHECK)


TD3 = Layout(
    MrzFormat.TD3,
    (44, 44),
    (
        _field("document_code", 0, 0, 2, Kind.ALPHA),
        _field("issuing_state", 0, 2, 5, Kind.ALPHA),
        _field("names", 0, 5, 44, Kind.NAME),
        _field("document_number", 1, 0, 9, Kind.ALNUM),
        _check_digit("document_number", 1, 9),
        _field("nationality", 1, 10, 13, Kind.ALPHA),
        _field("birth_date", 1, 13, 19, Kind.NUMERIC),
        _check_digit("birth_date", 1, 19),
        _field("sex", 1, 20, 21, Kind.SEX),
        _field("expiry_date", 1, 21, 27, Kind.NUMERIC),
        _check_digit("expiry_date", 1, 27),
        _field("personal_number", 1, 28, 42, Kind.ALNUM),
        _check_digit("personal_number", 1, 42),
        _check_digit("composite", 1, 43),
    ),
    (
        CheckSpec("document_number", ((1, 0, 9),), (1, 9, 10), ("document_number",)),
        CheckSpec("birth_date", ((1, 13, 19),), (1, 19, 20), ("birth_date",)),
        CheckSpec("expiry_date", ((1, 21, 27),), (1, 27, 28), ("expiry_date",)),
        CheckSpec("personal_number", ((1, 28, 42),), (1, 42, 43), ("personal_number",)),
        CheckSpec(
            "composite",
            ((1, 0, 10), (1, 13, 20), (1, 21, 43)),
            (1, 43, 44),
            ("document_number", "birth_date", "expiry_date", "personal_number"),
        ),
    ),
)


def td1_layout(number_overflow: int = 0) -> Layout:
    """TD1; a document number longer than 9 characters continues in the optional data with
    its check digit after it, and `<` in the usual check-digit place (ICAO 9303-5 §4.2.4)."""
    number_fields: tuple[FieldSpan, ...]
    if number_overflow:
        end = 15 + number_overflow
        number_fields = (
            _field("document_number", 0, 5, 14, Kind.ALNUM),
            _field("number_filler", 0, 14, 15, Kind.CHECK),
            _field("document_number_overflow", 0, 15, end - 1, Kind.ALNUM),
            _check_digit("document_number", 0, end - 1),
            _field("optional_data", 0, end, 30, Kind.ALNUM),
        )
        number_check = CheckSpec(
            "document_number",
            ((0, 5, 14), (0, 15, end - 1)),
            (0, end - 1, end),
            ("document_number",),
        )
    else:
        number_fields = (
            _field("document_number", 0, 5, 14, Kind.ALNUM),
            _check_digit("document_number", 0, 14),
            _field("optional_data", 0, 15, 30, Kind.ALNUM),
        )
        number_check = CheckSpec(
            "document_number", ((0, 5, 14),), (0, 14, 15), ("document_number",)
        )
    return Layout(
        MrzFormat.TD1,
        (30, 30, 30),
        (
            _field("document_code", 0, 0, 2, Kind.ALPHA),
            _field("issuing_state", 0, 2, 5, Kind.ALPHA),
            *number_fields,
            _field("birth_date", 1, 0, 6, Kind.NUMERIC),
            _check_digit("birth_date", 1, 6),
            _field("sex", 1, 7, 8, Kind.SEX),
            _field("expiry_date", 1, 8, 14, Kind.NUMERIC),
            _check_digit("expiry_date", 1, 14),
            _field("nationality", 1, 15, 18, Kind.ALPHA),
            _field("optional_data_2", 1, 18, 29, Kind.ALNUM),
            _check_digit("composite", 1, 29),
            _field("names", 2, 0, 30, Kind.NAME),
        ),
        (
            number_check,
            CheckSpec("birth_date", ((1, 0, 6),), (1, 6, 7), ("birth_date",)),
            CheckSpec("expiry_date", ((1, 8, 14),), (1, 14, 15), ("expiry_date",)),
            CheckSpec(
                "composite",
                ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
                (1, 29, 30),
                ("document_number", "birth_date", "expiry_date", "optional_data"),
            ),
        ),
    )


TD1 = td1_layout()

FR_1995 = Layout(
    MrzFormat.FR_1995,
    (36, 36),
    (
        _field("document_code", 0, 0, 2, Kind.ALPHA),
        _field("issuing_state", 0, 2, 5, Kind.ALPHA),
        _field("surname", 0, 5, 30, Kind.NAME),
        _field("office_code", 0, 30, 36, Kind.ALNUM),
        _field("document_number", 1, 0, 12, Kind.NUMERIC),
        _check_digit("document_number", 1, 12),
        _field("given_names", 1, 13, 27, Kind.NAME),
        _field("birth_date", 1, 27, 33, Kind.NUMERIC),
        _check_digit("birth_date", 1, 33),
        _field("sex", 1, 34, 35, Kind.SEX),
        _check_digit("composite", 1, 35),
    ),
    (
        CheckSpec("document_number", ((1, 0, 12),), (1, 12, 13), ("document_number",)),
        CheckSpec("birth_date", ((1, 27, 33),), (1, 33, 34), ("birth_date",)),
        CheckSpec(
            "composite",
            ((0, 0, 36), (1, 0, 35)),
            (1, 35, 36),
            (
                "document_number",
                "birth_date",
                "surname",
                "given_names",
                "sex",
                "office_code",
                "issuing_state",
            ),
        ),
    ),
)

LAYOUTS: dict[MrzFormat, Layout] = {
    MrzFormat.TD1: TD1,
    MrzFormat.TD3: TD3,
    MrzFormat.FR_1995: FR_1995,
}

# OCR confusions between a letter and a digit (ICAO OCR-B glyphs look alike).
LETTER_FOR_DIGIT = {"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G"}
DIGIT_FOR_LETTER = {
    **{letter: digit for digit, letter in LETTER_FOR_DIGIT.items()},
    "Q": "0",
    "D": "0",
    "U": "0",
    "L": "1",
    "T": "1",
}
# In alphanumeric fields a character may stand for its look-alikes; only check digits decide.
LOOK_ALIKES: dict[str, tuple[str, ...]] = {
    **{digit: (letter,) for digit, letter in LETTER_FOR_DIGIT.items()},
    **{letter: (digit,) for digit, letter in LETTER_FOR_DIGIT.items()},
    "<": ("K", "C"),
    "K": ("<",),
    "C": ("<",),
}
