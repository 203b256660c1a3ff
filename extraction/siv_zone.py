"""The machine-readable zone of the SIV certificate's coupon (2×44, ICAO 7-3-1 check digits).

Layout agreed for this project (coord/BRIEF.md):
line 1: `CR` `FRA` plate(9) cd VIN(17) cd B=YYMMDD cd `<<<<`
line 2: `CI` genre J.1(3) formula number(11) cd `MAKE<<COMMERCIAL<NAME`(25) cd composite cd,
composite = check digit of line1[5:40] + line2[2:43].
A field whose check digit fails is retried once with OCR look-alikes (`0/O`, `1/I`, `5/S`…):
exactly one candidate that passes is accepted, flagged as repaired.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from extraction.check_digits import is_valid
from extraction.dates import parse_yymmdd
from extraction.mrz_formats import LETTER_FOR_DIGIT
from extraction.plates import read_fr_plate
from extraction.text import LATIN_LOOK_ALIKES, TextLine
from extraction.vehicle_codes import MAKES
from extraction.vin import is_well_formed

LINE_LENGTH = 44
_LOOK_ALIKES = {
    "0": "OQD", "O": "0Q", "Q": "0O", "D": "0", "1": "I", "I": "1", "5": "S", "S": "5",
    "8": "B", "B": "8", "2": "Z", "Z": "2", "6": "G", "G": "6", "7": "T", "T": "7",
}  # fmt: skip
_TO_DIGIT = str.maketrans("ODQILZSBGT", "0001125867")
_FILLER_LOOK_ALIKES = str.maketrans({"«": "<", "‹": "<", "(": "<", "{": "<", "[": "<"})


@dataclass
class SivZone:
    """What the zone says; each value is None unless its check digit (or the composite, for the
    genre) confirms it. `checks` holds every check's outcome; `repaired` the repaired fields."""

    lines: tuple[str, str]
    plate: str | None = None
    vin: str | None = None
    first_registration_date: date | None = None
    national_genre: str | None = None
    formula_number: str | None = None
    make: str | None = None
    commercial_name: str | None = None
    name_truncated: bool = False
    checks: dict[str, bool] = field(default_factory=dict)
    repaired: set[str] = field(default_factory=set)

    @property
    def check_digits_ok(self) -> bool:
        """Every check of the zone passed (the `check_digits_ok` of the contract's `mrz`)."""
        return bool(self.checks) and all(self.checks.values())


def clean_zone_line(text: str) -> str:
    """Upper case, filler look-alikes (`«`, `(`) turned into `<`, and nothing outside the zone's
    alphabet (spaces, or the stray dot of `P01.0` read for `POLO`)."""
    upper = text.upper().translate(_FILLER_LOOK_ALIKES).translate(LATIN_LOOK_ALIKES)
    return re.sub(r"[^A-Z0-9<]", "", upper)


def find_siv_zone(lines: Sequence[TextLine]) -> tuple[str, str] | None:
    """The two zone lines' texts among OCR lines (line 1 starts `CRFRA`, line 2 `CI` just
    below), from their first letter on."""
    found = find_siv_zone_lines(lines)
    return zone_texts(found) if found else None


def zone_texts(found: tuple[TextLine, TextLine]) -> tuple[str, str]:
    """The texts of the zone's two lines (`find_siv_zone_lines`), from their first letter on."""
    first, second = (clean_zone_line(line.text) for line in found)
    start = first.find("CRFRA")
    return first[start : start + LINE_LENGTH + 2], second[second.find("CI") :][: LINE_LENGTH + 2]


def find_siv_zone_lines(lines: Sequence[TextLine]) -> tuple[TextLine, TextLine] | None:
    """The two OCR lines that hold the zone (see `find_siv_zone`)."""
    cleaned = [(clean_zone_line(line.text), line) for line in lines]
    for text, line in cleaned:
        start = text.find("CRFRA")
        if start < 0 or len(text) - start < LINE_LENGTH - 4:
            continue
        below = [
            other
            for other_text, other in cleaned
            if other.page == line.page
            and other.y0 > line.center_y
            and other.y0 - line.y1 < 3 * line.height
            and "CI" in other_text[:4]
        ]
        if below:
            return line, min(below, key=lambda other: other.y0)
    return None


# Line 1: `CRFRA`, the plate and its fillers (9), then its check digit, the VIN… Line 2: `CI`,
# the genre and its fillers (3), then the formula number (a year first).
_PLATE_FILLERS = re.compile(r"^(CRFRA)([A-Z0-9]{1,8})(<+)(?=[0-9A-Z])")
_GENRE_FILLERS = re.compile(r"^(CI)([A-Z]{1,2})(<*)(?=[0-9OIZ][0-9OIZ])")
_NAME_FIELD = 25


def _realign_first(line: str) -> str:
    """Line 1 with its plate's fillers counted again: OCR drops or adds a `<` in a run of them,
    which shifts every field after it (the plate field is 9 characters, fillers included)."""
    match = _PLATE_FILLERS.match(line)
    if match is None or len(match[2]) + len(match[3]) == 9:
        return line
    return match[1] + match[2].ljust(9, "<") + line[match.end() :]


def _realign_second(line: str) -> str:
    """Line 2 with its fillers counted again: the genre's (3 characters with them) and the run
    that ends the name field (25), so that the formula, the name and the last two check digits
    stand where they must."""
    match = _GENRE_FILLERS.match(line)
    if match is not None and len(match[2]) + len(match[3]) != 3:
        line = match[1] + match[2].ljust(3, "<") + line[match.end() :]
    name_start = 17
    name, digits = line[name_start:-2], line[-2:]
    if (
        len(name) != _NAME_FIELD
        and name.endswith("<")
        and len(name.rstrip("<")) < _NAME_FIELD
        and digits.translate(_TO_DIGIT).isdigit()
    ):
        line = line[:name_start] + name.rstrip("<").ljust(_NAME_FIELD, "<") + digits
    return line


def _checked(data: str, digit: str, *, alphabet: str | None = None) -> tuple[str, str, bool, bool]:
    """(data, digit, ok, repaired): `data`/`digit` as printed if they pass, else the one
    single-character look-alike substitution that passes (restricted to `alphabet`)."""
    if is_valid(data, digit):
        return data, digit, True, False
    candidates: set[tuple[str, str]] = set()
    digit_options = [digit, *(c for c in _LOOK_ALIKES.get(digit, "") if c.isdigit())]
    for option in digit_options[1:]:
        if is_valid(data, option):
            candidates.add((data, option))
    for index, char in enumerate(data):
        for other in _LOOK_ALIKES.get(char, ""):
            if alphabet is not None and other not in alphabet:
                continue
            changed = data[:index] + other + data[index + 1 :]
            if is_valid(changed, digit):
                candidates.add((changed, digit))
    if len(candidates) == 1:
        repaired_data, repaired_digit = candidates.pop()
        return repaired_data, repaired_digit, True, True
    return data, digit, False, False


def _plate_text(raw: str) -> str | None:
    compact = raw.rstrip("<").replace("<", "")
    plate = read_fr_plate(compact)
    return plate.value if plate else None


# ICAO 9303-3 §6 transliterations of letters that do not reduce to one Latin letter.
_MRZ_SPECIAL = {
    "Ä": "AE",
    "Ö": "OE",
    "Ü": "UE",
    "ß": "SS",
    "Æ": "AE",
    "Œ": "OE",
    "Å": "AA",
    "Ø": "OE",
}
# Characters OCR confuses in the zone's OCR-B, each mapped to one representative for comparing.
_NAME_LOOK_ALIKES = str.maketrans("0QD1L58264", "OOOIISBZGA")


def _zone_form(text: str) -> str:
    """A name in the zone's alphabet: transliterated, every other mark a filler."""
    out = []
    for char in text.upper():
        base = _MRZ_SPECIAL.get(char) or unicodedata.normalize("NFKD", char)[0]
        out.append(base if re.fullmatch(r"[A-Z0-9]+", base) else "<")
    return "".join(out)


def zone_name_field(make: str, commercial_name: str) -> str:
    """How the zone writes D.1 and D.3: `MAKE<<COMMERCIAL<NAME`, 25 characters, MRZ alphabet."""
    return f"{_zone_form(make)}<<{_zone_form(commercial_name)}"[:25].ljust(25, "<")


def _name_from_print(field: str, digit: str, printed: tuple[str, str] | None) -> str | None:
    """The name field rebuilt from the printed D.1/D.3 when it equals what OCR read up to
    look-alikes (`CITR0EN` for `CITROEN`, several at once) and its check digit passes."""
    if printed is None:
        return None
    candidate = zone_name_field(*printed)
    same_shape = candidate.translate(_NAME_LOOK_ALIKES) == field.translate(_NAME_LOOK_ALIKES)
    return candidate if same_shape and is_valid(candidate, digit) else None


# Letters and digits OCR takes for each other in the zone's OCR-B. `6` and `G` weigh the same
# modulo 10 (16 and 6): no check digit tells them apart, the word around them does.
LETTER_DIGIT = {**LETTER_FOR_DIGIT, **{letter: digit for digit, letter in LETTER_FOR_DIGIT.items()}}
_ZONE_MAKES = frozenset(_zone_form(make) for make in MAKES)
# The name field is searched when at most this many of its characters have a look-alike.
MAX_LOOK_ALIKES = 10


def name_by_look_alikes(field: str, digit: str, before: str, composite_digit: str) -> str | None:
    """The name field with letters and digits taken for each other where that makes both its
    check digit and the composite (`before` + name + digit) pass. Only spellings that mix
    letters and digits within a word no more than OCR read them are tried (`8ERL1N60` may
    become `BERLINGO`, never `BERL1NGO` from `BERLINGO`), and the one mixing them least is
    kept when no other mixes them as little; None otherwise.

    Several look-alikes at once can cancel out in one check digit, so the composite must pass
    too. `6` and `G` weigh the same in both: the word around them decides."""
    places = [index for index, char in enumerate(field) if char in LETTER_DIGIT]
    if not places or len(places) > MAX_LOOK_ALIKES:
        return None
    read = [_mixes(word) for word in field.split("<")]
    passing: dict[int, list[str]] = {}
    for flips in itertools.product((False, True), repeat=len(places)):
        chars = list(field)
        for index, flip in zip(places, flips, strict=True):
            if flip:
                chars[index] = LETTER_DIGIT[chars[index]]
        candidate = "".join(chars)
        mixes = [_mixes(word) for word in candidate.split("<")]
        if any(now > was for now, was in zip(mixes, read, strict=True)):
            continue
        if is_valid(candidate, digit) and is_valid(before + candidate + digit, composite_digit):
            passing.setdefault(sum(mixes), []).append(candidate)
    if not passing:
        return None
    fewest = passing[min(passing)]
    if len(fewest) != 1:
        return None
    # A misread that is no look-alike (`YUMAHA`) leaves the truth out of reach, and some other
    # spelling may pass by chance: a name found by trying spellings must have a known make.
    return fewest[0] if _known_make(fewest[0]) else None


def _known_make(name: str) -> bool:
    """Whether the name field starts with a make of `vehicle_codes.MAKES`."""
    return name.partition("<<")[0] in _ZONE_MAKES


def _mixes(word: str) -> int:
    """How often a word switches between letters and digits (`CB500F`: twice)."""
    return sum(a.isdigit() != b.isdigit() for a, b in itertools.pairwise(word))


def parse_siv_zone(
    line1: str, line2: str, *, today: date, printed_names: tuple[str, str] | None = None
) -> SivZone:
    """Decode both lines; unconfirmed values stay None (their check is recorded as failed).
    `printed_names` (D.1, D.3 as printed) may repair the name field's look-alikes."""
    line1 = _realign_first(clean_zone_line(line1)).ljust(LINE_LENGTH, "<")[:LINE_LENGTH]
    line2 = _realign_second(clean_zone_line(line2)).ljust(LINE_LENGTH, "<")[:LINE_LENGTH]
    zone = SivZone(lines=(line1, line2))
    digits = "0123456789"

    plate, plate_cd, ok, repaired = _checked(line1[5:14], line1[14].translate(_TO_DIGIT))
    zone.checks["registration_number"] = ok
    if ok:
        zone.plate = _plate_text(plate)
        if repaired:
            zone.repaired.add("registration_number")

    vin_alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    vin_raw = line1[15:32].translate(str.maketrans("IOQ", "100"))
    vin, vin_cd, ok, repaired = _checked(
        vin_raw, line1[32].translate(_TO_DIGIT), alphabet=vin_alphabet
    )
    zone.checks["vin"] = ok and is_well_formed(vin)
    if zone.checks["vin"]:
        zone.vin = vin
        if repaired or vin != line1[15:32]:
            zone.repaired.add("vin")

    date_raw = line1[33:39].translate(_TO_DIGIT)
    when, when_cd, ok, repaired = _checked(
        date_raw, line1[39].translate(_TO_DIGIT), alphabet=digits
    )
    parsed = parse_yymmdd(when, pivot=today, future=False) if ok else None
    zone.checks["first_registration_date"] = parsed is not None
    zone.first_registration_date = parsed
    if parsed and (repaired or date_raw != line1[33:39]):
        zone.repaired.add("first_registration_date")

    formula_raw = line2[5:16]
    formula_raw = (
        formula_raw[:4].translate(_TO_DIGIT)
        + formula_raw[4:6]
        + formula_raw[6:].translate(_TO_DIGIT)
    )
    formula, formula_cd, ok, repaired = _checked(formula_raw, line2[16].translate(_TO_DIGIT))
    zone.checks["formula_number"] = ok and re.fullmatch(r"\d{4}[A-Z]{2}\d{5}", formula) is not None
    if zone.checks["formula_number"]:
        zone.formula_number = formula
        if repaired or formula != line2[5:16]:
            zone.repaired.add("formula_number")

    name_field = line2[17:42]
    composite_digit = line2[43].translate(_TO_DIGIT)
    before_name = (
        plate + plate_cd + vin + vin_cd + when + when_cd + line2[2:5] + formula + formula_cd
    )  # fmt: skip
    read_cd = line2[42].translate(_TO_DIGIT)
    name, name_cd, ok, repaired = _checked(name_field, read_cd)
    if repaired and not _known_make(name):
        name, name_cd, ok, repaired = name_field, read_cd, False, False
    if not ok and (from_print := _name_from_print(name_field, name_cd, printed_names)):
        name, ok, repaired = from_print, True, True
    if not ok or any(_mixes(word) for word in name.split("<")):
        # Failing, or passing with letters and digits mixed in a word (`DAC1A<<DU5TER`: two
        # look-alikes whose weights cancel in both checks): the least mixed spelling that passes.
        from_shape = name_by_look_alikes(name_field, name_cd, before_name, composite_digit)
        if from_shape is not None and from_shape != name:
            name, ok, repaired = from_shape, True, True
    zone.checks["make"] = ok
    if ok:
        if repaired:
            zone.repaired.add("make")
        make, _, commercial = name.partition("<<")
        zone.make = make.replace("<", " ").strip() or None
        zone.commercial_name = commercial.replace("<", " ").strip() or None
        zone.name_truncated = not name.endswith("<")

    composite_data = before_name + name + name_cd
    zone.checks["composite"] = is_valid(composite_data, composite_digit)
    from_print = _name_from_print(name_field, name_cd, printed_names)
    if not zone.checks["composite"] and from_print and from_print != name:
        # Two look-alikes can cancel out in the name's own check digit (`T0Y0TA`): the printed
        # name is tried when the composite disagrees, and kept only if the composite then passes.
        candidate_data = composite_data[: -len(name + name_cd)] + from_print + name_cd
        if is_valid(candidate_data, composite_digit):
            name, composite_data = from_print, candidate_data
            zone.checks["composite"] = zone.checks["make"] = True
            zone.repaired.add("make")
            make, _, commercial = name.partition("<<")
            zone.make = make.replace("<", " ").strip() or None
            zone.commercial_name = commercial.replace("<", " ").strip() or None
            zone.name_truncated = not name.endswith("<")
    if zone.checks["composite"]:
        genre = line2[2:5].rstrip("<")
        zone.national_genre = genre or None
        # The lines as the check digits confirm them (look-alikes repaired), for the record.
        zone.lines = (
            "CRFRA" + plate + plate_cd + vin + vin_cd + when + when_cd + line1[40:],
            line2[:5] + formula + formula_cd + name + name_cd + line2[43],
        )
    else:
        _drop_repairs(zone)
    return zone


def _drop_repairs(zone: SivZone) -> None:
    """Without the composite to confirm them, repaired values may be a wrong look-alike that
    happens to pass a one-in-ten check: they are dropped, not trusted."""
    for name in zone.repaired:
        zone.checks[name] = False
        if name == "make":
            zone.make = zone.commercial_name = None
        else:
            attribute = "plate" if name == "registration_number" else name
            setattr(zone, attribute, None)
    zone.repaired.clear()
