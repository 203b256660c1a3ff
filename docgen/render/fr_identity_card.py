"""French carte nationale d'identité: the 2021 ID-1 card (TD1 MRZ) and the 1995 laminated card
(2×36 zone). Both faces' information is printed on one face so a single photo holds every field."""

from __future__ import annotations

import random
from datetime import date, timedelta

from docgen import mrz
from docgen.canvas import Card, guilloche
from docgen.document import REFERENCE_DAY, FieldValue, RenderedDocument, dmy
from docgen.identities import add_years, alnum, birth_place, digits, person, random_date

DPI = 300
VARIANTS = ("2021", "1995")


def render(rng: random.Random, seed: int) -> RenderedDocument:
    """A 2021 or 1995 card, alternating with the seed so any dataset holds both."""
    return _render_2021(rng) if VARIANTS[seed % 2] == "2021" else _render_1995(rng)


def _render_2021(rng: random.Random) -> RenderedDocument:
    holder = person(rng, "FRA", today=REFERENCE_DAY)
    place, _dept = birth_place(rng)
    issue = random_date(rng, date(2021, 8, 2), REFERENCE_DAY)
    expiry = add_years(issue, 10)  # ANTS: 10 years for the 2021 model
    number = alnum(rng, 9)
    lines = mrz.td1(
        doc_code="ID",
        state="FRA",
        number=number,
        birth=holder.birth_date,
        sex=holder.sex,
        expiry=expiry,
        nationality="FRA",
        surname=holder.surname,
        given_names=holder.given_names,
    )
    w, h = 85.6, 54.0
    scale = DPI / 25.4
    background = guilloche(
        round(w * scale), round(h * scale), rng, (226, 232, 240), (176, 190, 222)
    )
    card = Card(w, h, DPI, background)
    card.rect((0, 0, w, 8.2), fill=(214, 224, 242))
    card.rect((3, 1.6, 4.6, 5.6), fill=(0, 35, 149), outline=None)
    card.rect((4.6, 1.6, 6.2, 5.6), fill=(250, 250, 250), outline=None)
    card.rect((6.2, 1.6, 7.8, 5.6), fill=(237, 41, 57), outline=None)
    card.text(9.5, 1.4, "RÉPUBLIQUE FRANÇAISE", 2.3, family="sans-bold", fill=(20, 40, 110))
    card.text(
        9.5,
        4.6,
        "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD",
        1.9,
        family="condensed-bold",
        fill=(20, 40, 110),
    )
    card.label(62, 1.2, "N° du document / Document No")
    card.text(62, 3.7, number, 2.5, family="mono-bold")
    card.face_placeholder((3, 9.6, 25, 37.6), rng)
    x, right = 28.0, 58.0
    card.label(x, 9.4, "NOM / Surname")
    card.text(x, 11.2, holder.surname, 2.8, family="sans-bold", max_width_mm=55)
    card.label(x, 15.0, "Prénoms / Given names")
    card.text(x, 16.8, ", ".join(holder.given_names), 2.5, max_width_mm=55)
    card.label(x, 20.6, "SEXE / Sex")
    card.text(x, 22.4, holder.sex, 2.5)
    card.label(x + 11, 20.6, "NATIONALITÉ / Nationality")
    card.text(x + 11, 22.4, "FRA", 2.5)
    card.label(right, 20.6, "DATE DE NAISS. / Date of birth")
    card.text(right, 22.4, dmy(holder.birth_date, " "), 2.5)
    card.label(x, 26.2, "LIEU DE NAISSANCE / Place of birth")
    card.text(x, 28.0, place, 2.5, max_width_mm=55)
    card.label(x, 31.8, "DATE DE DÉLIVRANCE / Date of issue")
    card.text(x, 33.6, dmy(issue, " "), 2.5)
    card.label(right, 31.8, "DATE D'EXPIR. / Expiry date")
    card.text(right, 33.6, dmy(expiry, " "), 2.5)
    card.signature((58, 35.5, 82, 39.5), rng)
    card.rect((0, 39.4, w, h), fill=(240, 242, 246))
    for row, line in enumerate(lines):
        card.text(4.8, 40.4 + row * 4.3, line, 3.5, family="mrz", fill=(15, 15, 15))
    fields: dict[str, FieldValue] = {
        "document_number": number,
        "surname": holder.surname,
        "given_names": holder.given_upper,
        "sex": holder.sex,
        "nationality": "FRA",
        "birth_date": holder.birth_date.isoformat(),
        "birth_place": place,
        "issue_date": issue.isoformat(),
        "expiry_date": expiry.isoformat(),
        "card_model": "2021",
    }
    return RenderedDocument("fr_identity_card", "2021", card.image, fields, lines)


def _render_1995(rng: random.Random) -> RenderedDocument:
    holder = person(rng, "FRA", today=REFERENCE_DAY)
    place, dept = birth_place(rng)
    # A card is issued after its holder's birth (a month at the earliest, as for a newborn).
    first_issue = max(date(1996, 1, 1), holder.birth_date + timedelta(days=31))
    issue = random_date(rng, first_issue, date(2021, 7, 31))
    # Cards issued to adults from 2014 print 15 years; before, 10 (the 2014 extension is unprinted).
    adult = add_years(holder.birth_date, 18) <= issue
    expiry = add_years(issue, 15 if issue.year >= 2014 and adult else 10)
    office_dept = (dept if len(dept) == 3 else dept + "0").replace("A", "0").replace("B", "0")
    office = office_dept + digits(rng, 3)
    number = issue.strftime("%y%m") + office_dept + digits(rng, 5)
    lines = mrz.fr1995(
        surname=holder.surname,
        office=office,
        number=number,
        given_names=holder.given_names,
        birth=holder.birth_date,
        sex=holder.sex,
    )
    w, h = 105.0, 74.0
    scale = DPI / 25.4
    background = guilloche(
        round(w * scale), round(h * scale), rng, (214, 232, 214), (168, 206, 178), density=0.8
    )
    card = Card(w, h, DPI, background)
    card.text(4, 2.5, "RÉPUBLIQUE FRANÇAISE", 2.6, family="serif-bold", fill=(30, 60, 120))
    card.text(
        4, 7.0, "CARTE NATIONALE D'IDENTITÉ N° :", 2.6, family="sans-bold", fill=(30, 60, 120)
    )
    card.text(58, 6.7, number, 3.0, family="mono-bold")
    card.face_placeholder((4, 12, 31, 47), rng)
    given_printed = ", ".join(g.upper() for g in holder.given_names)
    x = 35.0
    rows = (("Nom :", holder.surname, "sans-bold"), ("Prénom(s) :", given_printed, "sans"))
    y = 12.5
    for label, value, family in rows:
        card.label(x, y + 0.6, label, 2.0)
        card.text(x + 17, y, value, 3.0, family=family, max_width_mm=50)
        y += 5.2
    card.label(x, y + 0.6, "Sexe :", 2.0)
    card.text(x + 9, y, holder.sex, 3.0)
    card.label(x + 16, y + 0.6, "Né(e) le :", 2.0)
    card.text(x + 30, y, dmy(holder.birth_date, "."), 3.0)
    y += 5.2
    card.label(x, y + 0.6, "à :", 2.0)
    card.text(x + 6, y, place, 3.0, max_width_mm=60)
    y += 5.2
    card.label(x, y + 0.6, "Taille :", 2.0)
    card.text(x + 11, y, f"{rng.randint(150, 195) / 100:.2f} m".replace(".", ","), 3.0)
    y += 5.2
    card.label(x, y + 0.6, "Signature du titulaire :", 2.0)
    card.signature((x + 30, y - 1.5, x + 62, y + 4.5), rng)
    y += 6.0
    card.label(x, y, "Carte valable jusqu'au :", 1.9)
    card.text(x + 27, y - 0.4, dmy(expiry, "."), 2.5)
    card.label(x, y + 3.6, "délivrée le :", 1.9)
    card.text(x + 15, y + 3.2, dmy(issue, "."), 2.5)
    card.label(x + 36, y + 3.6, "par :", 1.9)
    card.text(x + 42, y + 3.2, f"PRÉFECTURE {dept}", 2.2, max_width_mm=25)
    card.rect((0, 57.5, w, h), fill=(228, 238, 228))
    for row, line in enumerate(lines):
        card.text(6.0, 59.5 + row * 5.4, line, 3.5, family="mrz", fill=(15, 15, 15))
    fields: dict[str, FieldValue] = {
        "document_number": number,
        "surname": holder.surname,
        "given_names": holder.given_upper,
        "sex": holder.sex,
        "nationality": "FRA",
        "birth_date": holder.birth_date.isoformat(),
        "birth_place": place,
        "issue_date": issue.isoformat(),
        "expiry_date": expiry.isoformat(),
        "card_model": "1995",
    }
    return RenderedDocument("fr_identity_card", "1995", card.image, fields, lines)
