from __future__ import annotations

import os

import numpy as np
import pytest

from extraction import ocr_engines


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1_048_576


@pytest.mark.skipif(
    ocr_engines._libc is None or not os.path.exists("/proc/self/statm"),
    reason="no malloc_trim (not glibc) or no /proc",
)
def test_free_heap_pages_go_back_to_the_system() -> None:
    # 3,000 blocks of 64 KB sit in the heap (below glibc's mmap threshold); the last one, kept,
    # pins the heap's top so that free() alone cannot shrink it.
    blocks = [np.ones(8192) for _ in range(3000)]
    pin = blocks.pop()
    del blocks
    before = resident_mb()
    ocr_engines.release_free_memory()
    assert resident_mb() < before - 100
    assert pin.sum() == 8192


@pytest.mark.parametrize(("max_side", "released"), [(640, False), (1152, True)])
def test_only_a_large_detection_releases_free_memory_first(
    monkeypatch: pytest.MonkeyPatch, max_side: int, released: bool
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(ocr_engines, "release_free_memory", lambda: calls.append(None))
    photo = np.full((1500, 2000, 3), 235, np.uint8)
    assert ocr_engines.engine().detect(photo, max_side=max_side) == []
    assert bool(calls) is released


def test_model_input_is_contiguous_nchw_in_minus_one_to_one() -> None:
    pixels = np.zeros((2, 3, 3), np.uint8)
    pixels[..., 0] = 255  # blue
    pixels[1, 2] = (0, 51, 102)
    tensor = ocr_engines._model_input(pixels)
    assert tensor.shape == (1, 3, 2, 3) and tensor.dtype == np.float32
    assert tensor.flags["C_CONTIGUOUS"]
    assert tensor[0, 0, 0, 0] == 1.0 and tensor[0, 1, 0, 0] == -1.0
    assert np.allclose(tensor[0, :, 1, 2], [-1.0, 51 / 127.5 - 1.0, 102 / 127.5 - 1.0])


def test_model_input_matches_the_plain_formula_bit_for_bit() -> None:
    pixels = np.random.default_rng(0).integers(0, 256, (40, 56, 3), dtype=np.uint8)
    plain = (pixels.astype(np.float32) / np.float32(127.5) - np.float32(1.0)).transpose(2, 0, 1)
    assert np.array_equal(ocr_engines._model_input(pixels)[0], plain)
