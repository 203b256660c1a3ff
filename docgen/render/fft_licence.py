"""Licence card of the Fédération Française de Tennis, with the QR code whose text the project
defines: `FFT1;<licence>;<SURNAME>;<Given names>;<birth YYYY-MM-DD>;<season>;<ranking>;<club>`."""

from __future__ import annotations

import random

import numpy as np
import segno
from PIL import Image

from docgen.canvas import Card, guilloche
from docgen.document import REFERENCE_DAY, FieldValue, RenderedDocument, dmy
from docgen.identities import digits, person

DPI = 300
# The FFT ranking ladder, from unranked to the top of the second series (official list).
RANKINGS = (
    "NC",
    "40",
    "30/5",
    "30/4",
    "30/3",
    "30/2",
    "30/1",
    "30",
    "15/5",
    "15/4",
    "15/3",
    "15/2",
    "15/1",
    "15",
    "5/6",
    "4/6",
    "3/6",
    "2/6",
    "1/6",
    "0",
    "-2/6",
    "-4/6",
    "-15",
    "-30",
)
_WEIGHTS = (20, 8, 9, 9, 8, 8, 7, 6, 5, 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1)
CLUBS = (
    ("TC PARIS 16", "LIGUE ILE-DE-FRANCE"),
    ("US MÉTRO TENNIS", "LIGUE ILE-DE-FRANCE"),
    ("TENNIS CLUB DE LYON", "LIGUE AUVERGNE-RHONE-ALPES"),
    ("AS TENNIS MONTPELLIER", "LIGUE OCCITANIE"),
    ("TC TOULOUSE ÉLITE", "LIGUE OCCITANIE"),
    ("US TENNIS MÉRIGNAC", "LIGUE NOUVELLE-AQUITAINE"),
    ("TC ÉVREUX", "LIGUE NORMANDIE"),
    ("NANTES ERDRE TENNIS", "LIGUE PAYS DE LA LOIRE"),
    ("ASPTT STRASBOURG", "LIGUE GRAND EST"),
    ("LILLE MÉTROPOLE TC", "LIGUE HAUTS-DE-FRANCE"),
    ("STADE RENNAIS TENNIS", "LIGUE BRETAGNE"),
    ("NICE LAWN TENNIS CLUB", "LIGUE PROVENCE-ALPES-COTE D'AZUR"),
)


def qr_text(
    licence: str, surname: str, given: str, birth: str, season: str, ranking: str, club: str
) -> str:
    """The QR payload defined in the project brief."""
    return ";".join(("FFT1", licence, surname, given, birth, season, ranking, club))


def render(rng: random.Random, seed: int) -> RenderedDocument:
    """A licence card for an invented player."""
    player = person(rng, "FRA", today=REFERENCE_DAY, min_age=8, max_age=78)
    licence = digits(rng, 7) + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
    year = rng.choice((2024, 2025, 2026))
    season = str(year) if rng.random() < 0.5 else f"{year}/{year + 1}"
    ranking = rng.choices(RANKINGS, weights=_WEIGHTS)[0]
    club, league = rng.choice(CLUBS)
    given_printed = " ".join(player.given_names)
    barcode = qr_text(
        licence, player.surname, given_printed, player.birth_date.isoformat(), season, ranking, club
    )
    w, h = 85.6, 54.0
    scale = DPI / 25.4
    background = guilloche(
        round(w * scale), round(h * scale), rng, (246, 244, 238), (222, 214, 200), density=0.6
    )
    card = Card(w, h, DPI, background)
    navy, clay = (18, 38, 92), (196, 86, 40)
    card.rect((0, 0, w, 10.5), fill=navy)
    card.rect((0, 10.5, w, 11.6), fill=clay)
    card.text(
        4, 1.8, "FÉDÉRATION FRANÇAISE DE TENNIS", 2.5, family="sans-bold", fill=(255, 255, 255)
    )
    card.text(4, 5.8, f"LICENCE {season}", 2.6, family="sans-bold", fill=(250, 210, 170))
    rows = (
        ("Nom", player.surname, "sans-bold"),
        ("Prénom", given_printed, "sans"),
        ("Né(e) le", dmy(player.birth_date), "sans"),
        ("N° de licence", licence, "mono-bold"),
        ("Club", club, "sans"),
        ("Ligue", league, "condensed"),
    )
    y = 13.6
    for label, value, family in rows:
        card.label(4, y + 0.4, label, 1.7)
        card.text(20, y, value, 2.5, family=family, max_width_mm=40)
        y += 4.6
    card.label(4, y + 1.2, "Classement", 1.9)
    card.text(20, y + 0.2, ranking, 4.2, family="sans-bold", fill=clay)
    card.paste(_qr_image(barcode, card.px(0.42)), 61.5, 15.5)
    card.label(62, 42.5, "Attestation de licence", 1.5)
    fields: dict[str, FieldValue] = {
        "licence_number": licence,
        "surname": player.surname,
        "given_names": player.given_upper,
        "birth_date": player.birth_date.isoformat(),
        "club_name": club,
        "season": season,
        "ranking": ranking,
        "league": league,
    }
    return RenderedDocument("fft_licence", "fft", card.image, fields, barcode=barcode)


def _qr_image(text: str, module_px: int) -> Image.Image:
    """The QR code (error correction M, 4-module quiet zone) at `module_px` pixels per module."""
    code = segno.make_qr(text, error="m", boost_error=False, encoding="utf-8")
    matrix = np.array([list(row) for row in code.matrix], dtype=np.uint8)
    matrix = np.pad(matrix, 4)
    pixels = np.where(matrix > 0, 0, 255).astype(np.uint8)
    pixels = np.repeat(np.repeat(pixels, max(module_px, 2), axis=0), max(module_px, 2), axis=1)
    return Image.fromarray(pixels, "L").convert("RGB")
