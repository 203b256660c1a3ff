"""Comparing an AI value with the local evidence, and spotting a contradicted document type."""

from __future__ import annotations

from extraction.models import DocumentType
from extraction.providers.verify import contradicting_type, same_value
from extraction.text import TextLine
from tests.extraction.providers.conftest import passport_lines


def test_values_compare_without_case_accents_or_punctuation() -> None:
    assert same_value("given_names", "ÉLODIE-CLAIRE", "ELODIE CLAIRE")
    assert same_value("registration_number", "ab-123-cd", "AB123CD")
    assert same_value("seats", 5, "5")
    assert not same_value("document_number", "XK4711230", "XK4711239")


def test_truncated_mrz_names_still_agree_but_other_prefixes_do_not() -> None:
    assert same_value("surname", "DE LA FONTAINE-MONTGOLFIER", "DELAFONTAINEMONTGOL")
    assert not same_value("document_number", "XK471123", "XK4711230")


def test_machine_readable_zones_name_the_type() -> None:
    lines = passport_lines()
    assert contradicting_type(lines, [], DocumentType.FR_VEHICLE_REGISTRATION)
    assert not contradicting_type(lines, [], DocumentType.PASSPORT)
    assert contradicting_type([], ["FFT1;123;A;B;2000-01-01;2025;NC;CLUB"], DocumentType.PASSPORT)
    plain = [TextLine("CERTIFICAT D'IMMATRICULATION", 0.9, 0, 0, 1, 0.1)]
    assert not contradicting_type(plain, [], DocumentType.FFT_LICENCE)  # nothing proven: no veto
