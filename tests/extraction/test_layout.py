import re

from extraction.layout import find_labels, pair_with_values, read_value, same_row
from extraction.text import TextLine

LABELS = {
    "power": re.compile(r"P\.2"),
    "fuel": re.compile(r"P\.3"),
    "name": re.compile(r"C\.1"),
}


def box(text: str, x: float, y: float, width: float = 0.1, height: float = 0.03) -> TextLine:
    return TextLine(text, 0.95, x, y, x + width, y + height)


def test_several_labels_on_one_line_split_its_text() -> None:
    hits = find_labels([box("P.2 85 P.3 ES", 0.1, 0.1, 0.3)], LABELS)
    assert [(hit.key, hit.inline_value) for hit in hits] == [("power", "85"), ("fuel", "ES")]


def test_labels_only_count_at_the_start_of_a_word() -> None:
    assert find_labels([box("XP.2 85", 0.1, 0.1)], LABELS) == []


def test_value_is_the_box_to_the_right_on_the_same_row() -> None:
    label, value, other_row = (
        box("P.2", 0.1, 0.1, 0.03),
        box("85", 0.16, 0.102),
        box("99", 0.16, 0.2),
    )
    lines = [label, value, other_row]
    hit = find_labels(lines, LABELS)[0]
    result = read_value(hit, lines, {id(label)})
    assert result is not None and result.text == "85"
    assert same_row(label, value) and not same_row(label, other_row)


def test_wrapped_value_is_joined_until_the_rule_says_stop() -> None:
    lines = [
        box("C.1 SAS LOCATIONS", 0.1, 0.1, 0.3),
        box("DU SUD-OUEST", 0.14, 0.135, 0.2),
        box("EST LE PROPRIETAIRE", 0.14, 0.17, 0.3),
    ]
    hit = find_labels(lines, LABELS)[0]
    joined = read_value(hit, lines, {id(lines[0])}, wrap=2)
    assert joined is not None and joined.text == "SAS LOCATIONS DU SUD-OUEST EST LE PROPRIETAIRE"
    stopped = read_value(
        hit, lines, {id(lines[0])}, wrap=2, continues=lambda _, nxt: "PROPRIETAIRE" not in nxt
    )
    assert stopped is not None and stopped.text == "SAS LOCATIONS DU SUD-OUEST"


def test_a_tilted_row_does_not_give_one_box_to_two_labels() -> None:
    # The first label's own value was not read; the next row's value sits half-way between.
    genre, vin_label = (
        box("Genre", 0.05, 0.500, 0.05, 0.02),
        box("N° de série", 0.05, 0.516, 0.09, 0.02),
    )
    vin_value = box("VF1HZV019NL120723", 0.34, 0.510, 0.17, 0.02)
    labels = {"genre": re.compile("Genre"), "vin": re.compile("N° de série")}
    lines = [genre, vin_label, vin_value]
    hits = find_labels(lines, labels)
    paired = pair_with_values(hits, lines, {id(genre), id(vin_label)}, max_gap=0.25)
    assert {hits[index].key: line.text for index, line in paired.items()} == {
        "vin": "VF1HZV019NL120723"
    }


def test_a_label_pairs_with_its_value_along_an_askew_row() -> None:
    # A card lying askew among papers: its rows climb 0.11 per unit to the right, so a name
    # 0.09 to the right of its code sits 0.01 higher, more than half a line's height.
    label = TextLine("C.1", 0.9, 0.33, 0.432, 0.352, 0.445, slope=-0.11)
    name = TextLine("MICHEL HERVE", 0.99, 0.357, 0.420, 0.503, 0.437, slope=-0.11)
    level_name = TextLine("MICHEL HERVE", 0.99, 0.357, 0.420, 0.503, 0.437)
    lower_row = TextLine("EST LE PROPRIETAIRE", 0.99, 0.359, 0.442, 0.479, 0.457, slope=-0.11)

    assert same_row(label, name) and same_row(name, label)
    assert not same_row(label, level_name)  # the same boxes, level: a row apart
    assert not same_row(label, lower_row)
    hit = find_labels([label, name, lower_row], LABELS)[0]
    assert pair_with_values([hit], [label, name, lower_row], {id(label)}, max_gap=0.25) == {0: name}


def test_a_wrapped_value_is_followed_down_an_askew_row() -> None:
    # Rows drop 0.24 per unit to the right: the commune's line starts left of the street's
    # middle, barely lower than that middle, yet it is the next row.
    label = TextLine("C.3", 0.99, 0.197, 0.441, 0.223, 0.452, slope=0.24)
    street = TextLine("51 RUE PASTEUR 13033", 0.99, 0.225, 0.461, 0.361, 0.473, slope=0.24)
    commune = TextLine("MARSEILLE", 0.99, 0.221, 0.466, 0.294, 0.479, slope=0.24)
    hit = find_labels([label], {"address": re.compile(r"C\.3")})[0]

    value = read_value(hit, [label, street, commune], {id(label)}, wrap=2)

    assert value is not None and value.text == "51 RUE PASTEUR 13033 MARSEILLE"


def test_a_value_box_reaching_back_over_its_code_box_is_still_its_value() -> None:
    # Measured on a phone photo: C.1 at 0.0189-0.0622, the name's box from 0.0517 (boxes reach
    # past their letters by a share of the line height).
    label = box("C.1", 0.0189, 0.22, 0.0433, 0.024)
    name = box("PETIT NOEL", 0.0517, 0.222, 0.10, 0.026)
    hit = find_labels([label, name], LABELS)[0]
    result = read_value(hit, [label, name], {id(label)})
    assert result is not None and result.text == "PETIT NOEL"
    assert pair_with_values([hit], [label, name], {id(label)}, max_gap=0.25) == {0: name}
    # A box starting left of the code (a line the code is part of) is not its value.
    around = box("C.1 PETIT", 0.015, 0.222, 0.10, 0.026)
    assert read_value(hit, [label, around], {id(label)}) is None
    # Nor one starting further back over the code than the allowance.
    too_far = box("PETIT NOEL", 0.048, 0.222, 0.10, 0.026)
    assert read_value(hit, [label, too_far], {id(label)}) is None
