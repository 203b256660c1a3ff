"""Invented vehicles: makes and models sold in France and Tunisia, VINs (ISO 3779) and plates."""

from __future__ import annotations

import random
from dataclasses import dataclass

from docgen.identities import alnum, digits

_VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"  # ISO 3779: never I, O, Q
_VIN_VALUES = dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
        strict=True,
    )
)
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
# Model-year code (VIN position 10), a 30-year cycle: 1980-2000 → A-Y without I, O, Q, U, Z,
# 2001-2009 → 1-9, then letters again from 2010.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"  # SIV: never I, O, U


@dataclass(frozen=True)
class Model:
    make: str
    name: str
    wmi: str
    code: str  # three-letter make code used in the CNIT
    genre: str  # J.1
    category: str  # J
    bodies: tuple[tuple[str | None, str], ...]  # (J.2 European body, J.3 national body)
    fuels: tuple[str, ...]  # P.3 codes
    cc: tuple[int, int]
    kw: tuple[int, int]
    mass: tuple[int, int]  # G, mass in service
    seats: tuple[int, ...]


CATALOGUE = (
    Model(
        "RENAULT",
        "CLIO",
        "VF1",
        "REN",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("ES", "GO", "EH"),
        (999, 1461),
        (49, 103),
        (1080, 1250),
        (5,),
    ),
    Model(
        "RENAULT",
        "MEGANE",
        "VF1",
        "REN",
        "VP",
        "M1",
        (("AB", "CI"), ("AC", "BREAK")),
        ("ES", "GO"),
        (1332, 1749),
        (85, 120),
        (1250, 1420),
        (5,),
    ),
    Model(
        "RENAULT",
        "CAPTUR",
        "VF1",
        "REN",
        "VP",
        "M1",
        (("AF", "CI"),),
        ("ES", "EH"),
        (999, 1598),
        (67, 116),
        (1180, 1390),
        (5,),
    ),
    Model(
        "RENAULT",
        "ZOE",
        "VF1",
        "REN",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("EL",),
        (0, 0),
        (80, 100),
        (1480, 1530),
        (5,),
    ),
    Model(
        "RENAULT",
        "KANGOO",
        "VF1",
        "REN",
        "CTTE",
        "N1",
        (("BB", "FOURGONNETTE"),),
        ("GO",),
        (1461, 1461),
        (55, 85),
        (1350, 1500),
        (2,),
    ),
    Model(
        "RENAULT",
        "MASTER",
        "VF6",
        "REN",
        "CTTE",
        "N1",
        (("BB", "FOURGON"),),
        ("GO",),
        (2298, 2299),
        (96, 132),
        (1900, 2200),
        (3,),
    ),
    Model(
        "PEUGEOT",
        "208",
        "VF3",
        "PGT",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("ES", "GO", "EL"),
        (1199, 1499),
        (55, 96),
        (1050, 1200),
        (5,),
    ),
    Model(
        "PEUGEOT",
        "308",
        "VF3",
        "PGT",
        "VP",
        "M1",
        (("AB", "CI"), ("AC", "BREAK")),
        ("ES", "GO", "EE"),
        (1199, 1598),
        (81, 165),
        (1200, 1500),
        (5,),
    ),
    Model(
        "PEUGEOT",
        "3008",
        "VF3",
        "PGT",
        "VP",
        "M1",
        (("AF", "CI"),),
        ("ES", "GO", "EE"),
        (1199, 1997),
        (96, 165),
        (1350, 1600),
        (5,),
    ),
    Model(
        "PEUGEOT",
        "PARTNER",
        "VF3",
        "PGT",
        "CTTE",
        "N1",
        (("BB", "FOURGONNETTE"),),
        ("GO",),
        (1499, 1560),
        (55, 96),
        (1350, 1450),
        (2, 3),
    ),
    Model(
        "CITROEN",
        "C3",
        "VF7",
        "CIT",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("ES", "GO"),
        (1199, 1560),
        (60, 81),
        (1050, 1150),
        (5,),
    ),
    Model(
        "CITROEN",
        "BERLINGO",
        "VF7",
        "CIT",
        "VP",
        "M1",
        (("AF", "CI"),),
        ("ES", "GO"),
        (1199, 1560),
        (81, 96),
        (1400, 1550),
        (5, 7),
    ),
    Model(
        "CITROEN",
        "JUMPY",
        "VF7",
        "CIT",
        "CTTE",
        "N1",
        (("BB", "FOURGON"),),
        ("GO",),
        (1499, 1997),
        (75, 130),
        (1650, 1850),
        (3,),
    ),
    Model(
        "TOYOTA",
        "YARIS",
        "VNK",
        "TOY",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("EH", "ES"),
        (1490, 1490),
        (68, 85),
        (1085, 1180),
        (5,),
    ),
    Model(
        "TOYOTA",
        "COROLLA",
        "SB1",
        "TOY",
        "VP",
        "M1",
        (("AB", "CI"), ("AC", "BREAK")),
        ("EH",),
        (1798, 1987),
        (90, 135),
        (1370, 1470),
        (5,),
    ),
    Model(
        "TOYOTA",
        "C-HR",
        "SB1",
        "TOY",
        "VP",
        "M1",
        (("AF", "CI"),),
        ("EH",),
        (1798, 1987),
        (90, 135),
        (1420, 1520),
        (5,),
    ),
    Model(
        "VOLKSWAGEN",
        "GOLF",
        "WVW",
        "VWG",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("ES", "GO", "EE"),
        (999, 1968),
        (81, 150),
        (1200, 1450),
        (5,),
    ),
    Model(
        "VOLKSWAGEN",
        "POLO",
        "WVW",
        "VWG",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("ES",),
        (999, 999),
        (59, 81),
        (1070, 1150),
        (5,),
    ),
    Model(
        "VOLKSWAGEN",
        "TIGUAN",
        "WVG",
        "VWG",
        "VP",
        "M1",
        (("AF", "CI"),),
        ("ES", "GO"),
        (1498, 1968),
        (110, 147),
        (1550, 1700),
        (5,),
    ),
    Model(
        "DACIA",
        "SANDERO",
        "UU1",
        "DAC",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("ES", "GP"),
        (999, 999),
        (48, 74),
        (1000, 1120),
        (5,),
    ),
    Model(
        "DACIA",
        "DUSTER",
        "UU1",
        "DAC",
        "VP",
        "M1",
        (("AF", "CI"),),
        ("ES", "GO", "GP"),
        (999, 1461),
        (74, 110),
        (1200, 1400),
        (5,),
    ),
    Model(
        "TESLA",
        "MODEL 3",
        "LRW",
        "TSL",
        "VP",
        "M1",
        (("AA", "CI"),),
        ("EL",),
        (0, 0),
        (208, 366),
        (1750, 1850),
        (5,),
    ),
    Model(
        "FIAT",
        "500",
        "ZFA",
        "FIA",
        "VP",
        "M1",
        (("AB", "CI"),),
        ("ES", "EH"),
        (999, 1242),
        (51, 69),
        (865, 980),
        (4,),
    ),
    Model(
        "YAMAHA",
        "MT-07",
        "JYA",
        "YAM",
        "MTL",
        "L3e",
        ((None, "SOLO"),),
        ("ES",),
        (689, 689),
        (35, 54),
        (182, 184),
        (2,),
    ),
    Model(
        "HONDA",
        "CB500F",
        "JH2",
        "HON",
        "MTL",
        "L3e",
        ((None, "SOLO"),),
        ("ES",),
        (471, 471),
        (35, 35),
        (189, 192),
        (2,),
    ),
)


def vin_check_digit(vin: str) -> str:
    """ISO 3779 / North-American position-9 check digit ('X' for 10)."""
    total = sum(
        (int(c) if c.isdigit() else _VIN_VALUES[c]) * w
        for c, w in zip(vin, _VIN_WEIGHTS, strict=True)
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin(rng: random.Random, wmi: str, year: int, *, valid_check_digit: bool = True) -> str:
    """A 17-character VIN; position 9 holds a correct check digit unless told otherwise (many
    European makers do not use it)."""
    index = (year - 1980) % 30
    year_code = _YEAR_CODES[index] if index < 21 else str(index - 20)
    body = wmi + alnum(rng, 5, _VIN_ALPHABET) + "0" + year_code + alnum(rng, 1, _VIN_ALPHABET)
    body += digits(rng, 6)
    digit = vin_check_digit(body)
    if not valid_check_digit:
        digit = rng.choice([c for c in "0123456789X" if c != digit])
    return body[:8] + digit + body[9:]


def siv_plate(rng: random.Random) -> str:
    """`AB-123-CD`: letters without I, O, U, never `SS`, number 001-999."""

    def pair() -> str:
        while True:
            letters = alnum(rng, 2, _PLATE_LETTERS)
            if letters != "SS":
                return letters

    return f"{pair()}-{rng.randint(1, 999):03d}-{pair()}"


def fni_plate(rng: random.Random, department: str) -> str:
    """Pre-2009 `123 ABC 75` plate."""
    letters = alnum(rng, rng.choice((2, 3)), "ABCDEFGHJKLMNPRSTVWXYZ")
    return f"{rng.randint(1, 9999)} {letters} {department}"


def printed_tn_plate(arabic: str) -> str:
    """`123 تونس 4567` as the card prints it, the word between the numbers: without the
    left-to-right mark, the bidirectional algorithm pulls the second number into the Arabic run
    and the line shows `123 4567 تونس`."""
    return arabic.replace("تونس", "تونس\u200e")


def tn_plate(rng: random.Random) -> tuple[str, str]:
    """Tunisian series plate as (Latin form `123 TU 4567`, Arabic form `123 تونس 4567`)."""
    series, number = rng.randint(1, 250), rng.randint(1, 9999)
    return f"{series} TU {number}", f"{series} تونس {number}"
