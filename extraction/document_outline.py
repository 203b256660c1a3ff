"""How much a candidate outline (see `extraction.outline_candidates`) looks like a document.

The score multiplies what a real outline has and clutter rarely
has all at once: a known aspect ratio, edge evidence all along each side, near-right corners, and
a size that fills a good part of the photo (a face photo or an MRZ band inside the card is a
smaller rectangle with the same kind of edges).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from extraction.document_aspect import aspect_score

MIN_AREA_FRACTION = 0.06
# Side (px, in the small copy) of the closing that removes text strokes before edge detection.
TEXT_KERNEL = 7
# How much darker than its closing a pixel must be to count as ink.
INK_STEP = 25
# Share of a document's area covered by ink strokes, at least (at the small copy's scale).
MIN_TEXT_DENSITY = 0.025
# Red minus blue is amplified this much before edges are sought in it.
WARMTH_GAIN = 2.0
# Canny's lower threshold on it: JPEG's coarse colour blocks make weaker steps noise.
WARM_CANNY = 12
SIDE_SAMPLES = 48
MIN_PRIOR = 0.3
# Smallest step (3×3 Sobel of the blurred channel) across a side that counts as a border.
STEP_MIN = 30.0
# A step steady all along a side counts down to this much (half the side's median step).
# Measured: 16 finds 7 more of 30 phone outlines; the one card it cut at its MRZ band is caught
# by the pipeline, which re-reads the whole photo when an identity crop lost its MRZ.
STEP_FLOOR = 16.0
STEP_SHARE = 0.5
# How far past each corner (share of the side) a border's step must not run on.
BEYOND = 0.25
# A side with less of its length seen as a border than this is taken as not seen.
UNSEEN = 0.15


@dataclass(frozen=True, slots=True)
class EdgeMap:
    """Edges of the small photo, and the brightness and colour gradients that made them; the
    edges of warmth (red against blue) apart, as they are noisier."""

    edges: np.ndarray
    gradients: tuple[tuple[np.ndarray, np.ndarray], ...]
    ink: np.ndarray  # 1 where a dark stroke (text) was wiped out by the closing
    warm_edges: np.ndarray  # edges of red against blue (a cream card on bluish paper)


def edge_map(small: np.ndarray) -> EdgeMap:
    """Canny edges of brightness and colour, so a pale card on white paper still has a border."""
    # A closing wipes out dark strokes thinner than the kernel: printed text, on the document
    # and on every paper around it, would otherwise make more straight lines than any border.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (TEXT_KERNEL, TEXT_KERNEL))
    original = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    closed = cv2.morphologyEx(original, cv2.MORPH_CLOSE, kernel)
    ink = (cv2.subtract(closed, original) > INK_STEP).astype(np.uint8)
    gray = cv2.GaussianBlur(closed, (0, 0), 1.2)
    edges = cv2.Canny(gray, 10, 30)
    saturation = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[:, :, 1]
    saturation = cv2.morphologyEx(saturation, cv2.MORPH_OPEN, kernel)
    saturation = cv2.GaussianBlur(saturation, (0, 0), 1.2)
    edges = cv2.bitwise_or(edges, cv2.Canny(saturation, 8, 24))
    warmth = _warmth(small, kernel)
    warm_edges = cv2.Canny(warmth, WARM_CANNY, 3 * WARM_CANNY)
    gradients = tuple(
        (
            cv2.Sobel(channel, cv2.CV_32F, 1, 0, ksize=3),
            cv2.Sobel(channel, cv2.CV_32F, 0, 1, ksize=3),
        )
        for channel in (gray, saturation, warmth)
    )
    return EdgeMap(edges=edges, gradients=gradients, ink=ink, warm_edges=warm_edges)


def _warmth(small: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Red minus blue, doubled around mid-grey: a cream or pink card on bluish-white paper differs
    in hue more than in brightness or saturation (saturation is blind to which way it leans)."""
    blue, _, red = cv2.split(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel))
    warmth = cv2.addWeighted(red, WARMTH_GAIN, blue, -WARMTH_GAIN, 128.0)
    result: np.ndarray = cv2.GaussianBlur(warmth, (0, 0), 1.2)
    return result


def score_outline(edges: EdgeMap, quad: np.ndarray, *, beyond: bool = False) -> float:
    """0..1: how much `quad` looks like the outline of a document; with `beyond`, sides whose
    step runs on past the corners (costlier to check) count as unseen."""
    return float(score_outlines(edges, [quad], beyond=beyond)[0])


def score_outlines(
    edges: EdgeMap, quads: Sequence[np.ndarray], *, beyond: bool = False
) -> np.ndarray:
    """`score_outline` of each quad, the edge evidence of all of them sampled at once (a photo
    among clutter has a couple of hundred candidates)."""
    priors = np.array([outline_prior(quad, edges.edges.shape) for quad in quads])
    scores = np.zeros(len(quads))
    # Edge evidence only lowers a score: an outline whose shape alone scores this little can
    # neither be taken nor come near the best (the search's thresholds are higher).
    plausible = np.flatnonzero(priors >= MIN_PRIOR)
    if plausible.size:
        coverages = side_coverages(edges, np.stack([quads[int(i)] for i in plausible]), beyond)
        scores[plausible] = priors[plausible] * edge_support(coverages)
    return scores


def outline_prior(quad: np.ndarray, shape: tuple[int, ...]) -> float:
    """0..1 from the shape alone: a known format's aspect, near-right corners, a fair size."""
    size = _size_score(quad, shape)
    if size == 0.0:
        return 0.0
    return aspect_score(quad, shape) * _right_angles(quad) * size


def text_placement(edges: EdgeMap, quad: np.ndarray) -> float:
    """0..1: a document holds text, and more than the band just around it does. A face photo or
    a blank sticker holds none; an inner box (the MRZ band, the data block) has text all around."""
    height, width = edges.ink.shape
    center = quad.mean(axis=0)
    inner = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(inner, np.round(center + (quad - center) * 0.95).astype(np.int32), 1)
    ring = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(ring, np.round(center + (quad - center) * 1.12).astype(np.int32), 1)
    cv2.fillConvexPoly(ring, np.round(center + (quad - center) * 1.02).astype(np.int32), 0)
    inside = float(edges.ink[inner > 0].mean()) if inner.any() else 0.0
    around = float(edges.ink[ring > 0].mean()) if ring.any() else 0.0
    if inside <= 0.0:
        return 0.0
    holds_text = min(1.0, inside / MIN_TEXT_DENSITY)
    return holds_text * float(np.clip(1.3 - 0.6 * around / inside, 0.4, 1.0))


def _right_angles(quad: np.ndarray) -> float:
    """Perspective bends right angles, but a photographed document's corners stay near square."""
    worst = 0.0
    for index in range(4):
        a = quad[index - 1] - quad[index]
        b = quad[(index + 1) % 4] - quad[index]
        norm = max(1e-6, float(np.linalg.norm(a) * np.linalg.norm(b)))
        worst = max(worst, abs(float(np.dot(a, b))) / norm)
    return float(np.clip(1.0 - (worst - 0.25) / 0.35, 0.0, 1.0)) if worst > 0.25 else 1.0


def has_unseen_side(edges: EdgeMap, quad: np.ndarray) -> bool:
    """True when one side shows (almost) no border: the outline then rests on three sides and a
    guess, like one closed by a known aspect."""
    return weakest_side(edges, quad) < UNSEEN


def weakest_side(edges: EdgeMap, quad: np.ndarray) -> float:
    """0..1: how much of its weakest side is a border not running on past the corners."""
    return float(side_coverages(edges, quad[np.newaxis], beyond=True)[0].min())


def edge_support(coverages: np.ndarray) -> np.ndarray:
    """How much the sides (N×4 coverages) of each outline are borders; the weakest count most:
    a finger or a glare may hide part of one side, not all four."""
    ordered = np.sort(coverages, axis=1)
    support: np.ndarray = np.clip(
        (ordered[:, 0] + ordered[:, 1] + 2 * ordered.mean(axis=1)) / 4 / 0.7, 0.0, 1.0
    )
    return support


def side_coverages(edges: EdgeMap, quads: np.ndarray, beyond: bool) -> np.ndarray:
    """For each side of each quad (N×4×2 in, N×4 out), the share of it that is a border: a step
    across the side, pointing the same way all along it (a line of text has edges too, but in
    every direction and both ways). With `beyond`, a step running on past the corners is a
    shadow's edge or another paper's."""
    count = len(quads)
    starts = quads.astype(np.float32).reshape(-1, 2)
    ends = np.roll(quads.astype(np.float32), -1, axis=1).reshape(-1, 2)
    along = (ends - starts) / np.maximum(1e-6, np.linalg.norm(ends - starts, axis=1))[:, None]
    normals = np.stack([-along[:, 1], along[:, 0]], axis=1)
    centers = np.repeat(quads.mean(axis=1), 4, axis=0)
    inward = ((centers - starts) * normals).sum(axis=1) < 0
    normals[inward] = -normals[inward]  # pointing into the document
    sides = _step_coverage(edges, starts, ends, normals)  # side × (channel, sign)
    best = sides.max(axis=1)
    if beyond:
        reach = (ends - starts) * BEYOND
        chosen = sides.argmax(axis=1)
        rows = np.arange(len(starts))
        before = _step_coverage(edges, starts - reach, starts, normals)
        after = _step_coverage(edges, ends, ends + reach, normals)
        runs_on = np.maximum(before[rows, chosen], after[rows, chosen])
        best = best * (1.0 - runs_on)
    coverages: np.ndarray = best.reshape(count, 4)
    return coverages


def _step_coverage(
    edges: EdgeMap, starts: np.ndarray, ends: np.ndarray, normals: np.ndarray
) -> np.ndarray:
    """For each segment, the share of it where each channel steps across it, in each direction
    (columns: channel 0 up, channel 0 down, channel 1 up…); points off the photo count as no
    step."""
    height, width = edges.edges.shape
    steps = np.linspace(0.05, 0.95, SIDE_SAMPLES)[None, :, None, None]
    across = np.arange(-2, 3)[None, None, :, None]
    points = (
        starts[:, None, None, :]
        + (ends - starts)[:, None, None, :] * steps
        + across * normals[:, None, None, :]
    )
    x = np.round(points[..., 0]).astype(int)
    y = np.round(points[..., 1]).astype(int)
    within = ((x >= 0) & (x < width) & (y >= 0) & (y < height)).all(axis=2)
    x, y = np.clip(x, 0, width - 1), np.clip(y, 0, height - 1)
    columns = []
    for gx, gy in edges.gradients:
        sx, sy = gx[y, x], gy[y, x]
        step = sx * normals[:, 0, None, None] + sy * normals[:, 1, None, None]
        strongest = np.take_along_axis(step, np.abs(step).argmax(axis=2)[..., None], axis=2)[..., 0]
        magnitude = np.hypot(sx, sy).max(axis=2)
        square = within & (np.abs(strongest) >= 0.6 * magnitude)
        middle = np.partition(strongest, SIDE_SAMPLES // 2, axis=1)[:, SIDE_SAMPLES // 2]
        for sign in (1.0, -1.0):
            # A faint border (pale card on white paper) is a weak step, but the same all
            # along: text crossing a line gives strong steps here and none there.
            threshold = np.minimum(STEP_MIN, np.maximum(STEP_FLOOR, STEP_SHARE * sign * middle))
            steady = square & (sign * strongest > threshold[:, None])
            columns.append(steady.mean(axis=1))
    return np.stack(columns, axis=1)


def _size_score(quad: np.ndarray, shape: tuple[int, ...]) -> float:
    fraction = float(cv2.contourArea(quad.astype(np.float32))) / float(shape[0] * shape[1])
    if fraction < MIN_AREA_FRACTION or fraction > 0.98:
        return 0.0
    return float(np.clip(np.sqrt(fraction / 0.25), 0.0, 1.0))
