from datetime import date

import pytest

from extraction.documents.base import DocumentReading
from extraction.documents.fft_licence import FIELD_NAMES, SPEC, parse_qr
from extraction.models import FieldResult, FieldStatus, Source
from extraction.text import TextLine

TODAY = date(2026, 6, 1)
QR = "FFT1;1234567A;MARTIN;Léa Marie;2001-04-05;2025/2026;15/4;TENNIS CLUB DE LYON"


def line(y: float, x: float, text: str, confidence: float = 0.95) -> TextLine:
    return TextLine(text, confidence, x, y, x + 0.015 * len(text), y + 0.04)


def card() -> list[TextLine]:
    """OCR lines shaped like a licence: labels with inline values, or the value to the right."""
    return [
        line(0.05, 0.05, "FÉDÉRATION FRANÇAISE DE TENNIS"),
        line(0.15, 0.05, "LICENCE 2025/2026"),
        line(0.20, 0.05, "N° de licence 1234567 A"),
        line(0.25, 0.05, "Nom :"),
        line(0.25, 0.20, "MARTIN"),
        line(0.32, 0.05, "Prénom : Léa Marie"),
        line(0.39, 0.05, "Né(e) le : 05/04/2001"),
        line(0.46, 0.05, "Club"),
        line(0.46, 0.20, "TENNIS CLUB DE LYON"),
        line(0.53, 0.05, "Ligue"),
        line(0.53, 0.20, "LIGUE AUVERGNE-RHÔNE-ALPES"),
        line(0.67, 0.05, "Classement : 15/4"),
    ]


def test_printed_fields_are_read_by_label() -> None:
    reading = SPEC.read(card())
    SPEC.check(reading, today=TODAY)
    assert {name: result.value for name, result in reading.fields.items()} == {
        "licence_number": "1234567A",
        "surname": "MARTIN",
        "given_names": "LÉA MARIE",
        "birth_date": "2001-04-05",
        "club_name": "TENNIS CLUB DE LYON",
        "season": "2025/2026",
        "ranking": "15/4",
        "league": "LIGUE AUVERGNE-RHONE-ALPES",
    }
    assert set(reading.fields) == set(FIELD_NAMES)
    assert {r.status for r in reading.fields.values()} == {FieldStatus.VALID}


@pytest.mark.parametrize(
    ("text", "league", "repaired"),
    [
        ("LIGUE GRAND EST", "LIGUE GRAND EST", False),
        ("LIGUE NORNANDIE", "LIGUE NORMANDIE", True),  # measured on a hard photo
    ],
)
def test_a_league_whose_label_went_unread_is_found_by_the_official_list(
    text: str, league: str, repaired: bool
) -> None:
    lines = [entry for entry in card() if entry.text not in ("Ligue", "LIGUE AUVERGNE-RHÔNE-ALPES")]
    lines.append(line(0.60, 0.20, text, 0.97))
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    found = reading.fields["league"]
    assert found.value == league
    assert found.status is FieldStatus.WARNING  # found by its shape: never ✅
    assert found.confidence <= 0.97 * 0.8
    assert (found.confidence < 0.97 * 0.8 - 0.01) is repaired


@pytest.mark.parametrize("text", ["Ligue", "LIGUE DES CHAMPIONS", "COLLÈGE DE LA LIGUE NORMANDIE"])
def test_no_league_is_made_of_a_label_an_unknown_region_or_a_sentence(text: str) -> None:
    lines = [entry for entry in card() if entry.text not in ("Ligue", "LIGUE AUVERGNE-RHÔNE-ALPES")]
    lines.append(line(0.60, 0.20, text, 0.97))
    assert SPEC.read(lines).fields["league"].value is None


def test_qr_code_values_win_and_disagreements_are_reported() -> None:
    lines = card()
    lines[-1] = line(0.67, 0.05, "Classement : 15/1")
    reading = SPEC.read(lines, [QR])
    ranking = reading.fields["ranking"]
    assert (ranking.value, ranking.source) == ("15/4", Source.BARCODE)
    assert [(f.code, f.field) for f in reading.findings] == [("barcode_mismatch", "ranking")]


@pytest.mark.parametrize(
    "text",
    [
        "FFT1;1234567A;MARTIN;Léa;2001-04-05;2025/2026;15/4",  # a field short
        "FFT2;1234567A;MARTIN;Léa;2001-04-05;2025/2026;15/4;TC",  # unknown version
        "FFT1;123456A;MARTIN;Léa;2001-04-05;2025/2026;15/4;TC",  # licence number
        "FFT1;1234567A;MARTIN;Léa;2001-04-05;2025/2026;15/7;TC",  # ranking off the ladder
        "FFT1;1234567A;MARTIN;Léa;05/04/2001;2025/2026;15/4;TC",  # date not ISO
    ],
)
def test_malformed_qr_codes_are_ignored(text: str) -> None:
    assert parse_qr(text) is None


def checked(**values: str | None) -> DocumentReading:
    fields = {name: FieldResult() for name in FIELD_NAMES}
    for name, value in values.items():
        fields[name] = FieldResult(value=value, confidence=0.95, source=Source.OCR)
    reading = DocumentReading(fields=fields)
    SPEC.check(reading, today=TODAY)
    return reading


@pytest.mark.parametrize(
    ("field", "value", "note"),
    [
        ("licence_number", "123456A", "format_invalid"),
        ("ranking", "15/7", "ranking_unknown"),
        ("season", "2025/2027", "format_invalid"),
        ("birth_date", "2030-01-01", "date_in_future"),
    ],
)
def test_broken_rules_make_fields_invalid(field: str, value: str, note: str) -> None:
    result = checked(**{field: value}).fields[field]
    assert (result.status, result.note) == (FieldStatus.INVALID, note)


def test_a_past_season_is_an_expired_licence() -> None:
    reading = checked(season="2024/2025")
    assert reading.fields["season"].status is FieldStatus.WARNING
    assert [f.code for f in reading.findings] == ["licence_season_over"]


def test_current_season_is_valid() -> None:
    assert checked(season="2026").fields["season"].status is FieldStatus.VALID


def test_findings_render_in_both_languages() -> None:
    from extraction.messages import render_warning

    reading = checked(season="2024/2025", ranking="15/7", licence_number="12A", league="LIGUE X")
    assert len(reading.findings) == 4
    for finding in reading.findings:
        for language in ("fr", "en"):
            assert render_warning(finding, language).message != finding.code


def test_a_name_with_a_letter_french_does_not_write_is_put_right_but_doubtful() -> None:
    lines = [entry for entry in card() if not entry.text.startswith("Prénom")]
    lines.append(line(0.32, 0.05, "Prénom : Camille Maēlys", 0.99))  # measured: Ë read Ē
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    assert reading.fields["given_names"].value == "CAMILLE MAËLYS"  # the letter it was read from
    assert reading.fields["given_names"].status is FieldStatus.WARNING
    accented = [entry for entry in card() if not entry.text.startswith("Prénom")]
    accented.append(line(0.32, 0.05, "Prénom : Camille Maëlys", 0.99))
    reading = SPEC.read(accented)
    SPEC.check(reading, today=TODAY)
    assert reading.fields["given_names"].status is FieldStatus.VALID


def test_a_birth_date_and_a_ranking_whose_labels_went_unread_are_found_by_shape() -> None:
    # A hard photo: every label lost, the values read down their column.
    lines = [
        line(0.13, 0.10, "FÉDÉRATION FRANÇAISE DE TENNIS"),
        line(0.21, 0.11, "LICENCE 2025/2026"),
        line(0.34, 0.36, "GIRARD"),
        line(0.43, 0.36, "Emillie"),
        line(0.51, 0.36, "02/03/1963"),
        line(0.59, 0.36, "7855537R"),
        line(0.67, 0.35, "TC EVREUX"),
        line(0.83, 0.35, "15/5"),
    ]
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)

    assert reading.fields["birth_date"].value == "1963-03-02"
    assert reading.fields["ranking"].value == "15/5"
    # Nothing says which row they stand on: doubtful, never ✅.
    assert reading.fields["birth_date"].status is FieldStatus.WARNING
    assert reading.fields["ranking"].status is FieldStatus.WARNING
    # Names and the club have no shape of their own: left unread rather than guessed.
    assert reading.fields["surname"].value is None and reading.fields["club_name"].value is None


@pytest.mark.parametrize(
    "extra",
    [
        "15/04/2024",  # a second date: which one is the birth date?
        "30",  # a bare number is not taken for a ranking
    ],
)
def test_ambiguous_unlabelled_values_are_left_alone(extra: str) -> None:
    lines = [line(0.21, 0.11, "LICENCE 2025/2026"), line(0.51, 0.36, "02/03/1963")]
    reading = SPEC.read([*lines, line(0.70, 0.36, extra)])
    if "/" in extra:
        assert reading.fields["birth_date"].value is None
    assert reading.fields["ranking"].value is None
