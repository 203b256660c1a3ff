"""Where the document lands in the photo: a pinhole camera looking at a tilted, rotated card,
then pasting a flat picture onto a quadrilateral of the frame."""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

# BGR uint8 images; OpenCV's stubs type its results loosely, hence Any.
Array = npt.NDArray[Any]
Quad = npt.NDArray[Any]


def projected_quad(
    width: float, height: float, *, roll_deg: float, tilt_x_deg: float, tilt_y_deg: float
) -> Quad:
    """Corners tl, tr, br, bl of a `width`×`height` card rotated in-plane by `roll_deg`, tilted
    about the camera's x and y axes, seen through a ~65° lens; origin-centred, arbitrary scale."""
    corners = np.array(
        [
            [-width / 2, -height / 2, 0],
            [width / 2, -height / 2, 0],
            [width / 2, height / 2, 0],
            [-width / 2, height / 2, 0],
        ],
        dtype=np.float64,
    )
    r, a, b = (math.radians(v) for v in (roll_deg, tilt_x_deg, tilt_y_deg))
    roll = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    about_x = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    about_y = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    points = corners @ (about_y @ about_x @ roll).T
    distance = 1.6 * max(width, height)
    projected = points[:, :2] * distance / (points[:, 2:3] + distance)
    return np.asarray(projected, dtype=np.float64)


def fit_quad(
    quad: Quad,
    frame_w: int,
    frame_h: int,
    *,
    coverage: float,
    margin: float,
    jitter: tuple[float, float],
) -> Quad:
    """Scale `quad` so its bounding box covers `coverage` of the frame's limiting side, then place
    it at relative position `jitter` (0..1 each) of the free room, keeping `margin` px clear."""
    low, high = quad.min(axis=0), quad.max(axis=0)
    size = high - low
    scale = coverage * min((frame_w - 2 * margin) / size[0], (frame_h - 2 * margin) / size[1])
    scaled = (quad - low) * scale
    room = np.array([frame_w - 2 * margin, frame_h - 2 * margin]) - size * scale
    offset = margin + np.maximum(room, 0) * np.asarray(jitter)
    return np.asarray(scaled + offset, dtype=np.float64)


def paste_quad(frame: Array, picture: Array, quad: Quad) -> None:
    """Warp `picture` (BGR) onto `quad` (tl, tr, br, bl) of `frame`, in place, touching only the
    quad's bounding box, with anti-aliased edges. Downscales first (area filter) so small
    documents do not alias."""
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int) + 1
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, frame.shape[1]), min(y1, frame.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    h, w = picture.shape[:2]
    edge = max(
        np.linalg.norm(quad[1] - quad[0]),
        np.linalg.norm(quad[2] - quad[1]),
        np.linalg.norm(quad[3] - quad[2]),
        np.linalg.norm(quad[0] - quad[3]),
    )
    shrink = min(1.0, 1.25 * edge / max(w, h))
    if shrink < 0.9:
        picture = cv2.resize(
            picture,
            (max(2, round(w * shrink)), max(2, round(h * shrink))),
            interpolation=cv2.INTER_AREA,
        )
        h, w = picture.shape[:2]
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    target = (quad - np.array([x0, y0])).astype(np.float32)
    homography = cv2.getPerspectiveTransform(source, target)
    roi = np.ascontiguousarray(frame[y0:y1, x0:x1])
    mask = np.zeros((y1 - y0, x1 - x0), dtype=np.uint8)
    cv2.fillConvexPoly(mask, np.round(target * 16).astype(np.int32), 255, cv2.LINE_AA, 4)
    warped = cv2.warpPerspective(
        picture,
        homography,
        (x1 - x0, y1 - y0),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    alpha = mask.astype(np.float32) * np.float32(1 / 255)
    frame[y0:y1, x0:x1] = cv2.blendLinear(warped, roi, alpha, np.float32(1) - alpha)


def rotated_rect_quad(
    width: float, height: float, center: tuple[float, float], angle_deg: float
) -> Quad:
    """Corners tl, tr, br, bl of a `width`×`height` rectangle turned by `angle_deg` (centred)."""
    t = math.radians(angle_deg)
    cos, sin = math.cos(t), math.sin(t)
    half = np.array(
        [
            [-width / 2, -height / 2],
            [width / 2, -height / 2],
            [width / 2, height / 2],
            [-width / 2, height / 2],
        ]
    )
    rotated = half @ np.array([[cos, sin], [-sin, cos]])
    return np.asarray(rotated + np.asarray(center), dtype=np.float64)
