"""Registration plates: French SIV and FNI numbers, and Tunisian numbers, read and normalised.

French rules (arrêté du 9 février 2009, annexe 1; ANTS): SIV numbers `AB-123-CD` never use the
letters I, O, U nor the digits `000`; `SS` is never issued; `WW` in the left block is a provisional
number; `W` garage numbers read `W-123-AB`. Old FNI numbers read `123 ABC 75` (1–4 digits, 1–3
letters, a department `01`–`95`, `2A`/`2B` or `971`–`976`). Tunisian numbers read `123 TU 4567`
(`تونس` printed in Arabic is normalised to `TU`), `RS 123456` for the régime suspensif.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class PlateKind(StrEnum):
    """Which numbering a plate belongs to (rules differ per kind)."""

    SIV = "siv"
    SIV_PROVISIONAL = "siv_provisional"
    GARAGE = "garage"
    FNI = "fni"
    TN = "tn"
    TN_SUSPENDED = "tn_rs"
    TN_STATE = "tn_state"


@dataclass(frozen=True, slots=True)
class Plate:
    """A plate number as printed, normalised; `problem` is a finding code when a rule fails;
    `repaired` counts characters changed from an OCR look-alike (`O` in a digit place…)."""

    value: str
    kind: PlateKind
    problem: str | None = None
    repaired: int = 0


_TO_DIGIT = str.maketrans("ODQILZSBGT", "0001125867")
_TO_LETTER = str.maketrans("0125867", "OIZSBGT")
_SIV_FORBIDDEN_LETTERS = set("IOU")
_DEPARTMENT = r"(?:0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5]|2A|2B|97[1-6])"
_FNI = re.compile(rf"(\d{{1,4}})\s*-?\s*([A-Z]{{1,3}})\s*-?\s*({_DEPARTMENT})")
_TN_WORD = r"(?:TU|TN|تونس)"
# The Arabic copy may follow the Latin plate glued to it (`105 TU 6827105 6827`).
_TN = re.compile(rf"(?<!\d)(\d{{1,3}})\s*{_TN_WORD}\s*(\d{{1,4}})(?:(?!\d)|(?=\1\s*\2(?!\d)))")
_TN_REVERSED = re.compile(r"(?<!\d)(\d{1,4})\s*تونس\s*(\d{1,3})(?!\d)")
_TN_SUSPENDED = re.compile(r"\b(?:RS|ن\s*ت)\s*[-.]?\s*(\d{1,6})(?!\d)")
_TN_STATE = re.compile(r"(?<!\d)(\d{2})\s*-\s*(\d{4,6})(?!\d)")


def _fix(chunk: str, table: dict[int, int]) -> tuple[str, int]:
    fixed = chunk.translate(table)
    return fixed, sum(a != b for a, b in zip(chunk, fixed, strict=True))


def _siv_problem(left: str, digits: str, right: str) -> str | None:
    if _SIV_FORBIDDEN_LETTERS & set(left + right):
        return "plate_letters_not_issued"
    if "SS" in (left, right):
        return "plate_series_not_issued"
    if digits == "000":
        return "plate_series_not_issued"
    return None


def read_fr_plate(text: str) -> Plate | None:
    """The French plate in `text` (SIV, provisional, W garage or old FNI), None if none fits."""
    upper = text.upper().strip()
    compact = re.sub(r"[\s\-–.]", "", upper)
    fni = _FNI.fullmatch(upper) or _FNI.fullmatch(compact)
    if fni and not re.fullmatch(r"[A-Z0-9]{2}\d{3}[A-Z0-9]{2}", compact):
        number, letters, department = fni.groups()
        kind = PlateKind.GARAGE if letters == "W" else PlateKind.FNI
        return Plate(f"{number} {letters} {department}", kind)
    garage = re.fullmatch(r"W([A-Z0-9]{3})([A-Z0-9]{2})", compact)
    if garage:
        digits, changed_digits = _fix(garage.group(1), _TO_DIGIT)
        right, changed_right = _fix(garage.group(2), _TO_LETTER)
        if digits.isdigit() and right.isalpha():
            problem = _siv_problem("AA", digits, right)
            return Plate(
                f"W-{digits}-{right}", PlateKind.GARAGE, problem, changed_digits + changed_right
            )
    siv = re.fullmatch(r"([A-Z0-9]{2})([A-Z0-9]{3})([A-Z0-9]{2})", compact)
    if not siv:
        return None
    left, changed_left = _fix(siv.group(1), _TO_LETTER)
    digits, changed_digits = _fix(siv.group(2), _TO_DIGIT)
    right, changed_right = _fix(siv.group(3), _TO_LETTER)
    if not (left.isalpha() and digits.isdigit() and right.isalpha()):
        return None
    kind = PlateKind.SIV_PROVISIONAL if left == "WW" else PlateKind.SIV
    problem = _siv_problem(left, digits, right)
    return Plate(
        f"{left}-{digits}-{right}", kind, problem, changed_left + changed_digits + changed_right
    )


def find_fr_plate(text: str) -> Plate | None:
    """A French plate inside a longer text (e.g. an OCR line holding its code too): an SIV
    number with its dashes or spaces, or an FNI number; at most one look-alike repaired."""
    upper = text.upper()
    candidates = re.findall(
        r"(?<![A-Z0-9])(?:[A-Z0-9]{1,2}\s*[-–]\s*[A-Z0-9]{3}\s*[-–]\s*[A-Z0-9]{2}"
        r"|[A-Z]{2}\s\d{3}\s[A-Z]{2}"
        rf"|\d{{1,4}}\s*[A-Z]{{1,3}}\s*{_DEPARTMENT})(?![A-Z0-9])",
        upper,
    )
    for candidate in candidates:
        plate = read_fr_plate(candidate)
        if plate is not None and plate.repaired <= 1:
            return plate
    return None


def read_tn_plate(text: str) -> Plate | None:
    """The Tunisian plate in `text`: `123 TU 4567` (Arabic `تونس` accepted), `RS 123456`, or a
    state plate `12-345678`; None if none fits."""
    upper = text.upper().replace("ـ", "")
    suspended = _TN_SUSPENDED.search(upper)
    if suspended:
        return Plate(f"RS {suspended.group(1)}", PlateKind.TN_SUSPENDED)
    # Printed right to left, the Arabic plate may come out of OCR in reverse order.
    match = _TN.search(upper)
    if match:
        return Plate(f"{match.group(1)} TU {match.group(2)}", PlateKind.TN)
    reversed_match = _TN_REVERSED.search(upper)
    if reversed_match and "تونس" in upper:
        return Plate(f"{reversed_match.group(2)} TU {reversed_match.group(1)}", PlateKind.TN)
    state = _TN_STATE.search(upper)
    if state:
        return Plate(f"{state.group(1)}-{state.group(2)}", PlateKind.TN_STATE)
    return None
