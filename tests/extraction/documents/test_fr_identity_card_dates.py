from datetime import date

from extraction.documents.fr_identity_card import SPEC
from extraction.documents.fr_identity_card_dates import dates_by_rule, validity_ends
from extraction.models import FieldStatus
from extraction.text import TextLine
from tests.extraction.docgen_lines import rendered_lines
from tests.extraction.documents.test_fr_identity_card import TODAY, card_2021

DATE_LABELS = ("DATE DE DÉLIVRANCE / Date of issue", "DATE D'EXPIR. / Expiry date")


def test_a_2021_issue_date_whose_label_was_lost_is_the_date_ten_years_before_the_expiry():
    lines = [line for line in card_2021() if line.text not in DATE_LABELS]
    reading = SPEC.read(lines)
    SPEC.check(reading, today=TODAY)
    assert reading.fields["issue_date"].value == "2021-07-05"  # the MRZ expiry is 2031-07-04
    assert reading.fields["issue_date"].status is FieldStatus.VALID


def test_a_date_the_validity_rule_does_not_tie_to_the_expiry_is_not_taken_for_the_issue():
    lines = [
        TextLine("05 07 2020", line.confidence, line.x0, line.y0, line.x1, line.y1)
        if line.text == "05 07 2021"
        else line
        for line in card_2021()
        if line.text not in DATE_LABELS
    ]
    reading = SPEC.read(lines)
    assert reading.fields["issue_date"].value is None


def test_1995_dates_whose_labels_were_lost_pair_up_and_match_the_number():
    document, lines = rendered_lines("fr_identity_card", 1)
    assert document.variant == "1995"
    unlabelled = [line for line in lines if "valable" not in line.text and "le :" not in line.text]
    reading = SPEC.read(unlabelled)
    SPEC.check(reading, today=TODAY)
    for name in ("issue_date", "expiry_date"):
        assert reading.fields[name].value == document.fields[name]
    birth = reading.fields["birth_date"].value
    assert birth == document.fields["birth_date"]  # not mistaken for an issue date


def line(text: str, y: float) -> TextLine:
    return TextLine(text, 0.99, 0.5, y, 0.7, y + 0.03)


def test_1995_dates_need_both_the_number_month_and_a_partner():
    issue, expiry = line("08.07.2009", 0.6), line("07.07.2024", 0.65)  # 15 years, a day less
    found = dates_by_rule([issue, expiry], model="1995", number="090730000049", expiry=None)
    assert (found["issue_date"].text, found["expiry_date"].text) == ("08.07.2009", "07.07.2024")
    other_month = dates_by_rule([issue, expiry], model="1995", number="090830000049", expiry=None)
    assert other_month == {}
    alone = dates_by_rule([issue], model="1995", number="090730000049", expiry=None)
    assert alone == {}
    no_number = dates_by_rule([issue, expiry], model="1995", number=None, expiry=None)
    assert no_number == {}


def test_validity_ends_ten_years_on_and_fifteen_for_a_1995_card():
    assert validity_ends(date(2021, 7, 5), "2021") == {date(2031, 7, 5), date(2031, 7, 4)}
    assert date(2024, 2, 28) in validity_ends(date(2009, 2, 29 - 1), "1995")
    assert date(2024, 2, 28) not in validity_ends(date(2009, 2, 28), "2021")


def test_a_1995_expiry_whose_issue_date_went_unread_is_shown_as_a_guess():
    expiry = line("14.08.2009", 0.6)  # measured: the issue date beside it read "14.0819"
    found = dates_by_rule([expiry], model="1995", number="990830024556", expiry=None)
    assert found["expiry_date"].text == "14.08.2009" and found["expiry_date"].confidence <= 0.6
    assert "issue_date" not in found
    other = dates_by_rule([expiry], model="1995", number="990930024556", expiry=None)
    assert other == {}  # not 10 or 15 years after the number's month
    two = dates_by_rule(
        [expiry, line("14.08.2014", 0.7)], model="1995", number="990830024556", expiry=None
    )
    assert two == {}  # which one: nothing tells
