"""Printed values of the French certificate turned into contract values, one parser per field,
each repairing the OCR look-alikes its field's alphabet rules out (and paying for it in
confidence): plates, VINs, type codes (D.2, CNIT), K approvals, V.9 classes, listed codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from extraction import vehicle_codes, vin
from extraction.plates import find_fr_plate, read_fr_plate
from extraction.printed_values import (
    DIGIT_LOOK_ALIKES,
    REPAIR_PENALTY,
    Read,
    read_date,
    read_decimal,
    read_int,
    read_text,
)

# A code read as its look-alike (`CL` for `CI`) is fixed, but keeps less confidence.
CODE_REPAIR_PENALTY = 0.15
TYPE_CODE_GUESS = 0.75

# What OCR reads for the letter of a code box: B as 8, D as 0 or O, G as 6, J as 1 or l, P as R,
# S as 5.
CODE_LETTER_LOOK_ALIKES = {"D": "0O", "S": "5", "J": "1l", "B": "8", "G": "6", "P": "R"}
# A box holding a printed date and nothing else (`12/03/2019`, `12.03.2019`).
LONE_DATE = re.compile(r"^\d{2}\s?[/.]\s?\d{2}\s?[/.]\s?\d{4}$")
# A French postcode read with a look-alike (`1308G MARSEILLE`): five characters, at least four of
# them digits, before the commune or at the end of the row (the commune wrapped under it).
_POSTCODE_TOKEN = re.compile(r"(?<!\S)(?=(?:\S*?\d){4})([0-9OoDQIl|SsBZG]{5})(?=\s+[A-ZÀ-Ü]|\s*$)")


def repair_postcode(text: str) -> str:
    """`text` with a postcode's look-alike letters read as the digits they stand for."""
    return _POSTCODE_TOKEN.sub(lambda token: token.group(1).translate(DIGIT_LOOK_ALIKES), text)


def read_address(text: str, confidence: float) -> Read | None:
    """An address, its postcode's look-alikes repaired (at a price in confidence)."""
    read = read_text(text, confidence)
    if read is None:
        return None
    repaired = repair_postcode(str(read.value))
    if repaired == read.value:
        return read
    return Read(repaired, read.confidence - REPAIR_PENALTY)


def _code(text: str, confidence: float, field_name: str) -> Read | None:
    read = read_text(text.split()[0] if field_name != "national_body" else text, confidence)
    if read is None:
        return None
    code = vehicle_codes.normalise_code(field_name, str(read.value))
    closest = vehicle_codes.closest_code(field_name, code)
    if closest is None:
        return Read(code, read.confidence)  # kept as read: the rules will reject it
    return Read(closest[0], read.confidence - CODE_REPAIR_PENALTY * closest[1])


def _compact(text: str, confidence: float) -> Read | None:
    read = read_text(text, confidence)
    return Read(str(read.value).replace(" ", ""), read.confidence) if read else None


def _type_code(text: str, confidence: float) -> Read | None:
    """D.2: a type code written, like a VIN, without I, O or Q (read as 1, 0, 0)."""
    read = _compact(text, confidence)
    if read is None:
        return None
    cleaned, repairs = vin.clean_vin(str(read.value))
    return Read(cleaned, _guessed(read.confidence, repairs))


def _guessed(confidence: float, repairs: int) -> float:
    """Type codes are random characters: a repaired one is a guess, shown but never vouched for."""
    return min(confidence, TYPE_CODE_GUESS) if repairs else confidence


_TO_LETTER = str.maketrans("01582", "OISBZ")


def _cnit(text: str, confidence: float) -> Read | None:
    """D.2.1, the CNIT: `M10` + the make's three letters + the genre (`VP`/`VU`) + a serial
    without I, O or Q; each part is repaired towards its own alphabet."""
    read = _compact(text, confidence)
    if read is None:
        return None
    value = str(read.value)
    if len(value) < 8:
        return read
    letters = value[3:8].translate(_TO_LETTER)
    serial, _ = vin.clean_vin(value[8:])
    cleaned = value[:3].replace("O", "0").replace("I", "1") + letters + serial
    repairs = sum(a != b for a, b in zip(value, cleaned, strict=True))
    return Read(cleaned, _guessed(read.confidence, repairs))


def _plate(text: str, confidence: float) -> Read | None:
    plate = find_fr_plate(text) or read_fr_plate(text)
    if plate is None:
        return None
    return Read(plate.value, confidence - REPAIR_PENALTY * plate.repaired)


def _vin(text: str, confidence: float) -> Read | None:
    for token in [text, *text.split()]:
        cleaned, repairs = vin.clean_vin(token)
        if len(cleaned) == vin.VIN_LENGTH:
            return Read(cleaned, confidence - REPAIR_PENALTY * repairs)
    return None


_APPROVAL_STATE = re.compile(r"^[EЕ]([0-9A-Z]{1,2})\*")
# The small `e` read as `0`, `o` or `c`: only before a state number and a directive's year.
_MISREAD_E = re.compile(r"^[0OC]\d{1,2}\*\d{4}/\d{2,4}\*")
_STATE_DIGITS = str.maketrans("OILSBZG", "0115826")


def _type_approval(text: str, confidence: float) -> Read | None:
    """K: EU type-approval numbers start with a lower-case `e` and the approving member state's
    number (`e2*2007/46*0123*05`); letters read in that number are look-alike digits."""
    read = _compact(text, confidence)
    if read is None:
        return None
    value = str(read.value)
    misread_e = _MISREAD_E.match(value) is not None
    if misread_e:
        value = "E" + value[1:]
    state = _APPROVAL_STATE.match(value)
    if state is None:
        return read
    digits = state.group(1).translate(_STATE_DIGITS)
    penalty = REPAIR_PENALTY if digits != state.group(1) or misread_e else 0.0
    if not digits.isdigit():
        return read
    return Read(f"e{digits}*{value[state.end() :]}", read.confidence - penalty)


_EURO_LEVEL = re.compile(r"\bEURO\s?([SOIlZB])(?=[A-Z]?\b)")
_LEVEL_DIGITS = str.maketrans("SOIlZB", "501128")


def _environmental_class(text: str, confidence: float) -> Read | None:
    """V.9, e.g. `EURO 6D` or `715/2007*2018/1832AP`: the Euro level is a digit (`EURO S` was
    read for `EURO 5`)."""
    read = read_text(text, confidence)
    if read is None:
        return None
    value = str(read.value)
    fixed = _EURO_LEVEL.sub(lambda m: m.group(0)[:-1] + m.group(1).translate(_LEVEL_DIGITS), value)
    return Read(fixed, read.confidence - (REPAIR_PENALTY if fixed != value else 0.0))


# The formula number: the year, two letters, five digits (`2021DJ27748`).
FORMULA = re.compile(r"\d{4}[A-Z]{2}\d{5}")


def _formula(text: str, confidence: float) -> Read | None:
    """The formula number, `FORMULA`'s shape once spaces are dropped."""
    compact = text.replace(" ", "").upper()
    return Read(compact, confidence) if FORMULA.fullmatch(compact) else None


Parser = Callable[[str, float], Read | None]
PARSERS: dict[str, Parser] = {
    "registration_number": _plate,
    "first_registration_date": read_date,
    "holder_name": read_text,
    "holder_address": read_address,
    "make": read_text,
    "type_variant_version": _type_code,
    "cnit": _cnit,
    "commercial_name": read_text,
    "vin": _vin,
    "max_laden_mass_kg": read_int,
    "max_laden_mass_service_kg": read_int,
    "mass_in_service_kg": read_int,
    "certificate_date": read_date,
    "type_approval": _type_approval,
    "displacement_cc": read_int,
    "net_power_kw": read_int,
    "fiscal_power_cv": read_int,
    "seats": read_int,
    "co2_g_km": read_int,
    "environmental_class": _environmental_class,
    "technical_inspection_date": read_date,
    "total_tax_eur": read_decimal,
    "formula_number": _formula,
    **{name: partial(_code, field_name=name) for name in vehicle_codes.CODE_LISTS},
}
