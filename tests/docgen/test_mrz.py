from datetime import date

import pytest

from docgen import mrz, render_document
from extraction.check_digits import check_digit, is_valid


def test_td3_matches_the_icao_specimen():
    lines = mrz.td3(
        state="UTO",
        number="L898902C3",
        birth=date(1974, 8, 12),
        sex="F",
        expiry=date(2012, 4, 15),
        nationality="UTO",
        surname="ERIKSSON",
        given_names=("ANNA", "MARIA"),
        personal_number="ZE184226B",
    )
    assert lines == (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )


def test_french_1995_zone_matches_the_known_specimen():
    lines = mrz.fr1995(
        surname="BERTHIER",
        office="920025",
        number="880692310285",
        given_names=("CORINNE",),
        birth=date(1965, 12, 6),
        sex="F",
    )
    assert lines == ("IDFRABERTHIER<<<<<<<<<<<<<<<<<920025", "8806923102858CORINNE<<<<<<<6512068F6")


def test_transliteration_follows_icao():
    assert mrz.transliterate("HÉLÈNE") == "HELENE"
    assert mrz.transliterate("FRANÇOIS") == "FRANCOIS"
    assert mrz.transliterate("MÜLLER") == "MUELLER"
    assert mrz.transliterate("D'ALMEIDA-NOËL LE") == "D<ALMEIDA<NOEL<LE"


def _td1_ok(lines):
    l1, l2, _l3 = lines
    assert [len(line) for line in lines] == [30, 30, 30]
    assert is_valid(l1[5:14], l1[14])
    assert is_valid(l2[0:6], l2[6]) and is_valid(l2[8:14], l2[14])
    assert is_valid(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])


def _td3_ok(lines):
    l1, l2 = lines
    assert len(l1) == len(l2) == 44 and l1.startswith("P")
    assert is_valid(l2[0:9], l2[9]) and is_valid(l2[13:19], l2[19])
    assert is_valid(l2[21:27], l2[27]) and is_valid(l2[28:42], l2[42])
    assert is_valid(l2[0:10] + l2[13:20] + l2[21:43], l2[43])


def _fr1995_ok(lines):
    l1, l2 = lines
    assert len(l1) == len(l2) == 36 and l1.startswith("IDFRA")
    assert is_valid(l2[0:12], l2[12]) and is_valid(l2[27:33], l2[33])
    assert is_valid(l1 + l2[0:35], l2[35])


@pytest.mark.parametrize("seed", range(12))
def test_identity_card_and_passport_zones_verify(seed):
    card = render_document("fr_identity_card", seed)
    if card.variant == "2021":
        _td1_ok(card.mrz_lines)
        assert card.mrz_lines[0][5:14] == card.fields["document_number"]
    else:
        _fr1995_ok(card.mrz_lines)
        assert card.mrz_lines[1][0:12] == card.fields["document_number"]
        assert card.mrz_lines[1][0:4] == date.fromisoformat(card.fields["issue_date"]).strftime(
            "%y%m"
        )
    passport = render_document("passport", seed)
    _td3_ok(passport.mrz_lines)
    assert passport.mrz_lines[1][0:9].rstrip("<") == passport.fields["document_number"]
    assert passport.mrz_lines[0][2:5] == passport.fields["issuing_state"]
    assert check_digit("<" * 14) == "0"
