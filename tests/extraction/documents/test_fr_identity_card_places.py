from dataclasses import replace

from extraction.documents.fr_identity_card import SPEC
from extraction.models import FieldStatus
from extraction.text import TextLine
from tests.extraction.documents.test_fr_identity_card import TODAY, card_2021, td1

LABELS = ("LIEU DE NAISSANCE / Place of birth", "DATE DE NAISS. / Date of birth")


def unlabelled(lines: list[TextLine]) -> list[TextLine]:
    nationality = TextLine("FRA", 0.99, 0.5, 0.425, 0.56, 0.455)  # on the birth date's row
    return [line for line in lines if line.text not in LABELS] + [nationality]


def test_a_2021_birth_place_whose_labels_went_unread_lies_between_the_date_rows():
    reading = SPEC.read(unlabelled(card_2021()))
    SPEC.check(reading, today=TODAY)
    assert reading.fields["birth_place"].value == "SAINT-ÉTIENNE"
    assert reading.fields["birth_place"].status is not FieldStatus.VALID  # found by position


def test_the_value_sized_box_is_taken_over_a_garbled_label_between_the_rows():
    label = TextLine("LHU DE NASSA", 0.62, 0.33, 0.485, 0.45, 0.5)  # smaller print, measured
    reading = SPEC.read([*unlabelled(card_2021()), label])
    assert reading.fields["birth_place"].value == "SAINT-ÉTIENNE"


def test_a_garbled_bilingual_label_is_no_place_whatever_its_print() -> None:
    # Measured on a hard photo: the label read past recognition, as tall as the values, and
    # the place itself unread.
    card = unlabelled(card_2021())
    place = next(line for line in card if line.text == "SAINT-ÉTIENNE")
    lines = [line for line in card if line is not place] + [
        replace(place, text="ANCE/ PLACE DR BITH")
    ]
    assert SPEC.read(lines).fields["birth_place"].value is None


def test_without_a_checked_birth_date_no_place_is_guessed_by_position():
    first, second, third = td1()
    broken = second[:2] + ("1" if second[2] != "1" else "2") + second[3:]
    reading = SPEC.read(unlabelled(card_2021(mrz=(first, broken, third))))
    assert reading.fields["birth_place"].value is None
    no_issue = [line for line in unlabelled(card_2021()) if line.text != "05 07 2021"]
    assert SPEC.read(no_issue).fields["birth_place"].value is None


def test_a_place_under_a_read_birth_label_is_still_found_as_before():
    lines = [
        replace(line, text="LIEU DE NAISSANCE /") if line.text == LABELS[0] else line
        for line in card_2021()
    ]
    assert SPEC.read(lines).fields["birth_place"].value == "SAINT-ÉTIENNE"


def test_a_2021_place_is_never_taken_from_the_row_under_the_birth_date_label():
    # Measured: "LIEU DE" cut off its label, the nationality under "Date of birth" was taken.
    lines = [
        replace(line, text="NAISSANCE / Place of birth", x0=0.4) if line.text == LABELS[0] else line
        for line in unlabelled(card_2021())
    ]
    lines = [line for line in lines if line.text != "SAINT-ÉTIENNE"]
    lines.append(TextLine("ANGERS", 0.99, 0.3, 0.52, 0.45, 0.55))  # left of the cut label
    reading = SPEC.read(
        [*lines, TextLine("DATE DE NAISS. / Date of birth", 0.9, 0.68, 0.38, 0.93, 0.41)]
    )
    assert reading.fields["birth_place"].value == "ANGERS"
