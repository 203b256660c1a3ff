"""`python -m docgen --out DIR --per-cell N --seed S [--types ...] [--difficulties ...]` writes
photos plus `truth.jsonl`; `python -m docgen samples` regenerates the repository's `samples/`."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

from PIL import Image

from docgen.api import RENDERERS, Difficulty, Sample, dataset, generate

# The committed demo photos: (type, difficulty, seed) chosen to show every type and variant.
SAMPLES = (
    ("fr_identity_card", Difficulty.PHONE, 0),
    ("fr_identity_card", Difficulty.CLEAN, 1),
    ("passport", Difficulty.PHONE, 2),
    ("passport", Difficulty.HARD, 3),
    ("fr_vehicle_registration", Difficulty.PHONE, 1),
    ("fr_vehicle_registration", Difficulty.CLEAN, 2),
    ("tn_vehicle_registration", Difficulty.PHONE, 0),
    ("fft_licence", Difficulty.PHONE, 0),
)
_SAMPLE_MAX_PIXELS = 3_000_000


def truth_record(sample: Sample) -> dict[str, object]:
    """Everything about a sample except its bytes, JSON-ready."""
    record = asdict(sample)
    record.pop("image")
    record["difficulty"] = sample.difficulty.value
    record["exif_orientation"] = exif_orientation(sample.image)
    return record


def exif_orientation(data: bytes) -> int:
    """The EXIF orientation tag of an encoded image (1 when absent)."""
    with Image.open(io.BytesIO(data)) as image:
        return int(image.getexif().get(0x0112, 1))


def write(samples: Iterable[Sample], out: Path) -> int:
    """Write each sample's photo and one `truth.jsonl` line; return how many were written."""
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for sample in samples:
            (out / sample.filename).write_bytes(sample.image)
            truth.write(json.dumps(truth_record(sample), ensure_ascii=False) + "\n")
            count += 1
    return count


def demo_samples() -> list[Sample]:
    """The committed samples, shrunk to at most 3 MP (corners scaled to match)."""
    chosen = [(t, d, s) for t, d, s in SAMPLES if t in RENDERERS]
    return [_shrink(generate(t, d, s)) for t, d, s in chosen]


def _shrink(sample: Sample) -> Sample:
    with Image.open(io.BytesIO(sample.image)) as image:
        width, height = image.size
        if width * height <= _SAMPLE_MAX_PIXELS:
            return sample
        factor = (_SAMPLE_MAX_PIXELS / (width * height)) ** 0.5
        size = (round(width * factor), round(height * factor))
        small = image.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=88, exif=image.getexif().tobytes())
    corners = tuple((round(x * factor, 1), round(y * factor, 1)) for x, y in sample.corners)
    kept = {k: v for k, v in vars(sample).items() if k not in ("image", "corners")}
    return Sample(**kept, image=buffer.getvalue(), corners=corners)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["samples"]:
        target = Path(__file__).resolve().parent.parent / "samples"
        count = write(demo_samples(), target)
        print(f"wrote {count} samples to {target}")
        return 0
    parser = argparse.ArgumentParser(prog="python -m docgen", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-cell", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--types", nargs="+", choices=sorted(RENDERERS), default=None)
    parser.add_argument(
        "--difficulties", nargs="+", choices=[d.value for d in Difficulty], default=None
    )
    options = parser.parse_args(args)
    count = write(
        dataset(
            options.per_cell,
            seed=options.seed,
            types=options.types,
            difficulties=options.difficulties,
        ),
        options.out,
    )
    print(f"wrote {count} photos and truth.jsonl to {options.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
