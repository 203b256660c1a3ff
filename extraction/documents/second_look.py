"""A second look at a page image where the text lines fall short: a line read again word by
word, or the blank slot right of a label (or code) read when the detector found no box there.

The detector misses lone short values (a carte grise's `5` seats, a Tunisian card's seats
digit) and scores some under its noise floor; their label was read, so where the value must be
is known. Nothing vouches for what a slot holds but its shape, so a slot's value is a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from extraction import ocr
from extraction.printed_values import Parser, Read, guess
from extraction.text import TextLine

# Words the recogniser scores under this are noise (a word in a script it cannot read).
MIN_WORD_CONFIDENCE = 0.5
# How much taller than the label's letters (in their height, each side) a slot's value may be.
SLOT_PAD = 0.6
# Blank left between a label's box and its slot (share of the page width).
SLOT_GAP = 0.005


def reread_words(
    images: Sequence[np.ndarray], line: TextLine, parser: Parser, *, pad: float = 0.35
) -> Read | None:
    """`line` read again word by word (its box grown by `pad` × its height, see
    `ocr.read_words`) and parsed; the words' lowest score is the confidence."""
    if line.page >= len(images):
        return None
    words = [
        word
        for word in ocr.read_words(images[line.page], line, pad=pad)
        if word.text.strip() and word.confidence >= MIN_WORD_CONFIDENCE
    ]
    if not words:
        return None
    return parser(" ".join(word.text.strip() for word in words), min(w.confidence for w in words))


def read_slot(
    images: Sequence[np.ndarray], label: TextLine, parser: Parser, *, width: float
) -> Read | None:
    """The value in the slot right of `label` (`width` of the page wide) when no box was read
    there: the slot cut into words, read, and parsed. A guess: the box was never found, so it
    may be the next row's."""
    slot = replace(label, x0=label.x1 + SLOT_GAP, x1=min(1.0, label.x1 + width))
    if slot.x1 <= slot.x0:
        return None
    read = reread_words(images, slot, parser, pad=SLOT_PAD)
    return guess(read) if read is not None else None
