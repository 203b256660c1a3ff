"""A second look at the Tunisian certificate's page image, for what its text lines got wrong.

Values printed in both scripts on one line (`185 TU 5980   185 تونس 5980`, `CAMIONNETTE شاحنة
خفيفة`) lose Latin words when read whole, so their box is read again word by word. A value
printed in Arabic only (the address on some cards) is found as the unread text under its label
and read by Tesseract's Arabic model; nothing vouches for that reading, so it stays a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from extraction import arabic, ocr
from extraction.documents.second_look import read_slot, reread_words
from extraction.documents.tn_labels import LABELS
from extraction.documents.tn_rows import ValueColumn, arabic_address_line, row_gap
from extraction.documents.tn_vehicle_values import (
    BARE_PLATE,
    GENRES,
    RANGES,
    SLOT_PARSERS,
    read_fuel,
    read_known_genre,
    read_plate,
)
from extraction.layout import LabelHit, right_of
from extraction.ocr_engines import crop_line, engine
from extraction.printed_values import Read, guess
from extraction.rules import SURE_READING
from extraction.text import TextLine

# How far right of its label a value box may start (share of the page width).
VALUE_GAP = 0.25
# The slot right of a label a short value fills (share of the page width).
SLOT_WIDTH = 0.3
# A box narrower than this many times its height holds one word at most (an Arabic label).
MIN_WORDS_RATIO = 2.5
# How much of its height a line's box (the letters' core) grows by to hold its Arabic letters'
# dots and tails.
ARABIC_PAD = 0.3
# Longer side (px) of the copy of an address band the detector sees: it finds the line boxes
# there as on the page (DETECT_SIDE), and costs a fraction of a full-resolution look.
BAND_SIDE = 640
# A box sharing this much of its area with a line already read is that line.
SAME_BOX = 0.5


def value_line(hits: Sequence[LabelHit], lines: Sequence[TextLine], key: str) -> TextLine | None:
    """The box right of `key`'s label (a label holding its value inline has none to re-read)."""
    for hit in hits:
        if hit.key == key and not hit.inline_value:
            line = right_of(hit.line, lines, start_x=hit.line.x1, max_gap=VALUE_GAP)
            if line is not None:
                return line
    return None


def settle_reread(found: dict[str, Read], name: str, reread: Read | None) -> None:
    """Keep the word-by-word reading of `name`: it is sure only when the first reading agrees
    or was a mere guess; two sure readings that disagree leave a guess."""
    if reread is None:
        return
    first = found.get(name)
    if first is not None and first.value == reread.value:
        found[name] = max(first, reread, key=lambda read: read.confidence)
    elif first is not None and first.confidence > reread.confidence:
        found[name] = guess(reread)
    else:
        found[name] = reread


def arabic_value(
    hits: Sequence[LabelHit],
    images: Sequence[np.ndarray],
    key: str,
    *,
    strip: Callable[[str], str],
) -> Read | None:
    """The Arabic-only value of `key`: the first box of several Arabic words in the label's row
    or the next ones down to the next label, read with the Arabic model (`strip` removes the
    label's own words). A guess: nothing on the card confirms it."""
    own = [hit for hit in hits if hit.key == key]
    if not own or own[0].line.page >= len(images) or not arabic.available():
        return None
    label = own[0].line
    image = images[label.page]
    height, width = image.shape[:2]
    below = [hit.line.y0 for hit in hits if hit.line.page == label.page]
    below = [y for y in below if y > label.y1 + 0.5 * label.height]
    top = label.y0 - 0.5 * label.height
    bottom = min(below, default=label.y1 + 3 * label.height) - 0.3 * label.height
    left, right = (label.x1, 1.0) if label.x0 < 0.5 else (0.0, label.x0)
    y0, y1 = max(0, round(top * height)), min(height, round(bottom * height))
    x0, x1 = max(0, round(left * width)), min(width, round(right * width))
    band = image[y0:y1, x0:x1]
    if band.shape[0] < 8 or band.shape[1] < 8:
        return None
    # Labels are no value; any other box may be the Arabic value, unread or read as Latin
    # nonsense (`uigi sluall93`) by the Latin recogniser.
    label_boxes = [
        _pixel_box(hit.line, width, height, x0, y0) for hit in hits if hit.line.page == label.page
    ]
    quads = engine().detect(band, max_side=min(BAND_SIDE, max(band.shape[:2])))
    candidates = [quad for quad in quads if not any(_shares(quad, box) for box in label_boxes)]
    min_height = 0.5 * label.height * height
    label_top = label.y0 * height - y0
    for quad in sorted(candidates, key=lambda quad: float(quad[:, 1].mean())):
        box_height, box_width = float(np.ptp(quad[:, 1])), float(np.ptp(quad[:, 0]))
        if box_height < min_height or float(quad[:, 1].mean()) < label_top:
            continue
        if box_width < MIN_WORDS_RATIO * box_height:  # one word (the Arabic label): no value
            continue
        crop = crop_line(band, quad, pad=0.15)
        text = arabic.read_line(crop)
        value = strip(text).strip(" :.-") if text else ""
        # A value has several words; one word alone is the Arabic label misread.
        if arabic.has_arabic(value) and len(value.split()) >= 2:
            return guess(Read(arabic.with_numbers(value, _numbers(crop)), 1.0))
    return None


def _numbers(crop: np.ndarray) -> list[str]:
    """The words of `crop` the Latin recogniser reads, sure, as digits only."""
    words = ocr.split_words(crop)
    readings = engine().recognize(words) if words else []
    return [
        word.text.strip()
        for word in readings
        if word.text.strip().isdigit() and word.confidence >= ocr.MIN_CONFIDENCE
    ]


def _pixel_box(
    line: TextLine, width: int, height: int, x0: int, y0: int
) -> tuple[float, float, float, float]:
    return (
        line.x0 * width - x0,
        line.y0 * height - y0,
        line.x1 * width - x0,
        line.y1 * height - y0,
    )


def _shares(quad: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """True when `box` covers over `SAME_BOX` of the quad's bounding box."""
    qx0, qy0 = float(quad[:, 0].min()), float(quad[:, 1].min())
    qx1, qy1 = float(quad[:, 0].max()), float(quad[:, 1].max())
    overlap_x = max(0.0, min(qx1, box[2]) - max(qx0, box[0]))
    overlap_y = max(0.0, min(qy1, box[3]) - max(qy0, box[1]))
    area = max(1.0, (qx1 - qx0) * (qy1 - qy0))
    return overlap_x * overlap_y > SAME_BOX * area


def sure_plate(read: Read | None, line: TextLine) -> bool:
    """A plate read surely, series word seen, and every number on its line one of its own
    (the Arabic copy repeats them): nothing a second reading could add."""
    if read is None or read.confidence < SURE_READING:
        return False
    numbers = re.findall(r"\d+", str(read.value))
    return re.findall(r"\d+", line.text) in (numbers, numbers * 2)


def sure_genre(read: Read | None) -> bool:
    """A genre read surely that is no other genre cut short (`CAMION`, `CAMIONNETTE`)."""
    if read is None or read.confidence < SURE_READING:
        return False
    value = str(read.value)
    return value in GENRES and not any(g != value and g.startswith(value) for g in GENRES)


def look_again(
    found: dict[str, Read],
    hits: Sequence[LabelHit],
    lines: Sequence[TextLine],
    images: Sequence[np.ndarray],
) -> None:
    """Read bilingual value lines again word by word (see `tn_second_look`)."""
    plate_line = value_line(hits, lines, "registration_number")
    if plate_line is not None and not sure_plate(found.get("registration_number"), plate_line):
        settle_reread(found, "registration_number", reread_words(images, plate_line, read_plate))
    # A genre read whole may be cut short into another one (`CAMION` for `CAMIONNETTE`); when
    # its label is not on the same row, the line holding a genre word is the one to read again.
    genre_line = value_line(hits, lines, "genre")
    genre_lines = [line for line in lines if read_known_genre(line.text, line.confidence)]
    if genre_line is None and len(genre_lines) == 1:
        genre_line = genre_lines[0]
    if genre_line is not None and not sure_genre(found.get("genre")):
        settle_reread(found, "genre", reread_words(images, genre_line, read_known_genre))
    fuel_line = value_line(hits, lines, "fuel")
    if fuel_line is not None and "fuel" not in found:
        settle_reread(found, "fuel", reread_words(images, fuel_line, read_fuel))


def read_slots(
    found: dict[str, Read],
    hits: Sequence[LabelHit],
    lines: Sequence[TextLine],
    images: Sequence[np.ndarray],
) -> None:
    """Short values still missing, read in their label's slot where no box was read; a number
    outside the field's range is some other row's."""
    for name in SLOT_PARSERS:
        label = next((hit.line for hit in hits if hit.key == name and not hit.inline_value), None)
        if name in found or label is None or value_line(hits, lines, name) is not None:
            continue
        read = read_slot(images, label, SLOT_PARSERS[name], width=SLOT_WIDTH)
        low, high = RANGES.get(name, (0, 0))
        if read is not None and (name not in RANGES or low <= int(read.value) <= high):
            found[name] = read


def read_arabic_address(
    found: dict[str, Read],
    hits: Sequence[LabelHit],
    column: ValueColumn | None,
    images: Sequence[np.ndarray],
) -> None:
    """An address printed in Arabic only, read with the Arabic model: its line in the column
    of values (see `tn_rows.arabic_address_line`), its number as the Latin recogniser read it,
    else the unread text under its label (`arabic_value`). A guess: nothing on the card
    confirms the Arabic reading."""
    if "owner_address" in found or not arabic.available():
        return
    line = arabic_address_line(column) if column is not None else None
    if line is not None and line.page < len(images):
        text = arabic.read_line(ocr.line_box_crop(images[line.page], line, pad=ARABIC_PAD))
        if text and arabic.has_arabic(text) and len(text.split()) >= 2:
            numbers = re.findall(r"\d+", line.text)
            found["owner_address"] = guess(Read(arabic.with_numbers(text, numbers), 1.0))
            return
    address = arabic_value(
        hits, images, "owner_address",
        strip=lambda text: LABELS["owner_address"].sub(" ", text),
    )  # fmt: skip
    if address is not None:
        found["owner_address"] = address


def read_gaps(found: dict[str, Read], column: ValueColumn, images: Sequence[np.ndarray]) -> None:
    """Short values still missing, read in the blank their row leaves in the column of values
    (see `tn_rows.row_gap`); what is read there must have the value's whole shape. A guess:
    the value is placed by its row only."""
    for name, parser in SLOT_PARSERS.items():
        box = row_gap(column, name) if name not in found else None
        read = reread_words(images, box, parser, pad=0.0) if box is not None else None
        low, high = RANGES.get(name, (0, 0))
        if read is not None and (name not in RANGES or low <= int(read.value) <= high):
            found[name] = guess(read)


def add_bare_plate(
    found: dict[str, Read], lines: Sequence[TextLine], images: Sequence[np.ndarray]
) -> None:
    """The plate without its label, when a single line holds only its two numbers: read again
    word by word where the page image is at hand, a guess either way."""
    bare = [line for line in lines if BARE_PLATE.match(line.text)]
    if len(bare) != 1:
        return
    read = reread_words(images, bare[0], read_plate) if images else None
    read = read or read_plate(bare[0].text, bare[0].confidence)
    if read is not None:
        found["registration_number"] = guess(read)
