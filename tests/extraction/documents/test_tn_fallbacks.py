from __future__ import annotations

from extraction.documents.tn_fallbacks import add_unlabelled
from extraction.documents.tn_vehicle_values import GENRES, read_fuel, read_genre
from extraction.printed_values import GUESS_CONFIDENCE, Read
from extraction.text import TextLine


def line(y: float, text: str, x: float = 0.32) -> TextLine:
    return TextLine(text, 0.98, x, y, x + 0.012 * len(text), y + 0.03)


def unlabelled(texts: list[str], found: dict[str, Read] | None = None) -> dict[str, Read]:
    found = dict(found or {})
    lines = [line(0.05 * (index + 1), text) for index, text in enumerate(texts)]
    add_unlabelled(lines, found, fuel=read_fuel, genre=read_genre, genres_known=GENRES)
    return found


def values(found: dict[str, Read]) -> dict[str, object]:
    return {name: read.value for name, read in found.items()}


def test_values_of_a_distinctive_shape_are_found_without_their_labels_as_guesses() -> None:
    found = unlabelled(
        [
            "25/04/2011",
            "VOITURE PARTICULIERE L",  # the Arabic beside it read as a stray letter
            "ESSENCE U",
            "5 CV",
            "5",
            "1643 kg",
            "1150 kg",
            "Tunis le 28/07/2024",
            "28/07/2024",
        ]
    )
    assert values(found) == {
        "first_registration_date": "2011-04-25",
        "genre": "VOITURE PARTICULIERE",
        "fuel": "ESSENCE",
        "fiscal_power_cv": 5,
        "seats": 5,
        "gross_weight_kg": 1643,
        "empty_weight_kg": 1150,
        "certificate_date": "2024-07-28",
    }
    assert all(read.confidence <= GUESS_CONFIDENCE for read in found.values())


def test_labelled_values_are_kept() -> None:
    found = unlabelled(["6 CV"], {"fiscal_power_cv": Read(8, 0.99)})
    assert found["fiscal_power_cv"] == Read(8, 0.99)


def test_candidates_that_disagree_give_nothing() -> None:
    assert values(unlabelled(["5 CV", "7 CV", "ESSENCE", "GASOIL"])) == {}


def test_a_bare_number_is_the_seats_only_in_the_column_of_the_cv_and_kg_values() -> None:
    assert values(unlabelled(["5 CV", "4", "5", "1643 kg"])) == {"fiscal_power_cv": 5}
    lines = [line(0.1, "5 CV"), line(0.15, "70", x=0.77), line(0.2, "1643 kg")]
    found: dict[str, Read] = {}
    add_unlabelled(lines, found, fuel=read_fuel, genre=read_genre, genres_known=GENRES)
    assert "seats" not in found  # a number on a paper beside the card
    assert "seats" not in unlabelled(["5"])  # no column to place it in


def test_a_lone_mass_goes_where_it_keeps_empty_under_gross() -> None:
    assert values(unlabelled(["1643 kg"])) == {}  # which of the two? no telling
    gross = unlabelled(["1150 kg"], {"gross_weight_kg": Read(1643, 0.99)})
    assert gross["empty_weight_kg"].value == 1150
    heavier = unlabelled(["2000 kg"], {"gross_weight_kg": Read(1643, 0.99)})
    assert "empty_weight_kg" not in heavier  # heavier than loaded: not the empty weight


def test_two_lone_dates_are_the_first_registration_then_the_certificate() -> None:
    found = unlabelled(["2024/07/28", "2011/04/25"])
    assert values(found) == {
        "first_registration_date": "2011-04-25",
        "certificate_date": "2024-07-28",
    }


def test_a_lone_date_fills_whichever_missing_date_keeps_their_order() -> None:
    first = {"first_registration_date": Read("2019-08-01", 0.99)}
    assert unlabelled(["2025/12/13"], first)["certificate_date"].value == "2025-12-13"
    assert "certificate_date" not in unlabelled(["2018/12/13"], first)  # before registration
    certified = {"certificate_date": Read("2025-12-13", 0.99)}
    assert unlabelled(["01/08/2019"], certified)["first_registration_date"].value == "2019-08-01"
    assert "first_registration_date" not in unlabelled(["2026/01/01"], certified)
    assert values(unlabelled(["2019/08/01"])) == {}  # either date: no telling


def test_dates_that_cannot_be_told_apart_give_nothing() -> None:
    assert values(unlabelled(["01/02/2011", "03/04/2012", "05/06/2013"])) == {}
    signed_twice = unlabelled(["Tunis le 28/07/2024", "Tunis le 29/07/2024"])
    assert "certificate_date" not in signed_twice


def test_a_word_that_is_no_genre_is_not_taken_for_one() -> None:
    assert values(unlabelled(["YARIS", "AYARI AMIRA"])) == {}


def test_a_known_make_alone_on_its_line_is_the_make() -> None:
    assert values(unlabelled(["TOYOTA", "YARIS"])) == {"make": "TOYOTA"}
    assert values(unlabelled(["Mercedes-Benz"])) == {"make": "MERCEDES-BENZ"}
    assert values(unlabelled(["TOYOTA", "PEUGEOT"])) == {}  # two makes: no telling
    assert values(unlabelled(["TOYOTA YARIS 2019"])) == {}  # not alone on its line


def test_a_power_whose_digit_was_read_as_its_look_alike_is_told_by_its_unit() -> None:
    found = unlabelled(["B CV"])
    assert found["fiscal_power_cv"].value == 8
    assert found["fiscal_power_cv"].confidence <= GUESS_CONFIDENCE
    assert "fiscal_power_cv" not in unlabelled(["GO CV"])  # letters only: no number
