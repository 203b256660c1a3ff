from __future__ import annotations

from dataclasses import replace
from functools import cache

import cv2
import numpy as np
import pytest

from docgen.document import REFERENCE_DAY, RenderedDocument
from extraction import arabic
from extraction.documents.second_look import read_slot
from extraction.documents.tn_labels import LABELS
from extraction.documents.tn_second_look import SLOT_WIDTH, settle_reread, value_line
from extraction.documents.tn_vehicle_registration import SPEC
from extraction.documents.tn_vehicle_values import PARSERS
from extraction.layout import find_labels
from extraction.models import FieldStatus
from extraction.printed_values import GUESS_CONFIDENCE, Read
from extraction.text import TextLine
from tests.extraction.docgen_lines import rendered_lines

ARABIC_ONLY_ADDRESS = 6  # docgen seed of a card whose address is printed in Arabic only


@cache
def card(seed: int) -> tuple[RenderedDocument, np.ndarray, list[TextLine]]:
    document, lines = rendered_lines("tn_vehicle_registration", seed)
    image = cv2.cvtColor(np.asarray(document.image), cv2.COLOR_RGB2BGR)
    return document, image, lines


def as_ocr_reads(lines: list[TextLine], truth: dict[str, object]) -> list[TextLine]:
    """The lines as the Latin recogniser leaves them: the Arabic-only address unread, the
    plate's digits around `تونس` lost."""
    plate = str(truth["registration_number"])
    kept = [line for line in lines if line.text != truth["owner_address"]]
    return [
        TextLine("185 80", 0.77, line.x0, line.y0, line.x1, line.y1) if plate in line.text else line
        for line in kept
    ]


def test_a_reading_agreeing_with_the_first_is_the_surer_of_both() -> None:
    found = {"genre": Read("CAMIONNETTE", 0.8)}
    settle_reread(found, "genre", Read("CAMIONNETTE", 0.95))
    assert found["genre"] == Read("CAMIONNETTE", 0.95)


def test_a_reread_replaces_a_guess_but_only_doubts_a_surer_first_reading() -> None:
    guessed = {"registration_number": Read("185 TU 80", GUESS_CONFIDENCE)}
    settle_reread(guessed, "registration_number", Read("185 TU 5980", 0.99))
    assert guessed["registration_number"] == Read("185 TU 5980", 0.99)
    sure = {"registration_number": Read("185 TU 80", 0.99)}
    settle_reread(sure, "registration_number", Read("185 TU 5980", 0.9))
    assert sure["registration_number"] == Read("185 TU 5980", GUESS_CONFIDENCE)
    unchanged = dict(sure)
    settle_reread(unchanged, "registration_number", None)
    assert unchanged == sure


def test_only_a_value_in_its_own_box_has_a_line_to_read_again() -> None:
    label = TextLine("Genre", 0.99, 0.03, 0.5, 0.08, 0.52)
    value = TextLine("AMIONE", 0.77, 0.31, 0.5, 0.62, 0.52)
    elsewhere = TextLine("RENAULT", 0.99, 0.31, 0.6, 0.41, 0.62)
    lines = [label, value, elsewhere]
    assert value_line(find_labels(lines, LABELS), lines, "genre") is value
    inline = [TextLine("Genre : AMIONE", 0.9, 0.03, 0.5, 0.4, 0.52), elsewhere]
    assert value_line(find_labels(inline, LABELS), inline, "genre") is None


@pytest.mark.skipif(not arabic.available(), reason="tesseract-ocr-ara is not installed")
def test_the_arabic_only_address_and_the_whole_plate_are_read_from_the_image(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crops: list[np.ndarray] = []
    read_line = arabic.read_line

    def counted(crop: np.ndarray) -> str | None:
        crops.append(crop)
        return read_line(crop)

    monkeypatch.setattr(arabic, "read_line", counted)
    document, image, lines = card(ARABIC_ONLY_ADDRESS)
    reading = SPEC.read_pages(as_ocr_reads(lines, document.fields), [], [image])
    assert len(crops) == 1  # the address box alone: the one-word Arabic label is not read
    SPEC.check(reading, today=REFERENCE_DAY)
    address = reading.fields["owner_address"]
    assert address.value == document.fields["owner_address"]
    assert address.status is FieldStatus.WARNING  # nothing confirms the Arabic reading
    assert reading.fields["registration_number"].value == document.fields["registration_number"]


def test_without_the_arabic_model_the_address_is_missing_and_the_rest_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(arabic, "available", lambda: False)
    document, image, lines = card(ARABIC_ONLY_ADDRESS)
    reading = SPEC.read_pages(as_ocr_reads(lines, document.fields), [], [image])
    assert reading.fields["owner_address"].value is None
    assert reading.fields["registration_number"].value == document.fields["registration_number"]


def test_without_the_page_image_only_the_lines_are_read() -> None:
    document, _, lines = card(ARABIC_ONLY_ADDRESS)
    fields = SPEC.read(as_ocr_reads(lines, document.fields)).fields
    assert fields["owner_address"].value is None
    assert fields["registration_number"].value == "185 TU 80"  # the numbers only, a guess


def test_a_short_value_without_its_box_is_read_in_its_labels_slot_as_a_guess() -> None:
    document, image, lines = card(ARABIC_ONLY_ADDRESS)
    seats = str(document.fields["seats"])
    without = [line for line in as_ocr_reads(lines, document.fields) if line.text != seats]
    reading = SPEC.read_pages(without, [], [image])
    SPEC.check(reading, today=REFERENCE_DAY)
    assert reading.fields["seats"].value == document.fields["seats"]
    assert reading.fields["seats"].status is FieldStatus.WARNING
    assert SPEC.read(without).fields["seats"].value is None


def test_a_slot_holding_nothing_of_the_fields_shape_gives_nothing() -> None:
    _, image, _ = card(ARABIC_ONLY_ADDRESS)
    blank = np.full_like(image, 255)
    label = TextLine("Nombre de places", 0.99, 0.03, 0.5, 0.16, 0.52)
    assert read_slot([blank], label, PARSERS["seats"], width=SLOT_WIDTH) is None
    assert read_slot([], label, PARSERS["seats"], width=SLOT_WIDTH) is None  # no image of that page


def test_a_short_value_whose_box_and_label_went_unread_is_read_in_its_rows_blank() -> None:
    document, image, lines = card(ARABIC_ONLY_ADDRESS)
    seats = str(document.fields["seats"])
    without = [
        line
        for line in as_ocr_reads(lines, document.fields)
        if line.text not in (seats, "Nombre de places")
    ]
    reading = SPEC.read_pages(without, [], [image])
    SPEC.check(reading, today=REFERENCE_DAY)
    assert reading.fields["seats"].value == document.fields["seats"]
    assert reading.fields["seats"].status is FieldStatus.WARNING


@pytest.mark.skipif(not arabic.available(), reason="tesseract-ocr-ara is not installed")
def test_an_arabic_only_address_whose_label_was_lost_is_read_on_its_numbered_line() -> None:
    document, image, lines = card(ARABIC_ONLY_ADDRESS)
    address = str(document.fields["owner_address"])
    number = address.split()[0]
    unlabelled = [
        # The Latin recogniser reads the Arabic line's house number only.
        replace(line, text=f"uuigi {number}") if line.text == address else line
        for line in as_ocr_reads(lines, {**document.fields, "owner_address": None})
        if line.text not in ("Adresse", "العنوان")
    ]
    reading = SPEC.read_pages(unlabelled, [], [image])
    SPEC.check(reading, today=REFERENCE_DAY)
    assert reading.fields["owner_address"].value == address
    assert reading.fields["owner_address"].status is FieldStatus.WARNING
