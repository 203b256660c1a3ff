"""ICAO 9303 TD3 passport data page (125×88 mm) for several issuing states, with a 2×44 MRZ.
Printed names keep their accents; the MRZ carries the ICAO transliteration."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from docgen import mrz
from docgen.canvas import Card, guilloche
from docgen.document import REFERENCE_DAY, FieldValue, RenderedDocument
from docgen.identities import add_years, alnum, digits, person, random_date

DPI = 300


@dataclass(frozen=True)
class State:
    code: str
    title: str  # the issuing state as printed on the page
    passport: str  # "PASSEPORT", "REISEPASS"…
    labels: tuple[str, ...]  # local labels: type, code, number, surname, given, nationality,
    # birth date, sex, birth place, issue date, authority, expiry date
    colour: tuple[int, int, int]
    date_style: str  # "dots", "spaces" or "months"
    years: int


_EN = (
    "Type",
    "Code",
    "Passport No.",
    "Surname",
    "Given names",
    "Nationality",
    "Date of birth",
    "Sex",
    "Place of birth",
    "Date of issue",
    "Authority",
    "Date of expiry",
)
STATES = (
    State(
        "FRA",
        "RÉPUBLIQUE FRANÇAISE",
        "PASSEPORT",
        (
            "Type",
            "Code du pays",
            "Passeport n°",
            "Nom",
            "Prénoms",
            "Nationalité",
            "Date de naissance",
            "Sexe",
            "Lieu de naissance",
            "Date de délivrance",
            "Autorité",
            "Date d'expiration",
        ),
        (150, 40, 60),
        "spaces",
        10,
    ),
    State(
        "DEU",
        "BUNDESREPUBLIK DEUTSCHLAND",
        "REISEPASS",
        (
            "Typ",
            "Kode",
            "Pass-Nr.",
            "Name",
            "Vornamen",
            "Staatsangehörigkeit",
            "Geburtstag",
            "Geschlecht",
            "Geburtsort",
            "Ausstellungsdatum",
            "Behörde",
            "Gültig bis",
        ),
        (120, 30, 50),
        "dots",
        10,
    ),
    State(
        "ITA",
        "REPUBBLICA ITALIANA",
        "PASSAPORTO",
        (
            "Tipo",
            "Codice Paese",
            "Passaporto N.",
            "Cognome",
            "Nome",
            "Cittadinanza",
            "Data di nascita",
            "Sesso",
            "Luogo di nascita",
            "Data di rilascio",
            "Autorità",
            "Data di scadenza",
        ),
        (110, 20, 40),
        "months",
        10,
    ),
    State(
        "ESP",
        "REINO DE ESPAÑA",
        "PASAPORTE",
        (
            "Tipo",
            "Código",
            "Pasaporte N°",
            "Apellidos",
            "Nombre",
            "Nacionalidad",
            "Fecha de nacimiento",
            "Sexo",
            "Lugar de nacimiento",
            "Fecha de expedición",
            "Autoridad",
            "Fecha de caducidad",
        ),
        (130, 30, 40),
        "spaces",
        10,
    ),
    State(
        "BEL",
        "ROYAUME DE BELGIQUE",
        "PASSEPORT",
        (
            "Type",
            "Code",
            "Passeport n°",
            "Nom",
            "Prénoms",
            "Nationalité",
            "Date de naissance",
            "Sexe",
            "Lieu de naissance",
            "Date de délivrance",
            "Autorité",
            "Date d'expiration",
        ),
        (120, 30, 60),
        "months",
        7,
    ),
    State(
        "TUN",
        "RÉPUBLIQUE TUNISIENNE",
        "PASSEPORT",
        (
            "Type",
            "Code",
            "Passeport N°",
            "Nom",
            "Prénoms",
            "Nationalité",
            "Date de naissance",
            "Sexe",
            "Lieu de naissance",
            "Date de délivrance",
            "Autorité",
            "Date d'expiration",
        ),
        (40, 70, 50),
        "dots",
        5,
    ),
    State("UTO", "UTOPIA", "PASSPORT", _EN, (40, 60, 110), "months", 10),
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_BIRTH_PLACES = {
    "FRA": ("PARIS", "LYON", "NANTES", "BÉZIERS"),
    "DEU": ("MÜNCHEN", "KÖLN", "BERLIN", "DÜSSELDORF"),
    "ITA": ("ROMA", "MILANO", "NAPOLI", "FORLÌ"),
    "ESP": ("MADRID", "SEVILLA", "MÁLAGA", "A CORUÑA"),
    "BEL": ("BRUXELLES", "LIÈGE", "GENT", "NAMUR"),
    "TUN": ("TUNIS", "SFAX", "SOUSSE", "GABÈS"),
    "UTO": ("ZENITH", "UTOPIA CITY"),
}


def _number(rng: random.Random, state: str) -> str:
    if state == "FRA":
        return digits(rng, 2) + alnum(rng, 2, "ABCDEFGHJKLMNPRSTUVWXYZ") + digits(rng, 5)
    if state == "ITA":
        return alnum(rng, 2, "ABCDEFGHJKLMNPRSTUVWXYZ") + digits(rng, 7)
    if state == "ESP":
        return alnum(rng, 3, "ABCDEFGHJKLMNPRSTUVWXYZ") + digits(rng, 6)
    if state == "BEL":
        return alnum(rng, 2, "ABCDEFGHJKLMNPRSTUVWXYZ") + digits(rng, 6)
    if state == "TUN":
        return rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + digits(rng, 6)
    return alnum(rng, 9, "0123456789CFGHJKLMNPRTVWXYZ")


def _personal_number(rng: random.Random, state: str, birth: date) -> str | None:
    if state == "BEL":
        return birth.strftime("%y%m%d") + digits(rng, 5)
    if state == "ESP":
        return digits(rng, 8) + rng.choice("TRWAGMYFPDXBNJZSQVHLCKE")
    if state == "UTO" and rng.random() < 0.7:
        return alnum(rng, 9, "0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
    return None


def _pale(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    red, green, blue = (min(255, c + 120) for c in colour)
    return red, green, blue


def _date(day: date, style: str) -> str:
    if style == "dots":
        return day.strftime("%d.%m.%Y")
    if style == "months":
        return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d %m %Y")


def render(rng: random.Random, seed: int) -> RenderedDocument:
    """A passport data page from a random issuing state."""
    state = STATES[seed % len(STATES)] if rng.random() < 0.5 else rng.choice(STATES)
    holder = person(rng, state.code, today=REFERENCE_DAY)
    issue = random_date(rng, add_years(REFERENCE_DAY, -state.years), REFERENCE_DAY)
    expiry = add_years(issue, state.years)
    number = _number(rng, state.code)
    personal = _personal_number(rng, state.code, holder.birth_date)
    lines = mrz.td3(
        state=state.code,
        number=number,
        birth=holder.birth_date,
        sex=holder.sex,
        expiry=expiry,
        nationality=state.code,
        surname=holder.surname,
        given_names=holder.given_names,
        personal_number=personal or "",
    )
    w, h = 125.0, 88.0
    scale = DPI / 25.4
    background = guilloche(
        round(w * scale),
        round(h * scale),
        rng,
        (238, 232, 226),
        _pale(state.colour),
    )
    card = Card(w, h, DPI, background)
    card.text(5, 3, state.title, 3.0, family="serif-bold", fill=state.colour)
    card.text(
        5,
        7.4,
        f"{state.passport} / PASSPORT" if state.passport != "PASSPORT" else "PASSPORT",
        2.6,
        family="sans-bold",
        fill=state.colour,
    )
    card.face_placeholder((5, 15, 38, 57), rng)
    card.face_placeholder((108, 44, 121, 60), rng, ghost=True)
    labels = state.labels
    both = [f"{local} / {en}" if local != en else en for local, en in zip(labels, _EN, strict=True)]
    given_printed = (", " if state.code in ("FRA", "BEL") else " ").join(holder.given_names)
    if state.code in ("DEU", "TUN", "ITA"):
        given_printed = given_printed.upper()
    place = rng.choice(_BIRTH_PLACES[state.code])
    x, mid, right = 42.0, 70.0, 95.0
    card.label(x, 12, both[0], 1.7)
    card.text(x, 14.2, "P", 2.8)
    card.label(mid, 12, both[1], 1.7)
    card.text(mid, 14.2, state.code, 2.8)
    card.label(right, 12, both[2], 1.7)
    card.text(right, 14.2, number, 3.0, family="mono-bold")
    rows = (
        ((x, both[3], holder.surname, "sans-bold"),),
        ((x, both[4], given_printed, "sans"),),
        (
            (x, both[5], state.title.split()[-1] if state.code == "UTO" else state.code, "sans"),
            (right, both[7], holder.sex, "sans"),
        ),
        (
            (x, both[6], _date(holder.birth_date, state.date_style), "sans"),
            (mid + 8, both[8], place, "sans"),
        ),
        (
            (x, both[9], _date(issue, state.date_style), "sans"),
            (
                mid + 8,
                both[10],
                f"{state.passport[:4]}. {rng.choice(_BIRTH_PLACES[state.code])}",
                "sans",
            ),
        ),
        ((x, both[11], _date(expiry, state.date_style), "sans"),),
    )
    y = 19.5
    for row in rows:
        for col, label, value, family in row:
            card.label(col, y, label, 1.7)
            card.text(col, y + 2.2, value, 3.0, family=family, max_width_mm=w - col - 4)
        y += 7.3
    if personal:
        card.label(x + 40, 63.4, "Personal No.", 1.7)
        card.text(x + 40, 65.6, personal, 2.6, family="mono")
    card.signature((6, 58, 38, 66), rng)
    card.rect((0, 69.5, w, h), fill=(244, 242, 238))
    for row_index, line in enumerate(lines):
        card.text(6.0, 72.5 + row_index * 6.2, line, 3.5, family="mrz", fill=(15, 15, 15))
    fields: dict[str, FieldValue] = {
        "document_number": number,
        "surname": holder.surname,
        "given_names": holder.given_upper,
        "sex": holder.sex,
        "nationality": state.code,
        "issuing_state": state.code,
        "birth_date": holder.birth_date.isoformat(),
        "expiry_date": expiry.isoformat(),
        "personal_number": personal,
    }
    return RenderedDocument("passport", "td3", card.image, fields, lines)
