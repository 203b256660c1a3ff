from extraction.documents.fr_vehicle_registration import SPEC
from extraction.documents.fr_vehicle_template import SLOTS
from extraction.printed_values import GUESS_CONFIDENCE
from extraction.text import TextLine

# A far-off card read among other papers: the form (mm) lands on the page scaled differently
# across and down (its outline not found, the page is the whole photo's block) and shifted.
SCALE = (0.0036, 0.0041)
OFFSET = (0.12, 0.31)
ROW_MM = 3.0


def at(x_mm: float, y_mm: float, text: str, confidence: float = 0.95) -> TextLine:
    """A line whose left edge and row middle stand at (x_mm, y_mm) on the form."""
    x0 = OFFSET[0] + SCALE[0] * x_mm
    y = OFFSET[1] + SCALE[1] * y_mm
    half = SCALE[1] * ROW_MM / 2
    return TextLine(text, confidence, x0, y - half, x0 + SCALE[0] * 2.2 * len(text), y + half)


def slot(key: str, text: str) -> TextLine:
    return at(*SLOTS[key], text)


# Lines of a known place: the title, a plate, a CNIT, an approval, a Euro class, the taxes' row.
KNOWN = [
    at(6.0, 10.8, "CERTIFICAT D'IMMATRICULATION"),
    slot("registration_number", "AB-123-CD"),
    slot("cnit", "M10RENVPZLEG2PV"),
    slot("type_approval", "e2*2007/46*1234*01"),
    slot("environmental_class", "EURO 6D"),
]


def values(lines: list[TextLine]) -> dict[str, object]:
    return {key: field.value for key, field in SPEC.read(lines).fields.items() if field.value}


def test_values_whose_codes_were_all_lost_are_placed_by_the_slot_they_start_in() -> None:
    unlabelled = [
        slot("make", "RENAULT"),
        slot("commercial_name", "CAPTUR"),
        slot("max_laden_mass_kg", "1730"),
        slot("max_laden_mass_service_kg", "1730"),
        slot("mass_in_service_kg", "1295"),
        slot("fuel", "ES"),
        slot("seats", "5"),
        slot("fiscal_power_cv", "6"),
        slot("first_registration_date", "12/03/2019"),
        slot("technical_inspection_date", "03/04/2025"),
        slot("total_tax_eur", "433.76"),
    ]
    reading = SPEC.read([*KNOWN, *unlabelled])
    found = {key: field.value for key, field in reading.fields.items() if field.value}
    assert (
        found
        | {
            "make": "RENAULT",
            "commercial_name": "CAPTUR",
            "max_laden_mass_kg": 1730,
            "max_laden_mass_service_kg": 1730,
            "mass_in_service_kg": 1295,
            "fuel": "ES",
            "seats": 5,
            "fiscal_power_cv": 6,
            "first_registration_date": "2019-03-12",
            "technical_inspection_date": "2025-04-03",
            "total_tax_eur": "433.76",
        }
        == found
    )
    # Placed by the layout, not by a code: guesses.
    placed = ("make", "seats", "max_laden_mass_kg", "first_registration_date", "total_tax_eur")
    assert all(reading.fields[key].confidence <= GUESS_CONFIDENCE for key in placed)


def test_a_line_in_a_slot_without_its_fields_shape_is_not_placed() -> None:
    found = values([*KNOWN, slot("seats", "HELLO"), slot("make", "2026ML51073")])
    assert "seats" not in found and "make" not in found


def test_too_few_lines_of_known_place_place_nothing() -> None:
    # The title and one value: the form's place on the page is not fixed by them.
    found = values([KNOWN[0], KNOWN[1], slot("mass_in_service_kg", "1295"), slot("seats", "5")])
    assert "seats" not in found


def test_a_line_of_known_shape_in_the_wrong_place_is_outvoted() -> None:
    # An approval number read on another paper, far from K's slot, does not move the form.
    stray = at(60.0, 140.0, "e4*2018/858*1111*02")
    found = values([*KNOWN, stray, slot("seats", "5"), slot("fuel", "GO")])
    assert found["seats"] == 5
    assert found["fuel"] == "GO"
    assert found["type_approval"] == "e2*2007/46*1234*01"


def test_the_coupon_zone_and_the_dates_locate_the_form_when_nothing_else_does() -> None:
    zone = [
        at(10.0, 131.9, "CRFRAKN564AP<<3VF16RSTS39B94295650911094<<<<"),
        at(10.0, 139.4, "CIVP<2011PC663662RENAULT<<MEGANE<<<<<<<<<<36"),
    ]
    # Each zone row read whole ends where the form's zone ends.
    zone = [
        TextLine(row.text, row.confidence, row.x0, row.y0, OFFSET[0] + SCALE[0] * 162.7, row.y1)
        for row in zone
    ]
    lines = [
        at(6.0, 10.8, "CERTIFICAT D'IMMATRICULATION"),
        slot("first_registration_date", "09/11/2009"),
        slot("commercial_name", "MEGANE"),
        slot("co2_g_km", "142"),
        *zone,
    ]
    found = values(lines)
    assert found["commercial_name"] == "MEGANE"
    assert found["co2_g_km"] == 142


def test_the_holder_rows_are_read_down_from_c1s_place() -> None:
    # Name wrapped on two rows, C.4a's statement garbled, the commune wrapped below the postcode
    # (and its B read as 8).
    holder = [
        at(15.0, 34.5, "HENRY STEPHANE ANTOINE"),
        at(15.0, 39.3, "JEAN-BAPTISTE"),
        at(15.0, 44.1, "Br a NEREN I OE", confidence=0.51),
        at(15.0, 50.6, "160 QUAI DES BATELIERS 67093"),
        at(15.0, 55.4, "STRAS8OURG"),
        at(15.0, 61.7, "SB1X47J519F724316"),
    ]
    found = values([*KNOWN, *holder])
    assert found["holder_name"] == "HENRY STEPHANE ANTOINE JEAN-BAPTISTE"
    assert found["holder_address"] == "160 QUAI DES BATELIERS 67093 STRAS8OURG"


def test_the_taxes_row_read_whole_and_the_title_locate_the_form() -> None:
    # Six amounts side by side are Y.1 … Y.6 in turn: with the title, enough to place the rest.
    taxes = [
        at(x, 96.5, amount)
        for x, amount in zip(
            (15.0, 49.0, 83.0, 117.0, 151.0, 185.0),
            ("420.00", "0.00", "0.00", "11.00", "2.76", "433.76"),
            strict=True,
        )
    ]
    found = values([at(6.0, 10.8, "CERTIFICAT D'IMMATRICULATION"), *taxes, slot("seats", "5")])
    assert found["seats"] == 5
    # Without the row, the title alone fixes nothing.
    assert "seats" not in values(
        [at(6.0, 10.8, "CERTIFICAT D'IMMATRICULATION"), slot("seats", "5")]
    )
