"""Speed and memory of the offline scan on one core, against RapidOCR run naively on the photo.

    python -m bench.speed [--per-cell 2]

Each side runs in its own child process pinned to one core (OMP_NUM_THREADS=1, onnxruntime
intra_op_num_threads=1) so peak RSS is its own: the photos are generated beforehand, in this
process, and the children read them from files (drawing a 12 MP photo takes more memory than some
scans). Some photos are re-encoded at 12 MP (4000×3000), the size a phone camera sends as a file.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from bench.common import (
    decode_photo,
    peak_rss_mb,
    percentile,
    pin_one_core,
    run_child,
    samples,
)

TWELVE_MP = (4000, 3000)


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (Tesseract runs as one)."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def photos(per_cell: int, seed: int) -> Iterator[tuple[str, bytes, bool]]:
    """(name, encoded photo, is 12 MP): every sample as generated, plus a 12 MP copy of each."""
    for sample in samples(per_cell, seed=seed):
        yield sample.filename, sample.image, False
        image = decode_photo(sample.image)
        landscape = image.shape[1] >= image.shape[0]
        size = TWELVE_MP if landscape else TWELVE_MP[::-1]
        big = cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)
        ok, encoded = cv2.imencode(".jpg", big, [cv2.IMWRITE_JPEG_QUALITY, 90])
        # Pixels kept alive here while the caller scans would count in the scan's peak RSS.
        del image, big
        if ok:
            yield f"12mp-{sample.filename}", encoded.tobytes(), True


def write_photos(per_cell: int, seed: int, directory: Path) -> None:
    """The benchmark's photos as files, numbered in order (`0007-12mp-passport-hard-2000.jpg`)."""
    for index, (name, data, _) in enumerate(photos(per_cell, seed)):
        (directory / f"{index:04d}-{name}").write_bytes(data)


def read_photos(directory: Path) -> Iterator[tuple[str, bytes, bool]]:
    """(name, encoded photo, is 12 MP) of the files `write_photos` left in `directory`."""
    for path in sorted(directory.iterdir()):
        name = path.name.split("-", 1)[1]
        yield name, path.read_bytes(), name.startswith("12mp-")


def measure_papiers(directory: Path) -> dict[str, Any]:
    """Preparation (intake, quality gate, preprocessing) and whole offline scans, timed."""
    from extraction import intake, preprocess, quality
    from extraction.pipeline import InputFile, scan_sync

    pin_one_core()
    scan_sync([InputFile(next(read_photos(directory))[1], "warm.jpg")])  # load the models once
    prepare: list[tuple[float, float, bool]] = []
    geometry_only: list[tuple[float, float, bool]] = []
    whole: list[tuple[float, float, bool]] = []
    for name, data, big in read_photos(directory):
        started, cpu = time.perf_counter(), cpu_seconds()
        flattening = [0.0, 0.0]
        pages = intake.decode(data, filename=name, max_bytes=50 << 20, max_pixels=60_000_000)
        while pages:
            image = pages.pop()
            step, step_cpu = time.perf_counter(), cpu_seconds()
            geometry = preprocess.find_document(image)
            preprocess.rectify(image, geometry)
            flattening[0] += time.perf_counter() - step
            flattening[1] += cpu_seconds() - step_cpu
            quality.assess(image, geometry)
            del image  # not to be counted in the whole scan's peak memory below
        prepare.append((time.perf_counter() - started, cpu_seconds() - cpu, big))
        geometry_only.append((flattening[0], flattening[1], big))
        started, cpu = time.perf_counter(), cpu_seconds()
        scan_sync([InputFile(data, name)])
        whole.append((time.perf_counter() - started, cpu_seconds() - cpu, big))
    return {
        "prepare": prepare,
        "preprocess": geometry_only,
        "whole": whole,
        "rss_mb": peak_rss_mb(),
    }


def measure_naive(directory: Path) -> dict[str, Any]:
    """RapidOCR with its defaults on the decoded photo, nothing else."""
    from rapidocr import RapidOCR

    pin_one_core()
    engine = RapidOCR(
        params={"Global.log_level": "error", "EngineConfig.onnxruntime.intra_op_num_threads": 1}
    )
    whole: list[tuple[float, float, bool]] = []
    for _, data, big in read_photos(directory):
        started, cpu = time.perf_counter(), cpu_seconds()
        engine(decode_photo(data))
        whole.append((time.perf_counter() - started, cpu_seconds() - cpu, big))
    return {"whole": whole, "rss_mb": peak_rss_mb()}


def _row(label: str, timings: list[list[Any]], *, big_only: bool = False) -> tuple[str, float]:
    """One table row: median and p95 of CPU time (what one dedicated core would take, Tesseract's
    subprocesses included) and of wall time (inflated when other processes share the core)."""
    chosen = [row for row in timings if row[2] or not big_only]
    cpu = [row[1] * 1000 for row in chosen]
    wall = [row[0] * 1000 for row in chosen]
    median = percentile(cpu, 50)
    return (
        f"| {label} | {len(chosen)} | {median:.0f} ms | {percentile(cpu, 95):.0f} ms "
        f"| {percentile(wall, 50):.0f} ms |",
        median,
    )


def report(per_cell: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="papiers-speed-") as folder:
        write_photos(per_cell, seed, Path(folder))
        ours = run_child("bench.speed", "--child", "papiers", "--photos", folder)
        naive = run_child("bench.speed", "--child", "naive", "--photos", folder)
    print(f"Speed on one core ({per_cell} photos per type and difficulty, each also at 12 MP)")
    print()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"(CPU time of the pinned process and its Tesseract runs; machine load average {load})")
    print()
    print("| step | photos | median | p95 | median wall |")
    print("|---|---|---|---|---|")
    rows = [
        ("preprocessing (find document + rectify), 12 MP photos", ours["preprocess"], True),
        ("intake + quality + preprocessing, all photos", ours["prepare"], False),
        ("intake + quality + preprocessing, 12 MP photos", ours["prepare"], True),
        ("whole offline scan, all photos", ours["whole"], False),
        ("whole offline scan, 12 MP photos", ours["whole"], True),
        ("baseline: RapidOCR naive on the photo, all", naive["whole"], False),
        ("baseline: RapidOCR naive on the photo, 12 MP", naive["whole"], True),
    ]
    medians = {}
    for label, timings, big in rows:
        line, median = _row(label, timings, big_only=big)
        medians[label] = median
        print(line)
    print()
    print(
        f"Peak RSS: offline scan {ours['rss_mb']:.0f} MB; naive RapidOCR {naive['rss_mb']:.0f} MB"
    )
    ratio = medians[rows[5][0]] / medians[rows[3][0]]
    ratio_big = medians[rows[6][0]] / medians[rows[4][0]]
    print(f"Naive / offline scan median time: {ratio:.1f}× (all photos), {ratio_big:.1f}× (12 MP)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-cell", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2000)
    parser.add_argument("--child", choices=("papiers", "naive"))
    parser.add_argument("--photos", type=Path, help="(children) where the photos were written")
    arguments = parser.parse_args()
    if arguments.child == "papiers":
        print(json.dumps(measure_papiers(arguments.photos)))
    elif arguments.child == "naive":
        print(json.dumps(measure_naive(arguments.photos)))
    else:
        report(arguments.per_cell, arguments.seed)


if __name__ == "__main__":
    cv2.setNumThreads(1)
    np.seterr(all="ignore")
    main()
