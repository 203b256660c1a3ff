from __future__ import annotations

import numpy as np
import pytest

from extraction.text_blocks import level_block, line_direction, split_by_direction


def line(x: float, y: float, length: float, degrees: float, height: float = 20) -> np.ndarray:
    """A text quad (tl, tr, br, bl) starting at (x, y), running at `degrees` (clockwise)."""
    along = np.array([np.cos(np.radians(degrees)), np.sin(np.radians(degrees))]) * length
    across = np.array([-np.sin(np.radians(degrees)), np.cos(np.radians(degrees))]) * height
    start = np.array([x, y])
    return np.array([start, start + along, start + along + across, start + across], np.float32)


def test_directions_are_read_modulo_half_a_turn() -> None:
    assert line_direction(line(0, 0, 200, 30)) == pytest.approx(30, abs=0.1)
    assert line_direction(line(0, 0, 200, -30)) == pytest.approx(150, abs=0.1)


def test_a_document_and_a_letter_at_another_angle_make_two_blocks() -> None:
    document = [line(100, 100 + 40 * row, 300, 8) for row in range(8)]
    letter = [line(900, 100 + 40 * row, 600, 70) for row in range(12)]

    blocks = split_by_direction(document + letter)

    assert len(blocks) == 2
    by_size = sorted(blocks, key=lambda block: len(block[1]))
    assert by_size[0][0] == pytest.approx(8, abs=5) and len(by_size[0][1]) == 8
    assert by_size[1][0] == pytest.approx(70, abs=5) and len(by_size[1][1]) == 12


def test_a_card_of_short_lines_beside_long_letters_is_a_block_of_its_own() -> None:
    card = [line(100, 100 + 30 * row, 120, 175) for row in range(10)]  # 6% of the text length
    letters = [line(900, 100 + 40 * row, 900, 50) for row in range(12)]
    letters += [line(900, 900 + 40 * row, 900, 85) for row in range(10)]

    blocks = split_by_direction(card + letters)

    assert len(blocks) == 3
    assert any(len(block) == 10 and abs(direction - 177.5) <= 5 for direction, block in blocks)


def test_a_one_digit_box_goes_with_the_lines_beside_it_whatever_its_direction() -> None:
    card = [line(100, 100 + 30 * row, 200, 5) for row in range(8)]
    digit = line(330, 130, 14, 5, height=22)  # taller than wide: it reads as running upright
    letter = [line(900, 100 + 40 * row, 900, 100) for row in range(12)]

    blocks = split_by_direction([*card, digit, *letter])

    card_block = next(block for direction, block in blocks if abs(direction - 5) <= 5)
    assert any(quad is digit for quad in card_block)


def test_a_few_stray_lines_make_no_block() -> None:
    strays = [line(100, 100 + 30 * row, 120, 175) for row in range(3)]
    letter = [line(900, 100 + 40 * row, 900, 50) for row in range(12)]

    assert len(split_by_direction(strays + letter)) == 1


def test_a_block_is_turned_level_and_cropped_to_its_lines() -> None:
    image = np.zeros((1000, 1400, 3), np.uint8)
    step = 50 * np.array([-np.sin(np.radians(20)), np.cos(np.radians(20))])
    block = [line(*(np.array([300, 200]) + row * step), 400, 20) for row in range(5)]

    level, moved = level_block(image, block, 20.0)

    for quad in moved:
        assert quad[1][1] == pytest.approx(quad[0][1], abs=1.5)  # the top side runs level
    assert level.shape[1] == pytest.approx(400 * 1.06 + 8, abs=30)
    corners = np.concatenate(moved)
    assert corners.min() >= 0 and corners[:, 0].max() <= level.shape[1]
