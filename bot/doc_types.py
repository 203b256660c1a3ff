"""Which document the agent names: words in a caption or after /type (`carte grise`, `cni`…)."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from extraction.models import DocumentType

# Words agents use, accents and case ignored; the longest match wins ("carte grise tn").
ALIASES: Final = {
    "carte grise tn": DocumentType.TN_VEHICLE_REGISTRATION,
    "carte grise tunisienne": DocumentType.TN_VEHICLE_REGISTRATION,
    "tn": DocumentType.TN_VEHICLE_REGISTRATION,
    "tunisie": DocumentType.TN_VEHICLE_REGISTRATION,
    "carte grise": DocumentType.FR_VEHICLE_REGISTRATION,
    "cartegrise": DocumentType.FR_VEHICLE_REGISTRATION,
    "cg": DocumentType.FR_VEHICLE_REGISTRATION,
    "siv": DocumentType.FR_VEHICLE_REGISTRATION,
    "cni": DocumentType.FR_IDENTITY_CARD,
    "carte d identite": DocumentType.FR_IDENTITY_CARD,
    "id card": DocumentType.FR_IDENTITY_CARD,
    "passeport": DocumentType.PASSPORT,
    "passport": DocumentType.PASSPORT,
    "licence": DocumentType.FFT_LICENCE,
    "license": DocumentType.FFT_LICENCE,
    "fft": DocumentType.FFT_LICENCE,
}
_WORDS = re.compile(r"[a-z0-9]+")


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORDS.findall(plain))


def parse_document_type(text: str | None) -> DocumentType | None:
    """The document type named in `text` (a caption, `/type cni`), or None when none is named."""
    if not text:
        return None
    words = f" {_normalise(text)} "
    for alias in sorted(ALIASES, key=len, reverse=True):
        if f" {alias} " in words:
            return ALIASES[alias]
    try:
        return DocumentType(text.strip().lower())
    except ValueError:
        return None
