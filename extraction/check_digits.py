"""ICAO 9303 Part 3 §4.9 check digits (weights 7-3-1), used by the MRZ and the SIV zone."""

from __future__ import annotations

_WEIGHTS = (7, 3, 1)


def char_value(char: str) -> int:
    """0-9 → 0-9, A-Z → 10-35, the filler `<` → 0 (ICAO 9303-3 §4.9)."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(data: str) -> str:
    """The check digit of `data` as a one-character string."""
    total = sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data))
    return str(total % 10)


def is_valid(data: str, digit: str) -> bool:
    """True when `digit` is the check digit of `data` (`<` counts as 0 where ICAO allows it)."""
    try:
        return check_digit(data) == ("0" if digit == "<" else digit)
    except ValueError:
        return False
