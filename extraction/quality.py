"""Quality gate: is this photo good enough to read, and if not, what should the agent change?

Everything is measured on a small grey copy (a pyramid of 2× box reductions, then the document
warped flat at ≤ 1280 px), so a 12 MP photo costs a few milliseconds. Blur is expressed relative to
the document's size, so a small sharp card and a large sharp card score alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Final

import cv2
import numpy as np

from extraction.findings import Finding
from extraction.geometry import DocumentGeometry

WORK_SIDE: Final = 1280
# Thresholds set on 450 docgen photos (seed 0: scans, phone photos, bad photos) and checked on
# photos with one known defect added; grey levels are 0–255.
# Blur σ in pixels per 1000 px of document long side (a card's body text is ~20 px tall there).
BLURRY_SIGMA: Final = 1.7
HOPELESS_SIGMA: Final = 8.5
EDGE_BASELINE: Final = 1.24
EDGE_CONTRAST: Final = 40.0
EDGE_CONTRAST_FLOOR: Final = 20.0
DARK_PAPER_LEVEL: Final = 70.0
BLACK_FRAME_LEVEL: Final = 24.0
WASHED_OUT_CLIPPED: Final = 0.5
WASHED_OUT_INK_LEVEL: Final = 90.0
GLARE_SHARE: Final = 0.0025
GLARE_LEVEL: Final = 248.0
GLARE_ABOVE_TYPICAL: Final = 25.0
SMALL_DOCUMENT_SHARE: Final = 0.15
SMALL_DOCUMENT_SIDE: Final = 400.0
ROOMY_DOCUMENT_SIDE: Final = 640.0
UNIFORM_SPREAD: Final = 10.0
SCREENSHOT_UNIFORM_ROWS: Final = 0.3
# Phone screens, 16:9 to 20:9; scans (A4 1.41, ID-1 card 1.59) and 4:3 camera photos stay out.
SCREEN_ASPECTS: Final = (1.74, 2.4)


@dataclass(frozen=True, slots=True)
class Measures:
    """The numbers behind the findings (kept for calibration and benchmarks). Levels are the
    document's 3rd/97th grey percentiles; shares are fractions of the document or the frame."""

    blur_sigma: float | None
    paper_level: float
    ink_level: float
    clipped_share: float
    glare_share: float
    frame_spread: float
    document_share: float | None
    document_short_side: float | None
    uniform_rows: float
    milliseconds: float


@dataclass(frozen=True, slots=True)
class QualityReport:
    """What is wrong with the photo (`findings`), and whether reading it is hopeless."""

    findings: list[Finding]
    blocking: bool
    measures: Measures | None = field(default=None, compare=False)


def assess(image: np.ndarray, geometry: DocumentGeometry | None) -> QualityReport:
    """Gate one photo: blur, exposure, glare, document size, screen captures; fast and pure."""
    started = time.perf_counter()
    height, width = image.shape[:2]
    document_long = _long_side(geometry) if geometry is not None else float(max(width, height))
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    level, factor = _grey_level(grey, document_long)
    overview = _shrink_to(level, 320)
    document = _flatten(level, geometry, factor) if geometry is not None else level
    values = document.astype(np.float32)

    ink, middle, paper = (float(v) for v in np.percentile(values[::2, ::2], (3, 50, 97)))
    overview_low, overview_high = np.percentile(overview, (1, 99))
    measures = Measures(
        blur_sigma=_blur_sigma(values, edge_contrast=_edge_contrast(ink, paper)),
        paper_level=paper,
        ink_level=ink,
        clipped_share=float(np.mean(document >= 250)),
        glare_share=_glare_share(document, middle, whole_photo=geometry is None),
        frame_spread=float(overview_high - overview_low),
        document_share=geometry.area_fraction(width, height) if geometry is not None else None,
        document_short_side=_short_side(geometry) if geometry is not None else None,
        uniform_rows=_uniform_rows(grey),
        milliseconds=0.0,
    )
    findings, blocking = judge(measures, width=width, height=height)
    elapsed = (time.perf_counter() - started) * 1000
    return QualityReport(findings, blocking, replace(measures, milliseconds=round(elapsed, 2)))


def judge(measures: Measures, *, width: int, height: int) -> tuple[list[Finding], bool]:
    """Turn measures into findings; blocking only when nothing could be read anyway."""
    findings: list[Finding] = []
    blocking = False
    if measures.paper_level < BLACK_FRAME_LEVEL:
        return [Finding("too_dark")], True
    if measures.frame_spread < UNIFORM_SPREAD:
        return [Finding("empty_frame")], True
    if measures.document_share is None:
        findings.append(Finding("document_not_found"))
    elif _too_small(measures.document_share, measures.document_short_side or 0.0):
        findings.append(Finding("document_too_small"))
    if measures.blur_sigma is None and measures.document_share is not None:
        # A found document without a single contrasted edge: text smeared beyond measure, or a
        # blank page. Worth a retake either way, but not worth refusing.
        findings.append(Finding("blurry"))
    elif measures.blur_sigma is not None and measures.blur_sigma > BLURRY_SIGMA:
        findings.append(Finding("blurry"))
        blocking = measures.blur_sigma > HOPELESS_SIGMA
    if measures.paper_level < DARK_PAPER_LEVEL:
        findings.append(Finding("too_dark"))
    # Without the document's outline, white around it may be a scanner bed: only judged on it.
    if (
        measures.document_share is not None
        and measures.clipped_share > WASHED_OUT_CLIPPED
        and measures.ink_level > WASHED_OUT_INK_LEVEL
    ):
        findings.append(Finding("overexposed"))
    elif measures.glare_share > GLARE_SHARE:
        findings.append(Finding("glare"))
    if _looks_like_screen(measures, width, height):
        findings.append(Finding("screenshot"))
    return findings, blocking


def _too_small(share: float, short_side: float) -> bool:
    # A 12 MP photo leaves enough pixels on a card filling a tenth of it: pixels decide, and the
    # share only matters once they run short.
    return short_side < SMALL_DOCUMENT_SIDE or (
        share < SMALL_DOCUMENT_SHARE and short_side < ROOMY_DOCUMENT_SIDE
    )


def _long_side(geometry: DocumentGeometry) -> float:
    corners = geometry.corners.astype(np.float64)
    sides = np.linalg.norm(corners - np.roll(corners, -1, axis=0), axis=1)
    return float(max(sides))


def _short_side(geometry: DocumentGeometry) -> float:
    corners = geometry.corners.astype(np.float64)
    sides = np.linalg.norm(corners - np.roll(corners, -1, axis=0), axis=1)
    return float(min((sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2))


def _grey_level(grey: np.ndarray, document_long: float) -> tuple[np.ndarray, int]:
    """Grey photo halved (2×2 box average, OpenCV's fast path) until the document fits WORK_SIDE."""
    factor = 1
    while document_long / factor > WORK_SIDE and min(grey.shape) >= 64:
        grey = _halve(grey)
        factor *= 2
    return np.asarray(grey, dtype=np.uint8), factor


def _halve(grey: np.ndarray) -> np.ndarray:
    height, width = grey.shape[0] // 2 * 2, grey.shape[1] // 2 * 2
    even = grey[:height, :width]
    return np.asarray(cv2.resize(even, (width // 2, height // 2), interpolation=cv2.INTER_AREA))


def _shrink_to(grey: np.ndarray, side: int) -> np.ndarray:
    while max(grey.shape) > 2 * side:
        grey = _halve(grey)
    return grey


def _flatten(level: np.ndarray, geometry: DocumentGeometry, factor: int) -> np.ndarray:
    """The document warped flat at its own resolution in `level` (never enlarged)."""
    corners = geometry.corners.astype(np.float32) / factor
    top, right, bottom, left = (
        float(np.linalg.norm(corners[(i + 1) % 4] - corners[i])) for i in range(4)
    )
    width = max(32, round(max(top, bottom)))
    height = max(32, round(max(left, right)))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners, target)
    flat = cv2.warpPerspective(
        level, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(flat, dtype=np.uint8)


def _edge_contrast(ink: float, paper: float) -> float:
    """Contrast a tile needs to count as an edge: lower in a dark photo, whose print is dim too."""
    return float(np.clip(0.3 * (paper - ink), EDGE_CONTRAST_FLOOR, EDGE_CONTRAST))


def _blur_sigma(values: np.ndarray, *, edge_contrast: float) -> float | None:
    """Edge spread σ per 1000 px of document, None when it holds no contrasted edge at all.
    Very blurred documents lose all local contrast: they are measured again at half size."""
    for _ in range(4):
        native = _edge_spread(values, edge_contrast)
        if native is not None:
            # The measurement's own smoothing spreads a perfect step by EDGE_BASELINE px.
            intrinsic = np.sqrt(max(native**2 - EDGE_BASELINE**2, 0.0))
            return round(float(intrinsic) * 1000.0 / float(max(values.shape)), 2)
        if min(values.shape) < 128:
            return None
        values = _halve(values)
    return None


def _edge_spread(values: np.ndarray, edge_contrast: float) -> float | None:
    """For a step of contrast C blurred by a Gaussian σ, the steepest slope is C / (σ·√(2π)):
    σ is read per tile (1/16 of the long side) and summarised over the contrasted tiles."""
    tile = max(16, max(values.shape) // 16)
    smooth = cv2.GaussianBlur(values, (0, 0), 1.0)
    slope = cv2.magnitude(
        cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    ) / np.float32(8.0)
    rows, cols = values.shape[0] // tile, values.shape[1] // tile
    if rows * cols < 4:
        return None

    def tiles(array: np.ndarray) -> np.ndarray:  # (tile count, pixels per tile)
        cut = array[: rows * tile, : cols * tile]
        return cut.reshape(rows, tile, cols, tile).swapaxes(1, 2).reshape(rows * cols, -1)

    steepest = tiles(slope).max(axis=1)
    spread = tiles(smooth)
    contrast = spread.max(axis=1) - spread.min(axis=1)
    keep = (contrast > edge_contrast) & (steepest > 1e-3)
    if keep.sum() < max(4, 0.03 * rows * cols):
        return None
    sigma = contrast[keep] / (np.sqrt(2 * np.pi) * steepest[keep])
    # The sharpest third of tiles: blur is global, but text-free tiles (photo, pattern) look soft.
    return float(np.percentile(sigma, 33))


def _glare_share(document: np.ndarray, typical_level: float, *, whole_photo: bool) -> float:
    """Share of the document (the whole photo when its outline is unknown) under the largest
    washed-out blob well above its usual brightness; a white document cannot show glare so.
    On a whole photo, blobs touching its border are white surroundings (a scanner bed)."""
    small = _shrink_to(document, 320)
    bright = (small >= max(GLARE_LEVEL, typical_level + GLARE_ABOVE_TYPICAL)).astype(np.uint8)
    blobs = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    left, top = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_TOP]
    right = left + stats[1:, cv2.CC_STAT_WIDTH]
    bottom = top + stats[1:, cv2.CC_STAT_HEIGHT]
    areas = stats[1:, cv2.CC_STAT_AREA]
    if whole_photo:
        height, width = small.shape
        inside = (left > 0) & (top > 0) & (right < width) & (bottom < height)
        areas = areas[inside]
    return float(areas.max()) / float(small.size) if areas.size else 0.0


def _uniform_rows(grey: np.ndarray) -> float:
    """Share of pixel rows painted in one shade from edge to edge (not clipped black or white):
    an app's background does that, a lit surface seen by a sensor never does. Read at full
    resolution, where no averaging has smoothed the sensor's noise away."""
    rows = grey[:: max(1, grey.shape[0] // 400)]
    low, high = rows.min(axis=1), rows.max(axis=1)
    return float(np.mean((high.astype(np.int16) - low <= 1) & (low > 3) & (high < 252)))


def _looks_like_screen(measures: Measures, width: int, height: int) -> bool:
    # Only screenshots are told: a photo of a screen (moiré) could not be separated reliably from
    # guilloches and fabric weaves on generated photos, so it is not guessed at.
    aspect = max(width, height) / max(1, min(width, height))
    return (
        measures.uniform_rows > SCREENSHOT_UNIFORM_ROWS
        and SCREEN_ASPECTS[0] <= aspect <= SCREEN_ASPECTS[1]
    )
