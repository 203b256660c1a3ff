"""How the SIV zone's name field (`MAKE<<MODEL`) comes back from OCR misreads: simulated
misreads of the generator's makes and models, checked by the real zone parser.

    python -m bench.zone_names [--trials 3000] [--seed 1]

Each trial writes a zone with its check digits, misreads one to three of the name's letters and
digits as their look-alikes (`0`/`O`, `1`/`I`, `5`/`S`, `8`/`B`, `2`/`Z`, optionally `6`/`G`,
which no check digit tells apart), and on every other trial one letter as another letter too
(a misread no look-alike search can undo). It prints how often the parsed name is right, wrong,
or not given, with the look-alike search and with one-substitution repair alone.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from datetime import date
from unittest import mock

from docgen.vehicles import CATALOGUE
from extraction import siv_zone
from extraction.check_digits import check_digit

_OTHER_LETTERS = "ACEFHJKLMNPRTUVWXY"


def _zone(names: str, rng: random.Random) -> tuple[str, str]:
    plate, vin, first = "AB123CD<<", "VF1RFB00X64567890", "190312"
    formula = f"20{rng.randint(0, 25):02d}AB{rng.randint(0, 99999):05d}"
    line1 = "CRFRA" + plate + check_digit(plate) + vin + check_digit(vin) + first
    line1 += check_digit(first) + "<<<<"
    line2 = "CIVP<" + formula + check_digit(formula) + names + check_digit(names)
    return line1, line2 + check_digit(line1[5:40] + line2[2:43])


def _pairs(six_g: bool) -> dict[str, str]:
    return {k: v for k, v in siv_zone.LETTER_DIGIT.items() if six_g or k not in "6G"}


def _misread(names: str, rng: random.Random, *, six_g: bool, other: bool) -> str:
    chars = list(names)
    pairs = _pairs(six_g)
    places = [index for index, char in enumerate(chars) if char in pairs]
    for index in rng.sample(places, rng.randint(1, min(3, len(places)))):
        chars[index] = pairs[chars[index]]
    if other:
        letters = [index for index, char in enumerate(chars) if char.isalpha()]
        index = rng.choice(letters)
        chars[index] = rng.choice([c for c in _OTHER_LETTERS if c != chars[index]])
    return "".join(chars)


def run(trials: int, seed: int, six_g: bool) -> dict[tuple[bool, bool], Counter[str]]:
    """Counts of right / wrong / none, by (search on, a non-look-alike misread too)."""
    every = {siv_zone.zone_name_field(model.make, model.name) for model in CATALOGUE}
    names = sorted(name for name in every if any(char in _pairs(six_g) for char in name))
    results: dict[tuple[bool, bool], Counter[str]] = {}
    for search in (True, False):
        rng = random.Random(seed)
        limit = siv_zone.MAX_LOOK_ALIKES if search else 0
        with mock.patch.object(siv_zone, "MAX_LOOK_ALIKES", limit):
            for trial in range(trials):
                truth = rng.choice(names)
                line1, line2 = _zone(truth, rng)
                other = trial % 2 == 1
                misread = line2[:17] + _misread(truth, rng, six_g=six_g, other=other) + line2[42:]
                zone = siv_zone.parse_siv_zone(line1, misread, today=date(2026, 6, 1))
                tally = results.setdefault((search, other), Counter())
                if zone.make is None:
                    tally["none"] += 1
                else:
                    read = siv_zone.zone_name_field(zone.make, zone.commercial_name or "")
                    tally["right" if read == truth else "wrong"] += 1
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"SIV zone name field: {args.trials} simulated misreads per row (seed {args.seed})\n")
    print("| misreads | repair | right | wrong | not given |")
    print("|---|---|---|---|---|")
    for six_g in (False, True):
        for (search, other), tally in run(args.trials, args.seed, six_g).items():
            kind = "look-alikes" + (" incl. 6/G" if six_g else "") + (" + another" if other else "")
            repair = "look-alike search" if search else "one substitution"
            print(f"| {kind} | {repair} | {tally['right']} | {tally['wrong']} | {tally['none']} |")


if __name__ == "__main__":
    main()
