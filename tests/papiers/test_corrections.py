"""A typed correction is normalised like a reading and checked by the document type's rules."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.documents import spec_for
from extraction.documents.base import DocumentReading
from extraction.models import (
    DocumentType,
    EngineInfo,
    FieldResult,
    FieldStatus,
    ScanResult,
    ScanWarning,
    Source,
)
from papiers.corrections import CorrectionRefused, apply_correction

TODAY = date(2026, 11, 21)
VEHICLE: dict[str, str | int | None] = {
    "registration_number": "LJ-857-NF", "first_registration_date": "2017-09-14",
    "holder_name": "DUBOIS ANAIS CECILE", "holder_address": "14 RUE HOCHE 67087 STRASBOURG",
    "make": "PEUGEOT", "type_variant_version": "YJSNN036", "cnit": "M10PGTVP0J6V0S5",
    "commercial_name": "3008", "vin": "VF3YPA018HW425614", "max_laden_mass_kg": 1878,
    "max_laden_mass_service_kg": 1878, "mass_in_service_kg": 1466, "certificate_date": "2025-02-09",
    "eu_category": "M1", "national_genre": "VP", "eu_body": "AF", "national_body": "CI",
    "type_approval": "e2*2007/46*3300*29", "displacement_cc": 1900, "net_power_kw": 106,
    "fuel": "EE", "fiscal_power_cv": 8, "seats": 5, "co2_g_km": 132,
    "environmental_class": "EURO 6D", "technical_inspection_date": None,
    "total_tax_eur": "493.76", "formula_number": "2025KH19553",
}  # fmt: skip
PROVIDERS_DISAGREE = ScanWarning(code="providers_disagree", field="make", message="…")


def vehicle() -> ScanResult:
    reading = DocumentReading(
        fields={
            k: FieldResult(value=v, confidence=0.95, source=Source.OCR) for k, v in VEHICLE.items()
        }
    )
    spec_for(DocumentType.FR_VEHICLE_REGISTRATION).check(reading, today=TODAY)
    return ScanResult(
        document_type=DocumentType.FR_VEHICLE_REGISTRATION,
        country="FRA",
        fields=reading.fields,
        warnings=[PROVIDERS_DISAGREE],
        engine=EngineInfo(provider="local"),
    )


def correct(field: str, text: str, result: ScanResult | None = None) -> ScanResult:
    return apply_correction(result or vehicle(), field, text, today=TODAY, language="fr").result


def refusal(field: str, text: str) -> list[str]:
    with pytest.raises(CorrectionRefused) as refused:
        correct(field, text)
    return refused.value.reasons


def test_values_are_normalised_like_a_reading() -> None:
    assert correct("registration_number", "lj 857nf").fields["registration_number"].value == (
        "LJ-857-NF"
    )
    assert correct("displacement_cc", "1 598").fields["displacement_cc"].value == 1598
    assert (
        correct("certificate_date", "09.02.2025").fields["certificate_date"].value == "2025-02-09"
    )
    assert correct("make", "  peugeot  ").fields["make"].value == "PEUGEOT"
    assert correct("type_approval", "e2*2007/46*3300*30").fields["type_approval"].value == (
        "e2*2007/46*3300*30"
    )


def test_a_corrected_field_is_marked_user_and_checked() -> None:
    corrected = apply_correction(vehicle(), "seats", "7", today=TODAY, language="fr")
    seats = corrected.result.fields["seats"]
    assert (seats.value, seats.source, seats.status, seats.confidence) == (
        7, Source.USER, FieldStatus.VALID, 1.0,
    )  # fmt: skip
    assert (corrected.old_value, corrected.new_value) == (5, 7)
    assert corrected.result.fields["make"].source is Source.OCR


def test_hard_rule_breaks_are_refused_with_the_rules_message() -> None:
    assert refusal("seats", "cinq") == ["Ce champ attend un nombre entier."]
    assert refusal("first_registration_date", "31/02/2020")[0].startswith("Envoyez une date")
    [reason] = refusal("vin", "VF3YPA018HW42561")
    assert "VF3YPA018HW42561" in reason and "17" in reason
    [reason] = refusal("first_registration_date", "2026-01-01")
    assert "2026-01-01" in reason and "2025-02-09" in reason
    assert refusal("seats", "500")
    assert refusal("surname", "X") == ["Ce champ ne peut pas être corrigé."]
    assert refusal("make", "   ") == ["Envoyez une valeur de 1 à 200 caractères."]


def test_a_doubtful_value_is_accepted_with_its_warning() -> None:
    result = correct("vin", "VF3YPA018HW425615")  # position-9 check digit fails: a doubt
    assert result.fields["vin"].status is FieldStatus.WARNING
    assert [w.code for w in result.warnings if w.field == "vin"] == ["vin_check_digit"]


def test_rules_between_fields_follow_the_correction_and_other_warnings_stay() -> None:
    result = correct("certificate_date", "2010-03-12")
    assert result.fields["certificate_date"].status is FieldStatus.VALID
    assert result.fields["first_registration_date"].status is FieldStatus.INVALID
    codes = [(w.code, w.field) for w in result.warnings]
    assert ("registration_after_certificate", "first_registration_date") in codes
    assert ("providers_disagree", "make") in codes  # not a rule's warning: kept as it was

    fixed = correct("certificate_date", "2025-02-09", result)
    assert fixed.fields["first_registration_date"].status is FieldStatus.VALID
    assert "registration_after_certificate" not in [w.code for w in fixed.warnings]


def test_an_agents_spelling_is_kept_as_typed() -> None:
    reading = DocumentReading(
        fields={"birth_place": FieldResult(value="NIMES", confidence=0.95, source=Source.OCR)}
    )
    spec_for(DocumentType.FR_IDENTITY_CARD).check(reading, today=TODAY)
    card = ScanResult(
        document_type=DocumentType.FR_IDENTITY_CARD,
        country="FRA",
        fields=reading.fields,
        engine=EngineInfo(provider="local"),
    )
    # A letter French does not write stays doubtful, but the rules do not rewrite what was typed.
    corrected = correct("birth_place", "Nímes", card)
    assert corrected.fields["birth_place"].value == "NÍMES"
    assert corrected.fields["birth_place"].status is FieldStatus.WARNING
