"""Intake: every accepted format decodes upright to BGR, every bad file gets its stable code."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import cv2
import numpy as np
import pillow_heif
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageFile, ImageOps

from extraction.errors import IntakeError
from extraction.intake import MIN_SHORT_SIDE, decode, sniff
from extraction.messages import INTAKE, advice_text, message_text

MB = 1_048_576
MAX_BYTES = 25 * MB
MAX_PIXELS = 60_000_000
RED_TOP_BLUE_BOTTOM = "red top, blue bottom"


def card(width: int = 800, height: int = 600) -> Image.Image:
    """An RGB picture whose top half is red and bottom half blue (to see orientation)."""
    pixels = np.zeros((height, width, 3), np.uint8)
    pixels[: height // 2] = (220, 30, 30)
    pixels[height // 2 :] = (30, 30, 220)
    return Image.fromarray(pixels)


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def assert_red_top_blue_bottom(page: np.ndarray, width: int, height: int) -> None:
    assert page.dtype == np.uint8 and page.shape == (height, width, 3)
    top = page[height // 8, width // 2].astype(int)
    bottom = page[height * 7 // 8, width // 2].astype(int)
    assert top[2] > 150 and top[0] < 90, f"top should be red (BGR), got {top}"
    assert bottom[0] > 150 and bottom[2] < 90, f"bottom should be blue (BGR), got {bottom}"


def decode_all(data: bytes, filename: str | None = None) -> list[np.ndarray]:
    return decode(data, filename=filename, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)


def refusal(
    data: bytes,
    filename: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        decode(data, filename=filename, max_bytes=max_bytes, max_pixels=max_pixels)
    return caught.value


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size in its IHDR without holding the pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def pdf_bytes(*sizes: tuple[float, float], picture: Image.Image | None = None) -> bytes:
    document = pdfium.PdfDocument.new()
    for width, height in sizes:
        page = document.new_page(width, height)
        if picture is not None:
            image = pdfium.PdfImage.new(document)
            image.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
            image.set_matrix(pdfium.PdfMatrix().scale(width, height))
            page.insert_obj(image)
            page.gen_content()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def hand_written_pdf(catalog_extra: str = "", pages: str = "/Kids [3 0 R] /Count 1") -> bytes:
    """A minimal PDF written by hand, to make files pdfium cannot write (encrypted, no pages)."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages {pages} >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{text}\nendobj\n".encode()
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {catalog_extra} >>\n"
    return body + f"{trailer}startxref\n{xref}\n%%EOF\n".encode()


# --- accepted formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("JPEG", {"quality": 92}),
        ("PNG", {}),
        ("WEBP", {"quality": 90}),
        ("TIFF", {}),
        ("BMP", {}),
        ("AVIF", {"quality": 90}),
    ],
)
def test_each_image_format_decodes_to_bgr(fmt: str, options: dict[str, object]) -> None:
    pages = decode_all(encoded(card(), fmt, **options))
    assert len(pages) == 1
    assert_red_top_blue_bottom(pages[0], 800, 600)


def test_heic_written_by_pillow_heif_decodes() -> None:
    heif = pillow_heif.from_pillow(card())
    buffer = io.BytesIO()
    heif.save(buffer, quality=90)
    assert buffer.getvalue()[4:12] == b"ftypheic"
    [page] = decode_all(buffer.getvalue(), "IMG_0001.HEIC")
    assert_red_top_blue_bottom(page, 800, 600)


def test_format_comes_from_the_bytes_not_the_name() -> None:
    [page] = decode_all(encoded(card(), "PNG"), "scan.pdf")
    assert_red_top_blue_bottom(page, 800, 600)


def test_exif_rotated_jpeg_comes_out_upright() -> None:
    upright = card(600, 800)
    # Stored turned a quarter left; EXIF orientation 6 tells viewers to turn it 90° clockwise.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encoded(stored, "JPEG", quality=92, exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).size == (800, 600)
    [page] = decode_all(data)
    assert_red_top_blue_bottom(page, 600, 800)


def blocks(width: int = 800, height: int = 600) -> Image.Image:
    """Random 40 px colour blocks: any wrong turn or flip changes the pixels."""
    coarse = np.random.default_rng(3).integers(0, 255, (height // 40 + 1, width // 40 + 1, 3))
    pixels = np.kron(coarse.astype(np.uint8), np.ones((40, 40, 1), np.uint8))[:height, :width]
    return Image.fromarray(pixels)


def pillow_reference(data: bytes) -> np.ndarray:
    """What Pillow makes of a photo: upright by EXIF, as BGR."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        upright = ImageOps.exif_transpose(image).convert("RGB")
    return np.asarray(upright)[:, :, ::-1]


@pytest.mark.parametrize("mode", ["RGB", "L"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_jpeg_pixels_and_orientation_are_pillows(mode: str, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    image = blocks().convert(mode)
    data = encoded(image, "JPEG", quality=92, exif=exif.tobytes())
    expected = pillow_reference(data)
    [page] = decode_all(data)
    assert page.shape == expected.shape
    assert np.array_equal(page, expected)
    assert page.flags["C_CONTIGUOUS"]


def test_jpeg_with_a_trailer_after_its_end_still_decodes() -> None:
    # Some phones append data (a motion clip, maker notes) after the JPEG's end-of-image marker.
    data = encoded(blocks(), "JPEG", quality=92)
    [page] = decode_all(data + b"MOTION" + bytes(1000))
    assert np.array_equal(page, pillow_reference(data))


def test_animated_gif_gives_its_first_frame() -> None:
    frames = [card(), card().transpose(Image.Transpose.FLIP_TOP_BOTTOM)]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    [page] = decode_all(data)
    assert_red_top_blue_bottom(page, 800, 600)


def test_sixteen_bit_grey_png_is_scaled_to_eight_bits() -> None:
    grey = np.full((600, 800), 40000, np.uint16)
    grey[:300] = 10000
    [page] = decode_all(encoded(Image.fromarray(grey), "PNG"))
    assert page.shape == (600, 800, 3)
    assert abs(int(page[100, 100, 0]) - 10000 * 255 // 65535) <= 1
    assert abs(int(page[500, 100, 1]) - 40000 * 255 // 65535) <= 1


def test_cmyk_jpeg_converts_to_the_right_colours() -> None:
    [page] = decode_all(encoded(card().convert("CMYK"), "JPEG", quality=95))
    assert_red_top_blue_bottom(page, 800, 600)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparency_is_flattened_on_white(mode: str) -> None:
    rgba = card().convert("RGBA")
    alpha = np.full((600, 800), 255, np.uint8)
    alpha[:, :100] = 0
    rgba.putalpha(Image.fromarray(alpha))
    image = rgba.convert(mode) if mode != "P" else rgba.quantize(colors=16)
    if mode == "P":
        image.info["transparency"] = image.getpixel((0, 0))
    [page] = decode_all(encoded(image, "PNG"))
    assert page[300, 50].tolist() == [255, 255, 255]
    assert page[100, 400].tolist() != [255, 255, 255]


def test_pdf_gives_its_first_two_pages_card_pages_enlarged() -> None:
    data = pdf_bytes((243, 153), (595, 842), (595, 842), picture=card())
    pages = decode_all(data)
    assert len(pages) == 2
    card_page, a4_page = pages
    assert min(card_page.shape[:2]) >= 1000 > 153 * 200 / 72
    assert_red_top_blue_bottom(card_page, card_page.shape[1], card_page.shape[0])
    assert a4_page.shape[:2] == (round(842 * 200 / 72), round(595 * 200 / 72))


def test_huge_pdf_page_is_rendered_within_the_pixel_budget() -> None:
    [page] = decode(pdf_bytes((14400, 14400)), max_bytes=MB, max_pixels=4_000_000)
    assert page.shape[0] * page.shape[1] <= 4_000_000
    assert page.shape[:2] == (2000, 2000)


def test_truncated_images_stay_refused_globally() -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- refusals ------------------------------------------------------------------------------


def test_empty_file() -> None:
    assert refusal(b"").code == "file_empty"


def test_file_over_the_byte_limit() -> None:
    error = refusal(b"\xff\xd8\xff" + bytes(3 * MB), max_bytes=2 * MB)
    assert (error.code, error.params) == ("file_too_large", {"size_mb": 4, "max_mb": 2})


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (docx(), "permis.docx", "DOCX"),
        ("Nom : DUPONT\nPrénom : Jean\n".encode(), "notes.txt", "TXT"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64), "video.jpg", "MP4"),
        (b"<!DOCTYPE html><html><body>scan</body></html>", None, "HTML"),
        (bytes(np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8)), None, "?"),
        (b"\x00\x01\x02\x03\xfe\xfd" * 100, "photo.xyz", "XYZ"),
    ],
)
def test_not_an_image_names_what_it_looks_like(
    data: bytes, filename: str | None, kind: str
) -> None:
    error = refusal(data, filename)
    assert (error.code, error.params) == ("not_an_image", {"kind": kind})


def test_truncated_jpeg_is_corrupt() -> None:
    data = encoded(
        Image.fromarray(np.random.default_rng(1).integers(0, 255, (600, 800, 3), np.uint8)), "JPEG"
    )
    error = refusal(data[: len(data) // 2])
    assert (error.code, error.params) == ("image_corrupt", {"format": "JPEG"})


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF", "AVIF", "BMP", "GIF"])
def test_every_format_cut_in_half_is_corrupt(fmt: str) -> None:
    noise = np.random.default_rng(2).integers(0, 255, (600, 800, 3), np.uint8)
    data = encoded(Image.fromarray(noise), fmt)
    assert refusal(data[: len(data) // 2]).params == {"format": fmt}


def test_truncated_heic_is_corrupt() -> None:
    heif = pillow_heif.from_pillow(card())
    buffer = io.BytesIO()
    heif.save(buffer, quality=80)
    error = refusal(buffer.getvalue()[: buffer.tell() // 2])
    assert (error.code, error.params) == ("image_corrupt", {"format": "HEIF"})


def test_png_with_garbage_after_its_header_is_corrupt() -> None:
    data = encoded(card(), "PNG")
    assert refusal(data[:60] + bytes(200)).code == "image_corrupt"


def test_png_claiming_a_gigantic_size_is_a_bomb_without_allocating_it() -> None:
    error = refusal(png_header(100_000, 100_000))
    assert error.code == "decompression_bomb"
    assert error.params["megapixels"] == 10_000


def test_image_above_our_pixel_limit_is_refused_from_its_header() -> None:
    error = refusal(png_header(9_000, 8_000), max_pixels=60_000_000)
    assert (error.code, error.params) == (
        "decompression_bomb",
        {"megapixels": 72, "max_megapixels": 60},
    )


def test_tiny_image_is_too_small() -> None:
    error = refusal(encoded(card(320, 240), "PNG"))
    assert (error.code, error.params) == (
        "image_too_small",
        {"width": 320, "height": 240, "min_side": MIN_SHORT_SIDE},
    )


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n this is not really a PDF \n%%EOF",
        hand_written_pdf(pages="/Kids [] /Count 0"),
        hand_written_pdf(
            catalog_extra="/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
            f"/O <{'11' * 32}> /U <{'22' * 32}> >> /ID [<{'33' * 16}> <{'33' * 16}>]"
        ),
    ],
    ids=["corrupt", "no-pages", "encrypted"],
)
def test_unreadable_pdf(data: bytes) -> None:
    assert refusal(data).code == "pdf_unreadable"


def test_hand_written_pdf_itself_is_readable() -> None:
    assert len(decode_all(hand_written_pdf())) == 1


def test_sniff_knows_the_accepted_formats() -> None:
    assert sniff(encoded(card(), "WEBP")) == "WEBP"
    assert sniff(b"  %PDF-1.4") == "PDF"
    assert sniff(b"\x00\x00\x00\x18ftypheix") == "HEIF"
    assert sniff(b"\x00\x00\x00\x18ftypavif") == "AVIF"


# --- messages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        IntakeError("file_empty"),
        IntakeError("file_too_large", {"size_mb": 31, "max_mb": 25}),
        IntakeError("not_an_image", {"kind": "DOCX"}),
        IntakeError("image_corrupt", {"format": "JPEG"}),
        IntakeError("decompression_bomb", {"megapixels": 72, "max_megapixels": 60}),
        IntakeError("image_too_small", {"width": 320, "height": 240, "min_side": 480}),
        IntakeError("pdf_unreadable"),
    ],
    ids=lambda error: error.code,
)
def test_each_refusal_has_a_message_and_advice_in_french_and_english(error: IntakeError) -> None:
    assert error.code in INTAKE
    english, french = error.message("en"), error.message("fr")
    assert english != error.code and french != english
    for value in error.params.values():
        assert str(value) in english and str(value) in french
    assert advice_text(error.code, "en") and advice_text(error.code, "fr")
    assert advice_text(error.code, "fr") != advice_text(error.code, "en")
    assert message_text(error.code, "fr", error.params) == french


def test_pixels_from_decoded_jpeg_match_opencv() -> None:
    data = encoded(card(), "JPEG", quality=95)
    [page] = decode_all(data)
    reference = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert reference is not None
    assert np.abs(page.astype(int) - reference.astype(int)).max() <= 3
