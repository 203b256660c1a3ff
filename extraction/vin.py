"""Vehicle identification numbers (ISO 3779): 17 characters, never I, O or Q.

The position-9 check digit (weights 8-7-6-5-4-3-2-10-0-9-8-7-6-5-4-3-2, modulo 11, 10 → `X`) is
mandatory only in North America (49 CFR 565.15); European makers often put a letter or a digit
that does not match, so a failing check digit is doubtful, never invalid.
"""

from __future__ import annotations

import re

VIN_LENGTH = 17
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# ISO 3779 transliteration: letters take the value of their position, skipping I, O, Q.
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
# I, O and Q never appear in a VIN: when OCR reads them, the printed character was 1, 0 or 0.
_OCR_REPAIRS = str.maketrans({"I": "1", "O": "0", "Q": "0"})


def clean_vin(text: str) -> tuple[str, int]:
    """Upper-case `text` without spaces or dashes and with I/O/Q turned into 1/0/0; also returns
    how many characters that repair changed (a sign of a doubtful reading)."""
    compact = re.sub(r"[\s\-.:]", "", text.upper())
    repaired = compact.translate(_OCR_REPAIRS)
    changed = sum(a != b for a, b in zip(compact, repaired, strict=True))
    return repaired, changed


def is_well_formed(vin: str) -> bool:
    """True for 17 characters from the VIN alphabet (digits and letters except I, O, Q)."""
    return _VIN.fullmatch(vin) is not None


def ends_in_serial(vin: str) -> bool:
    """Whether the VIN ends in a serial number as ISO 3779 has it: its last three characters
    are digits for every maker (four for those making 500 vehicles a year or more). Words run
    together (`UN1TA1REC0NTRATAY` from a letter) do not."""
    return vin[-3:].isdigit()


def check_digit(vin: str) -> str:
    """The position-9 check digit of a well-formed VIN (`0`-`9` or `X`)."""
    total = sum(_VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_digit_ok(vin: str) -> bool:
    """True when position 9 of a well-formed VIN holds its check digit."""
    return is_well_formed(vin) and vin[8] == check_digit(vin)
