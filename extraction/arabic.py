"""Reading Arabic text lines with Tesseract's `ara` model (the PP-OCR recogniser reads Latin only).

Tesseract runs as a subprocess on one line crop at a time (PNG on stdin, text on stdout), so its
cost is paid only for the few fields printed in Arabic alone. Without the `tesseract` binary or
its `ara` model, nothing is read: the field stays missing, the scan goes on.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from functools import cache

import cv2
import numpy as np

_log = logging.getLogger(__name__)

LANGUAGE = "ara"
# Heights (px) of the line crop, letters and margin, Tesseract is asked to read at in turn: it
# reads Arabic best at 32-48 px and may read nothing at all on a taller crop.
LINE_HEIGHTS = (48, 32)
TIMEOUT_S = 10.0
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
# Tatweel (kashida) stretches words for layout; harakat are vowel marks a form rarely prints.
_DECORATION = re.compile(r"[\u0640\u064B-\u065F\u0670\u200E\u200F\u202A-\u202E\u2066-\u2069]")
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@cache
def available() -> bool:
    """True when the `tesseract` binary and its Arabic model are installed."""
    binary = shutil.which("tesseract")
    if binary is None:
        return False
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in listed.stdout.split()


def normalise(text: str) -> str:
    """Arabic text as a form's value: Western digits, no tatweel or vowel marks, single spaces."""
    plain = _DECORATION.sub("", text.translate(_EASTERN_DIGITS))
    return " ".join(plain.split())


def has_arabic(text: str) -> bool:
    """True when `text` holds at least one Arabic letter."""
    return bool(_ARABIC_LETTER.search(text))


def read_line(crop: np.ndarray) -> str | None:
    """The Arabic text on a one-line crop (normalised), or None when Tesseract is missing,
    fails, or reads no Arabic letter there at any of `LINE_HEIGHTS`."""
    if crop.size == 0 or not available():
        return None
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    for height in LINE_HEIGHTS:
        scale = height / max(1, gray.shape[0])
        method = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        text = _tesseract(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=method))
        if text is None:
            return None
        if has_arabic(text):
            return text
    return None


def _tesseract(gray: np.ndarray) -> str | None:
    """Tesseract's reading of one line image, normalised; None when it could not run."""
    ok, png = cv2.imencode(".png", gray)
    if not ok:
        return None
    try:
        completed = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGUAGE, "--psm", "7"],
            input=png.tobytes(),
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        _log.warning("arabic reader failed: %s", type(error).__name__)
        return None
    if completed.returncode != 0:
        _log.warning("arabic reader failed: exit %s", completed.returncode)
        return None
    return normalise(completed.stdout.decode("utf-8", errors="replace"))


_NUMBER = re.compile(r"(?<!\d)\d+(?!\d)")


def with_numbers(text: str, numbers: list[str]) -> str:
    """`text` (read by the Arabic model) with its one number replaced by `numbers[0]` when the
    Latin recogniser read exactly one number on the same line and both end with the same digit:
    the Arabic model often drops or misreads a number's leading digits (`93` read `3` or `53`),
    the Latin one reads digits well. Anything less clear-cut leaves `text` as it is."""
    found = _NUMBER.findall(text)
    if len(found) != 1 or len(numbers) != 1 or numbers[0][-1] != found[0][-1]:
        return text
    return _NUMBER.sub(numbers[0], text, count=1)
