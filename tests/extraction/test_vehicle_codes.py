import pytest

from extraction.vehicle_codes import closest_make, is_known_code, normalise_code


@pytest.mark.parametrize(
    ("field", "printed", "code"),
    [("fuel", "es", "ES"), ("fuel", "EH", "EH"), ("fuel", "H2", "H2"), ("eu_category", "M1", "M1"),
     ("eu_category", "l3e", "L3e"), ("national_genre", "VP", "VP"),
     ("national_genre", "deriv vp", "DERIV-VP"), ("eu_body", "AB", "AB"),
     ("national_body", "ci", "CI"), ("national_body", "DERIV  VP", "DERIV VP")],
)  # fmt: skip
def test_official_codes_are_known(field: str, printed: str, code: str) -> None:
    assert normalise_code(field, printed) == code
    assert is_known_code(field, code)


@pytest.mark.parametrize(
    ("field", "code"),
    [("fuel", "DI"), ("fuel", "E85"), ("eu_category", "M4"), ("national_genre", "CAR"),
     ("eu_body", "AZ"), ("national_body", "BERLINE")],
)  # fmt: skip
def test_codes_off_the_lists_are_unknown(field: str, code: str) -> None:
    assert not is_known_code(field, code)


def test_a_make_one_look_alike_away_from_a_known_one_is_repaired() -> None:
    assert closest_make("CITRDEN") == ("CITROEN", 1)
    assert closest_make("peuge0t") == ("PEUGEOT", 1)
    assert closest_make("RENAULT") == ("RENAULT", 0)
    # Two letters off, or no look-alike of a make: left alone.
    assert closest_make("CITRDEM") is None
    assert closest_make("TOKOTA") is None
