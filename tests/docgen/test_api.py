import io
from datetime import date

import pytest
from PIL import Image, ImageOps

from docgen import DOCUMENT_TYPES, Difficulty, dataset, generate, render_document
from docgen.api import Sample

FIELDS = {
    "fr_identity_card": (
        "document_number",
        "surname",
        "given_names",
        "sex",
        "nationality",
        "birth_date",
        "birth_place",
        "issue_date",
        "expiry_date",
        "card_model",
    ),
    "passport": (
        "document_number",
        "surname",
        "given_names",
        "sex",
        "nationality",
        "issuing_state",
        "birth_date",
        "expiry_date",
        "personal_number",
    ),
    "fr_vehicle_registration": (
        "registration_number",
        "first_registration_date",
        "holder_name",
        "holder_address",
        "make",
        "type_variant_version",
        "cnit",
        "commercial_name",
        "vin",
        "max_laden_mass_kg",
        "max_laden_mass_service_kg",
        "mass_in_service_kg",
        "certificate_date",
        "eu_category",
        "national_genre",
        "eu_body",
        "national_body",
        "type_approval",
        "displacement_cc",
        "net_power_kw",
        "fuel",
        "fiscal_power_cv",
        "seats",
        "co2_g_km",
        "environmental_class",
        "technical_inspection_date",
        "total_tax_eur",
        "formula_number",
    ),
    "tn_vehicle_registration": (
        "registration_number",
        "first_registration_date",
        "owner_name",
        "owner_address",
        "make",
        "commercial_type",
        "vehicle_type",
        "vin",
        "fuel",
        "fiscal_power_cv",
        "seats",
        "gross_weight_kg",
        "empty_weight_kg",
        "genre",
        "certificate_date",
    ),
    "fft_licence": (
        "licence_number",
        "surname",
        "given_names",
        "birth_date",
        "club_name",
        "season",
        "ranking",
        "league",
    ),
}
DATE_FIELDS = {
    "birth_date",
    "issue_date",
    "expiry_date",
    "first_registration_date",
    "certificate_date",
    "technical_inspection_date",
}
INT_FIELDS = {
    "max_laden_mass_kg",
    "max_laden_mass_service_kg",
    "mass_in_service_kg",
    "displacement_cc",
    "net_power_kw",
    "fiscal_power_cv",
    "seats",
    "co2_g_km",
    "gross_weight_kg",
    "empty_weight_kg",
}
CELLS = [(t, d) for t in DOCUMENT_TYPES for d in Difficulty]


def displayed(sample: Sample) -> Image.Image:
    return ImageOps.exif_transpose(Image.open(io.BytesIO(sample.image)))


DETERMINISM_CELLS = [(t, Difficulty.PHONE) for t in DOCUMENT_TYPES] + [
    ("passport", Difficulty.CLEAN),
    ("fr_identity_card", Difficulty.HARD),
]


@pytest.mark.parametrize(("document_type", "difficulty"), DETERMINISM_CELLS)
def test_same_seed_gives_identical_bytes(document_type, difficulty):
    assert generate(document_type, difficulty, 3) == generate(document_type, difficulty, 3)


def test_different_seeds_give_different_documents():
    first, second = generate("passport", "clean", 1), generate("passport", "clean", 2)
    assert first.fields != second.fields


@pytest.mark.parametrize("document_type", DOCUMENT_TYPES)
def test_fields_are_complete_and_normalised(document_type):
    for seed in range(8):
        sample = render_document(document_type, seed)
        assert tuple(sample.fields) == FIELDS[document_type]
        for key, value in sample.fields.items():
            if value is None:
                continue
            if key in DATE_FIELDS:
                assert date.fromisoformat(str(value)).isoformat() == value
            elif key in INT_FIELDS:
                assert type(value) is int
            else:
                assert isinstance(value, str) and value == value.strip() and value


@pytest.mark.parametrize(("document_type", "difficulty"), CELLS)
def test_photo_decodes_and_corners_lie_inside(document_type, difficulty):
    for seed in range(2):
        sample = generate(document_type, difficulty, seed)
        image = displayed(sample)
        image.load()
        assert len(sample.corners) == 4
        for x, y in sample.corners:
            assert 0 <= x <= image.width and 0 <= y <= image.height
        assert sample.rotation in (0, 90, 180, 270)
        assert sample.filename.startswith(f"{document_type}-{difficulty.value}-")
        expected = "PNG" if sample.filename.endswith(".png") else "JPEG"
        assert Image.open(io.BytesIO(sample.image)).format == expected


def test_corners_go_clockwise_from_the_documents_top_left():
    for seed in range(6):
        sample = generate("passport", "phone", seed)
        (ax, ay), (bx, by), (cx, cy) = sample.corners[:3]
        # Image y points down: a clockwise turn tl→tr→br has a positive cross product.
        assert (bx - ax) * (cy - by) - (by - ay) * (cx - bx) > 0


def test_phone_photos_include_twelve_megapixels_and_hard_ones_are_small():
    sizes = [displayed(generate("fft_licence", "phone", s)).size for s in range(8)]
    assert any(w * h == 12_000_000 for w, h in sizes)
    hard = [displayed(generate("fr_identity_card", "hard", s)).size for s in range(4)]
    assert all(w * h <= 1_300_000 for w, h in hard)


def test_dataset_covers_every_cell_with_reproducible_seeds():
    samples = list(dataset(1, seed=2, types=["passport"], difficulties=["clean", "hard"]))
    assert [(s.document_type, s.difficulty) for s in samples] == [
        ("passport", Difficulty.CLEAN),
        ("passport", Difficulty.HARD),
    ]
    assert samples[0] == generate("passport", "clean", samples[0].seed)


def test_identity_cards_alternate_models():
    models = {generate("fr_identity_card", "clean", s).variant for s in range(2)}
    assert models == {"1995", "2021"}


def test_exif_oriented_photos_give_corners_in_the_displayed_frame():
    sample = generate("fft_licence", "phone", 4)  # a seed whose photo carries EXIF orientation 6
    stored = Image.open(io.BytesIO(sample.image))
    assert stored.getexif().get(0x0112) == 6
    shown = displayed(sample)
    assert shown.size == (stored.height, stored.width)
    xs, ys = zip(*sample.corners, strict=True)
    assert max(xs) <= shown.width and max(ys) <= shown.height
    centre = (round(sum(xs) / 4), round(sum(ys) / 4))
    assert sum(shown.convert("RGB").getpixel(centre)) > 3 * 150  # the light card, not the table


def test_1995_identity_cards_are_issued_after_their_holders_birth():
    for seed in range(1, 400, 2):  # odd seeds draw the 1995 model
        document = render_document("fr_identity_card", seed)
        if document.variant == "1995":
            assert document.fields["issue_date"] > document.fields["birth_date"], seed


def test_a_samples_scale_is_its_documents_width_in_the_photo_per_millimetre():
    # The printed widths of the forms (mm), and a scale that follows the photo: the document
    # on a 1 MP hard photo appears far smaller than on a flat scan.
    assert generate("fr_vehicle_registration", "clean", 0).width_mm == 210.0
    assert generate("fft_licence", "clean", 0).width_mm == 85.6
    sample = generate("passport", "clean", 3)
    (ax, ay), (bx, by) = sample.corners[:2]
    top = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    assert abs(sample.px_per_mm * sample.width_mm - top) < 0.05 * top
    clean = generate("fr_vehicle_registration", "clean", 1).px_per_mm
    hard = generate("fr_vehicle_registration", "hard", 1).px_per_mm
    assert hard < 0.6 * clean
