"""French certificat d'immatriculation (SIV carte grise): fields read by their printed codes.

Each value is found next to its code (A, B, C.1 … Y.6, arrêté du 9 février 2009, annexe 2), never
by its rank on the page; the coupon's machine-readable zone, when its check digits pass, wins
over the printed text (see `extraction/siv_zone.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from extraction import ocr
from extraction.documents.base import DocumentReading
from extraction.documents.fr_vehicle_checks import check_fields
from extraction.documents.fr_vehicle_fallbacks import (
    add_holder_above_address,
    add_holder_around_statement,
    add_holder_below_date,
    add_in_code_slots,
    add_total_tax,
    add_unlabelled,
)
from extraction.documents.fr_vehicle_order import (
    CODE_GAP,
    Anchor,
    add_by_order,
    anchor_of,
    codes_in_print_order,
)
from extraction.documents.fr_vehicle_reframe import reframe
from extraction.documents.fr_vehicle_template import (
    FORM_HEIGHTS,
    FORM_WIDTH,
    FormFit,
    add_by_template,
)
from extraction.documents.fr_vehicle_values import CODE_LETTER_LOOK_ALIKES, PARSERS
from extraction.documents.fr_vehicle_zone import merge_zone
from extraction.layout import LabelHit, find_labels, read_value, same_row
from extraction.models import DocumentType, MrzBlock
from extraction.printed_values import (
    Read,
    field_result,
)
from extraction.siv_zone import find_siv_zone_lines, parse_siv_zone, zone_texts
from extraction.text import TextLine

# (contract key, printed code), in the order the certificate prints them.
CODES: tuple[tuple[str, str], ...] = (
    ("registration_number", "A"),
    ("first_registration_date", "B"),
    ("holder_name", "C.1"),
    ("holder_address", "C.3"),
    ("make", "D.1"),
    ("type_variant_version", "D.2"),
    ("cnit", "D.2.1"),
    ("commercial_name", "D.3"),
    ("vin", "E"),
    ("max_laden_mass_kg", "F.1"),
    ("max_laden_mass_service_kg", "F.2"),
    ("mass_in_service_kg", "G"),
    ("certificate_date", "I"),
    ("eu_category", "J"),
    ("national_genre", "J.1"),
    ("eu_body", "J.2"),
    ("national_body", "J.3"),
    ("type_approval", "K"),
    ("displacement_cc", "P.1"),
    ("net_power_kw", "P.2"),
    ("fuel", "P.3"),
    ("fiscal_power_cv", "P.6"),
    ("seats", "S.1"),
    ("co2_g_km", "V.7"),
    ("environmental_class", "V.9"),
    ("technical_inspection_date", "X.1"),
    ("total_tax_eur", "Y.6"),
)
FIELD_NAMES: tuple[str, ...] = (*(key for key, _ in CODES), "formula_number")
# Every code in print order, those the contract leaves out too (they bound a column's stretch).
PRINT_ORDER: tuple[tuple[str, str], ...] = (
    *CODES[:3],
    ("_owner_statement", "C.4a"),
    *CODES[3:-1],
    ("_taxes", "Y.5"),
    CODES[-1],
)
_WRAPPING = {"holder_name": 2, "holder_address": 2}
_DATE_START = r"(?=\s*[:.]?\s*\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{2,4})"
# Codes OCR tends to misread: the date codes B and I as 8 and 1 (only before a date). The
# look-alikes of a dotted code's letter (`CODE_LETTER_LOOK_ALIKES`: "0.2" for D.2, "5.1" for
# S.1) count only with the dot and digit that must follow, which keep them from matching values.
# K is also read glued to its approval number (`Ke11*2001/116*…`), whose `e` and member state
# number nothing else starts with.
_LOOK_ALIKE_CODES = {
    "B": rf"^8\s{_DATE_START}",
    "I": rf"^[1l|]\s{_DATE_START}",
    "K": r"^K(?=[eE][\dlI]{1,2}\*)",
}
_OWNER_STATEMENT = re.compile(r"(?:C\s?[.,]?\s?4\s?[.,]?\s?[a1]\b|EST\s+LE\b)", re.I)
# C.4a's text (its code is a box of its own), read in full or cut short.
_STATEMENT_TEXT = re.compile(r"\s*EST\s+LE\s+PRO", re.I)
_POSTCODE_LINE = re.compile(r"(?<!\d)\d{5}\s+[A-ZÀ-Ü]")
_VIN_TOKEN = re.compile(r"(?<![A-Z0-9])[A-Z0-9]{17}(?![A-Z0-9])")


def _code_pattern(code: str) -> re.Pattern[str]:
    letter, *numbers = code.split(".")
    if not numbers:
        single = rf"^\(?{letter}\)?(?=[\s:)]|$|\.(?!\s?\d))"
        look_alike = _LOOK_ALIKE_CODES.get(letter)
        return re.compile(f"{single}|{look_alike}" if look_alike else single)
    # `D.2.1` is also read `D21`, `D2.1`, `D.21`; `D.2` must not swallow the `.1` of `D.2.1`.
    # A look-alike letter only counts with its dot: "01/03/2019" must not read as D.1.
    look_alikes = CODE_LETTER_LOOK_ALIKES.get(letter)
    start = rf"[{letter}{letter.lower()}]\s?[.,·]?\s?"
    if look_alikes:
        start = rf"(?:{start}|[{look_alikes}]\s?[.,·]\s?)"
    body = rf"\(?{start}{numbers[0]}"
    body += "".join(rf"[.,·]?{number}" for number in numbers[1:])
    return re.compile(body + r"\)?(?![.,·]?\d|/)")


LABELS: dict[str, re.Pattern[str]] = {
    **{key: _code_pattern(code) for key, code in CODES},
    # The formula number has a printed label, not a code: read beside it, it is no guess.
    "formula_number": re.compile(r"N[°o]\s*de\s*formule", re.I),
}
# Codes printed on the card whose fields the contract does not carry: their lines are labels
# too, so that their text never passes for another field's value.
IGNORED_LABELS: dict[str, re.Pattern[str]] = {
    "_owner_statement": re.compile(r"C\s?[.,]?\s?4\s?[.,]?\s?[a1]\b.*|EST\s+LE\s+PRO.*", re.I),
    "_taxes": re.compile(r"Y\s?[.,]?\s?[1-5](?![.,]?\d)"),
}


def _printed_fields(
    lines: Sequence[TextLine],
    zone_lines: set[int],
    zone_first: date | None,
    zone: Sequence[TextLine],
    images: Sequence[np.ndarray],
) -> tuple[dict[str, Read], FormFit | None]:
    """The printed values (by code, print order, the form's slots, fallbacks), and where the
    form lies on its page when the slots could be fitted."""
    readable = [line for line in lines if id(line) not in zone_lines]
    hits = _codes_not_values(find_labels(readable, {**LABELS, **IGNORED_LABELS}))
    hits = codes_in_print_order(PRINT_ORDER, hits)
    taken = {id(hit.line) for hit in hits}
    found: dict[str, Read] = {}
    anchors: list[tuple[str, Anchor]] = []
    address: TextLine | None = None
    for hit in sorted(hits, key=_hit_quality):
        if hit.key in IGNORED_LABELS:
            anchors.append((hit.key, anchor_of(hit.line, hit.line, hit.end)))
        if hit.key in found or hit.key in IGNORED_LABELS:
            continue
        value = read_value(
            hit, readable, taken, wrap=_WRAPPING.get(hit.key, 0), continues=_continues(hit.key)
        )
        parsed = PARSERS[hit.key](value.text, value.confidence) if value else None
        if value is not None and parsed is not None:
            found[hit.key] = parsed
            taken.update(id(line) for line in value.lines)
            if hit.key == "holder_address":
                address = value.lines[0]
            anchors.append((hit.key, anchor_of(hit.line, value.lines[0], hit.end)))
    add_total_tax(readable, found)
    unlabelled = [line for line in readable if id(line) not in taken]
    unlabelled = add_by_order(PRINT_ORDER, anchors, unlabelled, found)
    unlabelled, fit = add_by_template(anchors, readable, zone, unlabelled, found)
    statements = [line for line in readable if _STATEMENT_TEXT.match(line.text)]
    if statements:
        add_holder_around_statement(statements[0], unlabelled, found)
    if address is not None:
        add_holder_above_address(address, unlabelled, found)
    add_holder_below_date(readable, unlabelled, found)
    add_unlabelled(unlabelled, found, zone_first_registration=zone_first)
    add_in_code_slots(hits, readable, found, images)
    return found, fit


def _codes_not_values(hits: list[LabelHit]) -> list[LabelHit]:
    """Without the values that read as a code (`C3` after D.3, a Citroën's name): a code's box
    stands alone, and the box just right of a code's box is its value, never another code."""
    alone = [hit for hit in hits if hit.start == 0 and not hit.inline_value]
    return [
        hit
        for hit in hits
        if not any(
            hit in alone
            and same_row(other.line, hit.line)
            and 0 <= hit.line.x0 - other.line.x1 <= CODE_GAP * other.line.height
            for other in alone
        )
    ]


def _continues(field_name: str) -> Callable[[str, str], bool] | None:
    """When a wrapped line still belongs to the value: a name's second line holds no digit; an
    address ends with its postcode and commune line (a French address's last line)."""
    if field_name == "holder_name":
        return lambda _, following: (
            not (any(char.isdigit() for char in following) or _OWNER_STATEMENT.match(following))
        )
    if field_name == "holder_address":
        return lambda so_far, following: (
            not _POSTCODE_LINE.search(so_far) and _VIN_TOKEN.fullmatch(following) is None
        )
    return None


def _hit_quality(hit: LabelHit) -> tuple[bool, float]:
    """Labels at the start of a line with an inline value are the surest anchors."""
    return (not (hit.start == 0 and bool(hit.inline_value)), -hit.line.confidence)


class FrVehicleRegistrationSpec:
    """The French certificat d'immatriculation (SIV): read by printed codes, zone, rules."""

    document_type = DocumentType.FR_VEHICLE_REGISTRATION
    country: str | None = "FRA"
    field_names = FIELD_NAMES

    def read(self, lines: Sequence[TextLine], barcodes: Sequence[str] = ()) -> DocumentReading:
        """Read every code's value, then let the checked coupon zone confirm or correct them."""
        return self.read_pages(lines, barcodes, ())

    def read_pages(
        self, lines: Sequence[TextLine], barcodes: Sequence[str], images: Sequence[np.ndarray]
    ) -> DocumentReading:
        """As `read`, with a look at the page images (`images[line.page]`): in the blank right
        of a code whose value box the detector missed, and, when the card is a block of a
        whole photo (its outline not found) that the form's slots locate, at the card cut out
        and drawn flat (`fr_vehicle_reframe`), read again like an outlined card."""
        reading, fit = self._read(lines, barcodes, images)
        if fit is None or fit.page >= len(images):
            return reading
        height_mm = _form_height(fit)
        flat = reframe(images[fit.page], fit, width_mm=FORM_WIDTH, height_mm=height_mm)
        if flat is None:
            return reading
        again = ocr.read_document(flat, page=fit.page)
        others = [line for line in lines if line.page != fit.page]
        pages = [again.image if index == fit.page else image for index, image in enumerate(images)]
        second, _ = self._read([*others, *again.lines], barcodes, pages)
        return _merged(reading, second)

    def _read(
        self, lines: Sequence[TextLine], barcodes: Sequence[str], images: Sequence[np.ndarray]
    ) -> tuple[DocumentReading, FormFit | None]:
        found = find_siv_zone_lines(lines)
        zone_text = zone_texts(found) if found else None
        zone = parse_siv_zone(*zone_text, today=date.today()) if zone_text else None
        zone_lines = {id(line) for line in lines if zone and _is_zone_line(line.text)}
        zone_lines.update(id(line) for line in found or ())
        zone_first = zone.first_registration_date if zone else None
        printed, fit = _printed_fields(lines, zone_lines, zone_first, found or (), images)
        fields = {name: field_result(printed.get(name)) for name in FIELD_NAMES}
        reading = DocumentReading(fields=fields)
        if zone_text and zone and not zone.check_digits_ok:
            names = (printed.get("make"), printed.get("commercial_name"))
            if names[0] and names[1]:
                printed_names = (str(names[0].value), str(names[1].value))
                zone = parse_siv_zone(*zone_text, today=date.today(), printed_names=printed_names)
        if zone:
            merge_zone(fields, zone, reading.findings)
            reading.mrz = MrzBlock(
                format="FR_SIV", lines=list(zone.lines), check_digits_ok=zone.check_digits_ok
            )
        return reading, fit

    def check(self, reading: DocumentReading, *, today: date) -> None:
        """Plate, VIN, date order, masses, code lists and number ranges (see fr_vehicle_checks)."""
        check_fields(reading, today=today)


def _form_height(fit: FormFit) -> float:
    """The card's height (mm): with its coupon when a line of the page stands on it."""
    short, tall = FORM_HEIGHTS
    on_form = fit.on_form()
    on_coupon = (on_form[:, 1] > short) & (on_form[:, 1] < tall)
    return tall if bool(on_coupon.any()) else short


def _merged(first: DocumentReading, second: DocumentReading) -> DocumentReading:
    """The two readings of one card (as first read, and cut out): each field's surer value;
    the zone as the reading whose check digits all passed has it (with that reading's
    findings), else as the reading that found more values has it."""
    found = [sum(field.value is not None for field in r.fields.values()) for r in (first, second)]
    base, other = (second, first) if found[1] >= found[0] else (first, second)
    if _zone_passed(other) and not _zone_passed(base):
        base.mrz, base.findings = other.mrz, other.findings
    for name, field in base.fields.items():
        alternative = other.fields[name]
        if alternative.value is not None and (
            field.value is None or alternative.confidence > field.confidence
        ):
            base.fields[name] = alternative
    return base


def _zone_passed(reading: DocumentReading) -> bool:
    return reading.mrz is not None and reading.mrz.check_digits_ok


def _is_zone_line(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    return compact.count("<") >= 3 and (compact.startswith(("CRFRA", "CI")) or len(compact) >= 40)


SPEC = FrVehicleRegistrationSpec()
