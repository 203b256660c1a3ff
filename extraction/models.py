"""The scan result: the public JSON contract of `shared/spec/scan-result.md` (papiers.scan/1)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA: Literal["papiers.scan/1"] = "papiers.scan/1"


class DocumentType(StrEnum):
    FR_VEHICLE_REGISTRATION = "fr_vehicle_registration"
    TN_VEHICLE_REGISTRATION = "tn_vehicle_registration"
    FR_IDENTITY_CARD = "fr_identity_card"
    PASSPORT = "passport"
    FFT_LICENCE = "fft_licence"
    UNKNOWN = "unknown"


class FieldStatus(StrEnum):
    VALID = "valid"
    WARNING = "warning"
    INVALID = "invalid"
    MISSING = "missing"


class Source(StrEnum):
    MRZ = "mrz"
    BARCODE = "barcode"
    OCR = "ocr"
    MISTRAL = "mistral"
    GEMINI = "gemini"
    USER = "user"


FieldValue = str | int | None


class FieldResult(BaseModel):
    """One field as the contract shows it: normalised value, honest confidence, status, source."""

    model_config = ConfigDict(extra="forbid")

    value: FieldValue = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    status: FieldStatus = FieldStatus.MISSING
    source: Source | None = None
    note: str | None = None


class ScanWarning(BaseModel):
    """A document-level finding (the contract's `warnings` entries)."""

    model_config = ConfigDict(extra="forbid")

    code: str
    field: str | None = None
    message: str


class QualityIssue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    advice: str | None = None


class Quality(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ok: bool = True
    issues: list[QualityIssue] = Field(default_factory=list)


class MrzBlock(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str
    lines: list[str]
    check_digits_ok: bool


class EngineInfo(BaseModel):
    """Who read the document, and what it cost (tokens or pages, estimated EUR)."""

    model_config = ConfigDict(extra="forbid")

    provider: str
    model: str | None = None
    duration_ms: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    pages: int | None = None
    cost_eur: float | None = None
    providers_tried: list[str] = Field(default_factory=list)


class ScanResult(BaseModel):
    """The envelope sent to agents and back offices."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["papiers.scan/1"] = Field(default=SCHEMA, alias="schema")
    document_type: DocumentType
    country: str | None = None
    fields: dict[str, FieldResult] = Field(default_factory=dict)
    mrz: MrzBlock | None = None
    warnings: list[ScanWarning] = Field(default_factory=list)
    quality: Quality = Field(default_factory=Quality)
    pages: int = 1
    engine: EngineInfo

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)
