"""Licence of the Fédération Française de Tennis: printed fields read by their labels, checked
against the card's QR code when it can be decoded (the QR code's values win, like an MRZ's).

QR text (coord/BRIEF.md): `FFT1;<licence>;<SURNAME>;<Given names>;<birth YYYY-MM-DD>;<season>;
<ranking>;<club name>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from extraction import rankings
from extraction.dates import LONE_FULL_DATE
from extraction.documents.base import DocumentReading
from extraction.documents.identity_fields import check_accents
from extraction.findings import Finding
from extraction.layout import find_labels
from extraction.models import DocumentType, FieldResult, Source
from extraction.printed_values import (
    REPAIR_PENALTY,
    Read,
    field_result,
    guess,
    read_date,
    read_labelled,
    read_text,
)
from extraction.rules import Assessment, check_dates
from extraction.text import TextLine

FIELD_NAMES: tuple[str, ...] = (
    "licence_number",
    "surname",
    "given_names",
    "birth_date",
    "club_name",
    "season",
    "ranking",
    "league",
)
# Labels are printed in small mixed case ("Club", "Ligue"); values in capitals may hold the
# same words ("TENNIS CLUB DE LYON", "LIGUE OCCITANIE"), so labels are matched case-sensitively.
LABELS: dict[str, re.Pattern[str]] = {
    "licence_number": re.compile(
        r"N[°o*º]?\s*de\s+[Ll]icen[cs]e\s*:?|[Ll]icen[cs]e\s*n[°o*º]\s*:?"
    ),
    "surname": re.compile(r"Nom(?![\wé])\s*:?"),
    "given_names": re.compile(r"Pr[ée]noms?\s*:?"),
    "birth_date": re.compile(r"(?:N[ée]\s*\(?e?\)?\s*le|Date\s+de\s+naissance)\s*:?"),
    "club_name": re.compile(r"Club\s*:?"),
    "league": re.compile(r"Ligue\s*:?"),
    # The season follows the card's title, "LICENCE 2025/2026", or a "Saison" label.
    "season": re.compile(r"Saison\s*(?:sportive)?\s*:?|LICEN[CS]E(?=\s*20\d\d)"),
    "ranking": re.compile(r"Classement\s*:?"),
}
QR_PREFIX = "FFT1"
_UNLABELLED_LEAGUE = re.compile(r"\s*LIGUE\b")
# A ranking with a shape no other value has (a bare 30 or 15 could be anything).
_SHAPED_RANKING = re.compile(r"NC|-?\d{1,2}/\d|-\d{2}|[NT]\s?\d{1,4}")


@dataclass(frozen=True, slots=True)
class LicenceCode:
    """The values of the card's QR code."""

    licence_number: str
    surname: str
    given_names: str
    birth_date: str
    season: str
    ranking: str
    club_name: str


def parse_qr(text: str) -> LicenceCode | None:
    """The QR code's fields when `text` is a well-formed FFT1 payload, else None."""
    parts = [part.strip() for part in text.split(";")]
    if len(parts) != 8 or parts[0] != QR_PREFIX:
        return None
    _, number, surname, given, birth, season, ranking, club = parts
    licence = rankings.find_licence_number(number)
    if licence is None or licence != number.upper() or rankings.normalise_ranking(ranking) is None:
        return None
    if rankings.find_season(season) != season or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth):
        return None
    return LicenceCode(
        licence, surname.upper(), given.upper(), birth, season, ranking, club.upper()
    )


def _league(text: str, confidence: float) -> Read | None:
    league = rankings.normalise_league(text)
    if league is None:
        # Not on the list: kept as read if it is words (never a ranking read off the next row).
        read = read_text(text, confidence)
        return read if read and re.search(r"[A-Z]{3}", str(read.value)) else None
    value, corrected = league
    return Read(value, confidence - (REPAIR_PENALTY if corrected else 0.0))


def _name(text: str, confidence: float) -> Read | None:
    """A name or a club: words, never a lone number or ranking from a neighbouring row."""
    read = read_text(text, confidence)
    return read if read and re.search(r"[^\W\d_]{2}", str(read.value)) else None


def _licence(text: str, confidence: float) -> Read | None:
    number = rankings.find_licence_number(text.replace("O", "0"))
    return Read(number, confidence) if number else None


def _season(text: str, confidence: float) -> Read | None:
    season = rankings.find_season(text)
    return Read(season, confidence) if season else None


def _ranking(text: str, confidence: float) -> Read | None:
    for candidate in (text, *text.split()):
        ranking = rankings.normalise_ranking(candidate)
        if ranking:
            return Read(ranking, confidence)
    return None


PARSERS: dict[str, Callable[[str, float], Read | None]] = {
    "licence_number": _licence,
    "surname": _name,
    "given_names": _name,
    "birth_date": read_date,
    "club_name": _name,
    "league": _league,
    "season": _season,
    "ranking": _ranking,
}


def _printed_fields(lines: Sequence[TextLine]) -> dict[str, Read]:
    hits = find_labels(lines, LABELS)
    found = read_labelled(hits, lines, PARSERS)
    # The licence number's shape (7 digits and a letter) is distinctive enough to find unlabelled.
    for line in lines:
        if "licence_number" not in found and (read := _licence(line.text, line.confidence)):
            found["licence_number"] = Read(read.value, read.confidence * 0.8)
    # So is a league: "LIGUE" in capitals (the label is "Ligue") and a region of the official list.
    for line in lines if "league" not in found else ():
        league = _UNLABELLED_LEAGUE.match(line.text) and rankings.normalise_league(line.text)
        if league:
            value, corrected = league
            penalty = REPAIR_PENALTY if corrected else 0.0
            found["league"] = Read(value, (line.confidence - penalty) * 0.8)
            break
    # The labels are the card's smallest print, the first lost on a blurred photo: the one full
    # date on the card is the birth date, the one line that is a ranking the ranking; both
    # only guesses (⚠️), as nothing says which row they stand on.
    if "birth_date" not in found:
        dates = [read for line in lines if (read := _lone_date(line))]
        if len(dates) == 1:
            found["birth_date"] = guess(dates[0])
    if "ranking" not in found:
        ranked = [read for line in lines if (read := _lone_ranking(line))]
        if len(ranked) == 1:
            found["ranking"] = guess(ranked[0])
    return found


def _lone_date(line: TextLine) -> Read | None:
    return read_date(line.text, line.confidence) if LONE_FULL_DATE.fullmatch(line.text) else None


def _lone_ranking(line: TextLine) -> Read | None:
    text = line.text.strip().upper()
    if not _SHAPED_RANKING.fullmatch(text):
        return None
    ranking = rankings.normalise_ranking(text)
    return Read(ranking, line.confidence) if ranking else None


def _merge_code(fields: dict[str, FieldResult], code: LicenceCode, findings: list[Finding]) -> None:
    for name in ("licence_number", "surname", "given_names", "birth_date", "season", "ranking",
                 "club_name"):  # fmt: skip
        value = getattr(code, name)
        printed = fields[name]
        if printed.value is not None and printed.value != value:
            findings.append(Finding("barcode_mismatch", name, {"field": name}))
        fields[name] = FieldResult(value=value, confidence=0.99, source=Source.BARCODE)


class FftLicenceSpec:
    """The FFT licence: printed fields, the QR code over them, and the licence rules."""

    document_type = DocumentType.FFT_LICENCE
    country: str | None = "FRA"
    field_names = FIELD_NAMES

    def read(self, lines: Sequence[TextLine], barcodes: Sequence[str] = ()) -> DocumentReading:
        """Printed fields by their labels, then the QR code's values over them."""
        printed = _printed_fields(lines)
        fields = {name: field_result(printed.get(name)) for name in FIELD_NAMES}
        reading = DocumentReading(fields=fields)
        codes = [code for text in barcodes if (code := parse_qr(text))]
        if codes:
            _merge_code(fields, codes[0], reading.findings)
        elif any(text.startswith(QR_PREFIX) for text in barcodes):
            reading.findings.append(Finding("barcode_unreadable"))
        return reading

    def check(self, reading: DocumentReading, *, today: date) -> None:
        """Licence number shape, official ranking ladder, season, birth date; a season that has
        ended makes the licence expired (a doubt, it may have been renewed)."""
        fields = reading.fields
        assessment = Assessment()
        check_dates(assessment, fields, today=today, past=("birth_date",))
        number = fields["licence_number"].value
        if number is not None and rankings.find_licence_number(str(number)) != number:
            assessment.error("licence_number", "format_invalid", value=str(number))
        league = fields["league"].value
        if league is not None and rankings.normalise_league(str(league)) != (league, False):
            assessment.doubt("league", "code_unknown", value=str(league))
        ranking = fields["ranking"].value
        if ranking is not None and rankings.normalise_ranking(str(ranking)) != ranking:
            assessment.error("ranking", "ranking_unknown", value=str(ranking))
        season = fields["season"].value
        if season is not None:
            if rankings.find_season(str(season)) != season:
                assessment.error("season", "format_invalid", value=str(season))
            elif rankings.season_end(str(season)) < today:
                assessment.doubt("season", "licence_season_over", report=False)
                assessment.findings.append(
                    Finding("licence_season_over", "season", {"season": str(season)})
                )
        # A letter French does not write (MAĒLYS for MAËLYS) is an OCR slip more often than a
        # name: the QR code, when decoded, has already replaced the printed names.
        check_accents(assessment, fields, ("surname", "given_names"), french=True)
        assessment.settle(fields)
        reading.findings.extend(assessment.findings)


SPEC = FftLicenceSpec()
