"""FFT tennis rankings (classements), seasons and licence numbers.

The ladder is the Fédération Française de Tennis's official list (règlements sportifs, "échelle
des classements"): from `NC` (non classé) up through the 4th, 3rd and 2nd series to the 1st series,
where players are numbered: `N1`…`N60` for the national top 60 and `T61`…`T100` ("top 100").
"""

from __future__ import annotations

import difflib
import re
from datetime import date

from extraction.names import unaccented_upper

RANKING_LADDER: tuple[str, ...] = (
    "NC", "40",
    "30/5", "30/4", "30/3", "30/2", "30/1", "30",  # 4th series
    "15/5", "15/4", "15/3", "15/2", "15/1", "15",  # 3rd series
    "5/6", "4/6", "3/6", "2/6", "1/6", "0", "-2/6", "-4/6", "-15", "-30",  # 2nd series
)  # fmt: skip
# The FFT's regional leagues (ligues régionales, statuts de la FFT), written as licences print
# them: upper case, without accents.
LEAGUES: tuple[str, ...] = (
    "AUVERGNE-RHONE-ALPES", "BOURGOGNE-FRANCHE-COMTE", "BRETAGNE", "CENTRE-VAL DE LOIRE",
    "CORSE", "GRAND EST", "GUADELOUPE", "GUYANE", "HAUTS-DE-FRANCE", "ILE-DE-FRANCE",
    "MARTINIQUE", "NORMANDIE", "NOUVELLE-AQUITAINE", "OCCITANIE", "PAYS DE LA LOIRE",
    "PROVENCE-ALPES-COTE D'AZUR", "LA REUNION", "NOUVELLE-CALEDONIE", "POLYNESIE FRANCAISE",
)  # fmt: skip
_NUMBERED = re.compile(r"([NT])\s*°?\s*(\d{1,3})")
_LICENCE = re.compile(r"(?<!\d)(\d{7})\s*([A-Z])(?![A-Z0-9])")
_SEASON = re.compile(r"(?<!\d)(20\d{2})(?:\s*[/\-]\s*(20\d{2}))?(?!\d)")


def normalise_ranking(text: str) -> str | None:
    """The ranking in `text` as the FFT writes it (`15/4`, `NC`, `N12`, `-2/6`), None if the text
    holds no ranking of the official ladder."""
    compact = text.upper().replace(" ", "").replace("—", "-").replace("–", "-")
    compact = compact.replace("N.C.", "NC").replace("\\", "/")
    if compact in RANKING_LADDER:
        return compact
    numbered = _NUMBERED.fullmatch(compact)
    if numbered:
        letter, number = numbered.group(1), int(numbered.group(2))
        if (letter == "N" and 1 <= number <= 60) or (letter == "T" and 61 <= number <= 100):
            return f"{letter}{number}"
    return None


def find_licence_number(text: str) -> str | None:
    """The licence number (7 digits and a letter, e.g. `1234567 A` → `1234567A`) in `text`."""
    match = _LICENCE.search(text.upper())
    return f"{match.group(1)}{match.group(2)}" if match else None


def find_season(text: str) -> str | None:
    """The sporting season in `text`: `2025`, or `2025/2026` when printed over two years (the
    second year must follow the first, else None)."""
    match = _SEASON.search(text)
    if not match:
        return None
    first, second = match.groups()
    if second is None:
        return first
    return f"{first}/{second}" if int(second) == int(first) + 1 else None


def season_end(season: str) -> date:
    """The last day of a season: the FFT's sporting year runs from 1 September to 31 August and
    is named after the year it ends (`2025` and `2024/2025` both end on 31 August 2025)."""
    return date(int(season[-4:]), 8, 31)


def normalise_league(text: str) -> tuple[str, bool] | None:
    """`LIGUE <REGION>` for a league of the official list, and whether the region had to be
    corrected from a close misreading (`LIGUE NORMANDlE`); None when no league fits."""
    plain = unaccented_upper(text)
    region = re.sub(r"^\s*LIGUE\b\s*(?:DE\s+|D'|DU\s+|DES\s+)?", "", " ".join(plain.split()))
    region = re.sub(r"\s+DE\s+TENNIS$", "", region).strip(" .:")
    if region in LEAGUES:
        return f"LIGUE {region}", False
    close = difflib.get_close_matches(region, LEAGUES, n=2, cutoff=0.85)
    if len(close) == 1:
        return f"LIGUE {close[0]}", True
    return None
