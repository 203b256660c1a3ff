"""Values of the Tunisian certificate whose label OCR missed (the labels are set small and pale,
and a blurred photo loses them first), recognised by a shape no other field has: `8 CV`,
`1473 kg`, a make, fuel or genre word, a lone date. Each is a deduction: the shape is no second
evidence, so it stays a guess (⚠️).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from extraction import vehicle_codes
from extraction.printed_values import Read, guess, read_date
from extraction.text import TextLine

# The unit tells the number, even with a digit read as its look-alike letter (`B CV`).
POWER = re.compile(r"^\s*(\d{1,3}|\d?[OBSZG]\d?)\s*C\s*V\s*$", re.IGNORECASE)
_DIGIT_LOOK_ALIKES = str.maketrans("OBSZG", "08526")
MASS = re.compile(r"^\s*(\d{2,5})\s*K\s*G\s*$", re.IGNORECASE)
_SEATS = re.compile(r"^\s*(\d{1,2})\s*$")
DATE_ONLY = re.compile(r"^\s*\d{1,4}\s*/\s*\d{1,2}\s*/\s*\d{1,4}\s*$")
# The signature `Tunis le …` / `تونس في …` is the certificate's date, never the first registration.
_SIGNED = re.compile(r"\ble\b|في", re.IGNORECASE)
_DATE_IN_TEXT = re.compile(r"\d{1,4}\s*/\s*\d{1,2}\s*/\s*\d{1,4}")


def add_unlabelled(
    lines: Sequence[TextLine],
    found: dict[str, Read],
    *,
    fuel: Callable[[str, float], Read | None],
    genre: Callable[[str, float], Read | None],
    genres_known: Collection[str],
) -> None:
    """Fill fields still missing from `found` with unlabelled lines of a distinctive shape;
    `fuel` and `genre` read those words as the labelled parsers do (a genre only when it is one
    of `genres_known`)."""
    powers: list[Read] = []
    masses: list[Read] = []
    seats: list[tuple[TextLine, Read]] = []
    units: list[TextLine] = []
    fuels: list[Read] = []
    genres: list[Read] = []
    makes: list[Read] = []
    for line in lines:
        text = line.text
        if power := POWER.match(text):
            digits = power.group(1).upper().translate(_DIGIT_LOOK_ALIKES)
            powers.append(Read(int(digits), line.confidence))
            units.append(line)
        if mass := MASS.match(text):
            masses.append(Read(int(mass.group(1)), line.confidence))
            units.append(line)
        if " ".join(text.upper().split()) in vehicle_codes.MAKES:
            makes.append(Read(" ".join(text.upper().split()), line.confidence))
        if seat := _SEATS.match(text):
            seats.append((line, Read(int(seat.group(1)), line.confidence)))
        if read := fuel(text, line.confidence):
            fuels.append(read)
        if (read := genre(text, line.confidence)) and read.value in genres_known:
            genres.append(read)
    _add_single(found, "make", makes)
    _add_single(found, "fiscal_power_cv", powers)
    _add_single(found, "fuel", fuels)
    _add_single(found, "genre", genres)
    # A bare number could be anything (a page number, a paper beside the card): only one in
    # the column of the `CV` and `kg` values is taken for the seats between them.
    _add_single(
        found,
        "seats",
        [read for line, read in seats if 1 <= int(read.value) <= 99 and _in_column(line, units)],
    )
    _add_masses(found, masses)
    _add_dates(found, lines)


def _in_column(line: TextLine, column: Sequence[TextLine]) -> bool:
    """True when `line` starts where the `column` lines start (within one line height) and
    lies between the first and the last of them."""
    if len(column) < 2:
        return False
    tops = [other.y0 for other in column if other.page == line.page]
    starts = sorted(other.x0 for other in column if other.page == line.page)
    if len(tops) < 2:
        return False
    start = starts[len(starts) // 2]
    return abs(line.x0 - start) <= 1.5 * line.height and min(tops) < line.y0 < max(tops)


def _add_single(found: dict[str, Read], name: str, reads: list[Read]) -> None:
    """The value when every unlabelled candidate agrees on it (two different ones: no telling)."""
    values = {read.value for read in reads}
    if name not in found and len(values) == 1:
        found[name] = guess(max(reads, key=lambda read: read.confidence))


def _add_masses(found: dict[str, Read], masses: list[Read]) -> None:
    """Two masses: the larger is the gross weight (a vehicle weighs less empty than loaded);
    one, when the other is known, is whichever keeps that order."""
    known = {found[name].value for name in ("gross_weight_kg", "empty_weight_kg") if name in found}
    loose = {int(read.value): read for read in masses if read.value not in known}
    gross, empty = found.get("gross_weight_kg"), found.get("empty_weight_kg")
    if len(loose) == 2 and gross is None and empty is None:
        low, high = sorted(loose)
        found["gross_weight_kg"], found["empty_weight_kg"] = guess(loose[high]), guess(loose[low])
    elif len(loose) == 1 and (gross is None) != (empty is None):
        ((value, read),) = loose.items()
        if gross is None and empty is not None and value > int(empty.value):
            found["gross_weight_kg"] = guess(read)
        if empty is None and gross is not None and value < int(gross.value):
            found["empty_weight_kg"] = guess(read)


def _add_dates(found: dict[str, Read], lines: Sequence[TextLine]) -> None:
    """The signed date (`Tunis le …`) is the certificate's. The dates printed alone, once the
    known ones are set aside, fill the missing ones in the only order the rules allow: a car is
    registered first and certified after, never before. A single date with neither known could
    be either (the Arabic signature's copy reads as a lone date): it is left alone."""
    signed = [
        read
        for line in lines
        if _SIGNED.search(line.text) and (match := _DATE_IN_TEXT.search(line.text))
        if (read := read_date(match.group(0), line.confidence))
    ]
    alone = [
        read
        for line in lines
        if DATE_ONLY.match(line.text)
        if (read := read_date(line.text, line.confidence))
    ]
    if "certificate_date" not in found and len({read.value for read in signed}) == 1:
        found["certificate_date"] = guess(signed[0])

    def best(value: str) -> Read:
        return guess(max((r for r in alone if r.value == value), key=lambda r: r.confidence))

    first, certificate = found.get("first_registration_date"), found.get("certificate_date")
    known = {str(read.value) for read in (first, certificate) if read is not None}
    loose = sorted({str(read.value) for read in alone} - known)
    if len(loose) == 2 and first is None and certificate is None:
        found["first_registration_date"], found["certificate_date"] = map(best, loose)
    if len(loose) != 1:
        return
    if first is None and certificate is not None and loose[0] <= str(certificate.value):
        found["first_registration_date"] = best(loose[0])
    if certificate is None and first is not None and loose[0] >= str(first.value):
        found["certificate_date"] = best(loose[0])
