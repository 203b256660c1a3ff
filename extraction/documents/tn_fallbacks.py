"""Values of the Tunisian certificate whose label OCR missed (the labels are set small and pale,
and a blurred photo loses them first), recognised by a shape no other field has: `8 CV`,
`1473 kg`, a fuel or a genre word, a lone date. Each is a deduction: the shape is no second
evidence, so it stays a guess (⚠️).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from extraction.printed_values import Read, guess, read_date
from extraction.text import TextLine

_POWER = re.compile(r"^\s*(\d{1,3})\s*C\s*V\s*$", re.IGNORECASE)
_MASS = re.compile(r"^\s*(\d{2,5})\s*K\s*G\s*$", re.IGNORECASE)
_SEATS = re.compile(r"^\s*(\d{1,2})\s*$")
_DATE_ONLY = re.compile(r"^\s*\d{1,4}\s*/\s*\d{1,2}\s*/\s*\d{1,4}\s*$")
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
    seats: list[Read] = []
    fuels: list[Read] = []
    genres: list[Read] = []
    for line in lines:
        text = line.text
        if power := _POWER.match(text):
            powers.append(Read(int(power.group(1)), line.confidence))
        if mass := _MASS.match(text):
            masses.append(Read(int(mass.group(1)), line.confidence))
        if seat := _SEATS.match(text):
            seats.append(Read(int(seat.group(1)), line.confidence))
        if read := fuel(text, line.confidence):
            fuels.append(read)
        if (read := genre(text, line.confidence)) and read.value in genres_known:
            genres.append(read)
    _add_single(found, "fiscal_power_cv", powers)
    _add_single(found, "fuel", fuels)
    _add_single(found, "genre", genres)
    _add_single(found, "seats", [read for read in seats if 1 <= int(read.value) <= 99])
    _add_masses(found, masses)
    _add_dates(found, lines)


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
    """The signed date is the certificate's; of the dates printed alone, the one that differs
    from it is the first registration, and of two, the earlier (a car is registered first and
    certified after, never before)."""
    signed = [
        read
        for line in lines
        if _SIGNED.search(line.text) and (match := _DATE_IN_TEXT.search(line.text))
        if (read := read_date(match.group(0), line.confidence))
    ]
    alone = [
        read
        for line in lines
        if _DATE_ONLY.match(line.text)
        if (read := read_date(line.text, line.confidence))
    ]
    if "certificate_date" not in found and len({read.value for read in signed}) == 1:
        found["certificate_date"] = guess(signed[0])
    certificate = found.get("certificate_date")
    if "first_registration_date" in found:
        return
    values = {str(read.value) for read in alone} - {str(certificate.value) if certificate else ""}
    if len(values) == 1:
        first = values.pop()
        found["first_registration_date"] = guess(
            max((read for read in alone if read.value == first), key=lambda read: read.confidence)
        )
    elif len(values) == 2 and certificate is None:
        first = min(values)
        found["first_registration_date"] = guess(
            max((read for read in alone if read.value == first), key=lambda read: read.confidence)
        )
