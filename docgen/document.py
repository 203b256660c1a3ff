"""A rendered document face with its ground truth, before any camera effect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PIL import Image

FieldValue = str | int | None

# Fixed so that the same seed gives the same document whatever day it runs (validity, ages).
REFERENCE_DAY = date(2026, 6, 1)


@dataclass(frozen=True)
class RenderedDocument:
    """The flat, upright document image (RGB, at print resolution) and what is printed on it."""

    document_type: str
    variant: str
    image: Image.Image
    fields: dict[str, FieldValue]
    mrz_lines: tuple[str, ...] = ()
    barcode: str | None = None
    dpi: int = 300  # print resolution of `image`, to size it against other papers


def dmy(day: date, sep: str = "/") -> str:
    """`31/12/2024` style (separator configurable)."""
    return day.strftime(f"%d{sep}%m{sep}%Y")
