"""What surrounds the document in a photo: a table surface and other papers lying on it."""

from __future__ import annotations

import random
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from docgen.fonts import font

# BGR uint8 images; OpenCV's stubs type its results loosely, hence Any.
Array = npt.NDArray[Any]

_WORDS = (
    "facture",
    "montant",
    "total",
    "client",
    "adresse",
    "rendez-vous",
    "merci",
    "paiement",
    "carte",
    "bancaire",
    "TVA",
    "date",
    "référence",
    "commande",
    "livraison",
    "service",
    "dossier",
    "numéro",
    "contrat",
    "assurance",
    "véhicule",
    "garage",
    "réparation",
    "devis",
    "signature",
    "agence",
    "bureau",
    "horaires",
    "lundi",
    "vendredi",
    "euros",
    "remise",
    "quantité",
    "prix",
    "unitaire",
    "article",
    "désignation",
    "courrier",
    "objet",
    "madame",
    "monsieur",
    "veuillez",
    "agréer",
    "salutations",
    "distinguées",
    "objet",
    "relance",
    "échéance",
)
_SHOPS = (
    "CARREFOUR CITY",
    "BOULANGERIE DU PORT",
    "PHARMACIE CENTRALE",
    "GARAGE DES ALPES",
    "TABAC PRESSE",
    "MONOPRIX",
    "STATION TOTAL",
    "LIBRAIRIE DU MARCHÉ",
)


def table(width: int, height: int, rng: random.Random, noise: np.random.Generator) -> Array:
    """A table top (wood, fabric or desk laminate) filling a `width`×`height` frame."""
    kind = rng.choice(("wood", "wood", "fabric", "desk", "desk"))
    small_w, small_h = max(64, width // 4), max(48, height // 4)
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    if kind == "wood":
        base = np.array(
            rng.choice([(60, 100, 150), (40, 70, 110), (90, 140, 185), (35, 50, 75)]),
            dtype=np.float32,
        )
        angle = rng.uniform(-0.3, 0.3)
        u = ys * np.cos(angle) + xs * np.sin(angle)
        warp = np.sin(xs / small_w * rng.uniform(3, 9)) * rng.uniform(4, 12)
        grain = np.sin((u + warp) / rng.uniform(1.5, 4.0)) * 0.5 + 0.5
        rings = np.sin((u + warp * 2) / rng.uniform(12, 30)) * 0.5 + 0.5
        shade = 0.8 + 0.12 * grain + 0.1 * rings + noise.normal(0, 0.03, (small_h, small_w))
    elif kind == "fabric":
        base = np.array(
            rng.choice([(120, 90, 70), (70, 110, 90), (150, 150, 150), (60, 60, 140)]),
            dtype=np.float32,
        )
        shade = 0.9 + noise.normal(0, 0.05, (small_h, small_w))
    else:
        base = np.array(
            rng.choice(
                [(210, 210, 205), (180, 185, 190), (230, 228, 225), (70, 70, 72), (150, 160, 150)]
            ),
            dtype=np.float32,
        )
        shade = 0.95 + noise.normal(0, 0.015, (small_h, small_w))
    small = np.clip(shade[..., None] * base, 0, 255).astype(np.uint8)
    surface = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    if kind == "fabric":
        weave = _weave(width, height, rng)
        surface = cv2.multiply(surface, weave, scale=1 / 255)
    return np.asarray(surface, dtype=np.uint8)


def _weave(width: int, height: int, rng: random.Random) -> Array:
    """A fine criss-cross weave as a multiplicative gain (uint8, 255 = unchanged)."""
    period = rng.randint(3, 6)
    tile_y, tile_x = np.mgrid[0 : period * 8, 0 : period * 8]
    pattern = 225 + 30 * ((tile_x // period + tile_y // period) % 2)
    tile = np.repeat(pattern.astype(np.uint8)[..., None], 3, axis=2)
    reps = (height // tile.shape[0] + 1, width // tile.shape[1] + 1, 1)
    return np.ascontiguousarray(np.tile(tile, reps)[:height, :width])


def paper(rng: random.Random) -> tuple[Image.Image, float]:
    """Another paper on the table (a receipt, an A4 letter or a sticky note, with its own text)
    and its pixels per millimetre."""
    kind = rng.choice(("receipt", "letter", "letter", "note"))
    if kind == "receipt":
        return _receipt(rng), 380 / 80
    if kind == "note":
        return _note(rng), 300 / 76
    return _letter(rng), 840 / 210


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _receipt(rng: random.Random) -> Image.Image:
    width, lines = 380, rng.randint(14, 26)
    image = Image.new("RGB", (width, 60 + lines * 26), (248, 246, 240))
    draw = ImageDraw.Draw(image)
    mono = font("mono", 17)
    draw.text(
        (width // 2, 20),
        rng.choice(_SHOPS),
        font=font("mono-bold", 19),
        fill=(40, 40, 40),
        anchor="mt",
    )
    total = 0.0
    for index in range(lines - 2):
        price = rng.uniform(0.5, 40)
        total += price
        label = rng.choice(_WORDS).upper()[:16]
        draw.text((14, 55 + index * 26), f"{label:<18}{price:>8.2f}", font=mono, fill=(50, 50, 50))
    draw.text(
        (14, 55 + (lines - 1) * 26), f"{'TOTAL EUR':<18}{total:>8.2f}", font=mono, fill=(20, 20, 20)
    )
    return image


def _letter(rng: random.Random) -> Image.Image:
    width, height = 840, 1188
    image = Image.new("RGB", (width, height), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    body = font("serif", 22)
    draw.text((60, 60), _sentence(rng, 3).upper(), font=font("sans-bold", 26), fill=(30, 30, 30))
    y = 140
    while y < height - 80:
        if rng.random() < 0.12:
            y += 30
            continue
        draw.text((60, y), _sentence(rng, rng.randint(6, 10)), font=body, fill=(35, 35, 35))
        y += 34
    return image


def _note(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (300, 300), rng.choice([(250, 235, 120), (190, 240, 170)]))
    draw = ImageDraw.Draw(image)
    for index in range(rng.randint(2, 5)):
        draw.text(
            (20, 30 + index * 36), _sentence(rng, 2), font=font("sans-bold", 17), fill=(120, 40, 20)
        )
    return image
