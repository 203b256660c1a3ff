"""Fonts the generator draws with: DejaVu (always present) and OCR-B for machine-readable zones.

ICAO 9303-3 §4.2 prints MRZs in OCR-B; Debian ships it as `fonts-ocr-b`. When it is not installed
the MRZ falls back to DejaVu Sans Mono, which OCR engines read almost as well.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageFont

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")

_FILES = {
    "sans": _DEJAVU / "DejaVuSans.ttf",
    "sans-bold": _DEJAVU / "DejaVuSans-Bold.ttf",
    "condensed": _DEJAVU / "DejaVuSansCondensed.ttf",
    "condensed-bold": _DEJAVU / "DejaVuSansCondensed-Bold.ttf",
    "serif": _DEJAVU / "DejaVuSerif.ttf",
    "serif-bold": _DEJAVU / "DejaVuSerif-Bold.ttf",
    "mono": _DEJAVU / "DejaVuSansMono.ttf",
    "mono-bold": _DEJAVU / "DejaVuSansMono-Bold.ttf",
}

FontName = str


def mrz_font_path() -> Path:
    """OCR-B when `fonts-ocr-b` is installed, else DejaVu Sans Mono."""
    return _OCR_B if _OCR_B.exists() else _FILES["mono"]


@cache
def font(name: FontName, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached font; `name` is one of the families above or `"mrz"`."""
    path = mrz_font_path() if name == "mrz" else _FILES[name]
    return ImageFont.truetype(str(path), max(size_px, 6))
