from __future__ import annotations

from functools import cache
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docgen.canvas import Card
from extraction import ocr
from extraction.orientation import order_corners, rotate_quads, rotate_quarter
from extraction.text import TextLine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
PRINTED = ("REPUBLIQUE FRANCAISE", "NOM : MARTIN", "PRENOMS : CLAIRE ANNE", "NE LE 14.07.1991")
MRZ = ("IDFRAMARTIN<<<<<<<<<<<<<<<<<<<<750123", "1907750123456CLAIRE<<ANNE<9107145F8")


@cache
def card() -> np.ndarray:
    """A 1200×760 light card: four printed lines and a two-line MRZ in a monospace font."""
    image = Image.new("RGB", (1200, 760), (236, 240, 246))
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(FONT, 40)
    for index, text in enumerate(PRINTED):
        draw.text((50, 40 + index * 90), text, font=face, fill=(25, 25, 30))
    mono = ImageFont.truetype(MONO, 36)
    for index, text in enumerate(MRZ):
        draw.text((40, 560 + index * 70), text, font=mono, fill=(20, 20, 20))
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def texts(page: ocr.OcrPage) -> list[str]:
    return [line.text for line in page.lines]


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_a_card_is_turned_upright_whatever_its_quarter_turn(turns: int) -> None:
    photo = rotate_quarter(card(), turns)

    page = ocr.read_document(photo, page=1)

    assert page.rotation == (360 - 90 * turns) % 360
    assert page.image.shape[:2] == card().shape[:2]
    assert "NOM : MARTIN" in texts(page)
    assert all(line.page == 1 for line in page.lines)


def test_lines_are_placed_in_document_coordinates_top_to_bottom() -> None:
    page = ocr.read_document(card())

    titles = [line for line in page.lines if line.text == "REPUBLIQUE FRANCAISE"]
    assert titles and titles[0].y1 < 0.15 and titles[0].x0 < 0.1
    assert all(0 <= line.x0 < line.x1 <= 1 and 0 <= line.y0 < line.y1 <= 1 for line in page.lines)
    assert [line.center_y for line in page.lines] == sorted(line.center_y for line in page.lines)


def test_mrz_lines_are_read_whole_with_their_fillers() -> None:
    page = ocr.read_document(rotate_quarter(card(), 2))

    mrz = [line.text for line in page.lines if ocr.looks_like_mrz(line.text)]
    assert mrz == list(MRZ)


def test_a_slanted_card_is_deskewed() -> None:
    image = card()
    matrix = cv2.getRotationMatrix2D((600, 380), 6, 1.0)
    slanted = cv2.warpAffine(image, matrix, (1200, 760), borderValue=(236, 240, 246))

    page = ocr.read_document(slanted)

    assert "NOM : MARTIN" in texts(page)
    assert page.rotation == 0


def test_a_blank_page_says_no_text_was_found() -> None:
    page = ocr.read_document(np.full((600, 900, 3), 235, np.uint8))

    assert page.lines == []
    assert [finding.code for finding in page.findings] == ["no_text_found"]


def test_quads_follow_their_image_through_quarter_turns() -> None:
    image = np.zeros((100, 200, 3), np.uint8)
    quad = np.array([[10, 20], [60, 20], [60, 30], [10, 30]], dtype=np.float32)
    image[20:30, 10:60] = 255
    for turns in (1, 2, 3):
        turned = rotate_quarter(image, turns)
        (moved,) = rotate_quads([quad], turns, image.shape)
        ys, xs = np.nonzero(turned[:, :, 0])
        assert moved[:, 0].min() == pytest.approx(xs.min(), abs=1)
        assert moved[:, 1].min() == pytest.approx(ys.min(), abs=1)
        assert moved[:, 0].max() == pytest.approx(xs.max() + 1, abs=1)


def test_corners_are_ordered_from_the_top_left_clockwise() -> None:
    shuffled = np.array([[60, 30], [10, 20], [10, 30], [60, 20]], dtype=np.float32)

    assert order_corners(shuffled).tolist() == [[10, 20], [60, 20], [60, 30], [10, 30]]


def test_mrz_text_is_told_from_printed_text() -> None:
    assert ocr.looks_like_mrz("P<FRADUPONT<<MARIE<<<<<<<<<<<<<<<<<<<<<<<<<")
    assert not ocr.looks_like_mrz("REPUBLIQUE FRANCAISE")
    assert not ocr.looks_like_mrz("AB-123-CD")


def upside_down_zone_among_papers() -> np.ndarray:
    """Eight long upright lines of a letter and, under them, an MRZ turned by 180 degrees."""
    image = Image.new("RGB", (1200, 1100), (236, 240, 246))
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(FONT, 40)
    for index in range(8):  # a letter's lines, upright and longer than the card's print
        draw.text((40, 30 + index * 70), "MONSIEUR VEUILLEZ AGREER NOS SALUTATIONS", font=face)
    mono = ImageFont.truetype(MONO, 36)
    zone = Image.new("RGB", (900, 180), (236, 240, 246))
    for index, text in enumerate(MRZ):
        ImageDraw.Draw(zone).text((20, 20 + index * 70), text, font=mono, fill=(20, 20, 20))
    image.paste(zone.rotate(180), (60, 700))
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def test_a_card_lying_upside_down_among_upright_papers_is_turned_over_for_its_mrz() -> None:
    page = ocr.read_document(upside_down_zone_among_papers())

    assert [line.text for line in page.lines if ocr.looks_like_mrz(line.text)] == list(MRZ)
    assert page.rotation == 180


def test_only_runs_of_turned_fillers_mean_an_upside_down_zone() -> None:
    flipped = ocr.Recognition(">>>>>>>>>>>>>>>>03H⊥∀W>>73HJIW", 0.94)  # measured
    upright = ocr.Recognition(MRZ[0], 0.99)
    prose = ocr.Recognition("PRIX > 100 EUR >> VOIR", 0.98)
    assert ocr._mrz_upside_down([flipped])
    assert not ocr._mrz_upside_down([flipped, upright])
    assert not ocr._mrz_upside_down([prose])


def _on_table(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`image` in the middle of a plain grey table of `size` (width, height)."""
    table = np.full((size[1], size[0], 3), 120, np.uint8)
    top, left = (size[1] - image.shape[0]) // 2, (size[0] - image.shape[1]) // 2
    table[top : top + image.shape[0], left : left + image.shape[1]] = image
    return table


def _mrz_like(lines: list[TextLine]) -> ocr.Likeness:
    mrz = any(ocr.looks_like_mrz(line.text) for line in lines)
    return mrz, float(mrz), len(lines)


def test_text_running_nearly_upright_is_found_on_a_quarter_turned_copy() -> None:
    table = _on_table(card(), (1700, 1700))
    matrix = cv2.getRotationMatrix2D((850, 850), 72, 1.0)
    steep = cv2.warpAffine(table, matrix, (1700, 1700), borderValue=(120, 120, 120))

    page = ocr.read_text_blocks(steep, likeness=_mrz_like)

    assert "PRENOMS : CLAIRE ANNE" in texts(page)
    assert page.rotation == 90
    assert [line.text for line in page.lines if ocr.looks_like_mrz(line.text)] == list(MRZ)


def _letter(size: tuple[int, int], font_size: int, rows: int, step: int) -> np.ndarray:
    """A letter's page: `rows` lines of a polite formula, `step` px apart."""
    page = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(FONT, font_size)
    for row in range(rows):
        text = "Madame, Monsieur, nous vous prions d'agréer nos salutations"
        draw.text((30, 25 + step * row), text, font=face, fill=(30, 30, 30))
    return cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR)


def _card_by_turned_letter(
    letter: np.ndarray,
    side: int,
    letter_at: tuple[int, int],
    angle: float,
    card_at: tuple[int, int],
) -> np.ndarray:
    """A square photo of a table: `letter` turned by `angle` about its centre, the card level."""
    table = np.full((side, side, 3), 120, np.uint8)
    (top, left), (height, width) = letter_at, letter.shape[:2]
    table[top : top + height, left : left + width] = letter
    matrix = cv2.getRotationMatrix2D((left + width / 2, top + height / 2), angle, 1.0)
    photo = cv2.warpAffine(table, matrix, (side, side), borderValue=(120, 120, 120))
    (y, x), (card_height, card_width) = card_at, card().shape[:2]
    photo[y : y + card_height, x : x + card_width] = card()
    return photo


def test_a_card_holding_a_small_share_of_the_text_is_still_a_block() -> None:
    """A letter in big print lying nearly upright beside the card holds ~85% of the photo's
    text length: the card's few lines still make a block of their own, and win."""
    letter = _letter((1700, 1400), 44, rows=14, step=92)
    photo = _card_by_turned_letter(letter, 2400, (0, 350), 80, (1550, 600))

    page = ocr.read_text_blocks(photo, likeness=_mrz_like)

    assert [line.text for line in page.lines if ocr.looks_like_mrz(line.text)] == list(MRZ)


_CARD = (
    np.array([[100, 100], [500, 100], [500, 130], [100, 130]], np.float32),
    np.array([[100, 200], [500, 200], [500, 230], [100, 230]], np.float32),
)
_LETTER = tuple(
    np.array([[50, y], [650, y], [650, y + 40], [50, y + 40]], np.float32) for y in (300, 400, 500)
)
_PHOTO = (800, 1000, 3)


class _TwoViews:
    """A detector that sees level text well: on the photo (landscape) a card's two lines and
    a stub of a letter lying upright; on the photo turned a quarter (portrait) the letter's
    three lines and the card's second line again."""

    def detect(self, image: np.ndarray, *, max_side: int) -> list[np.ndarray]:
        if image.shape[1] > image.shape[0]:
            stub = np.array([[900, 50], [930, 50], [930, 300], [900, 300]], np.float32)
            return [*_CARD, stub]
        return [*_LETTER, *rotate_quads(_CARD[1:], 1, _PHOTO)]


def test_lines_only_the_other_view_saw_level_are_added() -> None:
    reader: Any = _TwoViews()

    photo = np.zeros(_PHOTO, np.uint8)
    quads = ocr._with_turned_view(reader, photo, reader.detect(photo, max_side=1152))

    # The turned view shows more text and is kept, brought back onto the photo…
    letter = rotate_quads(_LETTER, 3, (1000, 800, 3))
    assert [quad.tolist() for quad in quads[:3]] == [quad.tolist() for quad in letter]
    # …with the card's first line, which only the photo's own view saw; its second line is
    # there once, and the letter's stub, which the turned view saw whole, is not added.
    assert [quad.tolist() for quad in quads[4:]] == [_CARD[0].tolist()]
    assert len(quads) == 5


def test_a_block_surely_a_document_ends_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """The card's short lines are previewed first; its MRZ settles it, so the long letter
    lying at another angle is never read."""
    letter = _letter((1500, 700), 34, rows=8, step=80)
    photo = _card_by_turned_letter(letter, 2000, (100, 250), 30, (1100, 400))
    read: list[str] = []
    recognize = type(ocr.engine()).recognize

    def spy(self: Any, crops: Any) -> Any:
        readings = recognize(self, crops)
        read.extend(reading.text for reading in readings)
        return readings

    monkeypatch.setattr(type(ocr.engine()), "recognize", spy)

    page = ocr.read_text_blocks(photo, likeness=_mrz_like)

    assert [line.text for line in page.lines if ocr.looks_like_mrz(line.text)] == list(MRZ)
    assert not any("salutations" in text for text in read)


def test_a_card_lying_level_among_steep_papers_needs_no_second_detection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Most of the photo's text (a letter at 70 degrees) runs steep, but the card's level lines
    already hold a known document: the photo is not detected again turned a quarter."""
    letter = _letter((1500, 900), 40, rows=10, step=85)
    photo = _card_by_turned_letter(letter, 2400, (200, 900), 70, (1550, 100))
    detect = type(ocr.engine()).detect
    shapes: list[tuple[int, ...]] = []

    def spy(self: Any, image: np.ndarray, *, max_side: int) -> Any:
        shapes.append(image.shape)
        return detect(self, image, max_side=max_side)

    monkeypatch.setattr(type(ocr.engine()), "detect", spy)

    page = ocr.read_text_blocks(photo, likeness=_mrz_like)

    assert [line.text for line in page.lines if ocr.looks_like_mrz(line.text)] == list(MRZ)
    assert len(shapes) == 1
    # The letter's text is most of the photo's: without the card, the photo is turned.
    shapes.clear()
    without_card = photo.copy()
    without_card[1550:, :1300] = 120
    ocr.read_text_blocks(without_card, likeness=_mrz_like)
    assert len(shapes) == 2


def test_steep_text_is_measured_by_its_length() -> None:
    level = np.array([[0, 0], [300, 0], [300, 20], [0, 20]], np.float32)
    upright = np.array([[20, 0], [20, 100], [0, 100], [0, 0]], np.float32)

    assert ocr._steep_share([level, upright]) == pytest.approx(0.25)
    assert ocr._steep_share([level]) == 0.0


def test_a_card_lying_head_to_tail_with_a_longer_letter_is_read_upright() -> None:
    letter = Image.new("RGB", (1200, 500), (250, 250, 250))
    draw = ImageDraw.Draw(letter)
    face = ImageFont.truetype(FONT, 34)
    for row in range(5):
        draw.text(
            (30, 30 + 90 * row),
            "Madame, Monsieur, veuillez agréer nos salutations",
            font=face,
            fill=(30, 30, 30),
        )
    upside_down_letter = cv2.cvtColor(np.asarray(letter.rotate(180)), cv2.COLOR_RGB2BGR)
    photo = np.concatenate([card(), upside_down_letter])

    page = ocr.read_text_blocks(_on_table(photo, (1400, 1400)), likeness=_mrz_like)

    assert "NOM : MARTIN" in texts(page)


def test_a_line_keeps_its_slope_in_document_units() -> None:
    from extraction.ocr_engines import Recognition

    climbing = np.array([[20, 60], [180, 44], [180, 54], [20, 70]], np.float32)  # 16 px up
    line = ocr._text_line(climbing, Recognition("C.1 MARTIN", 0.9), (100, 200), 0)

    # 0.16 of the height up over 0.8 of the width
    assert line.slope == pytest.approx(-0.2, abs=1e-3)


def test_a_card_head_to_tail_with_a_long_letter_is_previewed_past_the_letter() -> None:
    letter = Image.new("RGB", (1200, 900), (250, 250, 250))
    draw = ImageDraw.Draw(letter)
    face = ImageFont.truetype(FONT, 30)
    for row in range(15):
        text = "Madame, Monsieur, nous vous prions d'agréer nos salutations"
        draw.text((30, 20 + 58 * row), text, font=face, fill=(30, 30, 30))
    upside_down_letter = cv2.cvtColor(np.asarray(letter.rotate(180)), cv2.COLOR_RGB2BGR)
    photo = np.concatenate([card(), upside_down_letter])

    page = ocr.read_text_blocks(_on_table(photo, (1400, 1800)), likeness=_mrz_like)

    assert "PRENOMS : CLAIRE ANNE" in texts(page)


def test_a_line_is_cut_into_words_at_blanks_wider_than_letter_spacing() -> None:
    crop = np.full((40, 300), 240, np.uint8)
    for left, right in ((10, 40), (44, 80), (110, 150), (200, 260)):  # 4 px: inside a word
        crop[10:30, left:right] = 20
    words = ocr.split_words(crop)
    assert [word.shape[1] for word in words] == [80, 50, 70]  # each with a 5 px margin
    assert ocr.split_words(np.full((40, 300), 240, np.uint8)) == []


@cache
def mixed_line() -> tuple[np.ndarray, TextLine]:
    """A plate printed in both scripts, as a Tunisian carte grise prints it."""
    card = Card(120, 8, 250, Image.new("RGB", (1181, 79), "white"))
    width = card.text(2, 2.0, "185 TU 5980   185 تونس 5980", 3.0, direction="ltr")
    image = cv2.cvtColor(np.asarray(card.image), cv2.COLOR_RGB2BGR)
    return image, TextLine("185 80", 0.77, 2 / 120, 2.4 / 8, (2 + width) / 120, 4.6 / 8)


def test_a_line_mixing_scripts_is_read_again_word_by_word() -> None:
    image, line = mixed_line()
    words = [word.text for word in ocr.read_words(image, line) if word.confidence >= 0.5]
    assert words[:3] == ["185", "TU", "5980"]
    assert "5980" in words[3:]


def box(x: float, y: float, width: float, height: float) -> np.ndarray:
    return np.array([[x, y], [x + width, y], [x + width, y + height], [x, y + height]], np.float32)


def test_fine_print_and_specks_are_not_worth_reading() -> None:
    body = [box(10, 40 * row, 300, 30) for row in range(5)]
    fine_print = box(10, 300, 400, 10)  # a third of the usual height: a legal notice
    speck = box(400, 10, 12, 30)  # narrower than half its height
    kept = ocr._worth_reading([*body, fine_print, speck])
    assert [quad.tolist() for quad in kept] == [quad.tolist() for quad in body]
    assert ocr._worth_reading([]) == []
