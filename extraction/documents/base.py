"""What every document type module provides (see `extraction/documents/__init__.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

import numpy as np

from extraction.findings import Finding
from extraction.models import DocumentType, FieldResult, MrzBlock
from extraction.text import TextLine


@dataclass
class DocumentReading:
    """Fields read from one document (every field of the type present), with what was found."""

    fields: dict[str, FieldResult]
    findings: list[Finding] = field(default_factory=list)
    mrz: MrzBlock | None = None


class DocumentSpec(Protocol):
    document_type: DocumentType
    country: str | None
    field_names: tuple[str, ...]

    def read(self, lines: Sequence[TextLine], barcodes: Sequence[str] = ()) -> DocumentReading:
        """Read every field from OCR lines of the rectified, upright document (recto and verso
        lines may be mixed) and the decoded texts of any barcode on it; machine-readable zones
        (MRZ, SIV zone, barcodes) win over the printed zone when their check digits pass."""
        ...

    def check(self, reading: DocumentReading, *, today: date) -> None:
        """Apply the type's rules: set each field's `status` (and `note`), add findings.
        Runs on any reading, whatever its source (OCR, MRZ, an AI provider, a user correction)."""
        ...


@runtime_checkable
class ReadsPageImages(Protocol):
    """A spec that can look again at the page images where its text lines fall short."""

    def read_pages(
        self, lines: Sequence[TextLine], barcodes: Sequence[str], images: Sequence[np.ndarray]
    ) -> DocumentReading:
        """As `DocumentSpec.read`, with each page's upright image (`images[line.page]`)."""
        ...
