"""The French identity card's issue and expiry dates when their labels were not read (tiny on
the 1995 card, often blurred on the 2021 one): found among the printed dates by the rules that
tie them to values the MRZ check digits vouch for.

ANTS: a card is valid 10 years from its issue (15 for a 1995 card issued to an adult from 2014;
the day before the anniversary is printed too), and a 1995 card's number starts with its issue
year and month (YYMM).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from extraction.dates import parse_yymmdd
from extraction.documents.identity_fields import DATE, printed_date
from extraction.documents.identity_labels import PrintedValue
from extraction.mrz import MrzFormat, MrzReading, looks_like_mrz
from extraction.printed_values import GUESS_CONFIDENCE as GUESS
from extraction.text import TextLine


def plus_years(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_ends(issue: date, model: str) -> set[date]:
    """The expiry dates a card of `model` issued on `issue` may carry."""
    years = (10, 15) if model == "1995" else (10,)
    return {plus_years(issue, n) - timedelta(days=lag) for n in years for lag in (0, 1)}


def dates_by_rule(
    lines: Sequence[TextLine],
    *,
    model: str,
    number: str | None,
    expiry: date | None,
    taken: Sequence[str] = (),
) -> dict[str, PrintedValue]:
    """The printed issue date (and, on a 1995 card, expiry date) that the validity rule ties
    to the checked expiry (2021) or that pair up and match the checked number's YYMM (1995).
    `taken`: ISO dates already claimed by another field (the birth date)."""
    printed: list[tuple[date, TextLine]] = []
    for line in lines:
        text = None if looks_like_mrz(line.text) else printed_date(line.text)
        if text is not None and text not in taken:
            printed.append((date.fromisoformat(text), line))
    for issue, issue_line in printed:
        if model == "2021" and expiry is not None and expiry in validity_ends(issue, model):
            return {"issue_date": _value(issue_line)}
        if model != "1995" or not number or issue.strftime("%y%m") != number[:4]:
            continue
        ends = validity_ends(issue, model)
        pairs = [line for day, line in printed if day in ends]
        if len(pairs) == 1:
            return {"issue_date": _value(issue_line), "expiry_date": _value(pairs[0])}
    if model != "1995" or not number:
        return {}
    # The issue date unread: the expiry is the one date 10 or 15 years after the number's
    # month, its day vouched for by nothing but the OCR: shown, never marked valid.
    lone = [
        line
        for day, line in printed
        if any(f"{(day.year - years) % 100:02d}{day.month:02d}" == number[:4] for years in (10, 15))
    ]
    if len(lone) != 1:
        return {}
    return {"expiry_date": replace(_value(lone[0]), confidence=min(lone[0].confidence, GUESS))}


def _value(line: TextLine) -> PrintedValue:
    return PrintedValue(line.text.strip(), line.confidence)


def with_dates_by_rule(
    printed: dict[str, PrintedValue], lines: Sequence[TextLine], mrz: MrzReading | None
) -> dict[str, PrintedValue]:
    """The printed values, with the issue and expiry dates whose labels went unread found by
    the rules that tie them to the MRZ's checked number and expiry."""
    missing = [name for name in ("issue_date", "expiry_date") if name not in printed]
    if mrz is None or not missing:
        return printed
    model = "1995" if mrz.format is MrzFormat.FR_1995 else "2021"
    number = mrz.fields.get("document_number") if mrz.confirmed("document_number") else None
    expiry = None
    if mrz.confirmed("expiry_date"):
        expiry = parse_yymmdd(mrz.fields["expiry_date"], pivot=date.today(), future=True)
    birth = printed.get("birth_date")
    taken = [text for text in (DATE.normalise(birth.text) if birth else None,) if text]
    if mrz.confirmed("birth_date"):
        parsed = parse_yymmdd(mrz.fields["birth_date"], pivot=date.today(), future=False)
        taken += [parsed.isoformat()] if parsed else []
    found = dates_by_rule(lines, model=model, number=number, expiry=expiry, taken=taken)
    return {**printed, **{name: found[name] for name in missing if name in found}}
