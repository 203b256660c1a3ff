"""How well `find_document` finds the document: overlap (IoU) with the true outline, per
difficulty, and how often it answers None or a wrong shape.

    python -m bench.outline [--per-cell 10]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Sequence

import cv2
import numpy as np

from bench.common import DIFFICULTIES, decode_photo, percentile, pin_one_core, samples


def iou(first: np.ndarray, second: np.ndarray) -> float:
    """Intersection over union of two convex quadrilaterals."""
    a = first.astype(np.float32).reshape(-1, 2)
    b = second.astype(np.float32).reshape(-1, 2)
    area, _ = cv2.intersectConvexConvex(cv2.convexHull(a), cv2.convexHull(b))
    union = cv2.contourArea(cv2.convexHull(a)) + cv2.contourArea(cv2.convexHull(b)) - area
    return float(area / union) if union > 0 else 0.0


def run(per_cell: int, seed: int, types: Sequence[str] | None = None) -> None:
    from extraction.preprocess import find_document

    pin_one_core()
    scores: dict[str, list[float | None]] = defaultdict(list)
    seconds: list[float] = []
    for sample in samples(per_cell, seed=seed, types=types):
        image = decode_photo(sample.image)
        started = time.perf_counter()
        geometry = find_document(image)
        seconds.append(time.perf_counter() - started)
        truth = np.asarray(sample.corners, dtype=np.float32)
        overlap = None if geometry is None else iou(geometry.corners, truth)
        scores[str(sample.difficulty)].append(overlap)
        if geometry is not None and overlap is not None and overlap < 0.9:
            print(f"# {sample.filename}: IoU {overlap:.2f} (confidence {geometry.confidence})")
        if geometry is None:
            print(f"# {sample.filename}: no outline")
    print("| difficulty | photos | found IoU ≥ 0.95 | 0.9–0.95 | wrong (< 0.9) | none |")
    print("|---|---|---|---|---|---|")
    for difficulty in DIFFICULTIES:
        values = scores[difficulty]
        good = sum(1 for v in values if v is not None and v >= 0.95)
        fair = sum(1 for v in values if v is not None and 0.9 <= v < 0.95)
        wrong = sum(1 for v in values if v is not None and v < 0.9)
        none = sum(1 for v in values if v is None)
        print(f"| {difficulty} | {len(values)} | {good} | {fair} | {wrong} | {none} |")
    print(
        f"find_document: median {percentile(seconds, 50) * 1000:.0f} ms, "
        f"p95 {percentile(seconds, 95) * 1000:.0f} ms (decoded photo in, corners out)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-cell", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--types", nargs="+", help="only these document types")
    arguments = parser.parse_args()
    run(arguments.per_cell, arguments.seed, arguments.types)


if __name__ == "__main__":
    main()
