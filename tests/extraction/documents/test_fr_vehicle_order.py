from extraction.documents.fr_vehicle_order import add_by_order, anchor_of, codes_in_print_order
from extraction.documents.fr_vehicle_registration import LABELS, PRINT_ORDER, SPEC
from extraction.layout import find_labels
from extraction.printed_values import GUESS_CONFIDENCE, Read
from extraction.text import TextLine


def box(x: float, y: float, text: str, width: float = 0.03) -> TextLine:
    return TextLine(text, 0.97, x, y, x + width, y + 0.03)


def column(*rows: tuple[str, str]) -> list[TextLine]:
    """One column of a certificate: each row a code box at x 0.36 and its value at x 0.40,
    0.07 apart (as on a phone photo of the card)."""
    lines = []
    for index, (code, value) in enumerate(rows):
        y = 0.2 + 0.07 * index
        if code:
            lines.append(box(0.36, y, code, width=0.025))
        lines.append(box(0.40, y, value, width=0.012 * len(value)))
    return lines


def test_values_whose_codes_went_unread_are_placed_by_the_codes_order() -> None:
    # D.2 … D.3 and J.2 read; F.1's box not seen, F.2's read `R2`, G's and J.1's as noise.
    lines = column(
        ("D.2", "LLW87K3X4"),
        ("D.2.1", "M10RENVPZLEG2PV"),
        ("D.3", "CAPTUR"),
        ("", "1730"),
        ("R2", "1730"),
        ("u", "1295"),
        ("", "M1"),
        ("口", "VP"),
        ("J.2", "AF"),
    )
    reading = SPEC.read(lines)
    values = {name: field.value for name, field in reading.fields.items() if field.value}
    assert values == {
        "type_variant_version": "LLW87K3X4",
        "cnit": "M10RENVPZLEG2PV",
        "commercial_name": "CAPTUR",
        "max_laden_mass_kg": 1730,
        "max_laden_mass_service_kg": 1730,
        "mass_in_service_kg": 1295,
        "eu_category": "M1",
        "national_genre": "VP",
        "eu_body": "AF",
    }
    # The order placed them, not their code: guesses, never vouched for.
    assert reading.fields["mass_in_service_kg"].confidence <= GUESS_CONFIDENCE


def test_a_value_two_missing_codes_could_take_stays_unplaced() -> None:
    # Between D.2 and J.2, `1295` could be F.1, F.2 or G: nothing tells which.
    code_2, value_2, loose, code_j2, value_j2 = column(
        ("D.2", "LLW87K3X4"), ("", "1295"), ("J.2", "AF")
    )
    anchors = [
        ("type_variant_version", anchor_of(code_2, value_2, 3)),
        ("eu_body", anchor_of(code_j2, value_j2, 3)),
    ]
    found: dict[str, Read] = {}
    assert add_by_order(PRINT_ORDER, anchors, [loose], found) == [loose]
    assert found == {}


def test_the_digit_read_in_a_code_box_must_be_the_codes() -> None:
    # `R3` ends with 3: no code between D.2 and J.2 does, so 1730 goes nowhere.
    lines = column(("D.2", "LLW87K3X4"), ("R3", "1730"), ("G", "1295"), ("J.2", "AF"))
    reading = SPEC.read(lines)
    assert reading.fields["max_laden_mass_kg"].value is None
    assert reading.fields["max_laden_mass_service_kg"].value is None


def test_past_the_last_code_read_only_the_next_row_and_the_next_code() -> None:
    # Below V.9 come X.1 (a date) and the taxes: a date just under it is X.1; far below, an
    # amount is not placed (Y.6 is found in the taxes' row, not in a column).
    lines = [
        *column(("V.7", "128"), ("V.9", "EURO 6D"), ("", "05/07/2027")),
        box(0.40, 0.75, "2.76"),
    ]
    found: dict[str, Read] = {}
    labelled = [line for line in lines if line.text in {"V.7", "V.9", "128", "EURO 6D"}]
    anchors = [
        ("co2_g_km", anchor_of(labelled[0], labelled[1], 3)),
        ("environmental_class", anchor_of(labelled[2], labelled[3], 3)),
    ]
    loose = [line for line in lines if line not in labelled]
    left = add_by_order(PRINT_ORDER, anchors, loose, found)
    assert {name: read.value for name, read in found.items()} == {
        "technical_inspection_date": "2027-07-05"
    }
    assert [line.text for line in left] == ["2.76"]


def test_a_code_box_is_not_a_value_and_a_code_read_right_of_one_is_its_value() -> None:
    # `CA` is C.3's box misread (not the J.2 body `CA`); `C3` is D.3's value (a Citroën), not
    # the code C.3.
    lines = [
        box(0.02, 0.37, "CA", width=0.03),
        box(0.07, 0.37, "BAT C 143 BIS ALLEE DES", width=0.2),
        box(0.07, 0.42, "59016 LILLE", width=0.1),
        box(0.36, 0.37, "0.3", width=0.03),
        box(0.40, 0.37, "C3", width=0.03),
    ]
    reading = SPEC.read(lines)
    assert reading.fields["eu_body"].value is None
    assert reading.fields["commercial_name"].value == "C3"


def test_rows_matching_the_missing_codes_one_for_one_take_them_in_order() -> None:
    # Between K and P.3, two numbers and two codes missing (P.1, P.2): the first is P.1.
    lines = column(
        ("K", "e4*2018/858*7970*61"), ("", "1273"), ("", "74"), ("P.3", "ES"), ("P.6", "6")
    )
    reading = SPEC.read(lines)
    assert reading.fields["displacement_cc"].value == 1273
    assert reading.fields["net_power_kw"].value == 74


def test_a_listed_code_read_with_a_look_alike_is_placed_repaired() -> None:
    # Between P.2 and P.6, `6O` is the fuel GO (no other list holds a code it may be).
    lines = column(("P.2", "74"), ("", "6O"), ("P.6", "6"))
    assert SPEC.read(lines).fields["fuel"].value == "GO"


def test_a_look_alike_of_two_lists_codes_is_not_placed_by_its_shape() -> None:
    # `Cl` is the genre CL, the body CL or the body CI read with a look-alike: none is placed.
    lines = [
        box(0.73, 0.2, "Cl"),
        box(0.73, 0.27, "e4*2018/858*7970*61", width=0.17),
        box(0.73, 0.34, "1273"),
    ]
    reading = SPEC.read(lines)
    assert reading.fields["national_genre"].value is None
    assert reading.fields["national_body"].value is None


def test_a_shape_two_lines_have_places_neither_of_them_by_shape() -> None:
    # `CA` (C.3's box misread, its row apart from the address) and `AF` both look like a J.2
    # body: the shape tells neither apart, and the order then places AF under J.1.
    lines = [
        box(0.025, 0.04, "RÉPUBLIQUE FRANÇAISE", width=0.23),
        box(0.025, 0.09, "CERTIFICAT D'IMMATRICULATION", width=0.32),
        box(0.023, 0.37, "CA"),
        box(0.07, 0.30, "GARNIER CLAIRE", width=0.13),
        box(0.07, 0.44, "BAT C 143 BIS ALLEE DES", width=0.2),
        box(0.07, 0.51, "VF1GCDS20TY377587", width=0.17),
        *column(("J", "M1"), ("J.1", "VP"), ("12", "AF")),
        box(0.69, 0.2, "P.3", width=0.025),
        box(0.73, 0.2, "ES"),
    ]
    assert SPEC.read(lines).fields["eu_body"].value == "AF"


def test_codes_printed_in_another_column_do_not_count_in_a_stretch() -> None:
    # Measured on a hard photo: between D.3 and J the order has E, F.1, F.2, G and I, but the
    # VIN and the date are in the first column: the three masses take F.1, F.2 and G. G's box
    # was read `6`, its letter's look-alike, which does not contradict it.
    lines = column(("D.3", "GOLF"), ("", "1720"), ("", "1710"), ("6", "1305"), ("J", "M1"))
    reading = SPEC.read(lines)
    assert reading.fields["max_laden_mass_kg"].value == 1720
    assert reading.fields["max_laden_mass_service_kg"].value == 1710
    assert reading.fields["mass_in_service_kg"].value == 1305
    assert reading.fields["mass_in_service_kg"].confidence <= GUESS_CONFIDENCE


def test_a_code_box_read_as_a_later_code_of_its_column_is_not_trusted() -> None:
    # D.1's box read `0.3` above D.2 and D.2.1: D.3's value is not the make; D.3's own box
    # (`0.J`) went unread, so CAPTUR is placed between D.2.1 and F.1 by the order.
    lines = column(
        ("0.3", "RENAULT"),
        ("D.2", "LLW87K3X4"),
        ("D.2.1", "M10RENVPZLEG2PV"),
        ("0.J", "CAPTUR"),
        ("F.1", "1730"),
    )
    fields = SPEC.read(lines).fields
    assert fields["commercial_name"].value == "CAPTUR"
    # Not trusted beside its misread box, RENAULT stands where the form prints D.1's value
    # (`fr_vehicle_template`): the make, a guess.
    assert fields["make"].value == "RENAULT"
    assert fields["make"].confidence <= GUESS_CONFIDENCE


def test_two_codes_out_of_order_with_nothing_else_are_both_dropped() -> None:
    in_order = column(("D.1", "RENAULT"), ("D.3", "CAPTUR"))
    swapped = column(("D.3", "RENAULT"), ("D.1", "CAPTUR"))
    for lines, kept in ((in_order, {"make", "commercial_name"}), (swapped, set())):
        hits = find_labels(lines, LABELS)
        assert {hit.key for hit in codes_in_print_order(PRINT_ORDER, hits)} == kept
    # Codes in other columns (here the first, at x 0.03) are judged apart.
    other_column = [box(0.03, 0.2, "A"), box(0.07, 0.2, "AB-123-CD", width=0.1)]
    hits = find_labels([*swapped, *other_column], LABELS)
    assert {hit.key for hit in codes_in_print_order(PRINT_ORDER, hits)} == {"registration_number"}


def test_values_all_on_one_row_with_their_anchors_do_not_break_the_reading() -> None:
    # Every anchor on the very row of the value being placed: no stretch above or below it.
    lines = [
        TextLine(text, 0.2, 0.5, 0.5, 0.5, 0.5)
        for text in ("AB-123-CD", "VF3PW90Z4D9904579", "12/03/2019")
    ]
    fields = SPEC.read(lines).fields
    assert fields["registration_number"].value == "AB-123-CD"
