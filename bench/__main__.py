"""All foundation benchmarks in a row: `python -m bench [--quick]` (what `make bench` runs).

Engines (recall of printed values), accuracy per type and difficulty, speed and memory on one core.
"""

from __future__ import annotations

import argparse

from bench import accuracy, engines, speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer photos (a smoke run)")
    parser.add_argument("--skip-engines", action="store_true")
    arguments = parser.parse_args()
    per_cell = 2 if arguments.quick else 8
    if not arguments.skip_engines:
        engines.report(max(1, per_cell // 2), seed=1000)
        print()
    accuracy.run(per_cell, seed=1000)
    print()
    speed.report(max(1, per_cell // 4), seed=2000)


if __name__ == "__main__":
    main()
