import pytest

from extraction.plates import PlateKind, find_fr_plate, read_fr_plate, read_tn_plate


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("AB-123-CD", "AB-123-CD", PlateKind.SIV),
        ("ab 123 cd", "AB-123-CD", PlateKind.SIV),
        ("WW-456-FG", "WW-456-FG", PlateKind.SIV_PROVISIONAL),
        ("W-123-AB", "W-123-AB", PlateKind.GARAGE),
        ("123 ABC 75", "123 ABC 75", PlateKind.FNI),
        ("4567 XY 2A", "4567 XY 2A", PlateKind.FNI),
        ("12 AB 974", "12 AB 974", PlateKind.FNI),
    ],
)
def test_good_french_plates(text: str, value: str, kind: PlateKind) -> None:
    plate = read_fr_plate(text)
    assert plate is not None
    assert (plate.value, plate.kind, plate.problem) == (value, kind, None)


def test_look_alike_digits_are_repaired_and_counted() -> None:
    plate = read_fr_plate("AB-1O3-CD")
    assert plate is not None and plate.value == "AB-103-CD" and plate.repaired == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("AI-123-CD", "plate_letters_not_issued"),
        ("AB-123-OU", "plate_letters_not_issued"),
        ("SS-123-AB", "plate_series_not_issued"),
        ("AB-123-SS", "plate_series_not_issued"),
        ("AB-000-CD", "plate_series_not_issued"),
    ],
)
def test_french_plates_breaking_siv_rules(text: str, problem: str) -> None:
    plate = read_fr_plate(text)
    assert plate is not None and plate.problem == problem


@pytest.mark.parametrize("text", ["ABC-12-D", "12345", "123 ABC 20", "HELLO WORLD"])
def test_unknown_shapes_are_not_plates(text: str) -> None:
    assert read_fr_plate(text) is None


def test_find_plate_inside_a_line_with_its_code() -> None:
    plate = find_fr_plate("A AB-123-CD")
    assert plate is not None and plate.value == "AB-123-CD"


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("123 TU 4567", "123 TU 4567", PlateKind.TN),
        ("123 تونس 4567", "123 TU 4567", PlateKind.TN),
        ("4567 تونس 123", "123 TU 4567", PlateKind.TN),
        ("105 TU 6827105 6827", "105 TU 6827", PlateKind.TN),  # the Arabic copy glued on
        ("RS 123456", "RS 123456", PlateKind.TN_SUSPENDED),
        ("12-345678", "12-345678", PlateKind.TN_STATE),
    ],
)
def test_tunisian_plates(text: str, value: str, kind: PlateKind) -> None:
    plate = read_tn_plate(text)
    assert plate is not None and (plate.value, plate.kind) == (value, kind)


def test_tunisian_plate_absent() -> None:
    assert read_tn_plate("TOYOTA COROLLA") is None
    assert read_tn_plate("105 TU 68271") is None  # a digit too many, and no copy it begins
