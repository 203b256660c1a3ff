"""Values of the Tunisian carte grise as printed: the plate, fuel and genre words, numbers
with their unit, dates; each parser turns a value's text into a `Read` or None."""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import get_close_matches

from extraction import vehicle_codes, vin
from extraction.plates import read_tn_plate
from extraction.printed_values import REPAIR_PENALTY, Read, guess, read_date, read_int, read_text

# Fuels as Tunisian certificates print them, with the Arabic word mapped to the French one.
FUELS: dict[str, str] = {
    "ESSENCE": "ESSENCE", "GASOIL": "GASOIL", "DIESEL": "GASOIL", "GAZOIL": "GASOIL",
    "ELECTRIQUE": "ELECTRIQUE", "ÉLECTRIQUE": "ELECTRIQUE", "HYBRIDE": "HYBRIDE", "GPL": "GPL",
    "بنزين": "ESSENCE", "غازوال": "GASOIL", "ديزل": "GASOIL", "كهرباء": "ELECTRIQUE",
    "كهربائي": "ELECTRIQUE", "هجين": "HYBRIDE", "غاز": "GPL",
}  # fmt: skip
# Genres as Tunisian certificates write them in French (arrêté du ministre du Transport).
GENRES: tuple[str, ...] = (
    "VOITURE PARTICULIERE", "CAMIONNETTE", "CAMION", "MOTOCYCLETTE", "CYCLOMOTEUR",
    "TRACTEUR ROUTIER", "TRACTEUR AGRICOLE", "AUTOBUS", "AUTOCAR", "REMORQUE", "SEMI-REMORQUE",
)  # fmt: skip
# How close (difflib ratio) a misread genre must be to one genre only: `CAMIONNETE` is 0.95
# from `CAMIONNETTE` and 0.75 from `CAMION`.
GENRE_LIKENESS = 0.88
_ARABIC = re.compile(r"[\u0600-\u06FF]+")


def read_latin(text: str, confidence: float) -> Read | None:
    """The French part of a bilingual value (the Arabic part is dropped when Latin is present)."""
    latin = _ARABIC.sub(" ", text)
    return read_text(latin if latin.strip(" :/") else text, confidence)


def read_make(text: str, confidence: float) -> Read | None:
    """A make, one look-alike from a known one repaired (`CITRDEN` is CITROEN)."""
    read = read_latin(text, confidence)
    if read is None:
        return None
    closest = vehicle_codes.closest_make(str(read.value))
    if closest is None or not closest[1]:
        return read
    return Read(closest[0], read.confidence - REPAIR_PENALTY)


# Where Arabic `تونس` was printed, the Latin recogniser returns the two numbers around it with
# nothing between them, or with a few letters it made of the Arabic word (`130 UIGI 7191`).
_NUMBERS_ONLY = re.compile(r"^\s*(\d{1,3})\s+(?:[^\d\s]{1,6}\s+)?(\d{1,4})(?!\d)(.*)$")
# Or the two numbers glued: seven digits split one way only, a series of three (the series run
# up to the 200s) and a number of four.
_GLUED_NUMBERS = re.compile(r"^\s*(\d{3})(\d{4})\s*$")
# A second copy of the numbers that disagrees with the first costs this share of confidence.
DISAGREEING_COPY = 0.5

# Two numbers alone on a line, once or twice (both copies), or around a short run of letters
# the Latin recogniser made of the Arabic word: the plate whose `تونس` went unread.
BARE_PLATE = re.compile(
    r"^\s*(?:(\d{1,3}\s+\d{1,4})(?:\s+\1)?|\d{1,3}\s+[^\d\s]{1,6}\s+\d{1,4})\s*$"
)


def read_plate(text: str, confidence: float) -> Read | None:
    """The plate next to its label; when only its numbers were read, `TU` is deduced (a guess,
    never valid: the series word was not seen), and a second copy that disagrees lowers it more."""
    plate = read_tn_plate(text)
    if plate:
        return Read(plate.value, confidence)
    glued = _GLUED_NUMBERS.match(text)
    if glued:
        return guess(Read(f"{int(glued.group(1))} TU {int(glued.group(2))}", confidence))
    numbers = _NUMBERS_ONLY.match(text.upper())
    if numbers is None:
        return None
    series, number, rest = numbers.groups()
    copy = re.findall(r"\d+", rest)
    share = 1.0 if not copy or copy == [series, number] else DISAGREEING_COPY
    return guess(Read(f"{int(series)} TU {int(number)}", confidence * share))


def read_vin(text: str, confidence: float) -> Read | None:
    for token in [text, *text.split()]:
        cleaned, repairs = vin.clean_vin(token)
        if len(cleaned) == vin.VIN_LENGTH:
            return Read(cleaned, confidence - REPAIR_PENALTY * repairs)
    return None


# VIN position 10 codes the model year (ISO 3779; in Europe by most makers' choice): thirty codes
# for thirty years, then again (`A` is 1980 and 2010); I, O, Q, U, Z and 0 are never used there.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
_YEAR_LOOK_ALIKES = {"8": "B", "B": "8", "5": "S", "S": "5", "6": "G", "G": "6", "0": "D", "Z": "2"}


def _fits_year(code: str, year: int) -> bool:
    """True when a model-year code is `year`'s or a neighbour's (a car is first registered in
    its model year, or the one before or after)."""
    index = _YEAR_CODES.find(code)
    return index >= 0 and any(abs(start + index - year) <= 1 for start in (1980, 2010))


def with_model_year(value: str, first_registration_year: int) -> str | None:
    """The VIN with its model-year character swapped for its look-alike (`8` read for `B`)
    when only the look-alike fits the first registration's year and the check digit does not
    vouch for the reading; None when there is nothing to repair."""
    if not vin.is_well_formed(value) or vin.check_digit_ok(value):
        return None
    code = value[9]
    other = _YEAR_LOOK_ALIKES.get(code)
    if other is None or _fits_year(code, first_registration_year):
        return None
    if not _fits_year(other, first_registration_year):
        return None
    return value[:9] + other + value[10:]


def read_fuel(text: str, confidence: float) -> Read | None:
    for word in re.split(r"[\s/|:]+", text.upper()):
        if word in FUELS:
            return Read(FUELS[word], confidence)
        # Arabic glued to the French word comes out as a stray Latin letter ("GASOILJ").
        known = [name for name in FUELS if len(name) >= 3 and word.startswith(name)]
        if len(known) == 1:
            return Read(FUELS[known[0]], confidence - REPAIR_PENALTY)
    return None


def read_genre(text: str, confidence: float) -> Read | None:
    """The genre in words; read with a space inside, it costs a repair. Found among stray
    letters (the Arabic beside it misread), one letter off, or cut and completed from the list
    when only one genre holds it, it is a guess: the letters around it may be its own."""
    read = read_latin(text, confidence)
    if read is None:
        return None
    value = str(read.value)
    if value in GENRES:
        return read
    squeezed = [genre for genre in GENRES if value.replace(" ", "") == genre.replace(" ", "")]
    if squeezed:
        return Read(squeezed[0], read.confidence - REPAIR_PENALTY)
    inside = [
        genre
        for genre in GENRES
        if (found := re.search(rf"(?<![A-Z]){genre}(?![A-Z])", value))
        and all(
            len(stray) <= 2 for stray in (value[: found.start()] + value[found.end() :]).split()
        )
    ]
    # One letter dropped or doubled (`CAMIONNETE`): as close to one genre as OCR slips go.
    close = get_close_matches(value, GENRES, n=2, cutoff=GENRE_LIKENESS)
    fits = [genre for genre in GENRES if len(value) >= 4 and value in genre]
    # The first word whole and the second begun (`VOITURE PARTH`: its end glued to the Arabic).
    begun = [
        genre
        for genre in GENRES
        if len(words := value.split()) == 2 == len(parts := genre.split())
        and words[0] == parts[0]
        and len(words[1]) >= 3
        and parts[1].startswith(words[1][:3])
    ]
    for candidates in (inside, close, fits, begun):
        if len(candidates) == 1 or (candidates is inside and candidates):
            return guess(Read(max(candidates, key=len), read.confidence))
    return read


def read_known_genre(text: str, confidence: float) -> Read | None:
    read = read_genre(text, confidence)
    return read if read is not None and read.value in GENRES else None


_UNIT = re.compile(r"\d\s*(KG|CV)\b", re.IGNORECASE)


def read_count(unit: str | None, max_digits: int) -> Callable[[str, float], Read | None]:
    """A number printed with `unit` (or none): a neighbour row's `1930 kg` is no seat count."""

    def parse(text: str, confidence: float) -> Read | None:
        units = {match.upper() for match in _UNIT.findall(text)}
        if units - {unit}:
            return None
        return read_int(text, confidence, max_digits=max_digits)

    return parse


def read_tn_date(text: str, confidence: float) -> Read | None:
    return read_date(text, confidence)


PARSERS: dict[str, Callable[[str, float], Read | None]] = {
    "registration_number": read_plate,
    "first_registration_date": read_tn_date,
    "owner_name": read_latin,
    "owner_address": read_latin,
    "make": read_make,
    "commercial_type": read_latin,
    "vehicle_type": read_latin,
    "vin": read_vin,
    "fuel": read_fuel,
    "fiscal_power_cv": read_count("CV", 3),
    "seats": read_count(None, 2),
    "gross_weight_kg": read_count("KG", 5),
    "empty_weight_kg": read_count("KG", 5),
    "genre": read_genre,
    "certificate_date": read_tn_date,
}


def with_unit(unit: str, max_digits: int) -> Callable[[str, float], Read | None]:
    """A number followed by its `unit`: a box found by chance in a slot must show it."""
    shape = re.compile(rf"^\s*\d{{1,{max_digits}}}\s*{unit}\s*$", re.IGNORECASE)
    count = read_count(unit, max_digits)
    return lambda text, confidence: count(text, confidence) if shape.match(text) else None


def read_alone(text: str, confidence: float) -> Read | None:
    return (
        read_int(text, confidence, max_digits=2) if re.fullmatch(r"\s*\d{1,2}\s*", text) else None
    )


# Short values whose box the detector may miss (a lone `5`): their label's slot is read again,
# and what is read there must have the value's whole shape (the slot may hold another row's).
SLOT_PARSERS: dict[str, Callable[[str, float], Read | None]] = {
    "first_registration_date": read_tn_date,
    "fiscal_power_cv": with_unit("CV", 3),
    "seats": read_alone,
    "gross_weight_kg": with_unit("KG", 5),
    "empty_weight_kg": with_unit("KG", 5),
}


RANGES = {
    "fiscal_power_cv": (1, 200),
    "seats": (1, 99),
    "gross_weight_kg": (50, 60_000),
    "empty_weight_kg": (30, 60_000),
}
