"""One module per document type, each exporting `SPEC`: its fields, how to read them, its rules."""

from __future__ import annotations

import importlib

from extraction.documents.base import DocumentSpec
from extraction.models import DocumentType

_MODULES: dict[DocumentType, str] = {
    DocumentType.FR_VEHICLE_REGISTRATION: "extraction.documents.fr_vehicle_registration",
    DocumentType.TN_VEHICLE_REGISTRATION: "extraction.documents.tn_vehicle_registration",
    DocumentType.FR_IDENTITY_CARD: "extraction.documents.fr_identity_card",
    DocumentType.PASSPORT: "extraction.documents.passport",
    DocumentType.FFT_LICENCE: "extraction.documents.fft_licence",
}

KNOWN_TYPES: tuple[DocumentType, ...] = tuple(_MODULES)


def spec_for(document_type: DocumentType) -> DocumentSpec:
    """The spec of a known document type (imported on first use)."""
    module = importlib.import_module(_MODULES[document_type])
    spec: DocumentSpec = module.SPEC
    return spec
