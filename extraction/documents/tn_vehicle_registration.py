"""Tunisian carte grise (certificat d'immatriculation): bilingual French/Arabic labels.

Values are found next to their label in either language; dates come as `YYYY/MM/DD` or
`DD/MM/YYYY`; the plate `123 تونس 4567` is normalised to `123 TU 4567`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from difflib import SequenceMatcher, get_close_matches

import numpy as np

from extraction import vin
from extraction.documents.base import DocumentReading
from extraction.documents.fr_vehicle_checks import check_unchecked_code, check_vin
from extraction.documents.tn_fallbacks import add_unlabelled
from extraction.documents.tn_second_look import (
    arabic_value,
    read_slot,
    reread_words,
    settle_reread,
    value_line,
)
from extraction.layout import LabelHit, find_labels
from extraction.models import DocumentType, FieldResult
from extraction.plates import read_tn_plate
from extraction.printed_values import (
    REPAIR_PENALTY,
    Read,
    field_result,
    guess,
    read_date,
    read_int,
    read_labelled,
    read_text,
)
from extraction.rules import SURE_READING, Assessment, check_registration_dates
from extraction.text import TextLine

FIELD_NAMES: tuple[str, ...] = (
    "registration_number",
    "first_registration_date",
    "owner_name",
    "owner_address",
    "make",
    "commercial_type",
    "vehicle_type",
    "vin",
    "fuel",
    "fiscal_power_cv",
    "seats",
    "gross_weight_kg",
    "empty_weight_kg",
    "genre",
    "certificate_date",
)
_I = re.IGNORECASE
LABELS: dict[str, re.Pattern[str]] = {
    "registration_number": re.compile(r"(?:N[°o]\s*d'?\s*)?immatriculation|رقم\s*التسجيل", _I),
    "first_registration_date": re.compile(
        r"(?:Date\s*(?:de\s*)?)?[1lI](?:[èe]re|er)\s*mise\s*en\s*circulation|أول\s*جولان", _I
    ),
    "owner_name": re.compile(r"(?:Nom\s*(?:et\s*pr[ée]nom|du\s*)?\s*)?propri[ée]taire|المالك", _I),
    "owner_address": re.compile(r"Adresse|العنوان", _I),
    "make": re.compile(r"Marque|Constructeur|الصانع|العلامة", _I),
    "commercial_type": re.compile(r"Type\s*commercial|النوع\s*التجاري", _I),
    "vehicle_type": re.compile(r"Type\s*constructeur|Type(?!\s*commercial)|الطراز", _I),
    "vin": re.compile(
        r"N[°o]?\s*(?:de\s*)?s[ée]rie(?:\s*du\s*type)?(?:\s*\(?VIN\)?)?|VIN|الرقم\s*التسلسلي", _I
    ),
    "fuel": re.compile(r"[ÉE]nergie|Carburant|الطاقة", _I),
    "fiscal_power_cv": re.compile(r"Puissance(?:\s*fiscale)?|القوة\s*الجبائية", _I),
    "seats": re.compile(r"(?:Nombre\s*de\s*)?places(?:\s*assises)?|عدد\s*المقاعد", _I),
    "gross_weight_kg": re.compile(
        r"(?:Poids\s*total\s*(?:en\s*charge)?|P\.?T\.?A\.?C\.?)|الوزن\s*الجملي", _I
    ),
    "empty_weight_kg": re.compile(r"Poids\s*[àa]\s*vide|الوزن\s*الفارغ", _I),
    "genre": re.compile(r"Genre|الصنف", _I),
    # Signed "Tunis le 20/07/2018" (or another town), "تونس في" in Arabic.
    "certificate_date": re.compile(
        r"[A-Z][a-zè]+\s+le(?=\s*\d)|D[ée]livr[ée]e?\s*le|Date\s*(?:de\s*)?d[ée]livrance"
        r"|تونس\s*في|تاريخ\s*التسليم"
    ),
}
# The French labels as printed, for labels OCR misspelt beyond the patterns above.
PRINTED_LABELS: dict[str, str] = {
    "registration_number": "N° d'immatriculation",
    "first_registration_date": "Date 1ère mise en circulation",
    "owner_name": "Propriétaire",
    "owner_address": "Adresse",
    "make": "Marque",
    "commercial_type": "Type commercial",
    "vehicle_type": "Type constructeur",
    "genre": "Genre",
    "vin": "N° de série (VIN)",
    "fuel": "Energie",
    "fiscal_power_cv": "Puissance fiscale",
    "seats": "Nombre de places",
    "gross_weight_kg": "Poids total en charge",
    "empty_weight_kg": "Poids à vide",
}
# A misspelt label resembles its own printed form this much (difflib ratio) and the next best
# one far less: values (names, makes, fuels) stay under 0.55 against every label.
LABEL_LIKENESS = 0.7
LABEL_LEAD = 0.15
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
_VIN_TOKEN = re.compile(r"(?<![A-Z0-9])[A-Z0-9]{17}(?![A-Z0-9])")
_ARABIC = re.compile(r"[\u0600-\u06FF]+")


def _latin(text: str, confidence: float) -> Read | None:
    """The French part of a bilingual value (the Arabic part is dropped when Latin is present)."""
    latin = _ARABIC.sub(" ", text)
    return read_text(latin if latin.strip(" :/") else text, confidence)


# Where Arabic `تونس` was printed, OCR often returns only the two numbers around it.
_NUMBERS_ONLY = re.compile(r"^\s*(\d{1,3})\s+(?:[A-Z]{1,2}\s+)?(\d{1,4})(?!\d)(.*)$")
# A second copy of the numbers that disagrees with the first costs this share of confidence.
DISAGREEING_COPY = 0.5


def _plate(text: str, confidence: float) -> Read | None:
    """The plate next to its label; when only its numbers were read, `TU` is deduced (a guess,
    never valid: the series word was not seen), and a second copy that disagrees lowers it more."""
    plate = read_tn_plate(text)
    if plate:
        return Read(plate.value, confidence)
    numbers = _NUMBERS_ONLY.match(text.upper())
    if numbers is None:
        return None
    series, number, rest = numbers.groups()
    copy = re.findall(r"\d+", rest)
    share = 1.0 if not copy or copy == [series, number] else DISAGREEING_COPY
    return guess(Read(f"{int(series)} TU {int(number)}", confidence * share))


def _vin(text: str, confidence: float) -> Read | None:
    for token in [text, *text.split()]:
        cleaned, repairs = vin.clean_vin(token)
        if len(cleaned) == vin.VIN_LENGTH:
            return Read(cleaned, confidence - REPAIR_PENALTY * repairs)
    return None


def _fuel(text: str, confidence: float) -> Read | None:
    for word in re.split(r"[\s/|:]+", text.upper()):
        if word in FUELS:
            return Read(FUELS[word], confidence)
        # Arabic glued to the French word comes out as a stray Latin letter ("GASOILJ").
        known = [name for name in FUELS if len(name) >= 3 and word.startswith(name)]
        if len(known) == 1:
            return Read(FUELS[known[0]], confidence - REPAIR_PENALTY)
    return None


def _genre(text: str, confidence: float) -> Read | None:
    """The genre in words; read with a space inside, it costs a repair. Found among stray
    letters (the Arabic beside it misread), one letter off, or cut and completed from the list
    when only one genre holds it, it is a guess: the letters around it may be its own."""
    read = _latin(text, confidence)
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
    for candidates in (inside, close, fits):
        if len(candidates) == 1 or (candidates is inside and candidates):
            return guess(Read(max(candidates, key=len), read.confidence))
    return read


def _known_genre(text: str, confidence: float) -> Read | None:
    read = _genre(text, confidence)
    return read if read is not None and read.value in GENRES else None


_UNIT = re.compile(r"\d\s*(KG|CV)\b", re.IGNORECASE)


def _count(unit: str | None, max_digits: int) -> Callable[[str, float], Read | None]:
    """A number printed with `unit` (or none): a neighbour row's `1930 kg` is no seat count."""

    def parse(text: str, confidence: float) -> Read | None:
        units = {match.upper() for match in _UNIT.findall(text)}
        if units - {unit}:
            return None
        return read_int(text, confidence, max_digits=max_digits)

    return parse


def _date(text: str, confidence: float) -> Read | None:
    return read_date(text, confidence)


PARSERS: dict[str, Callable[[str, float], Read | None]] = {
    "registration_number": _plate,
    "first_registration_date": _date,
    "owner_name": _latin,
    "owner_address": _latin,
    "make": _latin,
    "commercial_type": _latin,
    "vehicle_type": _latin,
    "vin": _vin,
    "fuel": _fuel,
    "fiscal_power_cv": _count("CV", 3),
    "seats": _count(None, 2),
    "gross_weight_kg": _count("KG", 5),
    "empty_weight_kg": _count("KG", 5),
    "genre": _genre,
    "certificate_date": _date,
}


def _printed_fields(
    lines: Sequence[TextLine], images: Sequence[np.ndarray] = ()
) -> dict[str, Read]:
    lines = _with_misspelt_labels(lines)
    hits = sorted((hit for hit in find_labels(lines, LABELS) if not _prose(hit)), key=_hit_quality)
    found = read_labelled(hits, lines, PARSERS)
    if images:
        _look_again(found, hits, lines, images)
    # Unlabelled (the label was cut off or unread): only unmistakable shapes, as guesses.
    for line in lines:
        plate = read_tn_plate(line.text)
        if "registration_number" not in found and plate:
            found["registration_number"] = guess(Read(plate.value, line.confidence))
        token = _VIN_TOKEN.search(line.text.upper())
        read = _vin(token.group(0), line.confidence) if token else None
        if "vin" not in found and read and vin.is_well_formed(str(read.value)):
            found["vin"] = guess(read)
    if "registration_number" not in found:
        _add_bare_plate(found, lines, images)
    add_unlabelled(lines, found, fuel=_fuel, genre=_genre, genres_known=GENRES)
    if images:
        _read_slots(found, hits, lines, images)
    return found


# Two numbers alone on a line, once or twice (both copies): the plate whose `تونس` went unread.
_BARE_PLATE = re.compile(r"^\s*(\d{1,3}\s+\d{1,4})(?:\s+\1)?\s*$")


def _add_bare_plate(
    found: dict[str, Read], lines: Sequence[TextLine], images: Sequence[np.ndarray]
) -> None:
    """The plate without its label, when a single line holds only its two numbers: read again
    word by word where the page image is at hand, a guess either way."""
    bare = [line for line in lines if _BARE_PLATE.match(line.text)]
    if len(bare) != 1:
        return
    read = reread_words(images, bare[0], _plate) if images else None
    read = read or _plate(bare[0].text, bare[0].confidence)
    if read is not None:
        found["registration_number"] = guess(read)


def _with_unit(unit: str, max_digits: int) -> Callable[[str, float], Read | None]:
    """A number followed by its `unit`: a box found by chance in a slot must show it."""
    shape = re.compile(rf"^\s*\d{{1,{max_digits}}}\s*{unit}\s*$", re.IGNORECASE)
    count = _count(unit, max_digits)
    return lambda text, confidence: count(text, confidence) if shape.match(text) else None


def _alone(text: str, confidence: float) -> Read | None:
    return (
        read_int(text, confidence, max_digits=2) if re.fullmatch(r"\s*\d{1,2}\s*", text) else None
    )


# Short values whose box the detector may miss (a lone `5`): their label's slot is read again,
# and what is read there must have the value's whole shape (the slot may hold another row's).
_SLOT_PARSERS: dict[str, Callable[[str, float], Read | None]] = {
    "first_registration_date": _date,
    "fiscal_power_cv": _with_unit("CV", 3),
    "seats": _alone,
    "gross_weight_kg": _with_unit("KG", 5),
    "empty_weight_kg": _with_unit("KG", 5),
}


def _read_slots(
    found: dict[str, Read],
    hits: Sequence[LabelHit],
    lines: Sequence[TextLine],
    images: Sequence[np.ndarray],
) -> None:
    """Short values still missing, read in their label's slot where no box was read; a number
    outside the field's range is some other row's."""
    for name in _SLOT_PARSERS:
        label = next((hit.line for hit in hits if hit.key == name and not hit.inline_value), None)
        if name in found or label is None or value_line(hits, lines, name) is not None:
            continue
        read = read_slot(images, label, _SLOT_PARSERS[name])
        low, high = _RANGES.get(name, (0, 0))
        if read is not None and (name not in _RANGES or low <= int(read.value) <= high):
            found[name] = read


def _with_misspelt_labels(lines: Sequence[TextLine]) -> list[TextLine]:
    """The lines, with a label OCR misspelt (`Mpe comeecal`, `Poids b vile`: the labels are set
    small and pale) given its printed spelling when it resembles one label only."""
    fixed = []
    for line in lines:
        text = line.text.strip()
        if sum(char.isalpha() for char in text) < 4 or any(
            pattern.search(text) for pattern in LABELS.values()
        ):
            fixed.append(line)
            continue
        likeness = sorted(
            ((SequenceMatcher(None, text.lower(), label.lower()).ratio(), label)
             for label in PRINTED_LABELS.values()),
            reverse=True,
        )  # fmt: skip
        (best, label), (second, _) = likeness[0], likeness[1]
        if best >= LABEL_LIKENESS and best - second >= LABEL_LEAD:
            fixed.append(replace(line, text=label))
        else:
            fixed.append(line)
    return fixed


def _look_again(
    found: dict[str, Read],
    hits: Sequence[LabelHit],
    lines: Sequence[TextLine],
    images: Sequence[np.ndarray],
) -> None:
    """Read bilingual value lines again word by word, and an Arabic-only address with the
    Arabic model (see `tn_second_look`)."""
    plate_line = value_line(hits, lines, "registration_number")
    if plate_line is not None:
        settle_reread(found, "registration_number", reread_words(images, plate_line, _plate))
    # A genre read whole may be cut short into another one (`CAMION` for `CAMIONNETTE`); when
    # its label is not on the same row, the line holding a genre word is the one to read again.
    genre_line = value_line(hits, lines, "genre")
    genre_lines = [line for line in lines if _known_genre(line.text, line.confidence)]
    if genre_line is None and len(genre_lines) == 1:
        genre_line = genre_lines[0]
    if genre_line is not None:
        settle_reread(found, "genre", reread_words(images, genre_line, _known_genre))
    fuel_line = value_line(hits, lines, "fuel")
    if fuel_line is not None and "fuel" not in found:
        settle_reread(found, "fuel", reread_words(images, fuel_line, _fuel))
    if "owner_address" not in found:
        address = arabic_value(
            hits, lines, images, "owner_address",
            strip=lambda text: LABELS["owner_address"].sub(" ", text),
        )  # fmt: skip
        if address is not None:
            found["owner_address"] = address


def _prose(hit: LabelHit) -> bool:
    """A label word in lower case with words after it (`adresse agence …`) is running text on
    a paper beside the card: the certificate capitalises its labels."""
    return hit.line.text[hit.start : hit.start + 1].islower() and bool(hit.inline_value)


def _hit_quality(hit: LabelHit) -> tuple[bool, float]:
    return (not hit.inline_value, -hit.line.confidence)


class TnVehicleRegistrationSpec:
    """The Tunisian carte grise: read by bilingual labels, checked by its rules."""

    document_type = DocumentType.TN_VEHICLE_REGISTRATION
    country: str | None = "TUN"
    field_names = FIELD_NAMES

    def read(self, lines: Sequence[TextLine], barcodes: Sequence[str] = ()) -> DocumentReading:
        """Every field from its French or Arabic label."""
        return self.read_pages(lines, barcodes, ())

    def read_pages(
        self,
        lines: Sequence[TextLine],
        barcodes: Sequence[str],
        images: Sequence[np.ndarray],
    ) -> DocumentReading:
        """As `read`, with a second look at the page images (`images[line.page]`) where the
        lines mix scripts or the value is printed in Arabic only."""
        printed = _printed_fields(lines, images)
        return DocumentReading(
            fields={name: field_result(printed.get(name)) for name in FIELD_NAMES}
        )

    def check(self, reading: DocumentReading, *, today: date) -> None:
        """Plate shape, VIN, dates (first registration ≤ certificate), weights and counts."""
        fields = reading.fields
        assessment = Assessment()
        plate = fields["registration_number"].value
        if plate is not None:
            parsed = read_tn_plate(str(plate))
            if parsed is None or parsed.value != plate:
                assessment.error("registration_number", "plate_format_unknown", value=str(plate))
        check_vin(assessment, fields["vin"])
        check_unchecked_code(assessment, "vehicle_type", fields["vehicle_type"])
        check_registration_dates(assessment, fields, today=today)
        _check_numbers(assessment, fields)
        fuel = fields["fuel"].value
        if fuel is not None and fuel not in FUELS.values():
            assessment.error("fuel", "code_unknown", value=str(fuel))
        genre = fields["genre"].value
        if genre is not None and genre not in GENRES:
            assessment.doubt("genre", "code_unknown", value=str(genre))
        assessment.settle(fields, min_confidence=SURE_READING)
        reading.findings.extend(assessment.findings)


_RANGES = {
    "fiscal_power_cv": (1, 200),
    "seats": (1, 99),
    "gross_weight_kg": (50, 60_000),
    "empty_weight_kg": (30, 60_000),
}


def _check_numbers(assessment: Assessment, fields: dict[str, FieldResult]) -> None:
    values: dict[str, int] = {}
    for name, (low, high) in _RANGES.items():
        value = fields[name].value
        if value is None:
            continue
        if not isinstance(value, int):
            assessment.error(name, "format_invalid", value=str(value))
        elif not low <= value <= high:
            assessment.error(name, "value_out_of_range", value=value, low=low, high=high)
        else:
            values[name] = value
    empty, gross = values.get("empty_weight_kg"), values.get("gross_weight_kg")
    if empty is not None and gross is not None and empty > gross:
        assessment.error("empty_weight_kg", "empty_weight_above_gross", empty=empty, gross=gross)


SPEC = TnVehicleRegistrationSpec()
