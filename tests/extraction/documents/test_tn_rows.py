from __future__ import annotations

from extraction.documents.tn_rows import add_by_rows, value_column
from extraction.printed_values import GUESS_CONFIDENCE, Read
from extraction.text import TextLine

ROW = 0.04


def line(row: float, text: str, *, x: float = 0.32, confidence: float = 0.98) -> TextLine:
    y = 0.2 + ROW * row
    return TextLine(text, confidence, x, y, x + 0.012 * len(text), y + 0.025)


def column(slant: float = 0.0) -> list[TextLine]:
    """The value column of a card whose labels went unread (a blurred left half), the Arabic
    lines under the owner and the address misread as lower-case Latin; `slant` shifts each row
    right (a photo taken askew)."""
    rows = [
        "29 TU 929 29 929",
        "25/04/2011",
        "AYARI AMIRA SARRA",
        "hall ayhw el",
        "116 RUE DE LA LIBERTÉ MONASTIR",
        "all l 116",
        "TOYOTA",
        "YARIS",
        "FJSAJ9FY",
        "VOITURE PARTICULIERE",
        "VNKEE7YU0BZ495250",
        "ESSENCE",
        "5 CV",
        "5",
        "1643 kg",
        "1150 kg",
    ]
    lines = [line(index, text, x=0.32 + slant * index) for index, text in enumerate(rows)]
    lines.append(line(17, "Tunis le 28/07/2024", x=0.05))
    lines.append(line(17, "28/07/2024", x=0.8))
    return lines


def by_rows(lines: list[TextLine], found: dict[str, Read] | None = None) -> dict[str, Read]:
    found = dict(found or {})
    column = value_column(lines, found)
    if column is not None:
        add_by_rows(column, found)
    return found


def test_owner_address_and_types_are_found_between_their_neighbour_rows_as_guesses() -> None:
    found = by_rows(column())
    assert {name: read.value for name, read in found.items()} == {
        "first_registration_date": "2011-04-25",
        "owner_name": "AYARI AMIRA SARRA",
        "owner_address": "116 RUE DE LA LIBERTÉ MONASTIR",
        "commercial_type": "YARIS",
        "vehicle_type": "FJSAJ9FY",
        # The lone seats digit, on its row by the rows' pitch.
        "seats": 5,
    }
    assert all(read.confidence <= GUESS_CONFIDENCE for read in found.values())


def test_rows_whose_neighbours_were_misread_are_placed_by_the_rows_pitch() -> None:
    # The plate, the date and the genre garbled, the make misread: the rows from the VIN down
    # (and the masses) fix the pitch, which places the owner, the make and the types.
    garbled = {
        0: "95 T0 13974 951974",
        1: "200705/22",
        6: "CITRDEN",
        9: "VOITURE PAATCULIERE wL",
    }
    lines = [
        line(row.y0 and (row.y0 - 0.2) / ROW, garbled.get(index, row.text), x=row.x0)
        for index, row in enumerate(column()[:16])
    ]
    found = by_rows(lines)
    assert {name: found[name].value for name in ("owner_name", "make", "commercial_type")} == {
        "owner_name": "AYARI AMIRA SARRA",
        "make": "CITROEN",
        "commercial_type": "YARIS",
    }
    assert "first_registration_date" not in found
    assert all(read.confidence <= GUESS_CONFIDENCE for read in found.values())


def test_a_slanting_column_is_followed() -> None:
    assert by_rows(column(slant=-0.004))["vehicle_type"].value == "FJSAJ9FY"


def test_values_read_by_their_labels_are_kept() -> None:
    found = by_rows(column(), {"owner_name": Read("AYARI AMIRA", 0.99)})
    assert found["owner_name"] == Read("AYARI AMIRA", 0.99)


def test_a_lone_type_takes_the_row_its_height_matches() -> None:
    lines = [item for item in column() if item.text != "YARIS"]
    found = by_rows(lines)
    assert "commercial_type" not in found
    assert found["vehicle_type"].value == "FJSAJ9FY"


def test_lines_between_rows_are_not_placed_by_the_pitch() -> None:
    # The make lost, the types' upper neighbour is unknown: they are placed by the rows' pitch,
    # but only while they stand on a row (here moved half a row down: on none).
    lines = [item for item in column() if item.text != "TOYOTA"]
    assert by_rows(lines)["commercial_type"].value == "YARIS"
    half = ROW / 2
    moved = [
        TextLine(item.text, item.confidence, item.x0, item.y0 + half, item.x1, item.y1 + half)
        if item.text in ("YARIS", "FJSAJ9FY")
        else item
        for item in lines
    ]
    found = by_rows(moved)
    assert "commercial_type" not in found and "vehicle_type" not in found
    # The plate and the first registration lost, the owner's lines off their rows: no owner.
    lines = [
        TextLine(item.text, item.confidence, item.x0, item.y0 + half, item.x1, item.y1 + half)
        if item.text == "AYARI AMIRA SARRA"
        else item
        for item in column()
        if item.text not in ("29 TU 929 29 929", "25/04/2011")
    ]
    assert "owner_name" not in by_rows(lines)


def test_lines_off_the_column_are_no_values() -> None:
    lines = column()
    lines[2] = line(2, "AYARI AMIRA SARRA", x=0.6)  # a paper lying beside the card
    assert "owner_name" not in by_rows(lines)


def test_a_line_in_lower_case_or_read_unsurely_is_the_arabic_beside_the_value() -> None:
    lines = column()
    lines[2] = line(2, "AYARI AMIRA SARRA", confidence=0.6)
    lines[4] = line(4, "116 rue de la liberté", confidence=0.99)
    found = by_rows(lines)
    assert "owner_name" not in found and "owner_address" not in found
