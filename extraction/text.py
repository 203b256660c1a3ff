"""What a reader hands to the document parsers: text lines placed on the rectified document."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text with its box in document coordinates, each in 0..1 (x right, y down).

    `page` is the index of the photo it came from (an album's recto and verso are pages 0 and 1);
    `slope` how far the line drops per unit it runs right (a card lying askew among papers).
    """

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float
    page: int = 0
    slope: float = 0.0

    @property
    def center_y(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


# Capitals of other scripts (and symbols) the recogniser returns for Latin ones in machine-read
# zones, whose alphabet is A-Z, 0-9 and `<` only: `R0∪X` is ROUX. NFKD does not fold them.
LATIN_LOOK_ALIKES = str.maketrans(
    "∪ΑΒΕΖΗΙΚΜΝΟΡΤΥΧАВЕКМНОРСТХ",
    "UABEZHIKMNOPTYXABEKMHOPCTX",
)
