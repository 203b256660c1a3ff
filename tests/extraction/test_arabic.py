from __future__ import annotations

import subprocess
from collections.abc import Iterator

import cv2
import numpy as np
import pytest
from PIL import Image

from docgen.canvas import Card
from extraction import arabic


@pytest.fixture(autouse=True)
def fresh_availability() -> Iterator[None]:
    arabic.available.cache_clear()
    yield
    arabic.available.cache_clear()


def test_eastern_digits_tatweel_vowel_marks_and_direction_marks_are_dropped() -> None:
    assert arabic.normalise("٩٣  حيّ الخضــراء\u200f تونس\n") == "93 حي الخضراء تونس"
    assert arabic.normalise("39 شارع قرطاج") == "39 شارع قرطاج"


def test_arabic_letters_are_told_from_latin_and_digits() -> None:
    assert arabic.has_arabic("39 شارع")
    assert not arabic.has_arabic("39 RUE DE CARTHAGE")
    assert not arabic.has_arabic("٣٩")  # digits alone are no Arabic text


@pytest.mark.parametrize(
    ("text", "numbers", "expected"),
    [
        ("3 حي الخضراء تونس", ["93"], "93 حي الخضراء تونس"),  # leading digit restored
        ("93 حي الخضراء", ["93"], "93 حي الخضراء"),
        ("53 حي الخضراء", ["93"], "93 حي الخضراء"),  # leading digit misread
        ("3 حي الخضراء", ["12"], "3 حي الخضراء"),  # does not end with the Arabic model's 3
        ("3 حي الخضراء", ["93", "12"], "3 حي الخضراء"),  # which number? no telling
        ("3 نهج 5 تونس", ["93"], "3 نهج 5 تونس"),
        ("حي الخضراء", ["93"], "حي الخضراء"),  # no number to complete
    ],
)
def test_latin_digits_complete_the_arabic_models_number_only_when_clear_cut(
    text: str, numbers: list[str], expected: str
) -> None:
    assert arabic.with_numbers(text, numbers) == expected


def test_without_tesseract_nothing_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arabic.shutil, "which", lambda _name: None)
    assert not arabic.available()
    assert arabic.read_line(np.full((40, 200), 255, np.uint8)) is None


def test_without_the_arabic_model_nothing_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = subprocess.CompletedProcess([], 0, stdout="List of languages:\neng\nfra\n")
    monkeypatch.setattr(arabic.shutil, "which", lambda _name: "/usr/bin/tesseract")
    monkeypatch.setattr(arabic.subprocess, "run", lambda *_a, **_k: listed)
    assert not arabic.available()


def test_a_failing_tesseract_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> subprocess.CompletedProcess[bytes]:
        raise subprocess.TimeoutExpired("tesseract", arabic.TIMEOUT_S)

    monkeypatch.setattr(arabic, "available", lambda: True)
    monkeypatch.setattr(arabic.subprocess, "run", broken)
    assert arabic.read_line(np.full((40, 200), 255, np.uint8)) is None


def printed(text: str) -> np.ndarray:
    """`text` printed on white as a carte grise prints a value (3 mm high at 250 dpi)."""
    card = Card(80, 7, 250, Image.new("RGB", (787, 69), "white"))
    card.text(2, 1.5, text, 3.0)
    return cv2.cvtColor(np.asarray(card.image), cv2.COLOR_RGB2BGR)


@pytest.mark.skipif(not arabic.available(), reason="tesseract-ocr-ara is not installed")
def test_an_arabic_line_is_read() -> None:
    assert arabic.read_line(printed("شارع قرطاج بن عروس")) == "شارع قرطاج بن عروس"
