"""The answer each provider must give, as pydantic models built from each type's `field_names`,
and the one parser every AI answer goes through.

Values are strings, integers or null, never maps: Gemini silently answers `{}` for a
`dict[str, X]` property, so the schemas hold plain properties only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from extraction.dates import parse_printed_date
from extraction.documents import KNOWN_TYPES, spec_for
from extraction.models import DocumentType, FieldValue
from extraction.providers.prompts import field_hint


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"


_INTEGER_SUFFIXES = ("_kg", "_cc", "_kw", "_cv", "_g_km")
_INTEGER_NAMES = frozenset({"seats"})
_UPPER_SUFFIXES = ("_name", "_names", "_address")
_UPPER_NAMES = frozenset({"birth_place", "league"})
_DIGITS = re.compile(r"\d[\d\s\u202f\u00a0]*")
# No printed field is this long; a longer "value" is a model rambling or text injected in the photo.
MAX_VALUE_LENGTH = 200
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def is_upper_case(name: str) -> bool:
    """Names and addresses are published in upper case, accents kept (the contract's rule)."""
    return name == "surname" or name.endswith(_UPPER_SUFFIXES) or name in _UPPER_NAMES


def field_kind(name: str) -> FieldKind:
    """Dates end in `_date`; masses, volumes, powers, emissions and seats are integers."""
    if name.endswith("_date"):
        return FieldKind.DATE
    if name.endswith(_INTEGER_SUFFIXES) or name in _INTEGER_NAMES:
        return FieldKind.INTEGER
    return FieldKind.TEXT


class UnusableAnswer(ValueError):
    """The answer is not a JSON object at all (prose, truncated JSON, a list…)."""


@dataclass
class ParsedAnswer:
    """An AI answer after validation: every field of the type, normalised, plus what was wrong."""

    document_type: DocumentType
    values: dict[str, FieldValue]
    wrong_type: dict[str, FieldValue] = field(default_factory=dict)
    unexpected_keys: int = 0


@cache
def answer_model(document_type: DocumentType) -> type[BaseModel]:
    """The pydantic model of one type's answer: every field required, each a value or null."""
    definitions: dict[str, Any] = {}
    for name in spec_for(document_type).field_names:
        python_type: Any = int | None if field_kind(name) is FieldKind.INTEGER else str | None
        definitions[name] = (python_type, Field(description=field_hint(document_type, name)))
    model: type[BaseModel] = create_model(
        f"{document_type.value}_answer",
        __config__=ConfigDict(extra="forbid", strict=True),
        **definitions,
    )
    return model


@cache
def identify_model() -> type[BaseModel]:
    """For a photo no local rule could classify: the type, then the fields of that type only."""
    type_names = tuple(t.value for t in (*KNOWN_TYPES, DocumentType.UNKNOWN))
    definitions: dict[str, Any] = {
        "document_type": (
            Literal[type_names],  # type: ignore[valid-type]
            Field(description="Which document this is; unknown if none of the listed ones."),
        )
    }
    for document_type in KNOWN_TYPES:
        definitions[document_type.value] = (
            answer_model(document_type) | None,
            Field(description=f"Fields, only when document_type is {document_type.value}."),
        )
    model: type[BaseModel] = create_model(
        "document_answer", __config__=ConfigDict(extra="forbid", strict=True), **definitions
    )
    return model


@cache
def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with every `$ref` inlined (simplest form both APIs accept).
    Cached: callers must not change it."""
    raw = model.model_json_schema()
    definitions = raw.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items() if key != "title"}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    schema: dict[str, Any] = inline(raw)
    return schema


def load_object(text: str) -> dict[str, Any]:
    """The JSON object in an answer (a ```json fence is tolerated), or `UnusableAnswer`."""
    fenced = _FENCE.match(text)
    try:
        data = json.loads(fenced.group(1) if fenced else text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise UnusableAnswer("not JSON") from error
    if not isinstance(data, dict):
        raise UnusableAnswer("not a JSON object")
    return data


def parse_answer(text: str, document_type: DocumentType) -> ParsedAnswer:
    """Validate a typed answer with the type's model; keys outside it are counted and dropped."""
    return parse_values(load_object(text), document_type)


def parse_identified(text: str) -> ParsedAnswer:
    """Validate an answer to the identify schema: the type it names, and that type's fields."""
    data = load_object(text)
    named = data.get("document_type")
    known = {t.value: t for t in KNOWN_TYPES}
    extra = len(set(data) - {"document_type", *known})
    if not isinstance(named, str) or named not in known:
        return ParsedAnswer(DocumentType.UNKNOWN, {}, unexpected_keys=extra)
    fields = data.get(named)
    parsed = parse_values(fields if isinstance(fields, dict) else {}, known[named])
    parsed.unexpected_keys += extra
    return parsed


def parse_values(data: dict[str, Any], document_type: DocumentType) -> ParsedAnswer:
    """Every field of the type: valid values normalised, wrong types set aside, the rest null."""
    model = answer_model(document_type)
    names = tuple(model.model_fields)
    known = {name: _coerce_digits(name, data.get(name)) for name in names}
    wrong: dict[str, FieldValue] = {}
    try:
        model.model_validate(known)
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            if name in known:
                wrong[name] = _displayable(known[name])
    for name, value in known.items():
        if _too_long(value):
            wrong[name] = None
    values = {name: None if name in wrong else _normalise(name, known[name]) for name in names}
    return ParsedAnswer(document_type, values, wrong, len(set(data) - set(names)))


def _coerce_digits(name: str, value: Any) -> Any:
    # "1 234" for an integer field is a formatting habit, not a wrong type.
    is_integer = field_kind(name) is FieldKind.INTEGER
    if is_integer and isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(re.sub(r"\D", "", value))
    return value


def _too_long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > MAX_VALUE_LENGTH


def _displayable(value: Any) -> FieldValue:
    # A rejected value is still shown (marked invalid) so the agent sees what the model said.
    if isinstance(value, bool | float | str):
        return _clean_text(str(value)) or None
    if isinstance(value, int):
        return value
    return None


def _clean_text(value: str) -> str:
    # Invisible format characters (bidi overrides, zero-width spaces) could make a value display
    # as something else; controls other than whitespace have no place in a printed field.
    visible = "".join(c for c in value if unicodedata.category(c) != "Cf")
    return " ".join(
        "".join(c for c in part if unicodedata.category(c) != "Cc") for part in visible.split()
    )


def _normalise(name: str, value: Any) -> FieldValue:
    if value is None or isinstance(value, int):
        return value  # type: ignore[no-any-return]
    text = _clean_text(str(value))
    if not text:
        return None
    if is_upper_case(name):
        return text.upper()
    if field_kind(name) is FieldKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            parsed = parse_printed_date(text)
            return parsed.isoformat() if parsed else text
    return text
