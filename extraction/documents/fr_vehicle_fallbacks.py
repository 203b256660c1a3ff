"""Values of the French certificate whose code OCR missed (a lone `E` or `I` is often too small a
box to be read), recognised by a shape no other field has. Each is a deduction: the shape that
found it is no second evidence, so it stays a guess (⚠️) unless the SIV zone confirms it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import numpy as np

from extraction import vehicle_codes, vin
from extraction.dates import LONE_FULL_DATE
from extraction.documents.fr_vehicle_values import (
    LONE_DATE,
    PARSERS,
    read_address,
    repair_postcode,
)
from extraction.documents.second_look import SLOT_GAP, read_slot
from extraction.layout import LabelHit, same_row
from extraction.plates import find_fr_plate
from extraction.printed_values import GUESS_CONFIDENCE, REPAIR_PENALTY, Read, read_date
from extraction.text import TextLine

# Whether found by a shape unique on the card (a VIN, an `e2*…` approval) or by its place
# among look-alikes (the first of two dates), an unlabelled value is worth a guess at most.
GUESS = GUESS_CONFIDENCE
_FORMULA = re.compile(r"(?<![A-Z0-9])(\d{4})\s?([A-Z]{2})\s?(\d{5})(?![0-9])")
# Any letter bounds a VIN, accented ones too: `RÉPUBLIQUE FRANÇAISE` holds no VIN.
_VIN_TOKEN = re.compile(r"(?<!\w)[A-Z0-9]{17}(?!\w)")
# OCR may cut a VIN in two or three; more pieces are words (an address line of 17 letters).
_VIN_PIECES = 3
_APPROVAL = re.compile(r"^(?:[eE][\dlI]{1,2}\*\S+|[0oOcC]\d{1,2}\*\d{4}/\d{2,4}\*\S+)$")
# D.2.1: `M10`, the make's three letters, the genre, a serial (ANTS); nothing else starts so.
_CNIT = re.compile(r"^M[1I][0O][A-Z0-9]{10,13}$")
# V.9: the directive and its amendment (`715/2007*692/2008EURO5`) or a Euro level (`EURO 6D`).
_EMISSION_CLASS = re.compile(r"^(?:\d{2,3}/\d{4}\*\S+|EURO\s?\d[A-Z]{0,4})$")
# Fields whose value is a code from an official list; a line holding only a code that fits
# one of those still missing names its field (`CI` is a J.2 and a J.3 code: J.2 read, it is J.3).
_LISTED = ("fuel", "national_genre", "eu_body", "national_body")
# The holder's name and address take up to two rows each, a row's gap at most this many heights.
_HOLDER_ROWS = 2
_HOLDER_GAP = 1.6
_POSTCODE_LINE = re.compile(r"(?<!\d)\d{5}\s+[A-ZÀ-Ü]")
_POSTCODE_END = re.compile(r"(?<!\d)\d{5}\s*$")
_NUMBER = re.compile(r"\d{2}")
_POSTCODE_START = re.compile(r"^\d{5}\s+[A-ZÀ-Ü]")
# The first column from C.1 down to the address's end: two rows of name, the statement, two of
# address.
HOLDER_COLUMN_ROWS = 2 * _HOLDER_ROWS + 1
# A row read this unsurely among the holder's is C.4a's small print garbled, not a name.
_GARBLED = 0.6
# Fields read in the blank right of their code when no value box was found there: those whose
# value has a shape of its own (numbers, listed codes, dates, plate, VIN), not free text.
SLOT_FIELDS = frozenset(
    {
        "registration_number",
        "first_registration_date",
        "vin",
        "max_laden_mass_kg",
        "max_laden_mass_service_kg",
        "mass_in_service_kg",
        "certificate_date",
        "displacement_cc",
        "net_power_kw",
        "fiscal_power_cv",
        "seats",
        "co2_g_km",
        "technical_inspection_date",
        "total_tax_eur",
        "eu_category",
        *_LISTED,
    }
)
# How far right of its code a slot reaches (share of the page width): the values of those fields
# are short, and the next column's codes stand further off.
SLOT_WIDTH = 0.15
# C.4a's statement, `EST LE PROPRIETAIRE DU VEHICULE`, read whole or in part.
_STATEMENT = re.compile(r"\bEST\s+LE\b|PROPRI[EÉ]TAIRE", re.I)
# The same read through blur: `ENT LE PRORETARE DU VHGNE`, `EST A PRORITAN DUWHOLE`.
_BLURRED_STATEMENT = re.compile(r"\bE[SNT]T\s+L?[EA]\b|\bPRO\w*TA|\bDU\s?V", re.I)
# A holder's row is printed as large as the date above it (C.4a's statement is smaller).
_PRINT = 0.8
# An amount in euros, alone in its box or after its code box's misreading (`48 11,00`).
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,6})[.,](\d{2})$")
# Y.1 … Y.6: a row of at least this many amounts, so that a sum is no coincidence of two.
_TAX_ROW = 4


def add_unlabelled(
    lines: Sequence[TextLine], found: dict[str, Read], *, zone_first_registration: date | None
) -> None:
    """Fill fields still missing from `found` with unlabelled lines of a distinctive shape."""
    dates: list[tuple[TextLine, Read]] = []
    numbers: list[Read] = []
    for line in lines:
        text = line.text.strip()
        upper = text.upper()
        compact = text.replace(" ", "")
        if "formula_number" not in found and (formula := _FORMULA.search(upper)):
            found["formula_number"] = Read("".join(formula.groups()), min(line.confidence, GUESS))
        if "registration_number" not in found and (plate := find_fr_plate(upper)):
            confidence = min(line.confidence, GUESS) - REPAIR_PENALTY * plate.repaired
            found["registration_number"] = Read(plate.value, confidence)
        if "type_approval" not in found and _APPROVAL.match(compact):
            approval = PARSERS["type_approval"](compact, line.confidence)
            if approval is not None:
                found["type_approval"] = Read(approval.value, min(approval.confidence, GUESS))
        category = vehicle_codes.normalise_code("eu_category", text)
        # Only road categories: a stray `R1` or `T2` is likelier noise than a tractor's code.
        road = category[:1] in {"M", "N", "O", "L"}
        if (
            "eu_category" not in found
            and road
            and vehicle_codes.is_known_code("eu_category", category)
        ):
            found["eu_category"] = Read(category, min(line.confidence, GUESS))
        if (
            "cnit" not in found
            and _CNIT.match(compact.upper())
            and (cnit := PARSERS["cnit"](text, 1.0))
        ):
            found["cnit"] = Read(cnit.value, min(line.confidence, GUESS, cnit.confidence))
        if "environmental_class" not in found and _EMISSION_CLASS.match(upper):
            found["environmental_class"] = Read(upper, min(line.confidence, GUESS))
        if listed := _listed_field(text, found):
            code = vehicle_codes.normalise_code(listed, text)
            found[listed] = Read(code, min(line.confidence, GUESS))
        if LONE_FULL_DATE.fullmatch(text) and (read := read_date(text, line.confidence)):
            dates.append((line, read))
        if re.fullmatch(r"\d{2,5}", text):
            numbers.append(Read(int(text), min(line.confidence, GUESS)))
    if "vin" not in found and (loose_vin := _loose_vin(lines)):
        found["vin"] = loose_vin
    _assign_dates(dates, found, zone_first_registration)
    # G is the only mass printed under a one-letter code; a lone unlabelled mass is probably it.
    masses = [read for read in numbers if 30 <= int(read.value) <= 60_000]
    if "mass_in_service_kg" not in found and len(masses) == 1:
        found["mass_in_service_kg"] = masses[0]


def add_total_tax(lines: Sequence[TextLine], found: dict[str, Read]) -> None:
    """Y.6, the total of the taxes paid, is printed in one row with its parts Y.1 … Y.5 (ANTS):
    with its code lost, it is the amount of that row that equals the sum of the others."""
    if "total_tax_eur" in found:
        return
    amounts = [(line, _AMOUNT.search(line.text)) for line in lines]
    row_amounts = [(line, Decimal(f"{m.group(1)}.{m.group(2)}")) for line, m in amounts if m]
    for line, value in row_amounts:
        row = [(other, v) for other, v in row_amounts if same_row(line, other)]
        others = sum((v for other, v in row if other is not line), Decimal(0))
        if len(row) >= _TAX_ROW and value > 0 and value == others:
            confidence = min(other.confidence for other, _ in row)
            found["total_tax_eur"] = Read(f"{value:.2f}", confidence)
            return


def add_holder_around_statement(
    statement: TextLine, lines: Sequence[TextLine], found: dict[str, Read]
) -> None:
    """C.4a's statement (`EST LE PROPRIETAIRE DU VEHICULE`) is printed between the holder's name
    (C.1) and address (C.3), all three aligned on the left: with their codes lost, the lines
    just above and below it are the name and the address."""
    aligned = [line for line in lines if _aligned(line, statement)]
    if "holder_name" not in found:
        name: list[TextLine] = []
        anchor = statement
        while len(name) < _HOLDER_ROWS and (line := _just_above(anchor, aligned)) is not None:
            if any(char.isdigit() for char in line.text):
                break
            name.insert(0, line)
            anchor = line
        if name:
            found["holder_name"] = joined_rows(name)
    if "holder_address" not in found:
        address: list[TextLine] = []
        anchor = statement
        while len(address) < _HOLDER_ROWS and (line := _just_below(anchor, aligned)) is not None:
            address.append(line)
            if _POSTCODE_LINE.search(line.text):
                break
            anchor = line
        if address and _POSTCODE_LINE.search(address[-1].text):
            found["holder_address"] = joined_rows(address)


def add_holder_above_address(
    address: TextLine, lines: Sequence[TextLine], found: dict[str, Read]
) -> None:
    """C.1's name is printed just above C.3's address (C.4a's statement between them, smaller),
    all left-aligned: with C.1's code lost but the address read by its code (`address` its first
    row), the rows of words just above it are the name, up to the row with digits above them
    (B's date). A guess, like every value placed by layout."""
    if "holder_name" in found:
        return
    aligned = [line for line in lines if _aligned(line, address)]
    name: list[TextLine] = []
    anchor = address
    # The statement's row may be lost or skipped: the name may stand a row further up.
    while len(name) < _HOLDER_ROWS and (
        line := _just_above(anchor, aligned, missing_rows=int(not name))
    ):
        if _has_digit(line):
            break
        # The statement (its words, or its small print garbled) is not the name.
        if not _STATEMENT.search(line.text) and line.height >= _PRINT * address.height:
            name.insert(0, line)
        anchor = line
    if name:
        found["holder_name"] = joined_rows(name)


def add_holder_below_date(
    readable: Sequence[TextLine], lines: Sequence[TextLine], found: dict[str, Read]
) -> None:
    """C.1, C.4a and C.3 follow B down the certificate's first column: with their codes lost,
    the rows just below a lone date, left-aligned with it, are the holder's rows (see
    `split_holder_rows`). Guesses, like every value placed by layout."""
    if "holder_name" in found or "holder_address" in found:
        return
    for date_line in readable:
        if not LONE_DATE.match(date_line.text.strip()):
            continue
        aligned = [line for line in lines if _aligned(line, date_line)]
        rows: list[TextLine] = []
        anchor = date_line
        # Below the name, C.4a's statement row may be lost altogether: the next row read may
        # stand one row further down.
        while len(rows) < HOLDER_COLUMN_ROWS and (
            line := _just_below(anchor, aligned, missing_rows=int(len(rows) == 1))
        ):
            rows.append(line)
            anchor = line
        holder = split_holder_rows(rows, print_height=date_line.height)
        if holder is not None:
            found["holder_name"], found["holder_address"] = holder_reads(*holder)
            return


def split_holder_rows(
    rows: Sequence[TextLine], *, print_height: float
) -> tuple[list[TextLine], list[TextLine]] | None:
    """The holder's name and address among the first column's `rows` from C.1's down: the name
    (one or two rows of words, printed `print_height` high at least), maybe C.4a's statement
    (small print, its words or garbled; or lost), then the address, one or two rows ending
    with the postcode and the commune (`… 67093` / `STRASBOURG` when the commune wraps):
    the name's rows and the address's. None when the rows do not read so."""
    address = _address_rows(rows)
    if address is None:
        return None
    before = list(rows[: address[0]])
    # The row above the address is C.4a's statement when it reads as one, or when the name
    # would otherwise take more than its two rows.
    if len(before) > _HOLDER_ROWS or (
        len(before) > 1 and _statement_like(before[-1], print_height)
    ):
        before.pop()
    if not 0 < len(before) <= _HOLDER_ROWS or any(
        _has_digit(line) or line.height < _PRINT * print_height for line in before
    ):
        return None
    return before, list(rows[address[0] : address[1] + 1])


def _address_rows(rows: Sequence[TextLine]) -> tuple[int, int] | None:
    """The first and last index of the address among `rows`: up to the first row holding a
    postcode and commune, or the commune alone after a row ending with the postcode; from the
    row above too when this one is the commune or starts with the postcode, or when the row
    above holds a number (the street's). The name comes first: the address never starts the
    rows."""
    for end, line in enumerate(rows):
        text = repair_postcode(line.text.strip())
        above = repair_postcode(rows[end - 1].text) if end else ""
        # The commune alone (a letter misread as a digit, `STRAS8OURG`, is no number).
        wrapped = end > 0 and _POSTCODE_END.search(above) and not _NUMBER.search(text)
        if not (wrapped or _POSTCODE_LINE.search(text)):
            continue
        street_above = end > 1 and _has_digit(rows[end - 1])
        start = end - 1 if wrapped or _POSTCODE_START.match(text) or street_above else end
        return (start, end) if start > 0 else None
    return None


def _statement_like(line: TextLine, print_height: float) -> bool:
    """C.4a's statement: its words, or a row in smaller print or read as noise."""
    return (
        _BLURRED_STATEMENT.search(line.text) is not None
        or line.height < _PRINT * print_height
        or line.confidence < _GARBLED
    )


def _has_digit(line: TextLine) -> bool:
    return any(char.isdigit() for char in line.text)


def _aligned(line: TextLine, statement: TextLine) -> bool:
    return line.page == statement.page and abs(line.x0 - statement.x0) <= statement.height


def _just_above(
    anchor: TextLine, lines: Sequence[TextLine], *, missing_rows: int = 0
) -> TextLine | None:
    """The row just above `anchor`, or `missing_rows` rows (each a height and a gap) further."""
    gap = _row_reach(anchor, missing_rows)
    above = [line for line in lines if line.y1 <= anchor.center_y and anchor.y0 - line.y1 <= gap]
    return max(above, key=lambda line: line.y1) if above else None


def _just_below(
    anchor: TextLine, lines: Sequence[TextLine], *, missing_rows: int = 0
) -> TextLine | None:
    """The row just below `anchor`, or `missing_rows` rows (each a height and a gap) further."""
    gap = _row_reach(anchor, missing_rows)
    under = [line for line in lines if line.y0 >= anchor.center_y and line.y0 - anchor.y1 <= gap]
    return min(under, key=lambda line: line.y0) if under else None


def _row_reach(anchor: TextLine, missing_rows: int) -> float:
    """How far from `anchor` the next row may stand: a row's gap, plus a height and a gap for
    each row that may be missing between them."""
    return (_HOLDER_GAP + missing_rows * (1 + _HOLDER_GAP)) * anchor.height


def holder_reads(name: list[TextLine], address: list[TextLine]) -> tuple[Read, Read]:
    """The holder's name and address from their rows, each a guess (the address's postcode
    look-alikes repaired)."""
    joined = joined_rows(address)
    repaired = read_address(str(joined.value), joined.confidence) or joined
    return joined_rows(name), repaired


def joined_rows(lines: list[TextLine]) -> Read:
    """Rows of one value (a wrapped name or address) as one guess."""
    text = " ".join(line.text.strip() for line in lines)
    return Read(text, min(GUESS, *(line.confidence for line in lines)))


def _listed_field(text: str, found: dict[str, Read]) -> str | None:
    """The one missing listed field (P.3, J.1, J.2, J.3) whose official list holds `text`."""
    fits = [
        name
        for name in _LISTED
        if name not in found
        and vehicle_codes.is_known_code(name, vehicle_codes.normalise_code(name, text))
    ]
    return fits[0] if len(fits) == 1 else None


def _right_column(dates: list[tuple[TextLine, Read]]) -> tuple[TextLine, Read] | None:
    """The one date printed right of all the others (wholly clear of them), if there is one."""
    if len(dates) < 2:
        return None
    rightmost = max(dates, key=lambda pair: pair[0].x0)
    others = [line for line, _ in dates if line is not rightmost[0]]
    clear = all(rightmost[0].x0 > line.x1 and line.page == rightmost[0].page for line in others)
    return rightmost if clear else None


def _loose_vin(lines: Sequence[TextLine]) -> Read | None:
    """A well-formed 17-character token, printed whole; else one OCR cut in a few pieces."""
    for joined in (False, True):
        for line in lines:
            text = line.text.strip().upper()
            if joined and len(text.split()) > _VIN_PIECES:
                continue
            token = _VIN_TOKEN.search(text.replace(" ", "") if joined else text)
            if token is None:
                continue
            cleaned, repairs = vin.clean_vin(token.group(0))
            if vin.is_well_formed(cleaned) and vin.ends_in_serial(cleaned):
                return Read(cleaned, min(line.confidence, GUESS) - REPAIR_PENALTY * repairs)
    return None


def _assign_dates(
    dates: list[tuple[TextLine, Read]], found: dict[str, Read], zone_first: date | None
) -> None:
    """Unlabelled dates go to B and I, the two dates printed without a dotted code, and X.1, the
    only date in the right-hand column (ANTS layout). With the zone's B known, a single remaining
    date must be I; otherwise B comes first on the card."""
    known = {str(read.value) for name, read in found.items() if name.endswith("_date")}
    loose = [(line, read) for line, read in dates if str(read.value) not in known]
    if "technical_inspection_date" not in found and (inspection := _right_column(loose)):
        found["technical_inspection_date"] = Read(
            inspection[1].value, min(inspection[1].confidence, GUESS)
        )
        loose.remove(inspection)
    if zone_first is not None:
        loose = [(line, read) for line, read in loose if read.value != zone_first.isoformat()]
        if len(loose) == 1 and "certificate_date" not in found:
            found["certificate_date"] = Read(loose[0][1].value, min(loose[0][1].confidence, GUESS))
        return
    loose.sort(key=lambda pair: (pair[0].page, round(pair[0].y0, 2), pair[0].x0))
    missing = [
        name for name in ("first_registration_date", "certificate_date") if name not in found
    ]
    if len(loose) == len(missing):
        for name, (_, read) in zip(missing, loose, strict=True):
            found[name] = Read(read.value, min(read.confidence, GUESS))


def add_in_code_slots(
    hits: Sequence[LabelHit],
    lines: Sequence[TextLine],
    found: dict[str, Read],
    images: Sequence[np.ndarray],
) -> None:
    """Values still missing whose code box was read alone, read in the blank slot right of it
    (the detector finds no box around a lone `5` seats or some amounts): only fields whose
    value has a shape of its own, so a slot reaching the next column's words gives nothing. A
    guess (see `second_look.read_slot`)."""
    for hit in hits:
        if hit.key not in SLOT_FIELDS or hit.key in found or hit.start or hit.inline_value:
            continue
        code = hit.line
        right = [
            line.x0
            for line in lines
            if line is not code and line.x0 > code.x1 - SLOT_GAP and same_row(line, code)
        ]
        width = min(SLOT_WIDTH, min(right, default=1.0) - SLOT_GAP - code.x1)
        read = read_slot(images, code, PARSERS[hit.key], width=width)
        if read is not None:
            found[hit.key] = read
