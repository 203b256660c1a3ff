"""The offline reading engine: RapidOCR's bundled PP-OCR models, driven step by step.

We call the detector, the recogniser and the 180° line classifier separately (instead of
`RapidOCR()(image)`) so the reader can detect once at a modest size and recognise only the lines
it chose, from the full-resolution document. The models ship inside the `rapidocr` wheel: nothing
is downloaded at run time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np

RAPIDOCR_VERSION = "3.10"
MODELS = "ppocrv6-small"
ENGINE_NAME = f"rapidocr-{RAPIDOCR_VERSION}/{MODELS}"

# The recogniser's input height (PP-OCR rec models are trained on 48 px high lines).
LINE_HEIGHT = 48
# Recognition cost grows with the line's width; a line wider than this many heights is split.
MAX_LINE_RATIO = 40.0

# A detector input above this many pixels (the 1152 px whole-photo pass) needs ~150 MB of
# activations: the heap's free pages are handed back first so they do not pile up under them.
LARGE_DETECTION_PIXELS = 640 * 640

_threads = 0  # 0: onnxruntime's default (one thread per physical core)


@dataclass(frozen=True, slots=True)
class Recognition:
    """What the recogniser read on one line crop."""

    text: str
    confidence: float


def use_threads(threads: int) -> None:
    """Set onnxruntime's intra-op threads (benchmarks pin 1); call before the first reading."""
    global _threads
    if threads != _threads:
        _threads = threads
        engine.cache_clear()


class PaddleEngine:
    """PP-OCR detection, recognition and orientation models in one onnxruntime process each.

    onnxruntime sessions may run concurrently, but one reading already keeps the cores busy, so a
    lock serialises calls (the worker may call from several threads).
    """

    def __init__(self, threads: int) -> None:
        from rapidocr import RapidOCR

        params: dict[str, object] = {"Global.log_level": "error"}
        if threads > 0:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        loader: Any = RapidOCR(params=params)
        self._detector = loader._load_det_model()
        self._recognizer = loader._load_rec_model()
        self._classifier = loader._load_cls_model()
        self._lock = threading.Lock()

    def detect(self, image: np.ndarray, *, max_side: int) -> list[np.ndarray]:
        """Text line quadrilaterals (4×2 float32, tl tr br bl) in `image` pixels, found on a copy
        whose longer side is at most `max_side`."""
        height, width = image.shape[:2]
        scale = min(1.0, max_side / max(height, width))
        resized_w = max(32, round(width * scale / 32) * 32)
        resized_h = max(32, round(height * scale / 32) * 32)
        if resized_w * resized_h > LARGE_DETECTION_PIXELS:
            release_free_memory()
        small = cv2.resize(image, (resized_w, resized_h), interpolation=cv2.INTER_AREA)
        tensor = _model_input(small)
        del small
        with self._lock:
            prediction = self._detector.session(tensor)
            boxes, _ = self._detector.postprocess_op(prediction, (height, width))
        return [np.asarray(box, dtype=np.float32) for box in boxes]

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognition]:
        """Read each upright line crop. One at a time: on one core a padded batch costs more."""
        results = []
        for crop in crops:
            tensor = _line_tensor(crop)
            with self._lock:
                prediction = self._recognizer.session(tensor)
            ratio = tensor.shape[3] / LINE_HEIGHT
            decoded, _ = self._recognizer.postprocess_op(
                prediction, False, wh_ratio_list=[ratio], max_wh_ratio=ratio
            )
            text, confidence = decoded[0]
            results.append(Recognition(str(text), float(confidence)))
        return results

    def upside_down(self, crops: Sequence[np.ndarray]) -> list[float]:
        """For each line crop, the classifier's probability that it is upside down."""
        if not crops:
            return []
        with self._lock:
            output = self._classifier(list(crops))
        return [
            float(score) if "180" in label else 1.0 - float(score)
            for label, score in output.cls_res
        ]


@cache
def engine() -> PaddleEngine:
    """The process-wide engine (models load once, ~0.3 s)."""
    return PaddleEngine(_threads)


def _c_library() -> Any:
    name = ctypes.util.find_library("c")
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    return library if hasattr(library, "malloc_trim") else None


_libc = _c_library()


def release_free_memory() -> None:
    """Return the C heap's free pages to the system. glibc keeps what a scan freed (images,
    onnxruntime's tensors: 100-170 MB), and the next large allocation lands on top of it; peak
    memory is what a small server pays for. No-op where there is no `malloc_trim` (not glibc)."""
    if _libc is not None:
        _libc.malloc_trim(0)


def _line_tensor(crop: np.ndarray) -> np.ndarray:
    height, width = crop.shape[:2]
    ratio = min(MAX_LINE_RATIO, width / max(1, height))
    target_w = max(LINE_HEIGHT // 2, math.ceil(LINE_HEIGHT * ratio / 8) * 8)
    resized = cv2.resize(crop, (target_w, LINE_HEIGHT), interpolation=cv2.INTER_AREA)
    if resized.ndim == 2:
        resized = cv2.cvtColor(resized, cv2.COLOR_GRAY2BGR)
    return _model_input(resized)


def _model_input(pixels: np.ndarray) -> np.ndarray:
    """BGR uint8 pixels as the PP-OCR models take them: 1×3×H×W float32 in [-1, 1], contiguous
    (onnxruntime copies a strided array). The bytes are laid out channel-first before they are
    widened, so the 12 MB float tensor of a 1152 px detection exists once, not twice."""
    planes = np.ascontiguousarray(pixels.transpose(2, 0, 1)[np.newaxis])
    values = planes.astype(np.float32)
    del planes
    values /= 127.5
    values -= 1.0
    return values


def crop_line(image: np.ndarray, quad: np.ndarray, *, pad: float = 0.0) -> np.ndarray:
    """The line under `quad` warped flat (long side horizontal), grown by `pad` × its height."""
    quad = quad.astype(np.float32)
    width = float(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    height = float(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    if pad:
        center = quad.mean(axis=0)
        across = (quad[3] - quad[0] + quad[2] - quad[1]) / 2
        along = (quad[1] - quad[0] + quad[2] - quad[3]) / 2
        unit_across = across / max(1e-6, float(np.linalg.norm(across)))
        unit_along = along / max(1e-6, float(np.linalg.norm(along)))
        grow = pad * height
        quad = quad + np.sign((quad - center) @ unit_across)[:, None] * unit_across * grow
        quad = quad + np.sign((quad - center) @ unit_along)[:, None] * unit_along * grow / 2
        width += grow
        height += 2 * grow
    out_w, out_h = max(1, round(width)), max(1, round(height))
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    return cv2.warpPerspective(
        image, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
