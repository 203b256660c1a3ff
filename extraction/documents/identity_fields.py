"""What identity cards and passports share: weighing an MRZ value against the printed one,
normalising printed values, and re-checking any reading against the MRZ it carries."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from extraction.dates import parse_printed_date, parse_yymmdd
from extraction.documents.base import DocumentReading
from extraction.documents.identity_labels import PrintedValue, find_by_value
from extraction.findings import Finding
from extraction.models import FieldResult, FieldValue, Source
from extraction.mrz import MrzReading, read_mrz
from extraction.names import (
    fold,
    french_look_alikes,
    names_agree,
    printed_name,
    upper_keep_accents,
)
from extraction.rules import Assessment, iso_date
from extraction.text import TextLine

# How much a value is worth, by the evidence behind it.
CHECKED = 0.99  # MRZ value whose check digits pass
AGREED = 0.97  # MRZ value no check digit covers, printed zone agrees
MRZ_ONLY = 0.75  # MRZ value no check digit covers, nothing to compare it with
FAILED_AGREED = 0.85  # check digit fails, but the printed zone reads the same
CONTRADICTED = 0.6  # MRZ and printed zone disagree
FAILED_ALONE = 0.3  # check digit fails and nothing confirms the value
# A look-alike repair can satisfy a check digit by chance (about one in ten when the real slip
# was not a look-alike): a repaired value is shown, but only the printed zone can confirm it.
REPAIRED_ALONE = 0.7
# The MRZ confirms a name's letters, not its accents: OCR turns Ë into Ê or É now and then, on
# lines it still scores 0.95. Accented spellings need a surer line than that.
ACCENT_CONFIDENCE = 0.97
# A spelling without accents is the OCR's word alone too (it dropped BENSAÏD's diaeresis on a
# phone photo, scoring the line 0.91): it needs the bar any OCR-only value needs.
PLAIN_SPELLING_CONFIDENCE = 0.95
ACCENT_UNSURE = 0.75
# Letters French spelling uses; others on a French card's name are more often OCR slips.
FRENCH_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ")

_MONTHS = {
    "JAN": 1, "JANV": 1, "FEB": 2, "FEV": 2, "FEVR": 2, "MAR": 3, "MARS": 3, "APR": 4, "AVR": 4,
    "MAY": 5, "MAI": 5, "MAG": 5, "JUN": 6, "JUIN": 6, "GIU": 6, "JUL": 7, "JUIL": 7, "LUG": 7,
    "AUG": 8, "AOU": 8, "AOUT": 8, "AGO": 8, "SEP": 9, "SEPT": 9, "SET": 9, "OCT": 10, "OTT": 10,
    "NOV": 11, "DEC": 12, "DIC": 12, "ENE": 1, "GEN": 1, "ABR": 4, "APR.": 4,
}  # fmt: skip
_MONTH_DATE = re.compile(r"(\d{1,2})\s*([A-Z]{3,4})\.?(?:\s*/\s*[A-Z]{3,4}\.?)?\s*(\d{4})")


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a field is normalised from print and compared with its MRZ value."""

    normalise: Callable[[str], str | None]
    agree: Callable[[str, str], bool]
    printed_wins: bool = False  # keep the printed spelling (accents) when both agree


def printed_date(text: str) -> str | None:
    """A printed date (`31 12 2024`, `31.12.2024`, `31 DEC 2024`) as ISO `YYYY-MM-DD`."""
    upper = fold(text).upper()
    match = _MONTH_DATE.search(upper)
    if match and match.group(2) in _MONTHS:
        try:
            return date(
                int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1))
            ).isoformat()
        except ValueError:
            return None
    parsed = parse_printed_date(upper.replace("O", "0"))
    return parsed.isoformat() if parsed else None


def printed_code(text: str) -> str | None:
    """The letters of a printed code or nationality (`FRA`, `UTOPIA`)."""
    letters = re.sub(r"[^A-Z]", "", fold(text).upper())
    return letters or None


def printed_number(text: str) -> str | None:
    """A printed document number without spaces or punctuation."""
    number = re.sub(r"[^A-Z0-9]", "", fold(text).upper())
    return number or None


def printed_sex(text: str) -> str | None:
    """`M`, `F` or `X` as printed."""
    match = re.search(r"\b([MFX])\b", upper_keep_accents(text))
    return match.group(1) if match else None


def printed_text(text: str) -> str | None:
    """A printed name or place in the contract's form (upper case, accents kept)."""
    return printed_name(text) or None


def mrz_date_agrees(printed: str, mrz: str) -> bool:
    """An ISO date and an MRZ `YYMMDD` name the same day."""
    parsed = iso_date(printed)
    return parsed is not None and parsed.strftime("%y%m%d") == mrz


def same(printed: str, mrz: str) -> bool:
    """Exactly equal."""
    return printed == mrz


def code_agrees(printed: str, mrz: str) -> bool:
    """`FRA` agrees with `FRA`, `FRANÇAISE` and `UTOPIA` with `UTO`: names begin with the code."""
    return printed.startswith(mrz)


def name_agrees(truncated: bool) -> Callable[[str, str], bool]:
    """`names_agree` for an MRZ name field that may (`truncated`) have been cut."""
    return lambda printed, mrz: names_agree(printed, mrz, truncated=truncated)


NUMBER = Comparison(printed_number, same)
CODE = Comparison(printed_code, code_agrees)
SEX = Comparison(printed_sex, same)
DATE = Comparison(printed_date, mrz_date_agrees)


def mrz_iso_date(value: str, *, future: bool, printed: str | None, today: date) -> str | None:
    """An MRZ `YYMMDD` as ISO; the printed date settles the century when it agrees."""
    if printed is not None and mrz_date_agrees(printed, value):
        return printed
    parsed = parse_yymmdd(value, pivot=today, future=future)
    return parsed.isoformat() if parsed else None


def mrz_date_reader(
    *, future: bool, printed: str | None, today: date
) -> Callable[[str], str | None]:
    """`mrz_iso_date` with its context bound, for `merge(mrz_as_value=…)`."""

    def read(value: str) -> str | None:
        return mrz_iso_date(value, future=future, printed=printed, today=today)

    return read


def printed_name_for(
    lines: Sequence[TextLine],
    labelled: PrintedValue | None,
    mrz_value: str | None,
    *,
    truncated: bool,
) -> PrintedValue | None:
    """The printed spelling of a name: the labelled value when it agrees with the MRZ, else
    any printed line that does (labels are small and often lost), else the labelled value."""
    if not mrz_value:
        return labelled

    def agrees(text: str) -> bool:
        return names_agree(text, mrz_value, truncated=truncated)

    if labelled is not None and agrees(labelled.text):
        return labelled
    return find_by_value(lines, agrees) or labelled


def merge(
    name: str,
    *,
    mrz_value: str | None,
    confirmed: bool | None,
    printed: PrintedValue | None,
    comparison: Comparison,
    findings: list[Finding],
    repaired: bool = False,
    unchecked_trust: float = MRZ_ONLY,
    mrz_as_value: Callable[[str], str | None] | None = None,
) -> FieldResult:
    """One field from its MRZ value (with what its check digits say) and its printed value."""
    printed_value = comparison.normalise(printed.text) if printed else None
    printed_confidence = printed.confidence if printed else 0.0
    if not mrz_value:
        if printed_value is None:
            return FieldResult()
        return FieldResult(value=printed_value, confidence=printed_confidence, source=Source.OCR)
    agrees = printed_value is not None and comparison.agree(printed_value, mrz_value)
    disagrees = printed_value is not None and not agrees and printed_confidence >= 0.85
    if disagrees:
        findings.append(Finding("mrz_printed_mismatch", name, {"field": name}))
    converted = mrz_as_value(mrz_value) if mrz_as_value else mrz_value
    value = printed_value if agrees and comparison.printed_wins else converted
    if confirmed is True:
        confidence = REPAIRED_ALONE if repaired and not agrees else CHECKED
    elif confirmed is None:
        confidence = AGREED if agrees else CONTRADICTED if disagrees else unchecked_trust
    elif agrees:
        confidence = FAILED_AGREED
    elif printed_value is not None:
        return FieldResult(
            value=printed_value, confidence=min(printed_confidence, CONTRADICTED), source=Source.OCR
        )
    else:
        confidence = FAILED_ALONE
    accented = value is not None and not str(value).isascii()
    unsure_accents = printed_confidence < (
        ACCENT_CONFIDENCE if accented else PLAIN_SPELLING_CONFIDENCE
    )
    # Nor can it tell a name printed without accents from one whose accents the OCR dropped:
    # measured, it reads LOÏC, NICCOLÒ and ANAÏS as LOIC, NICCOLO, ANAIS (at 0.96 to 1.00) on
    # photos so blurred that the smaller labels went unread and the name was found by value.
    found_by_value = printed is not None and printed.label is None
    if comparison.printed_wins and agrees and (unsure_accents or found_by_value):
        confidence = min(confidence, ACCENT_UNSURE)
    if comparison.printed_wins and not agrees:
        # The MRZ drops accents and cuts long names: alone, it cannot vouch for the spelling.
        confidence = min(confidence, unchecked_trust)
    return FieldResult(value=value, confidence=confidence, source=Source.MRZ)


def check_against_mrz(
    assessment: Assessment,
    reading: DocumentReading,
    mrz: MrzReading | None,
    comparisons: Mapping[str, Comparison],
) -> None:
    """Re-check every field against the MRZ the reading carries: failed check digits, values
    that contradict a checked MRZ, disagreements found while reading."""
    fields = reading.fields
    for finding in reading.findings:
        if finding.code == "mrz_printed_mismatch" and finding.field in fields:
            assessment.doubt(finding.field, finding.code, report=False)
    if mrz is None:
        return
    for check in mrz.failed_checks:
        assessment.findings.append(Finding("mrz_check_failed", None, {"check": check}))
    for name, comparison in comparisons.items():
        result, mrz_value = fields.get(name), mrz.fields.get(name)
        if result is None or result.value is None or not mrz_value:
            continue
        agree = comparison.agree
        if name in ("surname", "given_names"):
            agree = name_agrees(name in mrz.truncated)
        agrees = agree(_comparable(result.value, comparison), mrz_value)
        confirmed = mrz.confirmed(name)
        if confirmed is False:
            if agrees and result.confidence < FAILED_AGREED:
                assessment.error(name, "mrz_check_failed", report=False)
            else:
                assessment.doubt(name, "mrz_check_failed", report=False)
        elif not agrees and name not in assessment.doubts:
            assessment.doubt(name, "mrz_printed_mismatch", field=name)


def check_printed_only(
    assessment: Assessment, fields: Mapping[str, FieldResult], *, threshold: float = 0.95
) -> None:
    """A value only the OCR vouches for (no check digit, no second reading) must be read very
    confidently to be marked valid: OCR engines score their slips 0.85 and more."""
    for name, result in fields.items():
        unsure = result.confidence < threshold and result.value is not None
        if result.source is Source.OCR and unsure:
            assessment.doubt(name, "low_confidence", report=False)


def check_accents(
    assessment: Assessment,
    fields: dict[str, FieldResult],
    names: Sequence[str],
    *,
    french: bool,
) -> None:
    """Accented names read without enough confidence, or (`french`) with letters French does
    not use, are doubtful: check digits cannot vouch for accents. Those letters are turned into
    the French ones they are misread from."""
    for name in names:
        result = fields.get(name)
        if result is None or result.value is None or str(result.value).isascii():
            continue
        letters = {char for char in str(result.value) if char.isalpha()}
        foreign = french and not letters <= FRENCH_LETTERS
        if foreign and result.source is not Source.USER:
            # The French letter it was misread from, still to be checked (an agent's own
            # spelling is left as typed).
            fields[name] = result.model_copy(
                update={"value": french_look_alikes(str(result.value))}
            )
        if foreign or result.confidence < ACCENT_CONFIDENCE - 0.07:
            assessment.doubt(name, "accent_doubtful", report=False)


def _comparable(value: FieldValue, comparison: Comparison) -> str:
    text = str(value)
    if comparison is DATE:
        return text
    return comparison.normalise(text) or text


def carried_mrz(reading: DocumentReading) -> MrzReading | None:
    """The MRZ kept on a reading, decoded again (without repairs beyond its own lines)."""
    return read_mrz(reading.mrz.lines) if reading.mrz else None
