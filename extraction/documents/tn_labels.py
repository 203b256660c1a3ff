"""The Tunisian carte grise's labels, French and Arabic, and the slips OCR makes on them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from extraction.layout import LabelHit
from extraction.text import TextLine

_I = re.IGNORECASE
LABELS: dict[str, re.Pattern[str]] = {
    "registration_number": re.compile(r"(?:N[°o]\s*d'?\s*)?immatriculation|رقم\s*التسجيل", _I),
    "first_registration_date": re.compile(
        r"(?:Date\s*(?:de\s*)?)?[1lI](?:[èe]re|er)\s*mise\s*en\s*circulation|أول\s*جولان", _I
    ),
    "owner_name": re.compile(r"(?:Nom\s*(?:et\s*pr[ée]nom|du\s*)?\s*)?propri[ée]taire|المالك", _I),
    "owner_address": re.compile(r"Adresse|العنوان", _I),
    # `Constructeur` alone (never after `Type`, even misread as `Tpe`) names the make.
    "make": re.compile(r"Marque|^Constructeur|الصانع|العلامة", _I),
    "commercial_type": re.compile(r"Type\s*commercial|النوع\s*التجاري", _I),
    # Values are printed in capitals, labels in small letters: a small-letter word after `Type`
    # is the rest of the label misread (`Type coostnucteor`), never the type.
    "vehicle_type": re.compile(
        r"Type\s*constructeur|Type(?!\s*commercial)(?:\s*(?-i:[a-zéèû]{4,}))?|الطراز", _I
    ),
    "vin": re.compile(
        r"N[°o]?\s*(?:de\s*)?s[ée]rie(?:\s*du\s*type)?(?:\s*\(?VIN\)?)?|VIN|الرقم\s*التسلسلي", _I
    ),
    "fuel": re.compile(r"[ÉE]nergie|Carburant|الطاقة", _I),
    "fiscal_power_cv": re.compile(r"Puissance(?:\s*fiscale)?|القوة\s*الجبائية", _I),
    "seats": re.compile(r"(?:Nombre\s*de\s*)?places(?:\s*assises)?|عدد\s*المقاعد", _I),
    "gross_weight_kg": re.compile(
        r"(?:Poids\s*total\s*(?:en\s*charge)?|P\.?T\.?A\.?C\.?)|الوزن\s*الجملي", _I
    ),
    "empty_weight_kg": re.compile(r"Poids\s*[àa]\s*vide|الوزن\s*الفارغ", _I),
    "genre": re.compile(r"Genre|الصنف", _I),
    # Signed "Tunis le 20/07/2018" (or another town), "تونس في" in Arabic.
    "certificate_date": re.compile(
        r"[A-Z][a-zè]+\s+le(?=\s*\d)|D[ée]livr[ée]e?\s*le|Date\s*(?:de\s*)?d[ée]livrance"
        r"|تونس\s*في|تاريخ\s*التسليم"
    ),
}
# The French labels as printed, for labels OCR misspelt beyond the patterns above.
PRINTED_LABELS: dict[str, str] = {
    "registration_number": "N° d'immatriculation",
    "first_registration_date": "Date 1ère mise en circulation",
    "owner_name": "Propriétaire",
    "owner_address": "Adresse",
    "make": "Marque",
    "commercial_type": "Type commercial",
    "vehicle_type": "Type constructeur",
    "genre": "Genre",
    "vin": "N° de série (VIN)",
    "fuel": "Energie",
    "fiscal_power_cv": "Puissance fiscale",
    "seats": "Nombre de places",
    "gross_weight_kg": "Poids total en charge",
    "empty_weight_kg": "Poids à vide",
}
# A misspelt label resembles its own printed form this much (difflib ratio) and the next best
# one far less: values (names, makes, fuels) stay under 0.55 against every label.
LABEL_LIKENESS = 0.7
LABEL_LEAD = 0.15


def with_misspelt_labels(lines: Sequence[TextLine]) -> list[TextLine]:
    """The lines, with a label OCR misspelt (`Mpe comeecal`, `Poids b vile`: the labels are set
    small and pale) given its printed spelling when it resembles one label only."""
    fixed = []
    for line in lines:
        text = line.text.strip()
        if sum(char.isalpha() for char in text) < 4 or any(
            pattern.search(text) for pattern in LABELS.values()
        ):
            fixed.append(line)
            continue
        likeness = sorted(
            ((SequenceMatcher(None, text.lower(), label.lower()).ratio(), label)
             for label in PRINTED_LABELS.values()),
            reverse=True,
        )  # fmt: skip
        (best, label), (second, _) = likeness[0], likeness[1]
        if best >= LABEL_LIKENESS and best - second >= LABEL_LEAD:
            fixed.append(replace(line, text=label))
        else:
            fixed.append(line)
    return fixed


def is_prose(hit: LabelHit) -> bool:
    """A label word in lower case with words after it (`adresse agence …`) is running text on
    a paper beside the card: the certificate capitalises its labels."""
    return hit.line.text[hit.start : hit.start + 1].islower() and bool(hit.inline_value)
