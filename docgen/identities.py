"""Invented people, places and dates. Common surnames and given names are combined at random, so
no record describes a real person."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

FR_SURNAMES = (
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFÈVRE",
    "MICHEL",
    "GARCIA",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "GIRARD",
    "ANDRÉ",
    "MERCIER",
    "DUPONT",
    "LAMBERT",
    "BONNET",
    "FRANÇOIS",
    "LEGRAND",
    "GARNIER",
    "FAURE",
    "ROUSSEAU",
    "BLANC",
    "GUÉRIN",
    "MULLER",
    "HENRY",
    "PERRIN",
    "CHEVALIER",
    "D'ALMEIDA",
    "LE GOFF",
    "N'DIAYE",
    "BENSAÏD",
    "NOËL",
    "LÉVÊQUE",
    "BÉGUIN",
    "MASSÉ",
    "GAUTHIER",
    "BOYER",
    "COLIN",
    "DE LA TOUR",
    "LE CORRE",
    "BRUNET",
    "PHILIPPE",
    "DUMONT-HÉBERT",
    "HAMON",
)
FR_GIVEN_F = (
    "Hélène",
    "Élodie",
    "Chloé",
    "Zoé",
    "Maëlys",
    "Anaïs",
    "Léa",
    "Inès",
    "Cécile",
    "Gaëlle",
    "Noémie",
    "Françoise",
    "Marie",
    "Claire",
    "Camille",
    "Manon",
    "Sarah",
    "Jeanne",
    "Louise",
    "Émilie",
    "Agnès",
    "Sophie",
    "Marie-Thérèse",
    "Anne-Laure",
    "Juliette",
    "Océane",
    "Nadia",
)
FR_GIVEN_M = (
    "Jérôme",
    "Frédéric",
    "Rémi",
    "Noël",
    "Loïc",
    "François",
    "Benoît",
    "Théo",
    "Léo",
    "Hugo",
    "Lucas",
    "Mathéo",
    "Jean-Pierre",
    "Jean-Baptiste",
    "Pierre",
    "Nicolas",
    "Karim",
    "Mehdi",
    "Yanis",
    "Stéphane",
    "Gaël",
    "Raphaël",
    "Joël",
    "Hervé",
    "Cédric",
    "Antoine",
    "Éric",
)
FOREIGN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # state: (surnames, female given names, male given names)
    "DEU": (
        (
            "MÜLLER",
            "SCHMIDT",
            "SCHNEIDER",
            "FISCHER",
            "WEBER",
            "MEYER",
            "WAGNER",
            "SCHÄFER",
            "KÖHLER",
            "BECKER",
            "GROß",
        ),
        ("Anna", "Sophie", "Lena", "Jürgen", "Hannah", "Lea-Marie"),
        ("Jörg", "Lukas", "Maximilian", "Felix", "Jürgen", "Björn"),
    ),
    "ITA": (
        (
            "ROSSI",
            "RUSSO",
            "FERRARI",
            "ESPOSITO",
            "BIANCHI",
            "ROMANO",
            "COLOMBO",
            "RICCI",
            "DE LUCA",
            "D'ANGELO",
        ),
        ("Giulia", "Francesca", "Chiara", "Martina"),
        ("Marco", "Luca", "Niccolò", "Andrea"),
    ),
    "ESP": (
        (
            "GARCÍA",
            "FERNÁNDEZ",
            "GONZÁLEZ",
            "RODRÍGUEZ",
            "LÓPEZ",
            "MARTÍNEZ",
            "SÁNCHEZ",
            "PÉREZ",
            "MUÑOZ",
            "IBÁÑEZ",
        ),
        ("María", "Lucía", "Carmen", "Núria"),
        ("José", "Álvaro", "Iñigo", "Javier"),
    ),
    "BEL": (
        ("PEETERS", "JANSSENS", "MAES", "JACOBS", "DUBOIS", "LAMBERT", "VAN DAMME", "DE SMET"),
        ("Emma", "Louise", "Elise", "Noor"),
        ("Lars", "Wout", "Arnaud", "Thibault"),
    ),
    "TUN": (
        (
            "TRABELSI",
            "GHARBI",
            "HAMMAMI",
            "MEJRI",
            "AYARI",
            "SASSI",
            "BEN AMOR",
            "KHELIFI",
            "DRIDI",
            "JAZIRI",
        ),
        ("Fatma", "Amira", "Nour", "Sarra", "Mariem", "Ines"),
        ("Mohamed", "Ahmed", "Amine", "Yassine", "Sami", "Hedi"),
    ),
    "UTO": (
        ("ERIKSSON", "STORM", "VAN DER BERG", "O'NEIL"),
        ("Anna Maria", "Ingrid"),
        ("Sven", "Erik Olaf"),
    ),
}
ARABIC = {
    "TRABELSI": "الطرابلسي",
    "GHARBI": "الغربي",
    "HAMMAMI": "الحمامي",
    "MEJRI": "الماجري",
    "AYARI": "العياري",
    "SASSI": "الساسي",
    "BEN AMOR": "بن عمر",
    "KHELIFI": "الخليفي",
    "DRIDI": "الدريدي",
    "JAZIRI": "الجزيري",
    "Fatma": "فاطمة",
    "Amira": "أميرة",
    "Nour": "نور",
    "Sarra": "سارة",
    "Mariem": "مريم",
    "Ines": "إيناس",
    "Mohamed": "محمد",
    "Ahmed": "أحمد",
    "Amine": "أمين",
    "Yassine": "ياسين",
    "Sami": "سامي",
    "Hedi": "الهادي",
}
# (commune as printed, department code)
FR_PLACES = (
    ("PARIS", "75"),
    ("LYON", "69"),
    ("MARSEILLE", "13"),
    ("TOULOUSE", "31"),
    ("NICE", "06"),
    ("NANTES", "44"),
    ("STRASBOURG", "67"),
    ("MONTPELLIER", "34"),
    ("BORDEAUX", "33"),
    ("LILLE", "59"),
    ("RENNES", "35"),
    ("REIMS", "51"),
    ("SAINT-ÉTIENNE", "42"),
    ("GRENOBLE", "38"),
    ("DIJON", "21"),
    ("ANGERS", "49"),
    ("NÎMES", "30"),
    ("CLERMONT-FERRAND", "63"),
    ("BREST", "29"),
    ("AIX-EN-PROVENCE", "13"),
    ("TOURS", "37"),
    ("LIMOGES", "87"),
    ("BÉZIERS", "34"),
    ("ORLÉANS", "45"),
    ("CHÂTEAUROUX", "36"),
    ("MONTÉLIMAR", "26"),
    ("AJACCIO", "2A"),
    ("POINTE-À-PITRE", "971"),
    ("L'HAY-LES-ROSES", "94"),
    ("ÉVREUX", "27"),
    ("PÉRIGUEUX", "24"),
)
FR_POSTCODES = {
    "75": "750",
    "69": "690",
    "13": "130",
    "31": "310",
    "06": "060",
    "44": "440",
    "67": "670",
    "34": "340",
    "33": "330",
    "59": "590",
    "35": "350",
    "51": "511",
    "42": "420",
    "38": "380",
    "21": "210",
    "49": "490",
    "30": "300",
    "63": "630",
    "29": "292",
    "37": "370",
    "87": "870",
    "45": "450",
    "36": "360",
    "26": "262",
    "2A": "200",
    "971": "971",
    "94": "942",
    "27": "270",
    "24": "240",
}
STREETS = (
    "RUE DES LILAS",
    "AVENUE JEAN JAURÈS",
    "BOULEVARD VICTOR HUGO",
    "RUE DE LA RÉPUBLIQUE",
    "CHEMIN DES VIGNES",
    "IMPASSE DU MOULIN",
    "RUE PASTEUR",
    "ALLÉE DES PEUPLIERS",
    "PLACE DE L'ÉGLISE",
    "RUE DU GÉNÉRAL LECLERC",
    "ROUTE DE CHÂTEAUNEUF",
    "RUE SAINT-EXUPÉRY",
    "QUAI DES BATELIERS",
    "RÉSIDENCE LES PINS BÂT B",
    "RUE ÉMILE ZOLA",
)


@dataclass(frozen=True)
class Person:
    """An invented person: names as printed (surname upper case, given names as typed)."""

    surname: str
    given_names: tuple[str, ...]
    sex: str
    birth_date: date

    @property
    def given_upper(self) -> str:
        """Given names in the ground-truth form: upper case, accents kept, space-separated."""
        return " ".join(name.upper() for name in self.given_names)


def random_date(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random day in [start, end]."""
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def add_years(day: date, years: int) -> date:
    """Same calendar day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def person(
    rng: random.Random, state: str = "FRA", *, today: date, min_age: int = 18, max_age: int = 85
) -> Person:
    """An invented adult from `state` (FRA, DEU, ITA, ESP, BEL, TUN, UTO)."""
    sex = "F" if rng.random() < 0.5 else "M"
    french = (FR_SURNAMES, FR_GIVEN_F, FR_GIVEN_M)
    surnames, female, male = FOREIGN_NAMES.get(state, french)
    pool = female if sex == "F" else male
    count = rng.choices((1, 2, 3), weights=(5, 4, 1))[0]
    given = tuple(dict.fromkeys(rng.choice(pool) for _ in range(count)))
    birth = random_date(rng, add_years(today, -max_age), add_years(today, -min_age))
    return Person(rng.choice(surnames), given, sex, birth)


def birth_place(rng: random.Random) -> tuple[str, str]:
    """A French commune and its department code."""
    return rng.choice(FR_PLACES)


def french_address(rng: random.Random) -> tuple[str, str]:
    """(street line, postcode + commune line), e.g. ('12 RUE DES LILAS', '69003 LYON')."""
    commune, dept = rng.choice(FR_PLACES)
    prefix = FR_POSTCODES.get(dept, dept.ljust(3, "0"))[:3]
    postcode = (prefix + f"{rng.randint(0, 99):02d}")[:5]
    number = rng.randint(1, 180)
    suffix = rng.choice(("", "", "", " BIS", " TER"))
    return f"{number}{suffix} {rng.choice(STREETS)}", f"{postcode} {commune}"


def alnum(
    rng: random.Random, length: int, alphabet: str = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
) -> str:
    """`length` random characters from `alphabet`."""
    return "".join(rng.choice(alphabet) for _ in range(length))


def digits(rng: random.Random, length: int) -> str:
    """`length` random decimal digits."""
    return "".join(rng.choice("0123456789") for _ in range(length))
