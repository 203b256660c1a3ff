"""The generator's public face: `generate` one sample, or iterate a `dataset` of them."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from PIL import Image

from docgen import photo
from docgen.document import FieldValue, RenderedDocument
from docgen.render import (
    fft_licence,
    fr_identity_card,
    fr_vehicle_registration,
    passport,
    tn_vehicle_registration,
)


class Difficulty(StrEnum):
    CLEAN = "clean"
    PHONE = "phone"
    HARD = "hard"


@dataclass(frozen=True)
class Sample:
    """One synthetic photo and its ground truth (see docgen/README section in the main README)."""

    document_type: str
    difficulty: Difficulty
    seed: int
    variant: str
    image: bytes
    filename: str
    fields: dict[str, FieldValue]
    corners: tuple[tuple[float, float], ...]
    rotation: int
    mrz_lines: tuple[str, ...]
    barcode: str | None
    # The document's printed width (mm): with `corners`, how large its print appears.
    width_mm: float

    @property
    def px_per_mm(self) -> float:
        """Photo pixels per millimetre of the document (its top and bottom edges' mean): a
        carte grise's 3 mm values are ~9 px high at 3 px/mm, an ID card's at 8 px/mm ~24."""
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.corners[:4]
        top = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        bottom = ((x2 - x3) ** 2 + (y2 - y3) ** 2) ** 0.5
        return float((top + bottom) / 2 / self.width_mm)


Renderer = Callable[[random.Random, int], RenderedDocument]
RENDERERS: dict[str, Renderer] = {
    "fr_vehicle_registration": fr_vehicle_registration.render,
    "tn_vehicle_registration": tn_vehicle_registration.render,
    "fr_identity_card": fr_identity_card.render,
    "passport": passport.render,
    "fft_licence": fft_licence.render,
}
_CAMERAS: dict[
    Difficulty, Callable[[Image.Image, random.Random, np.random.Generator, int], photo.Photo]
] = {
    Difficulty.CLEAN: photo.scan,
    Difficulty.PHONE: photo.phone,
    Difficulty.HARD: photo.hard,
}


def render_document(document_type: str, seed: int) -> RenderedDocument:
    """The flat document (no camera effect) that `generate` photographs for this seed."""
    if document_type not in RENDERERS:
        raise ValueError(f"unknown document type: {document_type!r}")
    return RENDERERS[document_type](random.Random(f"doc/{document_type}/{seed}"), seed)


def generate(document_type: str, difficulty: Difficulty | str, seed: int) -> Sample:
    """One photo of an invented document; the same arguments always give the same bytes."""
    difficulty = Difficulty(difficulty)
    document = render_document(document_type, seed)
    rng = random.Random(f"photo/{document_type}/{difficulty.value}/{seed}")
    noise = np.random.default_rng(rng.getrandbits(64))
    shot = _CAMERAS[difficulty](document.image, rng, noise, document.dpi)
    return Sample(
        document_type=document_type,
        difficulty=difficulty,
        seed=seed,
        variant=document.variant,
        image=shot.data,
        filename=f"{document_type}-{difficulty.value}-{seed:04d}.{shot.extension}",
        fields=dict(document.fields),
        corners=shot.corners,
        rotation=shot.rotation,
        mrz_lines=document.mrz_lines,
        barcode=document.barcode,
        width_mm=round(document.image.width / document.dpi * 25.4, 1),
    )


def dataset(
    per_cell: int,
    *,
    seed: int = 0,
    types: Iterable[str] | None = None,
    difficulties: Iterable[Difficulty | str] | None = None,
) -> Iterator[Sample]:
    """`per_cell` samples for every (type, difficulty) pair, seeds `seed*100000 + i`."""
    chosen_types = list(types) if types is not None else list(RENDERERS)
    chosen = [Difficulty(d) for d in difficulties] if difficulties is not None else list(Difficulty)
    for document_type in chosen_types:
        for difficulty in chosen:
            for index in range(per_cell):
                yield generate(document_type, difficulty, seed * 100_000 + index)
