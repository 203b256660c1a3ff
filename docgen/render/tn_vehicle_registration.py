"""Tunisian carte grise: bilingual French/Arabic rows (French label, value, Arabic label); the
plate as `123 TU 4567` and/or `123 تونس 4567`; some cards give the address in Arabic only."""

from __future__ import annotations

import random
from datetime import date, timedelta

from docgen.canvas import Card, guilloche
from docgen.document import REFERENCE_DAY, FieldValue, RenderedDocument
from docgen.identities import ARABIC, alnum, person, random_date
from docgen.vehicles import CATALOGUE, printed_tn_plate, tn_plate, vin

DPI = 250
_CITIES = (
    ("TUNIS", "تونس"),
    ("SFAX", "صفاقس"),
    ("SOUSSE", "سوسة"),
    ("ARIANA", "أريانة"),
    ("BIZERTE", "بنزرت"),
    ("NABEUL", "نابل"),
    ("MONASTIR", "المنستير"),
    ("KAIROUAN", "القيروان"),
    ("GABÈS", "قابس"),
    ("BEN AROUS", "بن عروس"),
)
_STREETS = (
    ("RUE DE LA LIBERTÉ", "نهج الحرية"),
    ("AVENUE HABIB BOURGUIBA", "شارع الحبيب بورقيبة"),
    ("RUE IBN KHALDOUN", "نهج ابن خلدون"),
    ("AVENUE DE CARTHAGE", "شارع قرطاج"),
    ("RUE DE MARSEILLE", "نهج مرسيليا"),
    ("CITÉ EL KHADRA", "حي الخضراء"),
)
_FUELS = {
    "ES": ("ESSENCE", "بنزين"),
    "GO": ("GASOIL", "ديزل"),
    "EH": ("ESSENCE", "بنزين"),
    "EE": ("ESSENCE", "بنزين"),
    "EL": ("ELECTRIQUE", "كهربائي"),
    "GP": ("GPL", "غاز"),
}
_GENRES = {
    "VP": ("VOITURE PARTICULIERE", "سيارة خاصة"),
    "CTTE": ("CAMIONNETTE", "شاحنة خفيفة"),
    "MTL": ("MOTOCYCLETTE", "دراجة نارية"),
}


def render(rng: random.Random, seed: int) -> RenderedDocument:
    """A Tunisian registration certificate; date order and plate script vary per card."""
    model = rng.choice(CATALOGUE[:-2] if rng.random() < 0.95 else CATALOGUE)
    first = random_date(rng, date(2005, 1, 1), REFERENCE_DAY - timedelta(days=20))
    certificate = random_date(rng, first, REFERENCE_DAY)
    plate_latin, plate_arabic = tn_plate(rng)
    owner = person(rng, "TUN", today=REFERENCE_DAY)
    name_latin = f"{owner.surname} {' '.join(g.upper() for g in owner.given_names)}"
    name_arabic = " ".join(ARABIC[g] for g in owner.given_names) + " " + ARABIC[owner.surname]
    city, city_ar = rng.choice(_CITIES)
    street, street_ar = rng.choice(_STREETS)
    number = rng.randint(1, 120)
    address_latin, address_arabic = f"{number} {street} {city}", f"{number} {street_ar} {city_ar}"
    arabic_only_address = rng.random() < 0.3
    fuel_fr, fuel_ar = _FUELS[rng.choice(model.fuels)]
    genre_fr, genre_ar = _GENRES[model.genre]
    empty = rng.randint(*model.mass)
    fields: dict[str, FieldValue] = {
        "registration_number": plate_latin,
        "first_registration_date": first.isoformat(),
        "owner_name": name_latin,
        "owner_address": address_arabic if arabic_only_address else address_latin,
        "make": model.make,
        "commercial_type": model.name,
        "vehicle_type": alnum(rng, rng.randint(4, 8)),
        "vin": vin(rng, model.wmi, first.year, valid_check_digit=rng.random() < 0.8),
        "fuel": fuel_fr,
        "fiscal_power_cv": rng.randint(4, 12),
        "seats": rng.choice(model.seats),
        "gross_weight_kg": empty + rng.randint(350, 650),
        "empty_weight_kg": empty,
        "genre": genre_fr,
        "certificate_date": certificate.isoformat(),
    }
    year_first = rng.random() < 0.5
    plate_script = rng.choice(("both", "both", "latin", "arabic"))
    w, h = 148.0, 105.0
    scale = DPI / 25.4
    background = guilloche(
        round(w * scale), round(h * scale), rng, (240, 226, 226), (222, 190, 196), density=0.8
    )
    card = Card(w, h, DPI, background)
    blue = (25, 45, 100)
    card.text(5, 3, "RÉPUBLIQUE TUNISIENNE", 2.8, family="sans-bold", fill=blue)
    card.text(w - 5, 3, "الجمهورية التونسية", 3.2, family="sans-bold", fill=blue, anchor="ra")
    card.text(5, 7.5, "MINISTÈRE DU TRANSPORT", 2.2, family="condensed", fill=blue)
    card.text(w - 5, 7.5, "وزارة النقل", 2.8, fill=blue, anchor="ra")
    card.text(
        w / 2, 12.5, "CERTIFICAT D'IMMATRICULATION", 3.2, family="sans-bold", fill=blue, anchor="ma"
    )
    card.text(w / 2, 17.2, "شهادة تسجيل", 3.4, family="sans-bold", fill=blue, anchor="ma")

    def date_text(day: date) -> str:
        return day.strftime("%Y/%m/%d" if year_first else "%d/%m/%Y")

    plate_text = {
        "both": f"{plate_latin}   {printed_tn_plate(plate_arabic)}",
        "latin": plate_latin,
        "arabic": printed_tn_plate(plate_arabic),
    }[plate_script]
    rows: list[tuple[str, str, str]] = [
        ("N° d'immatriculation", plate_text, "رقم التسجيل"),
        ("Date 1ère mise en circulation", date_text(first), "تاريخ أول جولان"),
        ("Propriétaire", name_latin, "المالك"),
        ("", name_arabic, ""),
        ("Adresse", "" if arabic_only_address else address_latin, "العنوان"),
        ("", address_arabic, ""),
        ("Marque", model.make, "الصنع"),
        ("Type commercial", model.name, "النوع التجاري"),
        ("Type constructeur", str(fields["vehicle_type"]), "نوع الصانع"),
        ("Genre", f"{genre_fr}  {genre_ar}", "الصنف"),
        ("N° de série (VIN)", str(fields["vin"]), "الرقم التسلسلي"),
        ("Energie", f"{fuel_fr}  {fuel_ar}", "الطاقة"),
        ("Puissance fiscale", f"{fields['fiscal_power_cv']} CV", "القوة الجبائية"),
        ("Nombre de places", str(fields["seats"]), "عدد المقاعد"),
        ("Poids total en charge", f"{fields['gross_weight_kg']} kg", "الوزن الجملي"),
        ("Poids à vide", f"{empty} kg", "الوزن الفارغ"),
    ]
    y = 23.0
    for label, value, label_ar in rows:
        if label:
            card.label(5, y + 0.5, label, 2.2)
        if label_ar:
            card.text(w - 5, y - 0.3, label_ar, 2.6, fill=(70, 78, 96), anchor="ra")
        if value:
            arabic = (
                any("\u0600" <= c <= "\u06ff" for c in value)
                and value == value.strip()
                and not any("A" <= c <= "Z" for c in value)
            )
            card.text(
                46,
                y,
                value,
                2.9,
                family="sans-bold" if not arabic else "sans",
                max_width_mm=72,
                direction="ltr" if value is plate_text else None,
            )
        y += 4.75
    card.text(5, y + 1.5, f"Tunis le {date_text(certificate)}", 2.6)
    card.text(w - 5, y + 1.5, f"تونس في {date_text(certificate)}", 2.6, anchor="ra")
    return RenderedDocument("tn_vehicle_registration", "tn", card.image, fields, dpi=DPI)
