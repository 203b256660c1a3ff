"""Tunisian carte grise (certificat d'immatriculation): bilingual French/Arabic labels.

Values are found next to their label in either language (`tn_labels`, `tn_vehicle_values`); dates
come as `YYYY/MM/DD` or `DD/MM/YYYY`; the plate `123 تونس 4567` is normalised to `123 TU 4567`.
With the page image at hand, lines mixing scripts and Arabic-only values are read again
(`tn_second_look`); values whose label was lost are found by their shape (`tn_fallbacks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np

from extraction import vin
from extraction.documents.base import DocumentReading
from extraction.documents.fr_vehicle_checks import check_unchecked_code, check_vin
from extraction.documents.tn_fallbacks import add_unlabelled
from extraction.documents.tn_labels import LABELS, is_prose, with_misspelt_labels
from extraction.documents.tn_rows import add_by_rows, value_column
from extraction.documents.tn_second_look import (
    add_bare_plate,
    look_again,
    read_arabic_address,
    read_gaps,
    read_slots,
)
from extraction.documents.tn_vehicle_values import (
    FUELS,
    GENRES,
    PARSERS,
    RANGES,
    read_fuel,
    read_genre,
    read_vin,
    with_model_year,
)
from extraction.layout import LabelHit, find_labels
from extraction.models import DocumentType, FieldResult
from extraction.plates import read_tn_plate
from extraction.printed_values import Read, field_result, guess, read_labelled
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
_VIN_TOKEN = re.compile(r"(?<![A-Z0-9])[A-Z0-9]{17}(?![A-Z0-9])")


def _printed_fields(
    lines: Sequence[TextLine], images: Sequence[np.ndarray] = ()
) -> dict[str, Read]:
    lines = with_misspelt_labels(lines)
    hits = sorted(
        (hit for hit in find_labels(lines, LABELS) if not is_prose(hit)), key=_hit_quality
    )
    found = read_labelled(hits, lines, PARSERS)
    if images:
        look_again(found, hits, lines, images)
    # Unlabelled (the label was cut off or unread): only unmistakable shapes, as guesses.
    for line in lines:
        plate = read_tn_plate(line.text)
        if "registration_number" not in found and plate:
            found["registration_number"] = guess(Read(plate.value, line.confidence))
        token = _VIN_TOKEN.search(line.text.upper())
        read = read_vin(token.group(0), line.confidence) if token else None
        if "vin" not in found and read and vin.is_well_formed(str(read.value)):
            found["vin"] = guess(read)
    if "registration_number" not in found:
        add_bare_plate(found, lines, images)
    column = value_column(lines, found)
    if column is not None:
        add_by_rows(column, found)
    add_unlabelled(lines, found, fuel=read_fuel, genre=read_genre, genres_known=GENRES)
    if images and column is not None:
        read_gaps(found, column, images)
    if images:
        read_slots(found, hits, lines, images)
        read_arabic_address(found, hits, column, images)
    _repair_model_year(found)
    return found


def _repair_model_year(found: dict[str, Read]) -> None:
    """A VIN whose model-year character was read as its look-alike, put right by the first
    registration's year: a guess, the year tells only what is likely."""
    read, first = found.get("vin"), found.get("first_registration_date")
    if read is None or first is None:
        return
    repaired = with_model_year(str(read.value), int(str(first.value)[:4]))
    if repaired is not None:
        found["vin"] = guess(Read(repaired, read.confidence))


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


def _check_numbers(assessment: Assessment, fields: dict[str, FieldResult]) -> None:
    values: dict[str, int] = {}
    for name, (low, high) in RANGES.items():
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
