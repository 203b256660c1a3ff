"""A French certificate found by its print when its outline was not: cut out and read again.

When the card's edges cannot be told from the papers around it (a pale card on a white letter,
a corner out of the frame), the whole photo is read and the card is one block of it, small,
tilted and in perspective: the detector misses its smaller values and the code boxes, and the
form's slots fit it only roughly. The lines whose place on the form is known
(`fr_vehicle_template.FormFit`) still say where the card lies: the perspective map through
them (or the affine fit, when too few agree on one) cuts the card out of the page and draws it
flat at the size an outlined card is read at, to be read again like one.
"""

from __future__ import annotations

import cv2
import numpy as np

from extraction.documents.fr_vehicle_template import FormFit

# Pixels per millimetre of the card drawn flat: an outlined card's size (1800 px across 210 mm).
FLAT_PX_PER_MM = 1800 / 210
# A perspective map needs this many points agreeing within this much (mm); below, the affine
# fit is used.
MIN_PERSPECTIVE_POINTS = 6
PERSPECTIVE_TOLERANCE_MM = 2.5
# The card must cover at least this many page pixels across (a block smaller than that holds
# nothing legible, whatever its map).
MIN_CARD_WIDTH_PX = 300


def reframe(
    image: np.ndarray, fit: FormFit, *, width_mm: float, height_mm: float
) -> np.ndarray | None:
    """The form's `width_mm` × `height_mm` cut out of `image` (the page `fit` was made on) and
    drawn flat, upright, at `FLAT_PX_PER_MM`; None when the page already is the card or the
    card would be too small in it to gain anything."""
    if fit.page_is_form():
        return None
    height, width = image.shape[:2]
    to_pixels = np.diag([float(width), float(height), 1.0])
    page_to_form = _perspective(fit, to_pixels)
    if page_to_form is None:
        page_to_form = np.vstack([fit.matrix, [0.0, 0.0, 1.0]]) @ np.linalg.inv(to_pixels)
    if abs(np.linalg.det(page_to_form)) < 1e-12:
        return None
    corners = np.array(
        [[0, 0], [width_mm, 0], [width_mm, height_mm], [0, height_mm]], dtype=np.float64
    )
    on_page = cv2.perspectiveTransform(corners[None], np.linalg.inv(page_to_form))[0]
    top, bottom = np.linalg.norm(on_page[1] - on_page[0]), np.linalg.norm(on_page[2] - on_page[3])
    if not np.isfinite(on_page).all() or (top + bottom) / 2 < MIN_CARD_WIDTH_PX:
        return None
    if not cv2.isContourConvex(on_page.astype(np.float32)):
        return None
    scale = np.diag([FLAT_PX_PER_MM, FLAT_PX_PER_MM, 1.0])
    size = (round(width_mm * FLAT_PX_PER_MM), round(height_mm * FLAT_PX_PER_MM))
    return cv2.warpPerspective(
        image,
        scale @ page_to_form,
        size,
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(255, 255, 255),
    )


def _perspective(fit: FormFit, to_pixels: np.ndarray) -> np.ndarray | None:
    """The perspective map (3×3) from page pixels to the form's millimetres through the fit's
    points (RANSAC), when more of them agree with it than with the affine fit."""
    if len(fit.page_points) < MIN_PERSPECTIVE_POINTS:
        return None
    page = np.hstack([fit.page_points, np.ones((len(fit.page_points), 1))]) @ to_pixels.T
    matrix, mask = cv2.findHomography(
        page[:, :2].astype(np.float32),
        fit.form_points.astype(np.float32),
        cv2.RANSAC,
        PERSPECTIVE_TOLERANCE_MM,
    )
    if matrix is None or mask is None:
        return None
    affine = np.hstack([fit.page_points, np.ones((len(fit.page_points), 1))]) @ fit.matrix.T
    affine_agree = int(
        (np.linalg.norm(affine - fit.form_points, axis=1) <= PERSPECTIVE_TOLERANCE_MM).sum()
    )
    agree = int(mask.sum())
    if agree < max(MIN_PERSPECTIVE_POINTS, affine_agree):
        return None
    result: np.ndarray = matrix
    return result
