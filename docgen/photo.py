"""Camera effects: turn a flat document into a scan (`clean`), a phone photo on a table (`phone`)
or a bad photo (`hard`), and report where the document's corners ended up."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from docgen.canvas import to_bgr
from docgen.geometry import Quad, fit_quad, paste_quad, projected_quad, rotated_rect_quad
from docgen.scene import paper, table

# BGR uint8 images; OpenCV's stubs type its results loosely, hence Any.
Array = npt.NDArray[Any]

# Phone sensor sizes (4:3): 12 MP down to 2 MP.
_PHONE_FRAMES = ((4000, 3000), (4000, 3000), (3264, 2448), (2592, 1944), (2048, 1536), (1600, 1200))
_HARD_FRAMES = ((1280, 960), (1280, 960), (1152, 864))
# EXIF Orientation tag (0x0112) value telling a viewer how to turn the stored pixels upright.
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Photo:
    """The encoded photo and where the document lies in it, as displayed."""

    data: bytes
    extension: str
    corners: tuple[tuple[float, float], ...]
    rotation: int
    exif_orientation: int


def scan(document: Image.Image, rng: random.Random, noise: np.random.Generator, dpi: int) -> Photo:
    """A flatbed scan: upright, near-white bed, tiny skew, light noise, PNG or high-quality JPEG.
    The document is alone on the bed, so its print resolution `dpi` does not matter."""
    picture = to_bgr(document)
    shrink = rng.uniform(0.8, 1.0)
    h, w = picture.shape[:2]
    picture = cv2.resize(
        picture, (round(w * shrink), round(h * shrink)), interpolation=cv2.INTER_AREA
    )
    h, w = picture.shape[:2]
    margin = rng.randint(20, 90)
    frame_w, frame_h = w + 2 * margin + rng.randint(0, 120), h + 2 * margin + rng.randint(0, 160)
    bed = rng.randint(236, 252)
    frame = np.full((frame_h, frame_w, 3), bed, dtype=np.uint8)
    center = (margin + w / 2 + rng.uniform(-10, 10), margin + h / 2 + rng.uniform(-10, 10))
    quad = rotated_rect_quad(w, h, center, rng.uniform(-0.8, 0.8))
    _shadow(frame, quad + 2.0, strength=0.9, blur=5)
    paste_quad(frame, picture, quad)
    frame = cv2.convertScaleAbs(frame, alpha=rng.uniform(1.0, 1.08), beta=rng.uniform(-4, 6))
    _add_noise(frame, noise, sigma=rng.uniform(0.8, 2.0))
    png = rng.random() < 0.4
    return _encode(frame, quad, 0, png=png, quality=rng.randint(88, 95), exif_orientation=1)


def phone(document: Image.Image, rng: random.Random, noise: np.random.Generator, dpi: int) -> Photo:
    """A phone photo on a table among other papers: mild perspective, uneven light, slight blur."""
    frame_w, frame_h = rng.choice(_PHONE_FRAMES)
    if rng.random() < 0.4:
        frame_w, frame_h = frame_h, frame_w
    rotation = rng.choices((0, 90, 180, 270), weights=(70, 12, 12, 6))[0]
    picture = to_bgr(document)
    h, w = picture.shape[:2]
    quad = projected_quad(
        w,
        h,
        roll_deg=rotation + rng.uniform(-10, 10),
        tilt_x_deg=rng.uniform(-12, 12),
        tilt_y_deg=rng.uniform(-12, 12),
    )
    quad = fit_quad(
        quad,
        frame_w,
        frame_h,
        coverage=rng.uniform(0.5, 0.9),
        margin=0.04 * min(frame_w, frame_h),
        jitter=(rng.random(), rng.random()),
    )
    scale = _px_per_mm(quad, w, dpi)
    frame = _table_with_papers(frame_w, frame_h, rng, noise, count=rng.randint(1, 3), scale=scale)
    _shadow(frame, quad + min(frame_w, frame_h) * 0.006, strength=0.75, blur=25)
    paste_quad(frame, picture, quad)
    _light(frame, rng, depth=0.28)
    sigma = rng.uniform(0.5, 1.4) * max(frame_w, frame_h) / 2000
    frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    _add_noise(frame, noise, sigma=rng.uniform(1.5, 3.5))
    orientation = rng.choices((1, 6, 8, 3), weights=(85, 7, 5, 3))[0]
    return _encode(
        frame, quad, rotation, png=False, quality=rng.randint(80, 92), exif_orientation=orientation
    )


def hard(document: Image.Image, rng: random.Random, noise: np.random.Generator, dpi: int) -> Photo:
    """A bad photo: steep angle, any rotation, hard shadow, glare, blur, ~1 MP, heavy JPEG."""
    frame_w, frame_h = rng.choice(_HARD_FRAMES)
    if rng.random() < 0.4:
        frame_w, frame_h = frame_h, frame_w
    rotation = rng.choice((0, 90, 180, 270))
    picture = to_bgr(document)
    h, w = picture.shape[:2]
    tilt = rng.uniform(14, 32)
    direction = rng.uniform(0, 2 * math.pi)
    quad = projected_quad(
        w,
        h,
        roll_deg=rotation + rng.uniform(-25, 25),
        tilt_x_deg=tilt * math.cos(direction),
        tilt_y_deg=tilt * math.sin(direction),
    )
    quad = fit_quad(
        quad,
        frame_w,
        frame_h,
        coverage=rng.uniform(0.72, 0.97),
        margin=0.02 * min(frame_w, frame_h),
        jitter=(rng.random(), rng.random()),
    )
    scale = _px_per_mm(quad, w, dpi)
    frame = _table_with_papers(frame_w, frame_h, rng, noise, count=rng.randint(2, 4), scale=scale)
    _shadow(frame, quad + min(frame_w, frame_h) * 0.01, strength=0.6, blur=9)
    paste_quad(frame, picture, quad)
    _light(frame, rng, depth=0.45)
    _hard_shadow(frame, rng)
    _glare(frame, quad, rng)
    if rng.random() < 0.5:
        length = rng.randint(3, 7)
        streak = np.zeros((length, length), dtype=np.float32)
        streak[length // 2, :] = 1.0 / length
        turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
        kernel = cv2.warpAffine(streak, turn, (length, length))
        frame = cv2.filter2D(frame, -1, np.float32(1 / max(float(kernel.sum()), 1e-6)) * kernel)
    else:
        frame = cv2.GaussianBlur(frame, (0, 0), rng.uniform(0.8, 1.5))
    _add_noise(frame, noise, sigma=rng.uniform(3, 7))
    return _encode(
        frame, quad, rotation, png=False, quality=rng.randint(35, 60), exif_orientation=1
    )


def _px_per_mm(quad: Quad, width_px: int, dpi: int) -> float:
    """Frame pixels per millimetre of the document (along its top edge)."""
    return float(np.linalg.norm(quad[1] - quad[0])) / (width_px * 25.4 / dpi)


def _table_with_papers(
    frame_w: int,
    frame_h: int,
    rng: random.Random,
    noise: np.random.Generator,
    *,
    count: int,
    scale: float,
) -> Array:
    frame = table(frame_w, frame_h, rng, noise)
    for _ in range(count):
        drawn, sheet_px_per_mm = paper(rng)
        sheet = to_bgr(drawn)
        h, w = sheet.shape[:2]
        factor = scale / sheet_px_per_mm * rng.uniform(0.95, 1.05)
        center = (rng.uniform(-0.1, 1.1) * frame_w, rng.uniform(-0.1, 1.1) * frame_h)
        quad = rotated_rect_quad(w * factor, h * factor, center, rng.uniform(-180, 180))
        _shadow(frame, quad + min(frame_w, frame_h) * 0.004, strength=0.8, blur=15)
        paste_quad(frame, sheet, quad)
    return frame


def _shadow(frame: Array, quad: Quad, *, strength: float, blur: int) -> None:
    """Darken a soft-edged copy of `quad` (a drop shadow), computed at quarter resolution."""
    h, w = frame.shape[:2]
    small = np.full((h // 4 + 1, w // 4 + 1), 255, dtype=np.uint8)
    cv2.fillConvexPoly(small, np.round(quad / 4).astype(np.int32), round(255 * strength))
    small = cv2.GaussianBlur(small, (0, 0), max(blur / 4, 0.8))
    _multiply(frame, small)


def _multiply(frame: Array, gain_small: Array) -> None:
    """frame *= gain/255, the gain map given at low resolution (1 or 3 channels)."""
    h, w = frame.shape[:2]
    gain = cv2.resize(gain_small, (w, h), interpolation=cv2.INTER_LINEAR)
    if gain.ndim == 2:
        gain = cv2.merge((gain, gain, gain))
    cv2.multiply(frame, gain, dst=frame, scale=1 / 255)


def _light(frame: Array, rng: random.Random, *, depth: float) -> None:
    """Uneven lighting: a linear gradient, a vignette and a warm or cool white balance."""
    ys, xs = np.mgrid[0:64, 0:64].astype(np.float32) / 63.0
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xs - 0.5) * math.cos(angle) + (ys - 0.5) * math.sin(angle)
    vignette = ((xs - 0.5) ** 2 + (ys - 0.5) ** 2) * rng.uniform(0.2, 0.6)
    level = 1.0 - depth * (ramp + 0.5) * rng.uniform(0.5, 1.0) - vignette
    tint = (rng.uniform(0.9, 1.0), rng.uniform(0.95, 1.0), rng.uniform(0.9, 1.0))
    gain = np.stack([np.clip(level * t, 0.2, 1.0) * 255 for t in tint], axis=2)
    _multiply(frame, gain.astype(np.uint8))


def _hard_shadow(frame: Array, rng: random.Random) -> None:
    """A sharp-edged shadow (phone or hand) falling across part of the frame."""
    h, w = frame.shape[:2]
    small = np.full((h // 4 + 1, w // 4 + 1), 255, dtype=np.uint8)
    sh, sw = small.shape
    start = rng.choice(((0, rng.uniform(0, sh)), (rng.uniform(0, sw), 0)))
    points = [start] + [(rng.uniform(0.2, 0.8) * sw, rng.uniform(0.2, 0.8) * sh) for _ in range(2)]
    points += [(sw if start[0] == 0 else 0, sh), (0 if start[0] == 0 else sw, sh)]
    hull = cv2.convexHull(np.round(np.array(points)).astype(np.int32))
    cv2.fillConvexPoly(small, hull, round(255 * rng.uniform(0.55, 0.8)))
    _multiply(frame, cv2.GaussianBlur(small, (0, 0), 0.8))


def _glare(frame: Array, quad: Quad, rng: random.Random) -> None:
    """A bright specular spot somewhere on the document (lamination or plastic reflects)."""
    h, w = frame.shape[:2]
    weights = np.array([rng.random() for _ in range(4)])
    cx, cy = (weights / weights.sum()) @ quad
    radius = rng.uniform(0.06, 0.14) * float(np.linalg.norm(quad[2] - quad[0]))
    x0, y0 = max(int(cx - 2 * radius), 0), max(int(cy - 2 * radius), 0)
    x1, y1 = min(int(cx + 2 * radius), w), min(int(cy + 2 * radius), h)
    if x1 <= x0 or y1 <= y0:
        return
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    spot = np.exp(-(((xs - cx) / radius) ** 2 + ((ys - cy) / (radius * 0.7)) ** 2))
    boost = (spot * rng.uniform(140, 220))[..., None]
    frame[y0:y1, x0:x1] = np.clip(frame[y0:y1, x0:x1] + boost, 0, 255).astype(np.uint8)


def _add_noise(frame: Array, noise: np.random.Generator, *, sigma: float) -> None:
    """Sensor noise from a 256×256 tile repeated over the frame (fast, no visible period after
    JPEG); in place."""
    h, w = frame.shape[:2]
    tile = np.clip(noise.normal(0, sigma, (251, 257, 3)), -127, 127).astype(np.int16)
    reps = (h // tile.shape[0] + 1, w // tile.shape[1] + 1, 1)
    grain = np.tile(tile, reps)[:h, :w]
    np.copyto(frame, cv2.add(frame, grain, dtype=cv2.CV_8U))


def _encode(
    frame: Array, quad: Quad, rotation: int, *, png: bool, quality: int, exif_orientation: int
) -> Photo:
    """Encode; with an EXIF orientation, store the pixels turned so a viewer shows `frame`."""
    stored = frame
    if exif_orientation == 6:  # viewer turns 90° clockwise
        stored = cv2.rotate(frame, cv2.ROTATE_90_COUNTERCLOCKWISE)
    elif exif_orientation == 8:  # viewer turns 90° counter-clockwise
        stored = cv2.rotate(frame, cv2.ROTATE_90_CLOCKWISE)
    elif exif_orientation == 3:
        stored = cv2.rotate(frame, cv2.ROTATE_180)
    image = Image.fromarray(cv2.cvtColor(stored, cv2.COLOR_BGR2RGB))
    buffer = io.BytesIO()
    if png:
        image.save(buffer, "PNG", compress_level=3)
    else:
        exif = Image.Exif()
        if exif_orientation != 1:
            exif[_EXIF_ORIENTATION] = exif_orientation
        image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    corners = tuple((round(float(x), 1), round(float(y), 1)) for x, y in quad)
    return Photo(buffer.getvalue(), "png" if png else "jpg", corners, rotation, exif_orientation)
