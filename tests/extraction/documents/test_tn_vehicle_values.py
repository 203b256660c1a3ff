from __future__ import annotations

import pytest

from extraction.documents.tn_vehicle_values import SLOT_PARSERS


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
