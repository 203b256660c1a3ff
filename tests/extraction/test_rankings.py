from datetime import date

import pytest

from extraction.rankings import (
    RANKING_LADDER,
    find_licence_number,
    find_season,
    normalise_ranking,
    season_end,
)


@pytest.mark.parametrize(
    ("text", "ranking"),
    [("15/4", "15/4"), ("30 / 2", "30/2"), ("nc", "NC"), ("N.C.", "NC"), ("-2/6", "-2/6"),
     ("–15", "-15"), ("N 12", "N12"), ("T75", "T75"), ("0", "0"), ("40", "40")],
)  # fmt: skip
def test_official_rankings(text: str, ranking: str) -> None:
    assert normalise_ranking(text) == ranking


@pytest.mark.parametrize("text", ["15/6", "30/6", "35", "-6/6", "N61", "T12", "X", "5/5"])
def test_rankings_off_the_ladder(text: str) -> None:
    assert normalise_ranking(text) is None


def test_ladder_is_ordered_from_unranked_to_the_top() -> None:
    assert RANKING_LADDER[0] == "NC" and RANKING_LADDER[-1] == "-30"
    assert RANKING_LADDER.index("30") < RANKING_LADDER.index("15/5") < RANKING_LADDER.index("5/6")


def test_licence_number_is_seven_digits_and_a_letter() -> None:
    assert find_licence_number("Licence n° 1234567 A") == "1234567A"
    assert find_licence_number("1234567B") == "1234567B"
    assert find_licence_number("123456 A") is None
    assert find_licence_number("12345678A") is None


def test_seasons() -> None:
    assert find_season("Saison 2025") == "2025"
    assert find_season("2025/2026") == "2025/2026"
    assert find_season("2025 - 2026") == "2025/2026"
    assert find_season("2025/2027") is None
    assert season_end("2025/2026") == date(2026, 8, 31)
    assert season_end("2025") == date(2025, 8, 31)


def test_leagues_of_the_official_list() -> None:
    from extraction.rankings import normalise_league

    assert normalise_league("LIGUE GRAND EST") == ("LIGUE GRAND EST", False)
    assert normalise_league("Ligue Île-de-France") == ("LIGUE ILE-DE-FRANCE", False)
    assert normalise_league("LIGUE NORMANDLE") == ("LIGUE NORMANDIE", True)
    assert normalise_league("LIGUE DE LA LUNE") is None
