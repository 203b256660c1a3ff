"""Field accuracy of the offline scan on generated photos, per document type and difficulty.

    python -m bench.accuracy [--per-cell 8] [--seed 1000] [--types T…] [--difficulties D…]

"exact" is the share of printed fields whose `value` equals the truth exactly; "wrong ✅" the
share of fields marked valid whose value is not the truth (a value where nothing is printed
counts as wrong too); "marked ✅" how many fields (per printed field) are marked valid.
`--verbose` prints each photo's misreads and lists every wrong-but-✅ field at the end.
Every type whose parser (`SPEC` module) exists is included. Photos are scanned as of the
generator's reference day, so expiry checks (and the figures) do not drift with the calendar.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from bench.common import DIFFICULTIES, available_types, pin_one_core, samples, share
from docgen.document import REFERENCE_DAY

# The ten fields the product is judged on, by the names each type's contract gives them.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "plate": (
        "fr_vehicle_registration.registration_number",
        "tn_vehicle_registration.registration_number",
    ),
    "VIN": ("fr_vehicle_registration.vin", "tn_vehicle_registration.vin"),
    "first registration": (
        "fr_vehicle_registration.first_registration_date",
        "tn_vehicle_registration.first_registration_date",
    ),
    "holder name": ("fr_vehicle_registration.holder_name", "tn_vehicle_registration.owner_name"),
    "make": ("fr_vehicle_registration.make", "tn_vehicle_registration.make"),
    "model": ("fr_vehicle_registration.commercial_name", "tn_vehicle_registration.commercial_type"),
    "licence number": ("fft_licence.licence_number",),
    "ranking": ("fft_licence.ranking",),
    "document number": ("fr_identity_card.document_number", "passport.document_number"),
    "birth date": (
        "fr_identity_card.birth_date",
        "passport.birth_date",
        "fft_licence.birth_date",
    ),
}
MRZ_TYPES = ("fr_identity_card", "passport", "fr_vehicle_registration")
# Hard photos are also reported by how large the document's print appears (photo pixels per
# millimetre of the document): a carte grise's 3 mm values are ~9 px high at 3 px/mm.
SCALE_BANDS = ((0.0, "< 4 px/mm"), (4.0, "4–6 px/mm"), (6.0, "≥ 6 px/mm"))
NAME_FIELDS = ("surname", "given_names")
VEHICLE_NAME_FIELDS = ("make", "commercial_name")


class Tally:
    """Counts for one cell of the report."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, **counts: int) -> None:
        self.counts.update(counts)


def _as_encoded(name: str, value: object, truth: object) -> bool:
    """A name as the zone holds it: the MRZ has no accents (ANAÏS is ANAIS there, JÖRG JOERG),
    the SIV zone no dashes (C-HR is C<HR there)."""
    from docgen.mrz import transliterate
    from extraction.siv_zone import zone_name_field

    if name in VEHICLE_NAME_FIELDS:
        return zone_name_field(str(value), "") == zone_name_field(str(truth), "")
    return name in NAME_FIELDS and transliterate(str(value)) == transliterate(str(truth))


def score_sample(sample: Any, result: Any, cell: Tally, keys: dict[str, Tally], mrz: Tally) -> None:
    """Compare one scan result with the sample's truth and add to the tallies."""
    document_type = str(sample.document_type)
    cell.add(photos=1, type_right=int(str(result.document_type) == document_type))
    mrz_ok = bool(result.mrz is not None and getattr(result.mrz, "check_digits_ok", False))
    if document_type in MRZ_TYPES:
        mrz.add(documents=1, legible=int(mrz_ok))
    for name, truth in sample.fields.items():
        field = result.fields.get(name)
        value = field.value if field is not None else None
        right = value == truth
        valid = field is not None and str(field.status) == "valid"
        if truth is not None:
            cell.add(fields=1, exact=int(right))
        cell.add(valid=int(valid), valid_wrong=int(valid and not right))
        if mrz_ok and field is not None and str(field.source) == "mrz" and truth is not None:
            encoded = right or _as_encoded(name, value, truth)
            mrz.add(fields=1, exact=int(right), encoded=int(encoded))
        for key, names in KEY_FIELDS.items():
            if f"{document_type}.{name}" in names and truth is not None:
                keys[key].add(fields=1, exact=int(right), valid_wrong=int(valid and not right))


def run(
    per_cell: int,
    seed: int,
    *,
    verbose: bool = False,
    only_types: Sequence[str] | None = None,
    difficulties: Sequence[str] | None = None,
) -> None:
    """Scan every generated photo (or those of `only_types` / `difficulties`) and print the
    accuracy tables."""
    from extraction.pipeline import InputFile, scan_sync

    pin_one_core()
    types = [name for name in available_types() if not only_types or name in only_types]
    cells: dict[tuple[str, str], Tally] = defaultdict(Tally)
    keys: dict[str, Tally] = defaultdict(Tally)
    mrz = Tally()
    scales: dict[str, Tally] = defaultdict(Tally)
    wrong_valid: list[str] = []
    started = time.perf_counter()
    for sample in samples(per_cell, seed=seed, types=types, difficulties=difficulties):
        result = scan_sync([InputFile(sample.image, sample.filename)], today=REFERENCE_DAY)
        if verbose:
            wrong = {
                name: (truth, result.fields[name].value if name in result.fields else None)
                for name, truth in sample.fields.items()
                if name not in result.fields or result.fields[name].value != truth
            }
            print(f"# {sample.filename} → {result.document_type}: {wrong}", flush=True)
            wrong_valid.extend(_wrong_valid(sample, result))
        score_sample(
            sample, result, cells[(str(sample.document_type), str(sample.difficulty))], keys, mrz
        )
        if str(sample.difficulty) == "hard":
            band = scales[scale_band(sample.px_per_mm)]
            score_sample(sample, result, band, keys=defaultdict(Tally), mrz=Tally())
    elapsed = time.perf_counter() - started

    photos = sum(cell.counts["photos"] for cell in cells.values())
    print(
        f"Accuracy of the offline scan: {photos} generated photos ({per_cell} per type and "
        f"difficulty, seed {seed}), {elapsed:.0f} s on one core"
    )
    print()
    print("| type | difficulty | photos | type found | fields | exact | marked ✅ | wrong ✅ |")
    print("|---|---|---|---|---|---|---|---|")
    totals: dict[str, Tally] = defaultdict(Tally)
    for (document_type, difficulty), cell in sorted(cells.items(), key=_cell_order):
        c = cell.counts
        totals[difficulty].counts.update(c)
        totals["all"].counts.update(c)
        print(
            f"| {document_type} | {difficulty} | {c['photos']} | "
            f"{share(c['type_right'], c['photos'])} | {c['fields']} | "
            f"{share(c['exact'], c['fields'])} | {share(c['valid'], c['fields'])} | "
            f"{share(c['valid_wrong'], c['valid'])} |"
        )
    for difficulty in (*DIFFICULTIES, "all"):
        c = totals[difficulty].counts
        if not c["photos"]:
            continue
        print(
            f"| **all** | **{difficulty}** | {c['photos']} | "
            f"{share(c['type_right'], c['photos'])} | {c['fields']} | "
            f"**{share(c['exact'], c['fields'])}** | {share(c['valid'], c['fields'])} | "
            f"{share(c['valid_wrong'], c['valid'])} |"
        )
    if scales:
        print()
        print("| hard photos by the document's scale | photos | type found | fields | exact |")
        print("|---|---|---|---|---|")
        for _, label in SCALE_BANDS:
            c = scales[label].counts
            print(
                f"| {label} | {c['photos']} | {share(c['type_right'], c['photos'])} | "
                f"{c['fields']} | {share(c['exact'], c['fields'])} |"
            )
    print()
    print("| key field | fields | exact | wrong ✅ (share of its fields) |")
    print("|---|---|---|---|")
    for key in KEY_FIELDS:
        c = keys[key].counts
        print(
            f"| {key} | {c['fields']} | {share(c['exact'], c['fields'])} | "
            f"{share(c['valid_wrong'], c['fields'])} |"
        )
    print()
    c = mrz.counts
    encoded = share(c["encoded"], c["fields"]).strip()
    exact = share(c["exact"], c["fields"]).strip()
    print(
        f"MRZ: legible (check digits pass) on {c['legible']}/{c['documents']} documents; "
        f"fields taken from a legible MRZ: {encoded} as the zone encodes them "
        f"({c['encoded']}/{c['fields']}), {exact} exact as printed ({c['exact']}/{c['fields']}: "
        "the zone has no accents, and where the printed name went unread its MRZ form is given)"
    )
    if verbose:
        print()
        print(f"Wrong but ✅ ({len(wrong_valid)}):")
        for line in sorted(wrong_valid):
            print(f"- {line}")


def scale_band(px_per_mm: float) -> str:
    """The `SCALE_BANDS` label of a document photographed at `px_per_mm`."""
    return [label for lowest, label in SCALE_BANDS if px_per_mm >= lowest][-1]


def _wrong_valid(sample: Any, result: Any) -> list[str]:
    """One line per field marked valid whose value is not the truth: type, difficulty, seed."""
    lines = []
    for name, field in result.fields.items():
        truth = sample.fields.get(name)
        if str(field.status) == "valid" and field.value != truth:
            lines.append(
                f"{sample.document_type}/{sample.variant} {sample.difficulty} seed {sample.seed} "
                f"{name} [{field.source}]: read {field.value!r}, truth {truth!r}"
            )
    return lines


def _cell_order(item: tuple[tuple[str, str], Tally]) -> tuple[str, int]:
    document_type, difficulty = item[0]
    return document_type, DIFFICULTIES.index(difficulty)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-cell", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--verbose", action="store_true", help="print each photo's misreads")
    parser.add_argument("--types", nargs="+", help="only these document types")
    parser.add_argument("--difficulties", nargs="+", choices=DIFFICULTIES)
    arguments = parser.parse_args()
    run(
        arguments.per_cell,
        arguments.seed,
        verbose=arguments.verbose,
        only_types=arguments.types,
        difficulties=arguments.difficulties,
    )


if __name__ == "__main__":
    main()
