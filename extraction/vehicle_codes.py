"""Official code lists printed on the French certificat d'immatriculation.

Sources: arrêté du 9 février 2009 relatif aux modalités d'immatriculation des véhicules, annexes
(P.3 energy codes as amended by the arrêté du 12 avril 2012; J.1 national genres; J.3 national
bodies), the ANTS "notice du certificat d'immatriculation", and for J (EU category) and J.2 (EU
body) Directive 2007/46/EC annex II (now Regulation (EU) 2018/858, annex I).
"""

from __future__ import annotations

import re
from collections.abc import Collection

# P.3 — energy source (arrêté du 9 février 2009 modifié le 12 avril 2012).
FUEL_CODES: frozenset[str] = frozenset(
    {
        "ES", "EG", "EN", "EE", "ER", "EM", "EH", "EQ", "EP",  # essence and its hybrids
        "FE", "FG", "FN", "FL", "FH",  # superéthanol
        "GO", "GL", "GH", "GF", "GM", "GQ",  # gazole
        "GP", "PE", "PH",  # GPL
        "GN", "NE", "NH",  # gaz naturel
        "EL", "ET", "GA", "GZ", "GG", "GE", "PL", "AC", "H2", "HE", "HH",
    }
)  # fmt: skip

# J — EU vehicle category (Regulation (EU) 2018/858 art. 4, Regulation 168/2013 for L, 167/2013
# for T/C/R/S); the `G` suffix marks off-road vehicles.
EU_CATEGORIES: frozenset[str] = frozenset(
    {
        *(f"M{n}" for n in (1, 2, 3)),
        *(f"N{n}" for n in (1, 2, 3)),
        *(f"M{n}G" for n in (1, 2, 3)),
        *(f"N{n}G" for n in (1, 2, 3)),
        *(f"O{n}" for n in (1, 2, 3, 4)),
        *(f"L{n}e" for n in range(1, 8)),
        *(f"T{n}" for n in range(1, 6)),
        *(f"C{n}" for n in range(1, 6)),
        *(f"R{n}" for n in range(1, 5)),
        *(f"S{n}" for n in (1, 2)),
    }
)

# J.1 — French national genre (arrêté du 9 février 2009, annexe 5).
NATIONAL_GENRES: frozenset[str] = frozenset(
    {
        "VP", "CTTE", "DERIV-VP", "CAM", "TCP", "TRR", "VASP", "VTSU", "MTL", "MTT1", "MTT2",
        "MTTE", "MOTO", "CL", "CYCL", "QM", "QLEM", "TM", "TQM", "TRA", "MAGA", "REA", "SREA",
        "REM", "SREM", "RESP", "SRSP", "SRAT", "RETC", "SRTC", "MIAR", "TRAC",
    }
)  # fmt: skip

# J.2 — EU body code (Regulation (EU) 2018/858, annex I part C).
EU_BODIES: frozenset[str] = frozenset(
    {
        "AA", "AB", "AC", "AD", "AE", "AF", "AG",  # M1
        "BA", "BB", "BC", "BD", "BE",  # N
        *(f"C{letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWX"),  # M2/M3
        "DA", "DB", "DC", "DE",  # O
        "SA", "SB", "SC", "SD", "SE", "SF", "SG", "SH", "SJ", "SK", "SL", "SM", "SN",  # special
    }
)  # fmt: skip

# J.3 — French national body (arrêté du 9 février 2009, annexe 6).
NATIONAL_BODIES: frozenset[str] = frozenset(
    {
        "AMBULANC", "AR TRAIN", "AV TRAIN", "BACHE", "BEN AMO", "BEN CERE", "BENNE", "BETAIL",
        "BETON", "BREAK", "BUS", "CABR", "CAR", "CARAVANE", "CARB LEG", "CARB LRD", "CASIERS",
        "CHAS-CAB", "CI", "CIALE", "CIT ALIM", "CIT ALTD", "CIT BETA", "CIT CHIM", "CIT EAU",
        "CIT GAZ", "CIT PULV", "CIT VID", "CLTRM", "CLTRP", "COUPE", "CYCLM", "DEPANNEU",
        "DERIV VP", "FG TD", "FOREST", "FOURGON", "FOURGONNETTE", "FUNERAIR", "GRUE", "HANDICAP",
        "INCENDIE",
        "PLATEAU", "PLSC", "PR REM", "PR SREM", "PTE BAT", "PTE CONT", "PTE ENG", "PTE FER",
        "PTE VOIT", "QLEM", "QLOMM", "SANITAIR", "SPEC", "TOUS CHEM", "TRACTEUR", "VTSU",
        "VOIRIE", "ATELIER", "AUTO-ECO", "CAMPING", "CIT", "MOTO", "SOLO", "TRIAL",
    }
)  # fmt: skip

CODE_LISTS: dict[str, frozenset[str]] = {
    "fuel": FUEL_CODES,
    "eu_category": EU_CATEGORIES,
    "national_genre": NATIONAL_GENRES,
    "eu_body": EU_BODIES,
    "national_body": NATIONAL_BODIES,
}


def normalise_code(field_name: str, text: str) -> str:
    """The printed code in the form its list uses (upper case, single spaces, `L3E` → `L3e`)."""
    code = " ".join(text.upper().split())
    if field_name == "national_genre":
        code = code.replace(" ", "")
        return "DERIV-VP" if code in {"DERIVVP", "DERIV-VP"} else code
    if field_name == "eu_category":
        return re.sub(r"^L(\d)E$", r"L\1e", code.replace(" ", ""))
    if field_name in {"fuel", "eu_body"}:
        return code.replace(" ", "")
    return code


def is_known_code(field_name: str, code: str) -> bool:
    """True when `code` is on the official list of `field_name` (one of `CODE_LISTS`)."""
    return code in CODE_LISTS[field_name]


# Characters OCR confuses on short printed codes (`CI` read `CL`, `GO` read `G0`).
_LOOK_ALIKES: dict[str, str] = {
    "I": "L1J", "L": "I1", "1": "IL", "O": "0DQ", "0": "ODQ", "D": "O0", "Q": "O0",
    "S": "5", "5": "S", "B": "8", "8": "B", "Z": "2", "2": "Z", "G": "6C", "6": "G", "C": "G",
}  # fmt: skip


def closest_code(field_name: str, code: str) -> tuple[str, int] | None:
    """`code` if it is on the list, else the one listed code a single look-alike character away
    (with 1 as the number of repairs); None when there is none or several."""
    return _closest(code, CODE_LISTS[field_name])


def closest_make(text: str) -> tuple[str, int] | None:
    """As `closest_code`, for a make of `MAKES` (`CITRDEN` is CITROEN, `PEUGE0T` PEUGEOT)."""
    return _closest(" ".join(text.upper().split()), MAKES)


def _closest(text: str, known: Collection[str]) -> tuple[str, int] | None:
    if text in known:
        return text, 0
    candidates = {
        text[:index] + other + text[index + 1 :]
        for index, char in enumerate(text)
        for other in _LOOK_ALIKES.get(char, "")
    }
    matches = [candidate for candidate in candidates if candidate in known]
    return (matches[0], 1) if len(matches) == 1 else None


# Makes common on French and Tunisian roads, as certificates print them (D.1 / Marque): a line
# holding one alone is a make, even where its label was lost.
MAKES = frozenset(
    {
        "AUDI", "BMW", "BYD", "CHERY", "CHEVROLET", "CITROEN", "DACIA", "FIAT", "FORD", "GEELY",
        "HONDA", "HYUNDAI", "ISUZU", "IVECO", "KIA", "MAHINDRA", "MAZDA", "MERCEDES-BENZ",
        "MERCEDES", "MITSUBISHI", "NISSAN", "OPEL", "PEUGEOT", "RENAULT", "SEAT", "SKODA",
        "SUZUKI", "TATA", "TOYOTA", "VOLKSWAGEN", "VOLVO", "MG", "HAVAL", "JAC", "BAIC",
        "DFSK", "FOTON", "JMC", "GREAT WALL", "LAND ROVER", "JEEP", "MINI", "PORSCHE", "YAMAHA",
        "TESLA", "ALPINE", "SMART", "LEXUS", "ALFA ROMEO", "CUPRA", "JAGUAR", "SUBARU",
        "LANCIA", "KAWASAKI", "TRIUMPH", "DUCATI", "PIAGGIO", "POLESTAR",
    }
)  # fmt: skip
