"""Machine-readable zones as the generator prints them: ICAO 9303 TD1/TD3, the French 1995 card's
2×36 pair and the SIV coupon zone (layouts in the project brief). Check digits are ICAO 7-3-1."""

from __future__ import annotations

import unicodedata
from datetime import date

from extraction.check_digits import check_digit

# ICAO 9303-3 §6.A: recommended transliterations of Latin letters with diacritics.
_SPECIAL = {
    "Ä": "AE",
    "Ö": "OE",
    "Ü": "UE",
    "ß": "SS",
    "Æ": "AE",
    "Œ": "OE",
    "Å": "AA",
    "Ø": "OE",
    "Þ": "TH",
    "Ð": "D",
    "Ĳ": "IJ",
}


def transliterate(text: str) -> str:
    """Upper-case MRZ form: accents dropped (É→E, Ç→C), Ü→UE, separators → `<`."""
    out = []
    for char in text.upper():
        if char in _SPECIAL:
            out.append(_SPECIAL[char])
            continue
        base = unicodedata.normalize("NFKD", char)[0]
        if "A" <= base <= "Z" or base.isdigit():
            out.append(base)
        else:
            out.append("<")  # spaces, hyphens, apostrophes (ICAO: filler)
    return "".join(out)


def pad(text: str, width: int) -> str:
    """Truncate or `<`-pad to `width`."""
    return text[:width].ljust(width, "<")


def name_field(surname: str, given_names: tuple[str, ...] | list[str], width: int) -> str:
    """`SURNAME<<GIVEN<NAMES`, truncated to `width` (ICAO 9303-3 §4.6)."""
    given = "<".join(transliterate(g) for g in given_names)
    return pad(f"{transliterate(surname)}<<{given}", width)


def yymmdd(day: date) -> str:
    """An MRZ date."""
    return day.strftime("%y%m%d")


def with_digit(data: str) -> str:
    """`data` followed by its check digit."""
    return data + check_digit(data)


def td1(
    *,
    doc_code: str,
    state: str,
    number: str,
    birth: date,
    sex: str,
    expiry: date,
    nationality: str,
    surname: str,
    given_names: tuple[str, ...],
    optional: str = "",
) -> tuple[str, str, str]:
    """ICAO 9303-5 TD1 (3×30), as on the 2021 French identity card."""
    line1 = pad(doc_code, 2) + state + with_digit(pad(number, 9)) + pad(optional, 15)
    line2 = with_digit(yymmdd(birth)) + sex + with_digit(yymmdd(expiry)) + nationality + "<" * 11
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    line3 = name_field(surname, given_names, 30)
    return line1, line2 + composite, line3


def td3(
    *,
    state: str,
    number: str,
    birth: date,
    sex: str,
    expiry: date,
    nationality: str,
    surname: str,
    given_names: tuple[str, ...],
    personal_number: str = "",
    doc_code: str = "P<",
) -> tuple[str, str]:
    """ICAO 9303-4 TD3 (2×44) passport data page."""
    line1 = pad(doc_code, 2) + state + name_field(surname, given_names, 39)
    personal = pad(personal_number, 14)
    personal_digit = check_digit(personal) if personal_number else "<"
    line2 = (
        with_digit(pad(number, 9))
        + nationality
        + with_digit(yymmdd(birth))
        + sex
        + with_digit(yymmdd(expiry))
        + personal
        + personal_digit
    )
    composite = check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return line1, line2 + composite


def fr1995(
    *, surname: str, office: str, number: str, given_names: tuple[str, ...], birth: date, sex: str
) -> tuple[str, str]:
    """The 1995 French card's 2×36 zone; `office` is department (3) + office (3)."""
    line1 = "IDFRA" + pad(transliterate(surname), 25) + office
    given = pad("<".join(transliterate(g) for g in given_names), 14)
    line2 = with_digit(number) + given + with_digit(yymmdd(birth)) + sex
    return line1, line2 + check_digit(line1 + line2)


def siv(
    *,
    plate: str,
    vin: str,
    first_registration: date,
    genre: str,
    formula: str,
    make: str,
    commercial_name: str,
) -> tuple[str, str]:
    """The SIV coupon zone (2×44) defined in the project brief."""
    plate_field = pad(transliterate(plate).replace("<", ""), 9)
    line1 = (
        "CR"
        + "FRA"
        + with_digit(plate_field)
        + with_digit(vin)
        + with_digit(yymmdd(first_registration))
        + "<<<<"
    )
    name = pad(f"{transliterate(make)}<<{transliterate(commercial_name)}", 25)
    line2 = "CI" + pad(genre, 3) + with_digit(formula) + with_digit(name)
    return line1, line2 + check_digit(line1[5:40] + line2[2:43])
