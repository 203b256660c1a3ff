from __future__ import annotations

import pytest

from extraction.documents.tn_vehicle_values import SLOT_PARSERS, read_plate, with_model_year
from extraction.printed_values import GUESS_CONFIDENCE


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("empty_weight_kg", "1473 kg", 1473),
        ("empty_weight_kg", "22/09/2025", None),  # the signature's row caught in the slot
        ("empty_weight_kg", "1473", None),  # no unit: any number
        ("fiscal_power_cv", "8 CV", 8),
        ("fiscal_power_cv", "8", None),
        ("seats", "5", 5),
        ("seats", "5 CV", None),
        ("first_registration_date", "2019/08/01", "2019-08-01"),
    ],
)
def test_what_a_slot_holds_must_have_the_values_whole_shape(
    field: str, text: str, value: object
) -> None:
    read = SLOT_PARSERS[field](text, 0.9)
    assert (read.value if read else None) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("130 UIGI 7191", "130 TU 7191"),  # `تونس` made into Latin letters
        ("169 al 4113", "169 TU 4113"),
        ("169 4113", "169 TU 4113"),
        ("1694113", "169 TU 4113"),  # glued: seven digits split one way only
        ("451178", None),  # 45 and 1178, or 451 and 178: no telling
        ("116 RUE DE LA LIBERTÉ", None),
    ],
)
def test_a_plate_whose_arabic_series_word_went_unread_is_a_guess(
    text: str, value: str | None
) -> None:
    read = read_plate(text, 0.95)
    assert (read.value if read else None) == value
    assert read is None or read.confidence <= GUESS_CONFIDENCE


@pytest.mark.parametrize(
    ("vin", "year", "repaired"),
    [
        ("WVWF7G3M08U167175", 2011, "WVWF7G3M0BU167175"),  # `8` is 2008, `B` 2011
        ("VF19MNT045Y857421", 2025, "VF19MNT04SY857421"),  # `5` is 2005, `S` 2025
        ("VF19MNT045Y857421", 2005, None),  # `5` fits: nothing to repair
        ("VF19MNT04RY857421", 2025, None),  # `R` (2024) fits
        ("1HGCM82633A004352", 2003, None),  # the check digit vouches for the reading
    ],
)
def test_a_model_year_read_as_its_look_alike_is_put_right_by_the_first_registration(
    vin: str, year: int, repaired: str | None
) -> None:
    assert with_model_year(vin, year) == repaired
