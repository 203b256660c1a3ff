from __future__ import annotations

from functools import cache

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction import ocr
from extraction.orientation import order_corners, rotate_quads, rotate_quarter

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


def box(x: float, y: float, width: float, height: float) -> np.ndarray:
    return np.array([[x, y], [x + width, y], [x + width, y + height], [x, y + height]], np.float32)


def test_fine_print_and_specks_are_not_worth_reading() -> None:
    body = [box(10, 40 * row, 300, 30) for row in range(5)]
    fine_print = box(10, 300, 400, 10)  # a third of the usual height: a legal notice
    speck = box(400, 10, 12, 30)  # narrower than half its height
    kept = ocr._worth_reading([*body, fine_print, speck])
    assert [quad.tolist() for quad in kept] == [quad.tolist() for quad in body]
    assert ocr._worth_reading([]) == []
