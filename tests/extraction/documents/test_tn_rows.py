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
    }
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


def test_nothing_is_placed_without_the_rows_around_it() -> None:
    # The make is lost: the types' upper neighbour is unknown.
    lines = [item for item in column() if item.text != "TOYOTA"]
    found = by_rows(lines)
    assert "commercial_type" not in found and "vehicle_type" not in found
    # The plate and the first registration are lost: nothing tells where the owner starts.
    lines = [item for item in column() if item.text not in ("29 TU 929 29 929", "25/04/2011")]
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
