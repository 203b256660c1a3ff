"""French certificat d'immatriculation (SIV): code-labelled fields in three columns, the
detachable coupon with its 2×44 SIV zone on the `siv_coupon` variant, FNI-era plates on `fni`."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from PIL import Image

from docgen import mrz
from docgen.canvas import INK, Card, guilloche
from docgen.document import REFERENCE_DAY, FieldValue, RenderedDocument, dmy
from docgen.identities import (
    FR_PLACES,
    add_years,
    alnum,
    digits,
    french_address,
    person,
    random_date,
)
from docgen.vehicles import CATALOGUE, fni_plate, siv_plate, vin

DPI = 220
VARIANTS = ("siv", "siv_coupon", "fni", "siv_coupon")
_COMPANIES = (
    "SARL GARAGE DES ALPES",
    "SAS LOCATIONS DU SUD-OUEST",
    "EURL TRANSPORTS MOREAU",
    "SCI LES TILLEULS",
    "SAS ARTISANS PLOMBIERS ASSOCIES DE LA VALLEE DU RHONE",
)
_CODE_INK = (90, 40, 40)


def _ascii(text: str) -> str:
    """SIV prints names and addresses in unaccented capitals."""
    return "".join(c if c in " -'" else mrz.transliterate(c).replace("<", " ") for c in text)


def _wrap(text: str, limit: int) -> list[str]:
    """Split on spaces into lines of at most `limit` characters (C.1 and C.3 wrap this way)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _money(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def render(rng: random.Random, seed: int) -> RenderedDocument:
    """A registration certificate; the variant cycles with the seed."""
    variant = VARIANTS[seed % len(VARIANTS)]
    model = rng.choice(CATALOGUE)
    if variant == "fni":
        first = random_date(rng, date(1998, 1, 1), date(2008, 12, 31))
        certificate = random_date(rng, first, date(2009, 4, 14))
        plate = fni_plate(rng, rng.choice(FR_PLACES)[1])
    else:
        first = random_date(rng, date(2009, 4, 15), REFERENCE_DAY - timedelta(days=30))
        certificate = random_date(rng, first, REFERENCE_DAY)
        plate = siv_plate(rng)
    vehicle_id = vin(rng, model.wmi, first.year, valid_check_digit=rng.random() < 0.85)
    eu_body, national_body = rng.choice(model.bodies)
    fuel = rng.choice(model.fuels)
    cc = None if fuel == "EL" else rng.randint(*model.cc)
    kw = rng.randint(*model.kw)
    mass = rng.randint(*model.mass)
    laden = mass + rng.randint(350, 700) if model.genre != "MTL" else mass + 180
    co2: int | None = 0 if fuel == "EL" else rng.randint(85, 190)
    if model.genre == "MTL":
        co2 = rng.choice((None, rng.randint(90, 130)))
    electric = fuel == "EL"
    cv = max(1, min(15, round((co2 or 0) / 45 + (kw / 40) ** 1.6)))
    taxes = [
        Decimal(0)
        if electric
        else Decimal(cv) * Decimal(rng.choice(("46.15", "51.20", "54.95", "60.00"))),
        Decimal(0),
        Decimal(rng.choice((0, 0, 0, 50, 170, 540))) if not electric else Decimal(0),
        Decimal("11.00"),
        Decimal("2.76"),
    ]
    total = sum(taxes, Decimal(0))
    holder = person(rng, "FRA", today=REFERENCE_DAY)
    company = rng.random() < 0.2
    holder_name = (
        rng.choice(_COMPANIES)
        if company
        else _ascii(f"{holder.surname} {' '.join(holder.given_names)}".upper())
    )
    street, town = french_address(rng)
    extra = rng.choice(("", "", f"APPT {rng.randint(1, 80)} ", "BAT C "))
    address = _ascii(f"{extra}{street} {town}")
    formula = f"{certificate.year}{alnum(rng, 2, 'ABCDEFGHJKLMNPRSTVWXYZ')}{digits(rng, 5)}"
    inspection = (
        random_date(rng, certificate, add_years(certificate, 2)) if rng.random() < 0.5 else None
    )
    directive = "2001/116" if first.year < 2009 else "2007/46" if first.year < 2020 else "2018/858"
    approval = (
        f"e{rng.choice((2, 1, 11, 4))}*{directive}*{digits(rng, 4)}*{digits(rng, 2)}"
        if model.category != "L3e"
        else f"e4*168/2013*{digits(rng, 5)}*{digits(rng, 2)}"
    )
    euro = rng.choice(
        ("715/2007*2018/1832AP", "715/2007*692/2008EURO5", "715/2007*2017/1347AG", "EURO 6D")
    )
    fields: dict[str, FieldValue] = {
        "registration_number": plate,
        "first_registration_date": first.isoformat(),
        "holder_name": holder_name,
        "holder_address": address,
        "make": model.make,
        "type_variant_version": alnum(rng, rng.randint(8, 12)),
        "cnit": f"M10{model.code}{'VP' if model.genre == 'VP' else 'VU'}{alnum(rng, 7)}",
        "commercial_name": model.name,
        "vin": vehicle_id,
        "max_laden_mass_kg": laden,
        "max_laden_mass_service_kg": laden,
        "mass_in_service_kg": mass,
        "certificate_date": certificate.isoformat(),
        "eu_category": model.category,
        "national_genre": model.genre,
        "eu_body": eu_body,
        "national_body": national_body,
        "type_approval": approval,
        "displacement_cc": cc,
        "net_power_kw": kw,
        "fuel": fuel,
        "fiscal_power_cv": cv,
        "seats": rng.choice(model.seats),
        "co2_g_km": co2,
        "environmental_class": euro if model.genre != "MTL" else "EURO 5",
        "technical_inspection_date": inspection.isoformat() if inspection else None,
        "total_tax_eur": f"{total:.2f}",
        "formula_number": formula,
    }
    lines: tuple[str, ...] = ()
    if variant == "siv_coupon":
        lines = mrz.siv(
            plate=plate,
            vin=vehicle_id,
            first_registration=first,
            genre=model.genre,
            formula=formula,
            make=model.make,
            commercial_name=model.name,
        )
    image = _draw(fields, taxes, lines, rng)
    return RenderedDocument("fr_vehicle_registration", variant, image, fields, lines, dpi=DPI)


def _value(value: FieldValue) -> str:
    if value is None:
        return ""
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return dmy(date.fromisoformat(text))
    return text


def _draw(
    fields: dict[str, FieldValue], taxes: list[Decimal], lines: tuple[str, ...], rng: random.Random
) -> Image.Image:
    w = 210.0
    h = 148.0 if lines else 105.0
    scale = DPI / 25.4
    background = guilloche(
        round(w * scale), round(h * scale), rng, (236, 238, 230), (205, 220, 200), density=0.7
    )
    card = Card(w, h, DPI, background)
    card.text(6, 4, "RÉPUBLIQUE FRANÇAISE", 3.2, family="serif-bold", fill=(30, 50, 110))
    card.text(6, 9, "CERTIFICAT D'IMMATRICULATION", 3.6, family="sans-bold", fill=(30, 50, 110))
    card.label(132, 5.5, "N° de formule", 2.4)
    card.text(152, 4.8, str(fields["formula_number"]), 3.4, family="mono-bold")

    def row(x: float, y: float, code: str, value: str, width: float) -> None:
        card.text(x, y + 0.4, code, 2.3, family="condensed-bold", fill=_CODE_INK)
        card.text(x + 9, y, value, 3.0, fill=INK, max_width_mm=width)

    y = 20.0
    for code, key in (("A", "registration_number"), ("B", "first_registration_date")):
        row(6, y, code, _value(fields[key]), 55)
        y += 6.5
    for code, key, limit in (("C.1", "holder_name", 26), ("C.3", "holder_address", 28)):
        wrapped = _wrap(str(fields[key]), limit)
        for index, part in enumerate(wrapped):
            row(6, y, code if index == 0 else "", part, 58)
            y += 4.8
        if code == "C.1":
            card.text(6, y + 0.4, "C.4a", 2.3, family="condensed-bold", fill=_CODE_INK)
            card.text(15, y + 0.6, "EST LE PROPRIETAIRE DU VEHICULE", 2.2, family="condensed")
            y += 4.8
        y += 1.7
    for code, key in (("E", "vin"), ("I", "certificate_date")):
        row(6, y, code, _value(fields[key]), 58)
        y += 6.5
    columns = (
        (
            76.0,
            (
                ("D.1", "make"),
                ("D.2", "type_variant_version"),
                ("D.2.1", "cnit"),
                ("D.3", "commercial_name"),
                ("F.1", "max_laden_mass_kg"),
                ("F.2", "max_laden_mass_service_kg"),
                ("G", "mass_in_service_kg"),
                ("J", "eu_category"),
                ("J.1", "national_genre"),
                ("J.2", "eu_body"),
            ),
        ),
        (
            146.0,
            (
                ("J.3", "national_body"),
                ("K", "type_approval"),
                ("P.1", "displacement_cc"),
                ("P.2", "net_power_kw"),
                ("P.3", "fuel"),
                ("P.6", "fiscal_power_cv"),
                ("S.1", "seats"),
                ("V.7", "co2_g_km"),
                ("V.9", "environmental_class"),
                ("X.1", "technical_inspection_date"),
            ),
        ),
    )
    for x, codes in columns:
        y = 20.0
        for code, key in codes:
            row(x, y, code, _value(fields[key]), 56)
            y += 7.4
    y = 95.0
    for index, amount in enumerate(taxes, start=1):
        row(6 + (index - 1) * 34, y, f"Y.{index}", _money(amount), 22)
    row(176, y, "Y.6", _money(Decimal(str(fields["total_tax_eur"]))), 22)
    if lines:
        _coupon(card, lines, w)
    return card.image


def _coupon(card: Card, lines: tuple[str, ...], w: float) -> None:
    for x in range(0, int(w), 4):
        card.rect((x, 105.2, x + 2, 105.6), fill=(120, 120, 120))
    card.text(6, 108, "COUPON DÉTACHABLE", 3.0, family="sans-bold", fill=(30, 50, 110))
    card.text(
        6, 113, "À remplir par le vendeur en cas de cession du véhicule", 2.4, family="condensed"
    )
    card.label(6, 118.5, "Date et heure de la cession : ........................", 2.3)
    card.label(100, 118.5, "Signature de l'ancien propriétaire :", 2.3)
    card.rect((0, 127, w, 148), fill=(244, 244, 240))
    for row_index, line in enumerate(lines):
        card.text(10, 129.5 + row_index * 7.5, line, 4.8, family="mrz", fill=(15, 15, 15))
