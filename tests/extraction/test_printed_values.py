import re

import pytest

from extraction.layout import find_labels
from extraction.models import FieldStatus, Source
from extraction.printed_values import (
    GUESS_CONFIDENCE,
    REPAIR_PENALTY,
    Read,
    field_result,
    read_date,
    read_decimal,
    read_int,
    read_labelled,
    read_text,
)
from extraction.rules import LOW_CONFIDENCE
from extraction.text import TextLine


@pytest.mark.parametrize(
    ("text", "value", "repairs"),
    [
        ("1 598", 1598, 0),
        ("1598 cm3", 1598, 0),
        ("85 kW", 85, 0),
        ("1O5", 105, 1),
        ("12 CV", 12, 0),
    ],
)
def test_integers(text: str, value: int, repairs: int) -> None:
    read = read_int(text, 0.9)
    assert read is not None and read.value == value
    assert read.confidence == pytest.approx(0.9 - REPAIR_PENALTY * repairs)


def test_no_integer_in_words() -> None:
    assert read_int("ESSENCE", 0.9) is None


def test_decimals_are_euro_amounts_with_two_places() -> None:
    assert read_decimal("233,56 €", 0.9) == Read("233.56", 0.9)
    assert read_decimal("1 233.50", 0.9) == Read("1233.50", 0.9)
    whole = read_decimal("233", 0.9)
    assert whole is not None and whole.value == "233.00" and whole.confidence < 0.9


def test_dates_in_both_orders_and_with_a_letter_o() -> None:
    assert read_date("12/03/2019", 0.9) == Read("2019-03-12", 0.9)
    assert read_date("2019/03/12", 0.9) == Read("2019-03-12", 0.9)
    repaired = read_date("12/O3/2019", 0.9)
    assert repaired is not None and repaired.value == "2019-03-12" and repaired.confidence < 0.9
    assert read_date("31/02/2019", 0.9) is None


def test_text_is_upper_case_with_accents_and_single_spaces() -> None:
    assert read_text("  Dupont-Hébert   jean ", 0.9) == Read("DUPONT-HÉBERT JEAN", 0.9)


def test_field_result_is_missing_without_a_reading() -> None:
    assert field_result(None).status is FieldStatus.MISSING
    result = field_result(Read(5, 1.2))
    assert (result.value, result.confidence, result.source) == (5, 1.0, Source.OCR)


def test_values_paired_across_rows_that_do_not_line_up_are_only_guesses() -> None:
    labels = {"gross": re.compile("Poids total"), "empty": re.compile("Poids à vide")}
    parsers = {"gross": read_int, "empty": read_int}

    def card(shift: float) -> list[TextLine]:
        # Values on the right, `shift` label heights above their labels (a skewed photo).
        return [
            TextLine("Poids total", 0.95, 0.05, 0.50, 0.25, 0.54),
            TextLine("1930 kg", 0.99, 0.40, 0.50 - 0.04 * shift, 0.50, 0.54 - 0.04 * shift),
            TextLine("Poids à vide", 0.95, 0.05, 0.60, 0.25, 0.64),
            TextLine("1473 kg", 0.99, 0.40, 0.60 - 0.04 * shift, 0.50, 0.64 - 0.04 * shift),
        ]

    aligned = read_labelled(find_labels(card(0.1), labels), card(0.1), parsers)
    assert aligned == {"gross": Read(1930, 0.99), "empty": Read(1473, 0.99)}
    skewed = read_labelled(find_labels(card(0.45), labels), card(0.45), parsers)
    assert skewed == {"gross": Read(1930, GUESS_CONFIDENCE), "empty": Read(1473, GUESS_CONFIDENCE)}
    assert GUESS_CONFIDENCE < LOW_CONFIDENCE


def test_a_label_word_inside_running_text_is_not_a_label() -> None:
    labels = {"address": re.compile("adresse", re.IGNORECASE)}
    prose = TextLine("signature adresse dossier remise", 0.99, 0.1, 0.4, 0.6, 0.44)
    form = TextLine("Adresse : 3 RUE DE LA LIBERTÉ", 0.99, 0.1, 0.5, 0.6, 0.54)
    parsers = {"address": read_text}
    assert read_labelled(find_labels([prose], labels), [prose], parsers) == {}
    found = read_labelled(find_labels([prose, form], labels), [prose, form], parsers)
    assert found == {"address": Read("3 RUE DE LA LIBERTÉ", 0.99)}
