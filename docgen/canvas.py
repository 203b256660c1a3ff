"""A document face being drawn: millimetre coordinates over a Pillow image at a given resolution."""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from docgen.fonts import font

Color = tuple[int, int, int]
INK: Color = (28, 28, 34)
LABEL_INK: Color = (70, 78, 96)


class Card:
    """A document face: draw text and shapes in millimetres, read back the RGB image."""

    def __init__(self, width_mm: float, height_mm: float, dpi: int, background: Image.Image):
        self.width_mm = width_mm
        self.height_mm = height_mm
        self.scale = dpi / 25.4
        self.image = background.convert("RGB")
        self.draw = ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        """Millimetres to pixels at this card's resolution."""
        return round(mm * self.scale)

    def text(
        self,
        x_mm: float,
        y_mm: float,
        text: str,
        size_mm: float,
        *,
        family: str = "sans",
        fill: Color = INK,
        anchor: str = "la",
        max_width_mm: float | None = None,
        direction: str | None = None,
    ) -> float:
        """Draw `text` (em size `size_mm`) and return its width in mm; squeezes it to fit."""
        size = self.px(size_mm)
        face = font(family, size)
        width = face.getlength(text)
        if max_width_mm is not None and width > self.px(max_width_mm) and width > 0:
            size = max(6, int(size * self.px(max_width_mm) / width))
            face = font(family, size)
            width = face.getlength(text)
        self.draw.text(
            (self.px(x_mm), self.px(y_mm)),
            text,
            font=face,
            fill=fill,
            anchor=anchor,
            direction=direction,
        )
        return width / self.scale

    def label(
        self, x_mm: float, y_mm: float, text: str, size_mm: float = 1.6, fill: Color = LABEL_INK
    ) -> None:
        """A small field label (e.g. `NOM / Surname`)."""
        self.text(x_mm, y_mm, text, size_mm, family="condensed", fill=fill)

    def rect(
        self,
        box_mm: tuple[float, float, float, float],
        *,
        fill: Color | None = None,
        outline: Color | None = None,
        width_mm: float = 0.2,
        radius_mm: float = 0,
    ) -> None:
        """A (rounded) rectangle given as (x0, y0, x1, y1) in mm."""
        box = tuple(self.px(v) for v in box_mm)
        self.draw.rounded_rectangle(
            box,
            radius=self.px(radius_mm),
            fill=fill,
            outline=outline,
            width=max(1, self.px(width_mm)),
        )

    def paste(
        self, picture: Image.Image, x_mm: float, y_mm: float, mask: Image.Image | None = None
    ) -> None:
        """Paste a picture drawn at this card's resolution with its top-left at (x, y)."""
        self.image.paste(picture, (self.px(x_mm), self.px(y_mm)), mask)

    def face_placeholder(
        self, box_mm: tuple[float, float, float, float], rng: random.Random, *, ghost: bool = False
    ) -> None:
        """A grey head-and-shoulders silhouette where the holder's photo would be (no real face)."""
        x0, y0, x1, y1 = (self.px(v) for v in box_mm)
        w, h = x1 - x0, y1 - y0
        tone = rng.randint(150, 200)
        backdrop = (tone + 30, tone + 32, tone + 36) if not ghost else (235, 232, 228)
        shade = rng.randint(60, 110) if not ghost else 200
        patch = Image.new("RGB", (w, h), tuple(min(255, c) for c in backdrop))
        d = ImageDraw.Draw(patch)
        cx = w // 2 + rng.randint(-w // 20, w // 20)
        d.ellipse((cx - w * 0.42, h * 0.68, cx + w * 0.42, h * 1.35), fill=(shade,) * 3)
        d.rectangle((cx - w * 0.1, h * 0.5, cx + w * 0.1, h * 0.75), fill=(shade + 15,) * 3)
        d.ellipse((cx - w * 0.22, h * 0.16, cx + w * 0.22, h * 0.62), fill=(shade + 15,) * 3)
        d.chord((cx - w * 0.24, h * 0.12, cx + w * 0.24, h * 0.5), 180, 360, fill=(shade - 30,) * 3)
        self.image.paste(patch, (x0, y0))

    def signature(self, box_mm: tuple[float, float, float, float], rng: random.Random) -> None:
        """A scribbled signature: a few random strokes inside the box."""
        x0, y0, x1, y1 = (self.px(v) for v in box_mm)
        points: list[tuple[float, float]] = []
        x = x0 + (x1 - x0) * 0.05
        for _ in range(rng.randint(14, 26)):
            x += (x1 - x0) * rng.uniform(0.02, 0.07)
            points.append((min(x, x1), rng.uniform(y0 + (y1 - y0) * 0.2, y1 - (y1 - y0) * 0.2)))
        ink = rng.choice([(20, 30, 90), (25, 25, 30), (30, 40, 120)])
        self.draw.line(points, fill=ink, width=max(2, self.px(0.3)), joint="curve")
        mid = (y0 + y1) / 2
        self.draw.line(
            [(x0 + (x1 - x0) * 0.1, mid + 4), (x1 - (x1 - x0) * 0.15, mid - 6)],
            fill=ink,
            width=max(1, self.px(0.2)),
        )


def guilloche(
    width: int, height: int, rng: random.Random, base: Color, line: Color, *, density: float = 1.0
) -> Image.Image:
    """A security-print background: a soft two-tone gradient crossed by fine wavy lines."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    span = float(max(width, height))
    result = np.empty((height, width, 3), dtype=np.float32)
    tint = 0.5 + 0.5 * np.sin(xs / span * rng.uniform(2, 5) + ys / span * rng.uniform(1, 3))
    lines = np.zeros((height, width), dtype=np.float32)
    for _ in range(3):
        angle = rng.uniform(0, math.pi)
        period = rng.uniform(9, 16) / density
        wobble = rng.uniform(10, 30)
        freq = rng.uniform(3, 8) / span
        u = xs * math.cos(angle) + ys * math.sin(angle)
        v = -xs * math.sin(angle) + ys * math.cos(angle)
        phase = (u + wobble * np.sin(v * freq * 2 * math.pi)) / period
        lines = np.maximum(lines, np.clip(1.0 - np.abs(np.sin(phase * math.pi)) * 5.0, 0, 1))
    for channel in range(3):
        shaded = base[channel] * (0.96 + 0.04 * tint)
        result[..., channel] = shaded * (1 - 0.55 * lines) + line[channel] * 0.55 * lines
    return Image.fromarray(np.clip(result, 0, 255).astype(np.uint8), "RGB")


def to_bgr(image: Image.Image) -> npt.NDArray[Any]:
    """Pillow RGB image → OpenCV BGR array."""
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
