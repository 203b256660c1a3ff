"""Which document is it? Machine-readable zones decide (MRZ document code, SIV zone); else
title words, matched despite OCR slips and lost accents, and the printed codes of a carte grise
("C.1", "D.2.1", "J.1") add up to a score per type. Unsure → `unknown` with a reason code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extraction.layout import same_row
from extraction.models import DocumentType
from extraction.mrz import MrzFormat, clean_line, find_mrz, looks_like_mrz
from extraction.names import fold
from extraction.text import TextLine

# A machine-readable zone's word is final; titles and codes only add up.
_ZONE_SCORE = 10.0
_MIN_SCORE = 3.0  # less than one strong title: not enough to name a document
_MIN_LEAD = 2.0  # the best type must lead the next one by this much
# Widest blank (in text heights, x and y both 0..1 of the page) between a title's split pieces.
_ROW_GAP = 4.0

# Each entry: spellings of one title (any counts, once) and its weight.
_TITLES: dict[DocumentType, tuple[tuple[tuple[str, ...], float], ...]] = {
    DocumentType.FR_VEHICLE_REGISTRATION: (
        (("CERTIFICAT D IMMATRICULATION",), 4.0),
        (("REPUBLIQUE FRANCAISE",), 0.5),
    ),
    # Tunisian certificates are also titled "CERTIFICAT D'IMMATRICULATION": the issuing state
    # and the ministry are what tell them from a French one, and the title alone is no French
    # certificate (it scores here too, short of the lead a French one needs).
    DocumentType.TN_VEHICLE_REGISTRATION: (
        (("CERTIFICAT D IMMATRICULATION",), 2.5),
        (("REPUBLIQUE TUNISIENNE", "الجمهورية التونسية"), 6.0),
        (("MINISTERE DU TRANSPORT", "وزارة النقل"), 2.0),
        (("البطاقة الرمادية", "CARTE GRISE"), 4.0),
    ),
    DocumentType.FR_IDENTITY_CARD: (
        (("CARTE NATIONALE D IDENTITE", "CARTE NATIONALE", "NATIONALE D IDENTITE"), 6.0),
        (("IDENTITY CARD",), 2.0),
        (("CARTE VALABLE JUSQU",), 3.0),
        (("SIGNATURE DU TITULAIRE", "DELIVREE LE", "TAILLE"), 1.0),
        (("REPUBLIQUE FRANCAISE",), 0.5),
    ),
    DocumentType.PASSPORT: (
        (("PASSEPORT", "PASSPORT", "REISEPASS", "PASSAPORTO", "PASAPORTE"), 6.0),
        (("AUTHORITY", "AUTORITE", "BEHORDE"), 1.5),
    ),
    DocumentType.FFT_LICENCE: (
        (("FEDERATION FRANCAISE DE TENNIS",), 6.0),
        (("LICENCE",), 1.5),
        (("TENNIS",), 1.5),
        (("CLASSEMENT",), 1.0),
    ),
}
# The SIV certificate labels its fields with codes (ANTS): C.1, D.2.1, J.1, P.6, X.1…
_SIV_CODE = re.compile(r"(?<![A-Z0-9.])[A-Z]\.\d(?:\.\d)?(?![0-9])")
_SIV_CODE_SCORE, _SIV_CODE_CAP = 0.75, 4.5
# What a French certificate prints and a Tunisian one never does (its postcodes have four digits,
# its plates read `123 TU 4567`): a five-digit postcode before its commune or ending its row, an
# SIV plate, a formula number. Each counts once: with the shared title, one is enough.
_FRENCH_VEHICLE_CUES = (
    re.compile(r"(?<![\dA-Z])\d{5}(?:\s+[A-Z]{3,}|\s*$)"),
    re.compile(r"(?<![A-Z0-9])[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}(?![A-Z0-9])"),
    re.compile(r"(?<![A-Z0-9])(?:19|20)\d{2}[A-Z]{2}\d{5}(?![0-9])"),
)
_FRENCH_VEHICLE_CUE_SCORE = 1.0
# And what a Tunisian certificate prints and a French one never does: a plate `123 TU 4567`, a
# date year first (`2024/08/31`), a mass in kilograms (`1901 kg`), the genre spelled out. Its
# shared title scores 1.5 less than a French one's, so two of them are needed with it alone.
_TUNISIAN_VEHICLE_CUES = (
    re.compile(r"(?<![A-Z0-9])\d{1,3}\s*(?:TU|RS)\s*\d{4}(?![0-9])"),
    re.compile(r"(?<![0-9])(?:19|20)\d{2}/[01]\d/[0-3]\d(?![0-9])"),
    re.compile(r"(?<![0-9])\d{3,5}\s?KG(?![A-Z])"),
    re.compile(r"(?<![A-Z])(?:VOITURE\s+PARTICULI|CAMIONNETTE(?![A-Z]))"),
)
_TUNISIAN_VEHICLE_CUE_SCORE = 1.75


@dataclass(frozen=True, slots=True)
class Classification:
    document_type: DocumentType
    confidence: float
    reason_code: str | None = None


def classify(lines: Sequence[TextLine], barcodes: Sequence[str] = ()) -> Classification:
    """The document type of OCR lines (recto and verso may be mixed) and of the texts of any
    barcode on the photo, with a confidence."""
    if any(text.startswith("FFT1;") for text in barcodes):  # the licence's QR code (brief)
        return Classification(DocumentType.FFT_LICENCE, 0.99)
    zone = _by_zone(lines)
    if zone is not None:
        return zone
    scores = scores_by_type(lines)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < _MIN_SCORE:
        return Classification(DocumentType.UNKNOWN, 0.0, "unknown_document")
    if top - second < _MIN_LEAD:
        return Classification(
            DocumentType.UNKNOWN, round(top / (top + second), 2), "ambiguous_document"
        )
    confidence = min(0.95, 0.5 + 0.06 * (top - second))
    return Classification(best, round(confidence, 2))


def scores_by_type(lines: Sequence[TextLine]) -> dict[DocumentType, float]:
    """Evidence per type from title words, printed codes and French-only values (zones aside)."""
    printed = [line for line in lines if not looks_like_mrz(line.text)]
    texts = [_plain(text) for text in [line.text for line in printed] + _row_pieces(printed)]
    scores = {document_type: 0.0 for document_type in _TITLES}
    for document_type, titles in _TITLES.items():
        for spellings, weight in titles:
            if any(_contains(text, title) for title in spellings for text in texts):
                scores[document_type] += weight
    codes = sum(len(_SIV_CODE.findall(line.text.upper())) for line in lines)
    scores[DocumentType.FR_VEHICLE_REGISTRATION] += min(_SIV_CODE_CAP, _SIV_CODE_SCORE * codes)
    uppers = [line.text.strip().upper() for line in printed]
    cues = sum(any(cue.search(text) for text in uppers) for cue in _FRENCH_VEHICLE_CUES)
    scores[DocumentType.FR_VEHICLE_REGISTRATION] += _FRENCH_VEHICLE_CUE_SCORE * cues
    cues = sum(any(cue.search(text) for text in uppers) for cue in _TUNISIAN_VEHICLE_CUES)
    scores[DocumentType.TN_VEHICLE_REGISTRATION] += _TUNISIAN_VEHICLE_CUE_SCORE * cues
    return scores


def _row_pieces(lines: Sequence[TextLine]) -> list[str]:
    """Each line joined with the next one or two to its right on its row: the detector splits a
    title where its words stand apart ("CERTIFICAT" | "D'IMMATRICULATION")."""
    joined = []
    for line in lines:
        texts, current = [line.text], line
        for _ in range(2):
            after = _next_on_row(current, lines)
            if after is None:
                break
            texts.append(after.text)
            joined.append(" ".join(texts))
            current = after
    return joined


def _next_on_row(line: TextLine, lines: Sequence[TextLine]) -> TextLine | None:
    """The nearest line starting right of `line` on its row, a few letters' height away."""
    reach = line.x1 + _ROW_GAP * line.height
    after = [
        other
        for other in lines
        if line.x1 - 0.5 * line.height <= other.x0 <= reach
        and other is not line
        and abs(other.center_y - line.center_y) < line.height
        and same_row(line, other)
    ]
    return min(after, key=lambda other: other.x0, default=None)


def _by_zone(lines: Sequence[TextLine]) -> Classification | None:
    """The type a machine-readable zone states, if one is there."""
    for line in lines:
        text = clean_line(line.text)
        if looks_like_mrz(line.text) and re.match(r"CRFRA|CI[A-Z<]{3}\d{4}[A-Z]{2}\d{5}", text):
            return Classification(DocumentType.FR_VEHICLE_REGISTRATION, 0.99)
    mrz = find_mrz(lines)
    if mrz is None:
        return _by_zone_line(lines)
    checked = sum(mrz.checks.values()) >= len(mrz.checks) - 1
    confidence = 0.99 if checked else 0.9
    code, state = mrz.fields.get("document_code", ""), mrz.fields.get("issuing_state", "")
    lone_second_line = not code and all(mrz.checks.values())
    if mrz.format is MrzFormat.TD3 and (code.startswith("P") or lone_second_line):
        return Classification(DocumentType.PASSPORT, confidence)
    if mrz.format is not MrzFormat.TD3 and code.startswith("I") and state == "FRA":
        return Classification(DocumentType.FR_IDENTITY_CARD, confidence)
    return None


def _by_zone_line(lines: Sequence[TextLine]) -> Classification | None:
    """One MRZ line alone (the other lost to the crop or the OCR) still names the document."""
    for line in lines:
        text = clean_line(line.text)
        if not looks_like_mrz(line.text):
            continue
        if text.startswith("IDFRA") and len(text) >= 30:
            return Classification(DocumentType.FR_IDENTITY_CARD, 0.9)
        if re.match(r"P[A-Z<][A-Z0-9<]{3}[A-Z0-9<]*[A-Z0-9]<<", text) and len(text) >= 38:
            return Classification(DocumentType.PASSPORT, 0.9)
    return None


def _plain(text: str) -> str:
    """Upper case, no accents, punctuation as spaces: the form titles are compared in."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text).upper()).split())


def _contains(text: str, title: str) -> bool:
    """True when `title` occurs in `text` with at most one slip per 8 characters
    (approximate substring match, Sellers' edit distance)."""
    allowed = len(title) // 8
    if allowed == 0 or title in text:
        return title in text
    if _missing_letters(text, title) > allowed:
        return False
    return substring_edit_distance(text, title) <= allowed


def substring_edit_distance(text: str, title: str) -> int:
    """The fewest slips (substitutions, insertions, deletions) turning `title` into some part
    of `text` (Sellers' edit distance)."""
    previous = [0] * (len(text) + 1)
    for row, wanted in enumerate(title, start=1):
        current = [row] + [0] * len(text)
        for column, seen in enumerate(text, start=1):
            current[column] = min(
                previous[column - 1] + (wanted != seen),
                previous[column] + 1,
                current[column - 1] + 1,
            )
        previous = current
    return min(previous)


def _missing_letters(text: str, title: str) -> int:
    """How many of `title`'s letters (counted with repeats) `text` lacks: each costs an edit in
    any alignment, so this bounds the distance from below at a fraction of its cost (a carte
    grise has ~70 lines to compare with every title)."""
    return sum(max(0, title.count(letter) - text.count(letter)) for letter in set(title))
