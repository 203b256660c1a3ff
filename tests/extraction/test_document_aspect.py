from __future__ import annotations

import math

import numpy as np

from extraction.document_aspect import aspect_score, nearest_format, side_lengths

PHOTO = (3000, 4000)


def pictured(
    width: float, height: float, *, tilt_deg: float, at: tuple[float, float]
) -> np.ndarray:
    """Corners tl, tr, br, bl of a `width`×`height` rectangle tilted about its horizontal axis,
    seen by a pinhole camera (focal 3200 px) aimed at its centre, landing at `at` in the photo."""
    tilt = math.radians(tilt_deg)
    corners = []
    for x, y in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px, py = x * width / 2, y * height / 2
        depth = 4 * max(width, height) + py * math.sin(tilt)
        corners.append((3200 * px / depth + at[0], 3200 * py * math.cos(tilt) / depth + at[1]))
    return np.array(corners, dtype=np.float32)


def test_a_card_seen_at_a_slant_is_still_an_id1_card() -> None:
    card = pictured(856, 540, tilt_deg=40, at=(2000, 1500))
    width, height = side_lengths(card)
    assert abs(math.log(width / height / 1.586)) > 0.15  # squatter than it is

    known, distance = nearest_format(card, PHOTO)

    assert known == 1.586
    assert distance < 0.02
    assert aspect_score(card, PHOTO) > 0.95


def test_the_document_centre_stands_for_the_principal_point_when_aimed_at() -> None:
    card = pictured(856, 540, tilt_deg=40, at=(1200, 900))

    known, distance = nearest_format(card, PHOTO)

    assert (known, round(distance, 2)) == (1.586, 0.0)


def test_a_square_is_no_known_format_from_any_angle() -> None:
    for tilt in (0, 25, 40):
        square = pictured(600, 600, tilt_deg=tilt, at=(2000, 1500))

        assert aspect_score(square, PHOTO) < 0.2


def test_a_frontal_rectangle_keeps_its_measured_ratio() -> None:
    page = np.array([[100, 100], [2100, 100], [2100, 1100], [100, 1100]], dtype=np.float32)

    known, distance = nearest_format(page, PHOTO)

    assert known == 2.0
    assert distance < 1e-6
