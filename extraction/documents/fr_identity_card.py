"""French carte nationale d'identité: the 2021 ID-1 card (TD1 MRZ, bilingual labels) and the
1995 laminated card (2×36 MRZ, "Nom :", "Né(e) le :"…). MRZ values whose check digits pass win
over the printed zone; names keep the printed spelling (accents) when both agree."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from extraction.documents.base import DocumentReading, DocumentSpec
from extraction.documents.fr_identity_card_dates import plus_years, with_dates_by_rule
from extraction.documents.fr_identity_card_places import birth_place_by_position
from extraction.documents.identity_fields import (
    CODE,
    DATE,
    NUMBER,
    SEX,
    Comparison,
    carried_mrz,
    check_accents,
    check_against_mrz,
    check_printed_only,
    merge,
    mrz_date_reader,
    name_agrees,
    printed_name_for,
    printed_text,
)
from extraction.documents.identity_labels import read_labelled
from extraction.findings import Finding
from extraction.models import DocumentType, FieldResult, Source
from extraction.mrz import MrzFormat, MrzReading, find_mrz
from extraction.names import names_agree
from extraction.rules import Assessment, check_dates, check_expiry, check_format
from extraction.text import TextLine

FIELDS = (
    "document_number",
    "surname",
    "given_names",
    "sex",
    "nationality",
    "birth_date",
    "birth_place",
    "issue_date",
    "expiry_date",
    "card_model",
)
_NUMBER_2021 = re.compile(r"[A-Z0-9]{9}")
_NUMBER_1995 = re.compile(r"\d{12}")
_SEX = re.compile(r"[MFX]")
_NAME = re.compile(r"[^\W\d_]+(?:(?: |-|'|, )[^\W\d_]+)*")
_PLACE = re.compile(r"[^\W_]+(?:(?: |-|'|\. ?|\()[^\W_]+\)?)*")
_MODEL = re.compile(r"1995|2021")
_LONE_A = re.compile(r"(?:^|[\s'-])A(?:$|[\s-])")
# Used for re-checking any reading against its MRZ (names are compared by `names_agree`).
COMPARISONS: dict[str, Comparison] = {
    "document_number": NUMBER,
    "surname": Comparison(printed_text, names_agree),
    "given_names": Comparison(printed_text, names_agree),
    "sex": SEX,
    "birth_date": DATE,
    "expiry_date": DATE,
}


class FrenchIdentityCard:
    document_type: DocumentType = DocumentType.FR_IDENTITY_CARD
    country: str | None = "FRA"
    field_names: tuple[str, ...] = FIELDS

    def read(self, lines: Sequence[TextLine], barcodes: Sequence[str] = ()) -> DocumentReading:
        """Read the MRZ and the printed zone and keep, field by field, the best evidence."""
        findings: list[Finding] = []
        mrz = _own_mrz(find_mrz(lines), findings)
        printed = read_labelled(lines)
        values = mrz.fields if mrz else {}
        printed = with_dates_by_rule(printed, lines, mrz)
        fields: dict[str, FieldResult] = {}
        truncated = mrz.truncated if mrz else frozenset()
        repaired = mrz.repaired if mrz else frozenset()
        today = date.today()

        def confirmed(name: str) -> bool | None:
            return mrz.confirmed(name) if mrz else None

        fields["document_number"] = merge(
            "document_number",
            mrz_value=values.get("document_number"),
            confirmed=confirmed("document_number"),
            repaired="document_number" in repaired,
            printed=printed.get("document_number"),
            comparison=NUMBER,
            findings=findings,
        )
        for name in ("surname", "given_names"):
            fields[name] = merge(
                name,
                mrz_value=values.get(name),
                confirmed=confirmed(name),
                repaired=name in repaired,
                printed=printed_name_for(
                    lines, printed.get(name), values.get(name), truncated=name in truncated
                ),
                comparison=Comparison(printed_text, name_agrees(name in truncated), True),
                findings=findings,
            )
        fields["sex"] = merge(
            "sex",
            mrz_value=values.get("sex"),
            confirmed=confirmed("sex"),
            printed=printed.get("sex"),
            comparison=SEX,
            findings=findings,
            unchecked_trust=0.9,
        )
        # The 1995 zone has no nationality: IDFRA (under the composite check) says French.
        nationality = values.get("nationality") or values.get("issuing_state")
        fields["nationality"] = merge(
            "nationality",
            mrz_value=nationality,
            confirmed=confirmed("nationality") or confirmed("issuing_state"),
            printed=printed.get("nationality"),
            comparison=CODE,
            findings=findings,
            unchecked_trust=0.9,
        )
        for name, future in (("birth_date", False), ("expiry_date", True)):
            seen = printed.get(name)
            printed_iso = DATE.normalise(seen.text) if seen else None
            fields[name] = merge(
                name,
                mrz_value=values.get(name),
                confirmed=confirmed(name),
                repaired=name in repaired,
                printed=seen,
                comparison=DATE,
                findings=findings,
                mrz_as_value=mrz_date_reader(future=future, printed=printed_iso, today=today),
            )
        if "birth_place" not in printed:
            place = birth_place_by_position(lines, printed, mrz, fields["birth_date"].value)
            if place is not None:
                # Found by position, not by label: shown, never vouched for.
                printed["birth_place"] = replace(place, confidence=min(place.confidence, 0.7))
        for name, comparison in (("birth_place", printed_text), ("issue_date", DATE.normalise)):
            seen = printed.get(name)
            value = comparison(seen.text) if seen else None
            fields[name] = (
                FieldResult(value=value, confidence=seen.confidence, source=Source.OCR)
                if seen and value
                else FieldResult()
            )
        fields["card_model"] = _card_model(mrz, fields)
        if mrz is None:
            findings.append(Finding("mrz_not_found"))
        return DocumentReading(fields, findings, mrz.to_block() if mrz else None)

    def check(self, reading: DocumentReading, *, today: date) -> None:
        """Formats, dates, the 1995 number's issue month, and agreement with the MRZ."""
        assessment = Assessment()
        fields = reading.fields
        check_against_mrz(assessment, reading, carried_mrz(reading), COMPARISONS)
        dates = check_dates(
            assessment,
            fields,
            today=today,
            past=("birth_date", "issue_date"),
            order=("birth_date", "issue_date", "expiry_date"),
        )
        model = fields["card_model"].value if "card_model" in fields else None
        if "expiry_date" in dates:
            _check_card_expiry(assessment, dates, extended=model == "1995", today=today)
        check_format(assessment, fields, "card_model", _MODEL)
        number = {"2021": _NUMBER_2021, "1995": _NUMBER_1995}.get(str(model))
        check_format(assessment, fields, "document_number", number or re.compile(r"[A-Z0-9]{9,12}"))
        check_format(assessment, fields, "sex", _SEX)
        check_format(assessment, fields, "nationality", re.compile("FRA"))
        for name in ("surname", "given_names"):
            check_format(assessment, fields, name, _NAME, hard=False)
        check_format(assessment, fields, "birth_place", _PLACE, hard=False)
        _check_printed_place(assessment, fields)
        check_printed_only(assessment, fields)
        check_accents(assessment, fields, ("surname", "given_names", "birth_place"), french=True)
        if model == "1995":
            _check_issue_month(assessment, fields)
        if model in ("1995", "2021") and "issue_date" in dates and "expiry_date" in dates:
            _check_validity_period(assessment, fields, dates, model=str(model))
        assessment.settle(fields)
        reading.findings.extend(f for f in assessment.findings if f not in reading.findings)


def _own_mrz(mrz: MrzReading | None, findings: list[Finding]) -> MrzReading | None:
    """The MRZ if it is a French identity card's; another document's MRZ is set aside."""
    if mrz is None:
        return None
    code = mrz.fields.get("document_code", "")
    if (
        mrz.format is MrzFormat.TD3
        or not code.startswith("I")
        or mrz.fields["issuing_state"] != "FRA"
    ):
        findings.append(Finding("mrz_wrong_document", None, {"code": code or mrz.format.value}))
        return None
    return mrz


def _card_model(mrz: MrzReading | None, fields: dict[str, FieldResult]) -> FieldResult:
    if mrz is not None:
        model = "1995" if mrz.format is MrzFormat.FR_1995 else "2021"
        # A garbled zone may fit either layout; a cut one whose checks pass may not.
        sound = bool(mrz.checks) and all(mrz.checks.values())
        confidence = 0.99 if sound else 0.6
        return FieldResult(value=model, confidence=confidence, source=Source.MRZ)
    number = str(fields["document_number"].value or "")
    if _NUMBER_1995.fullmatch(number):
        return FieldResult(value="1995", confidence=0.8, source=Source.OCR)
    if _NUMBER_2021.fullmatch(number):
        return FieldResult(value="2021", confidence=0.8, source=Source.OCR)
    return FieldResult()


def _check_card_expiry(
    assessment: Assessment, dates: dict[str, date], *, extended: bool, today: date
) -> None:
    """Expired by the printed date, or by the printed date plus the five years the 2004–2013
    cards were granted. The agent is told which date counts: the printed one is what he sees."""
    printed = dates["expiry_date"]
    valid_until = _valid_until(dates, extended=extended)
    if valid_until == printed:
        check_expiry(assessment, "expiry_date", printed, today=today)
    elif valid_until < today:
        check_expiry(
            assessment,
            "expiry_date",
            valid_until,
            today=today,
            code="document_expired_extended",
            params={"printed": printed.isoformat()},
        )
    elif printed < today:
        assessment.findings.append(
            Finding("validity_extended", "expiry_date", {"date": valid_until.isoformat()})
        )


def _valid_until(dates: dict[str, date], *, extended: bool) -> date:
    """The day a card stops being valid. Décret 2013-1188: cards issued to adults from
    2 January 2004 to 31 December 2013 are valid 15 years, not the 10 printed on them."""
    expiry = dates["expiry_date"]
    issue, birth = dates.get("issue_date"), dates.get("birth_date")
    if not extended or issue is None or birth is None:
        return expiry
    adult = (issue.year - birth.year, issue.month, issue.day) >= (18, birth.month, birth.day)
    if date(2004, 1, 2) <= issue <= date(2013, 12, 31) and adult:
        return plus_years(expiry, 5)
    return expiry


def _check_validity_period(
    assessment: Assessment, fields: dict[str, FieldResult], dates: dict[str, date], *, model: str
) -> None:
    """ANTS: a card is printed valid 10 years from issue; 15 for a 1995 card issued to an
    adult from 2014 on (the day before the anniversary is accepted too)."""
    issue, expiry = dates["issue_date"], dates["expiry_date"]
    birth = dates.get("birth_date")
    years = [10]
    if model == "1995" and issue.year >= 2014 and (birth is None or plus_years(birth, 18) <= issue):
        years.append(15)
    expected = {plus_years(issue, n) - timedelta(days=lag) for n in years for lag in (0, 1)}
    if expiry in expected:
        return
    first, second = fields["issue_date"], fields["expiry_date"]
    blamed = "issue_date" if first.confidence <= second.confidence else "expiry_date"
    assessment.doubt(
        blamed, "validity_period_mismatch", issue=issue.isoformat(), expiry=expiry.isoformat()
    )


def _check_printed_place(assessment: Assessment, fields: dict[str, FieldResult]) -> None:
    """The birth place is printed only: a lone `A` in it (as in POINTE-A-PITRE) is a lost
    accent, `À`, more often than not."""
    place = fields.get("birth_place")
    if place is None or place.value is None or place.source is not Source.OCR:
        return
    if _LONE_A.search(str(place.value)):
        assessment.doubt("birth_place", "accent_doubtful", report=False)


def _check_issue_month(assessment: Assessment, fields: dict[str, FieldResult]) -> None:
    """A 1995 card number starts with the issue year and month (YYMM)."""
    number, issue = fields.get("document_number"), fields.get("issue_date")
    if number is None or issue is None or number.value is None or issue.value is None:
        return
    month = str(issue.value)[2:4] + str(issue.value)[5:7]
    if str(number.value)[:4] == month:
        return
    blamed = "issue_date" if number.confidence >= issue.confidence else "document_number"
    assessment.doubt(blamed, "card_number_issue_mismatch", number=str(number.value), month=month)


SPEC: DocumentSpec = FrenchIdentityCard()
