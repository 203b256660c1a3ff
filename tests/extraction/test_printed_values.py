import pytest

from extraction.models import FieldStatus, Source
from extraction.printed_values import (
    REPAIR_PENALTY,
    Read,
    field_result,
    read_date,
    read_decimal,
    read_int,
    read_text,
)


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
