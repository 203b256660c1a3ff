"""The rules of the French certificat d'immatriculation, whatever read it (OCR, zone, AI, user).

Sources: arrêté du 9 février 2009 (plates, code lists), ISO 3779 (VIN), ANTS notice (B ≤ I,
F.2 ≤ F.1). A VIN check digit that fails is only doubtful: it is mandatory in North America only.
"""

from __future__ import annotations

import re
from datetime import date

from extraction import vehicle_codes, vin
from extraction.documents.base import DocumentReading
from extraction.documents.fr_vehicle_values import FORMULA
from extraction.findings import Finding
from extraction.models import FieldResult, Source
from extraction.plates import PlateKind, read_fr_plate
from extraction.printed_values import has_code_look_alikes
from extraction.rules import SURE_READING, Assessment, check_registration_dates, iso_date

# Plausible bounds of each number (a value outside is a misreading or a forged card).
RANGES: dict[str, tuple[int, int]] = {
    "max_laden_mass_kg": (50, 60_000),
    "max_laden_mass_service_kg": (50, 60_000),
    "mass_in_service_kg": (30, 60_000),
    "displacement_cc": (30, 20_000),
    "net_power_kw": (1, 1_500),
    "fiscal_power_cv": (1, 200),
    "seats": (1, 99),
    "co2_g_km": (0, 999),
}
_FORMATS: dict[str, re.Pattern[str]] = {
    "total_tax_eur": re.compile(r"\d{1,6}\.\d{2}"),
    "formula_number": FORMULA,
    # The CNIT has 12 characters, 15 since the 2009 reform (ANTS).
    "cnit": re.compile(r"[A-Z0-9]{12}|[A-Z0-9]{15}"),
}
_POSTCODE_AND_COMMUNE = re.compile(r"(?<!\d)\d{5}\s+[^\W\d]")
# K: an EU type-approval number (`e2*2007/46*0123*05`, Regulation (EU) 2018/858 annex IV);
# national approvals exist too, so another shape is only doubtful.
_EU_APPROVAL = re.compile(r"e\d{1,2}\*\d{2,4}/\d{1,4}(?:/[A-Z]{2,3})?\*\d{4,5}\*\d{2}")


def check_plate(assessment: Assessment, result: FieldResult) -> None:
    """A French plate number: known shape, issued letters and series (provisional is noted)."""
    if result.value is None:
        return
    plate = read_fr_plate(str(result.value))
    if plate is None or plate.value != result.value:
        assessment.error("registration_number", "plate_format_unknown", value=str(result.value))
    elif plate.problem:
        assessment.error("registration_number", plate.problem, value=plate.value)
    elif plate.kind is PlateKind.SIV_PROVISIONAL:
        assessment.findings.append(
            Finding("plate_provisional", "registration_number", {"value": plate.value})
        )


def check_vin(assessment: Assessment, result: FieldResult) -> None:
    """17 characters without I, O, Q; a failing position-9 check digit is a doubt."""
    if result.value is None:
        return
    value = str(result.value)
    if not vin.is_well_formed(value):
        assessment.error("vin", "vin_format", value=value)
    elif not vin.check_digit_ok(value):
        assessment.doubt("vin", "vin_check_digit", value=value)


def _check_numbers(assessment: Assessment, fields: dict[str, FieldResult]) -> None:
    for name, (low, high) in RANGES.items():
        value = fields[name].value
        if value is None:
            continue
        if not isinstance(value, int):
            assessment.error(name, "format_invalid", value=str(value))
        elif not low <= value <= high:
            assessment.error(name, "value_out_of_range", value=value, low=low, high=high)
    maximum = fields["max_laden_mass_kg"].value
    service = fields["max_laden_mass_service_kg"].value
    if isinstance(maximum, int) and isinstance(service, int) and service > maximum:
        assessment.error(
            "max_laden_mass_service_kg", "mass_above_maximum", service=service, maximum=maximum
        )


def check_unchecked_code(assessment: Assessment, name: str, result: FieldResult) -> None:
    """A type code (D.2) is random characters with no check digit: when a machine read one
    holding a look-alike (`33B5` is often read `3385`, at 0.99), nothing confirms the reading."""
    read_by_machine = result.source not in (None, Source.USER)
    if read_by_machine and has_code_look_alikes(str(result.value or "")):
        assessment.doubt(name, "low_confidence", report=False)


def _check_codes(assessment: Assessment, fields: dict[str, FieldResult]) -> None:
    for name in vehicle_codes.CODE_LISTS:
        value = fields[name].value
        if value is not None and not vehicle_codes.is_known_code(name, str(value)):
            assessment.error(name, "code_unknown", value=str(value))


def _check_dates(assessment: Assessment, fields: dict[str, FieldResult], today: date) -> None:
    check_registration_dates(assessment, fields, today=today)
    inspection = iso_date(fields["technical_inspection_date"].value)
    if fields["technical_inspection_date"].value is not None and inspection is None:
        assessment.error(
            "technical_inspection_date",
            "date_not_real",
            value=str(fields["technical_inspection_date"].value),
        )
    elif inspection and inspection < today:
        assessment.doubt(
            "technical_inspection_date", "technical_inspection_overdue", date=inspection.isoformat()
        )


def check_fields(reading: DocumentReading, *, today: date) -> None:
    """Apply every rule, set each field's status and add the findings to the reading."""
    fields = reading.fields
    assessment = Assessment()
    check_plate(assessment, fields["registration_number"])
    check_vin(assessment, fields["vin"])
    _check_dates(assessment, fields, today)
    _check_numbers(assessment, fields)
    _check_codes(assessment, fields)
    for name, pattern in _FORMATS.items():
        value = fields[name].value
        if value is not None and not pattern.fullmatch(str(value)):
            assessment.error(name, "format_invalid", value=str(value))
    # V.9 always names a Euro level or the directive that sets it: a class without a digit is
    # a misreading.
    environmental = fields["environmental_class"].value
    if environmental is not None and not re.search(r"\d", str(environmental)):
        assessment.doubt("environmental_class", "format_invalid", value=str(environmental))
    # A French address ends with its postcode and commune (La Poste, NF Z 10-011): one that stops
    # before the commune lost its last line.
    address = fields["holder_address"].value
    if address is not None and not _POSTCODE_AND_COMMUNE.search(str(address)):
        assessment.doubt("holder_address", "format_invalid", report=False)
    # D.3 names the model under the make (RENAULT / CAPTUR): the make read again as D.3, or a
    # make's name as D.3 while D.1 went unread, is more likely the D.1 line paired with the wrong
    # code than a model named after its make.
    commercial, make = fields["commercial_name"].value, fields["make"].value
    if commercial is not None and (
        commercial == make or (make is None and str(commercial) in vehicle_codes.MAKES)
    ):
        assessment.doubt("commercial_name", "low_confidence", report=False)
    approval = fields["type_approval"].value
    if approval is not None and not _EU_APPROVAL.fullmatch(str(approval)):
        assessment.doubt("type_approval", "format_invalid", value=str(approval))
    check_unchecked_code(assessment, "type_variant_version", fields["type_variant_version"])
    assessment.settle(fields, min_confidence=SURE_READING)
    reading.findings.extend(assessment.findings)
