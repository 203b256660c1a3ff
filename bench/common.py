"""What every benchmark shares: the generated photos, one pinned core, and child processes (so
each engine's peak memory is its own)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import cv2
import numpy as np

DIFFICULTIES = ("clean", "phone", "hard")


def pin_one_core() -> None:
    """Run this process on one core with single-threaded numeric libraries, as the targets say."""
    os.environ["OMP_NUM_THREADS"] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)
    from extraction.ocr_engines import use_threads

    use_threads(1)


def available_types() -> list[str]:
    """Document types whose parser (`SPEC` module) exists in this tree."""
    from extraction.documents import _MODULES

    present = []
    for document_type, module in _MODULES.items():
        if importlib.util.find_spec(module) is not None:
            present.append(document_type.value)
    return present


def samples(per_cell: int, *, seed: int = 0, types: Sequence[str] | None = None) -> Iterator[Any]:
    """Generated photos (docgen `Sample`s), `per_cell` per type and difficulty."""
    import docgen

    for document_type in types or available_types():
        for difficulty in DIFFICULTIES:
            for index in range(per_cell):
                try:
                    yield docgen.generate(
                        document_type, docgen.Difficulty(difficulty), seed + index
                    )
                except (KeyError, ValueError, NotImplementedError) as error:
                    print(f"# docgen cannot make {document_type}/{difficulty}: {error}")
                    break


def decode_photo(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("undecodable photo")
    return image


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args…` and return the JSON object it prints last."""
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.getcwd()}
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{module} {args} failed:\n{completed.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def percentile(values: Sequence[float], share: float) -> float:
    return float(np.percentile(np.asarray(values), share)) if values else float("nan")


def share(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:5.1f}%" if denominator else "    -"
