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
