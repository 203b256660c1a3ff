"""Intake: turn the bytes an agent sent into upright BGR pages, or refuse them with a clear reason.

The format is told from the file's magic bytes (a name can lie); image sizes are checked from the
header before any pixel is decoded, so a small file claiming a huge image costs nothing. Nothing is
kept and nothing of the content is logged.
"""

from __future__ import annotations

import io
import math
import re
import struct
import threading
import zipfile
from typing import Final

import cv2
import numpy as np
import pillow_heif
import pypdfium2 as pdfium
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from extraction.errors import IntakeError

# 480 px across an ID-1 card's 54 mm is ~9 px/mm: its MRZ characters (~2.5 mm) get ~20 px.
MIN_SHORT_SIDE: Final = 480
PDF_PAGES: Final = 2
PDF_DPI: Final = 200
# Card-sized PDF pages are rendered above 200 dpi so that they pass MIN_SHORT_SIDE with margin.
PDF_MIN_SHORT_SIDE: Final = 1000
PDF_MAX_PIXELS: Final = 25_000_000

_IMAGE_FORMATS: Final = ("JPEG", "PNG", "WEBP", "TIFF", "BMP", "GIF", "HEIF", "AVIF")
_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
)
_VIDEO_BRANDS: Final = {b"qt  ": "MOV", b"M4A ": "M4A", b"3gp4": "3GP", b"3gp5": "3GP"}
_OTHER_MAGIC: Final = (
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7Z"),
    (b"\x1f\x8b", "GZIP"),
    (b"MZ", "EXE"),
    (b"\x7fELF", "ELF"),
    (b"ID3", "MP3"),
    (b"OggS", "OGG"),
    (b"\x1aE\xdf\xa3", "MKV/WEBM"),
    (b"\xd0\xcf\x11\xe0", "DOC/XLS"),
    (b"{\\rtf", "RTF"),
    (b"8BPS", "PSD"),
)
_ZIP_KINDS: Final = (("word/", "DOCX"), ("xl/", "XLSX"), ("ppt/", "PPTX"))
# EXIF orientation (tag 0x0112) → (transpose, cv2.rotate code, cv2.flip code), applied in that
# order, that turn the stored pixels upright as Pillow's `ImageOps.exif_transpose` does.
_EXIF_ORIENTATION: Final = 0x0112
_EXIF_TURNS: Final[dict[int, tuple[bool, int | None, int | None]]] = {
    2: (False, None, 1),
    3: (False, cv2.ROTATE_180, None),
    4: (False, None, 0),
    5: (True, None, None),
    6: (False, cv2.ROTATE_90_CLOCKWISE, None),
    7: (True, cv2.ROTATE_180, None),
    8: (False, cv2.ROTATE_90_COUNTERCLOCKWISE, None),
}
# JPEG end-of-image marker: a file that does not end with it was cut short (or carries a trailer).
_JPEG_END: Final = b"\xff\xd9"

# pdfium is not thread-safe and pages are decoded in worker threads (pipeline.scan).
_PDFIUM_LOCK: Final = threading.Lock()

pillow_heif.register_heif_opener()


def decode(
    data: bytes, *, filename: str | None = None, max_bytes: int, max_pixels: int
) -> list[np.ndarray]:
    """Decode a photo or a PDF into BGR uint8 pages, upright by EXIF; raise `IntakeError`.
    The format comes from the bytes; `filename` only names a format they do not reveal."""
    if not data:
        raise IntakeError("file_empty")
    if len(data) > max_bytes:
        raise IntakeError(
            "file_too_large",
            {
                "size_mb": math.ceil(len(data) / 1_048_576),
                "max_mb": max(1, max_bytes // 1_048_576),
            },
        )
    kind = sniff(data)
    if kind == "PDF":
        return _render_pdf(data, max_pixels=max_pixels)
    if kind in _IMAGE_FORMATS:
        return [_decode_image(data, kind, max_pixels=max_pixels)]
    raise IntakeError("not_an_image", {"kind": kind or _extension(filename) or "?"})


def sniff(data: bytes) -> str | None:
    """What the bytes look like: an accepted format ("JPEG", "PDF"…), another one ("DOCX",
    "MP4", "TXT"…), or None when unknown."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head.startswith(b"BM"):
        return "BMP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    # PDF readers accept the header anywhere in the first kilobyte (ISO 32000-1 annex H.3).
    if b"%PDF-" in data[:1024]:
        return "PDF"
    if head[4:8] == b"ftyp":
        return _iso_media_kind(head[8:12])
    if head[:4] == b"RIFF":
        return {b"WAVE": "WAV", b"AVI ": "AVI"}.get(head[8:12], "RIFF")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, name in _OTHER_MAGIC:
        if head.startswith(magic):
            return name
    return _text_kind(data[:2048])


def _iso_media_kind(brand: bytes) -> str:
    if brand in (b"avif", b"avis"):
        return "AVIF"
    if brand in _HEIF_BRANDS:
        return "HEIF"
    return _VIDEO_BRANDS.get(brand, "MP4")


def _zip_kind(data: bytes) -> str:
    if b"mimetypeapplication/vnd.oasis.opendocument" in data[:128]:
        return "ODF"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "ZIP"
    for prefix, name in _ZIP_KINDS:
        if any(entry.startswith(prefix) for entry in names):
            return name
    return "ZIP"


def _text_kind(head: bytes) -> str | None:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the 2 KB boundary is still text.
        try:
            text = head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not text or sum(ch.isprintable() or ch in "\r\n\t" for ch in text) < 0.95 * len(text):
        return None
    lowered = text.lstrip().lower()
    if "<svg" in lowered[:1024]:
        return "SVG"
    if lowered.startswith(("<!doctype html", "<html")):
        return "HTML"
    return "TXT"


def _extension(filename: str | None) -> str | None:
    if not filename or "." not in filename:
        return None
    suffix = filename.rsplit(".", 1)[1].upper()
    return suffix if suffix.isalnum() and len(suffix) <= 5 else None


def _decode_image(data: bytes, kind: str, *, max_pixels: int) -> np.ndarray:
    # Truncated files must fail here rather than come out half grey.
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay off")
    try:
        with Image.open(io.BytesIO(data)) as image:
            _check_dimensions(image.width, image.height, max_pixels=max_pixels)
            if kind == "JPEG" and image.mode in ("RGB", "L") and data.endswith(_JPEG_END):
                return _decode_jpeg(data, _orientation(image))
            image.load()
            upright = _upright(image)
            return _to_bgr(upright)
    except Image.DecompressionBombError as error:
        # Pillow's own guard fired while reading the header (its limit is above ours by default).
        claimed = re.search(r"\((\d+) pixels\)", str(error))
        pixels = int(claimed.group(1)) if claimed else 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise IntakeError(
            "decompression_bomb",
            {"megapixels": round(pixels / 1_000_000), "max_megapixels": max_pixels // 1_000_000},
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        # Pillow reports damaged data through all of these, depending on the codec.
        raise IntakeError("image_corrupt", {"format": kind}) from error


def _check_dimensions(width: int, height: int, *, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise IntakeError(
            "decompression_bomb",
            {
                "megapixels": round(width * height / 1_000_000),
                "max_megapixels": max_pixels // 1_000_000,
            },
        )
    if min(width, height) < MIN_SHORT_SIDE:
        raise IntakeError(
            "image_too_small", {"width": width, "height": height, "min_side": MIN_SHORT_SIDE}
        )


def _decode_jpeg(data: bytes, orientation: int) -> np.ndarray:
    """A complete colour or grey JPEG decoded by OpenCV straight to BGR: the same libjpeg-turbo
    pixels as Pillow's, without Pillow's RGBX buffer and the three copies that turn it into a BGR
    array (~110 ms and ~100 MB on a 12 MP photo)."""
    flags = cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    if pixels is None:
        raise OSError("undecodable JPEG")
    transpose, rotation, flip = _EXIF_TURNS.get(orientation, (False, None, None))
    if transpose:
        pixels = cv2.transpose(pixels)
    if rotation is not None:
        pixels = cv2.rotate(pixels, rotation)
    if flip is not None:
        pixels = cv2.flip(pixels, flip)
    return np.asarray(pixels, dtype=np.uint8)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation tag (1 when absent or unreadable, as `_upright` treats it)."""
    try:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except (SyntaxError, ValueError, KeyError, TypeError, struct.error):
        return 1
    return value if isinstance(value, int) else 1


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, KeyError, TypeError, struct.error):
        # A malformed EXIF block is no reason to refuse a photo; keep it as stored.
        return image


def _to_bgr(image: Image.Image) -> np.ndarray:
    """8-bit BGR from any Pillow mode: 16-bit grey scaled, CMYK converted, alpha put on white."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 255.0 if values.max(initial=0) <= 255 else 65535.0
        grey = np.clip(values * (255.0 / top), 0, 255).astype(np.uint8)
        return _grey_to_bgr(grey)
    if image.mode == "P" or image.mode == "PA":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _grey_to_bgr(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey.reshape(grey.shape[0], grey.shape[1], 1), 3, axis=2).astype(np.uint8)


def _render_pdf(data: bytes, *, max_pixels: int) -> list[np.ndarray]:
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise IntakeError("pdf_unreadable") from error
        try:
            if len(document) == 0:
                raise IntakeError("pdf_unreadable")
            return [
                _render_page(document[index], max_pixels=max_pixels)
                for index in range(min(PDF_PAGES, len(document)))
            ]
        except pdfium.PdfiumError as error:
            raise IntakeError("pdf_unreadable") from error
        finally:
            document.close()


def _render_page(page: pdfium.PdfPage, *, max_pixels: int) -> np.ndarray:
    width_pt, height_pt = page.get_size()
    if not (width_pt > 1 and height_pt > 1):
        raise IntakeError("pdf_unreadable")
    scale = max(PDF_DPI / 72, PDF_MIN_SHORT_SIDE / min(width_pt, height_pt))
    # A huge page is rendered smaller rather than refused: the bitmap, not the page, costs memory.
    budget = min(max_pixels, PDF_MAX_PIXELS)
    scale = min(scale, math.sqrt(budget / (width_pt * height_pt)))
    try:
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        pixels = bitmap.to_numpy()
        channels = pixels.shape[2] if pixels.ndim == 3 else 1
        # Copy out of pdfium's buffer before the bitmap is freed.
        if channels == 1:
            bgr = _grey_to_bgr(pixels)
        else:
            bgr = np.array(pixels[:, :, :3], dtype=np.uint8, copy=True)
        bitmap.close()
    finally:
        page.close()
    height, width = bgr.shape[:2]
    if min(width, height) < MIN_SHORT_SIDE:
        raise IntakeError(
            "image_too_small", {"width": width, "height": height, "min_side": MIN_SHORT_SIDE}
        )
    return bgr
