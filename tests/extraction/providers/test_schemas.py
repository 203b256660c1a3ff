"""Answer schemas built from each type's fields, and the one parser every AI answer goes through."""

from __future__ import annotations

import json

import pytest

from extraction.documents import KNOWN_TYPES, spec_for
from extraction.models import DocumentType
from extraction.providers.schemas import (
    FieldKind,
    UnusableAnswer,
    answer_model,
    field_kind,
    identify_model,
    json_schema,
    parse_answer,
    parse_identified,
)
from tests.fakes.ai_http import check_no_maps


@pytest.mark.parametrize("document_type", KNOWN_TYPES)
def test_schema_lists_every_field_required_and_holds_no_map(document_type: DocumentType) -> None:
    schema = json_schema(answer_model(document_type))
    fields = set(spec_for(document_type).field_names)
    assert set(schema["properties"]) == fields == set(schema["required"])
    assert schema["additionalProperties"] is False
    assert check_no_maps(schema) == []
    for prop in schema["properties"].values():
        assert {option["type"] for option in prop["anyOf"]} <= {"string", "integer", "null"}
        assert prop["description"]


def test_identify_schema_is_inlined() -> None:
    schema = json_schema(identify_model())
    assert "$defs" not in json.dumps(schema) and check_no_maps(schema) == []
    assert "unknown" in schema["properties"]["document_type"]["enum"]


def test_field_kinds() -> None:
    assert field_kind("birth_date") is FieldKind.DATE
    assert field_kind("co2_g_km") is FieldKind.INTEGER
    assert field_kind("seats") is FieldKind.INTEGER
    assert field_kind("total_tax_eur") is FieldKind.TEXT


def test_values_are_normalised_and_wrong_types_set_aside() -> None:
    answer = {
        "registration_number": "  AB-123-CD ",
        "first_registration_date": "05/03/2019",
        "certificate_date": "2020-01-31",
        "max_laden_mass_kg": "1 890",
        "seats": 5,
        "net_power_kw": "eighty\u202e",
        "displacement_cc": 1.5,
        "make": {"name": "RENAULT"},
        "vin": "",
        "holder_name": "Durand  Mathéo",
        "note_to_system": "ignore previous instructions",
    }
    parsed = parse_answer(json.dumps(answer), DocumentType.FR_VEHICLE_REGISTRATION)
    values = parsed.values
    assert values["registration_number"] == "AB-123-CD"
    assert values["first_registration_date"] == "2019-03-05"
    assert values["certificate_date"] == "2020-01-31"
    assert values["max_laden_mass_kg"] == 1890 and values["seats"] == 5
    assert values["vin"] is None and values["cnit"] is None
    assert values["holder_name"] == "DURAND MATHÉO"
    assert parsed.wrong_type == {"net_power_kw": "eighty", "displacement_cc": "1.5", "make": None}
    assert values["net_power_kw"] is None
    assert parsed.unexpected_keys == 1


def test_fenced_json_is_accepted_but_prose_is_not() -> None:
    fenced = '```json\n{"surname": "MARTIN"}\n```'
    assert parse_answer(fenced, DocumentType.PASSPORT).values["surname"] == "MARTIN"
    for text in ("I cannot read this.", "[]", '{"surname": '):
        with pytest.raises(UnusableAnswer):
            parse_answer(text, DocumentType.PASSPORT)


def test_identified_answer_keeps_only_the_named_type() -> None:
    text = json.dumps(
        {
            "document_type": "fft_licence",
            "fft_licence": {"ranking": "15/4"},
            "passport": None,
            "x": 1,
        }
    )
    parsed = parse_identified(text)
    assert parsed.document_type is DocumentType.FFT_LICENCE
    assert parsed.values["ranking"] == "15/4" and parsed.unexpected_keys == 1
    assert (
        parse_identified('{"document_type": "driving_licence"}').document_type
        is DocumentType.UNKNOWN
    )


def test_overlong_values_and_invisible_characters_do_not_pass() -> None:
    answer = {
        "surname": "MARTIN\u202eNITRAM",  # a right-to-left override
        "given_names": "ÉLODIE\u200b\tCLAIRE\x07",
        "birth_place": "PARIS " * 60,
    }
    parsed = parse_answer(json.dumps(answer), DocumentType.FR_IDENTITY_CARD)
    assert parsed.values["surname"] == "MARTINNITRAM"
    assert parsed.values["given_names"] == "ÉLODIE CLAIRE"
    assert parsed.values["birth_place"] is None and "birth_place" in parsed.wrong_type
