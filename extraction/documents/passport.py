"""Passports of any issuing state (ICAO 9303 TD3 data page): read mostly from the 2×44 MRZ,
the printed zone serving as fallback and cross-check. The country is the issuing state."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from extraction.documents.base import DocumentReading, DocumentSpec
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
from extraction.models import DocumentType, FieldResult
from extraction.mrz import MrzFormat, MrzReading, find_mrz
from extraction.names import names_agree
from extraction.rules import Assessment, check_dates, check_format
from extraction.text import TextLine

FIELDS = (
    "document_number",
    "surname",
    "given_names",
    "sex",
    "nationality",
    "issuing_state",
    "birth_date",
    "expiry_date",
    "personal_number",
)
_NUMBER = re.compile(r"[A-Z0-9]{1,9}")
_STATE = re.compile(r"[A-Z]{3}|D")  # ICAO 9303-3 §5: Germany is `D<<`
_SEX = re.compile(r"[MFX]")
_NAME = re.compile(r"[^\W\d_]+(?:(?: |-|'|, )[^\W\d_]+)*")
_PERSONAL = re.compile(r"[A-Z0-9 ]{1,14}")
COMPARISONS: dict[str, Comparison] = {
    "document_number": NUMBER,
    "surname": Comparison(printed_text, names_agree),
    "given_names": Comparison(printed_text, names_agree),
    "sex": SEX,
    "nationality": CODE,
    "issuing_state": CODE,
    "birth_date": DATE,
    "expiry_date": DATE,
    "personal_number": NUMBER,
}


class Passport:
    document_type: DocumentType = DocumentType.PASSPORT
    country: str | None = None  # the issuing state, read from the document
    field_names: tuple[str, ...] = FIELDS

    def read(self, lines: Sequence[TextLine], barcodes: Sequence[str] = ()) -> DocumentReading:
        """Every field from the MRZ when its check digits pass, else from the printed zone."""
        findings: list[Finding] = []
        mrz = find_mrz(lines)
        if mrz is not None and mrz.format is not MrzFormat.TD3:
            findings.append(Finding("mrz_wrong_document", None, {"code": mrz.format.value}))
            mrz = None
        printed = read_labelled(lines)
        values = mrz.fields if mrz else {}
        today = date.today()
        fields: dict[str, FieldResult] = {}
        for name in FIELDS:
            comparison = COMPARISONS[name]
            convert, seen = None, printed.get(name)
            if name in ("surname", "given_names"):
                cut = mrz is not None and name in mrz.truncated
                comparison = Comparison(printed_text, name_agrees(cut), printed_wins=True)
                seen = printed_name_for(lines, seen, values.get(name), truncated=cut)
            elif comparison is DATE:
                convert = mrz_date_reader(
                    future=name == "expiry_date",
                    printed=DATE.normalise(seen.text) if seen else None,
                    today=today,
                )
            fields[name] = merge(
                name,
                mrz_value=values.get(name),
                confirmed=_confirmed(mrz, name),
                repaired=mrz is not None and name in mrz.repaired,
                printed=seen,
                comparison=comparison,
                findings=findings,
                unchecked_trust=0.9 if name in ("sex", "nationality", "issuing_state") else 0.75,
                mrz_as_value=convert,
            )
        if mrz is None:
            findings.append(Finding("mrz_not_found"))
        elif mrz.confirmed("personal_number") and not values.get("personal_number"):
            fields["personal_number"] = FieldResult()  # checked empty: none was issued
        return DocumentReading(fields, findings, mrz.to_block() if mrz else None)

    def check(self, reading: DocumentReading, *, today: date) -> None:
        """Formats, dates, and agreement with the MRZ the reading carries."""
        assessment = Assessment()
        fields = reading.fields
        check_against_mrz(assessment, reading, carried_mrz(reading), COMPARISONS)
        check_dates(
            assessment,
            fields,
            today=today,
            past=("birth_date",),
            order=("birth_date", "expiry_date"),
            expiry="expiry_date",
        )
        check_format(assessment, fields, "document_number", _NUMBER)
        check_format(assessment, fields, "sex", _SEX)
        for name in ("nationality", "issuing_state"):
            check_format(assessment, fields, name, _STATE)
        for name in ("surname", "given_names"):
            check_format(assessment, fields, name, _NAME, hard=False)
        check_format(assessment, fields, "personal_number", _PERSONAL, hard=False)
        check_accents(assessment, fields, ("surname", "given_names"), french=False)
        check_printed_only(assessment, fields)
        assessment.settle(fields)
        reading.findings.extend(f for f in assessment.findings if f not in reading.findings)


def _confirmed(mrz: MrzReading | None, name: str) -> bool | None:
    return mrz.confirmed(name) if mrz else None


SPEC: DocumentSpec = Passport()
