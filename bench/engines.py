"""Reading engines compared on the generated photos: how many printed values each one's text
contains (recall, an upper bound for field accuracy), time per photo and peak memory.

    python -m bench.engines [--per-cell 4]

Each engine runs in its own pinned child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from bench.common import DIFFICULTIES, decode_photo, peak_rss_mb, pin_one_core, run_child, samples

ENGINES = (
    "tesseract-photo",
    "tesseract-papiers",
    "rapidocr-photo",
    "rapidocr-truth-crop",
    "papiers",
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.upper())
    return re.sub(r"[^A-Z0-9<]", "", "".join(c for c in text if not unicodedata.combining(c)))


def printed_forms(value: str | int) -> list[str]:
    """How a normalised truth value may appear in printed text (dates in several styles)."""
    text = str(value)
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        year, month, day = match.groups()
        return [f"{day}{month}{year}", f"{year[2:]}{month}{day}", f"{day}{month}{year[2:]}"]
    return [_fold(text)]


def recall(truth: dict[str, Any], text: str) -> tuple[int, int]:
    folded = _fold(text)
    found = total = 0
    for value in truth.values():
        if value is None or str(value).strip() == "":
            continue
        total += 1
        found += any(form and form in folded for form in printed_forms(value))
    return found, total


def _tesseract(image: np.ndarray) -> str:
    """Tesseract's page reading (its default page segmentation), as the Debian binary gives it:
    the same call pytesseract makes, without a package the project does not otherwise need."""
    import subprocess

    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise ValueError("could not encode the photo")
    completed = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "fra+eng"],
        input=png.tobytes(),
        capture_output=True,
        check=True,
    )
    return completed.stdout.decode("utf-8", errors="replace")


def _rapidocr_whole(image: np.ndarray) -> str:
    from rapidocr import RapidOCR

    global _naive
    if _naive is None:
        _naive = RapidOCR(
            params={
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            }
        )
    result = _naive(image)
    return "\n".join(result.txts or ())


_naive: Any = None


def _papiers_image(image: np.ndarray) -> np.ndarray:
    from extraction import preprocess

    return preprocess.rectify(image, preprocess.find_document(image))


def _truth_crop(image: np.ndarray, sample: Any) -> np.ndarray:
    """The document warped from its true corners (given in its own tl, tr, br, bl order, so
    the result is upright)."""
    from extraction.geometry import DocumentGeometry
    from extraction.preprocess import rectify

    corners = np.asarray(sample.corners, dtype=np.float32)
    return rectify(image, DocumentGeometry(corners=corners, confidence=1.0))


def _reader(name: str) -> Callable[[np.ndarray, Any], str]:
    if name == "tesseract-photo":
        return lambda image, _: _tesseract(image)
    if name == "tesseract-papiers":
        return lambda image, _: _tesseract(_papiers_image(image))
    if name == "rapidocr-photo":
        return lambda image, _: _rapidocr_whole(image)
    if name == "rapidocr-truth-crop":
        return lambda image, sample: _rapidocr_whole(_truth_crop(image, sample))
    if name == "papiers":
        from extraction.pipeline import prepare_page

        return lambda image, _: "\n".join(line.text for line in prepare_page(image, 0).lines)
    raise ValueError(name)


def measure(name: str, per_cell: int, seed: int) -> dict[str, Any]:
    """One engine over the generated set (run in a child process)."""
    pin_one_core()
    read = _reader(name)
    found = dict.fromkeys(DIFFICULTIES, 0)
    total = dict.fromkeys(DIFFICULTIES, 0)
    seconds = []
    for sample in samples(per_cell, seed=seed):
        image = decode_photo(sample.image)
        started = time.perf_counter()
        text = read(image, sample)
        seconds.append(time.perf_counter() - started)
        hit, count = recall(sample.fields, text)
        found[str(sample.difficulty)] += hit
        total[str(sample.difficulty)] += count
    return {
        "engine": name,
        "found": found,
        "total": total,
        "median_s": float(np.median(seconds)) if seconds else float("nan"),
        "rss_mb": peak_rss_mb(),
        "photos": len(seconds),
    }


def report(per_cell: int, seed: int, engines: tuple[str, ...] = ENGINES) -> None:
    print(f"Reading engines: recall of printed values, {per_cell} photos per type and difficulty")
    print("| engine | recall all (clean / phone / hard) | median per photo | peak RSS |")
    print("|---|---|---|---|")
    for name in engines:
        row = run_child(
            "bench.engines", "--child", name, "--per-cell", str(per_cell), "--seed", str(seed)
        )
        parts = [f"{100 * row['found'][d] / max(1, row['total'][d]):.0f}" for d in DIFFICULTIES]
        everything = 100 * sum(row["found"].values()) / max(1, sum(row["total"].values()))
        print(
            f"| {name} | {everything:.0f}% ({' / '.join(parts)}) | {row['median_s']:.2f} s "
            f"| {row['rss_mb']:.0f} MB |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-cell", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--child")
    parser.add_argument("--engines", default=",".join(ENGINES))
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(measure(arguments.child, arguments.per_cell, arguments.seed)))
    else:
        report(arguments.per_cell, arguments.seed, tuple(arguments.engines.split(",")))


if __name__ == "__main__":
    cv2.setNumThreads(1)
    main()
