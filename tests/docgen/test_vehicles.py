import random
import re

from docgen import render_document
from docgen.vehicles import fni_plate, siv_plate, tn_plate, vin, vin_check_digit
from extraction.check_digits import is_valid


def test_vin_check_digit_matches_the_iso_3779_example():
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"
    assert vin_check_digit("11111111111111111") == "1"


def test_vins_have_17_allowed_characters_and_mostly_valid_check_digits():
    rng = random.Random(4)
    vins = [vin(rng, "VF1", 2020) for _ in range(50)]
    assert all(re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", v) for v in vins)
    assert all(vin_check_digit(v) == v[8] for v in vins)
    wrong = vin(rng, "VF3", 2015, valid_check_digit=False)
    assert vin_check_digit(wrong) != wrong[8]


def test_plates_follow_siv_fni_and_tunisian_formats():
    rng = random.Random(2)
    for _ in range(200):
        plate = siv_plate(rng)
        assert re.fullmatch(r"[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}", plate)
        assert "SS" not in (plate[:2], plate[-2:]) and plate[3:6] != "000"
    assert re.fullmatch(r"\d{1,4} [A-Z]{2,3} 75", fni_plate(rng, "75"))
    latin, arabic = tn_plate(rng)
    assert re.fullmatch(r"\d{1,3} TU \d{1,4}", latin)
    assert arabic == latin.replace("TU", "تونس")


def _siv_zone_ok(lines, fields):
    line1, line2 = lines
    assert len(line1) == len(line2) == 44
    assert line1[:5] == "CRFRA" and line1[40:] == "<<<<"
    plate = line1[5:14]
    assert plate == fields["registration_number"].replace("-", "").replace(" ", "").ljust(9, "<")
    assert is_valid(plate, line1[14])
    assert line1[15:32] == fields["vin"] and is_valid(line1[15:32], line1[32])
    first = fields["first_registration_date"]
    assert line1[33:39] == first[2:4] + first[5:7] + first[8:10]
    assert is_valid(line1[33:39], line1[39])
    assert line2[:2] == "CI" and line2[2:5] == fields["national_genre"][:3].ljust(3, "<")
    assert line2[5:16] == fields["formula_number"] and is_valid(line2[5:16], line2[16])
    make_name = f"{fields['make']}<<{fields['commercial_name']}".replace(" ", "<").replace("-", "<")
    assert line2[17:42] == make_name[:25].ljust(25, "<")
    assert is_valid(line2[17:42], line2[42])
    assert is_valid(line1[5:40] + line2[2:43], line2[43])


def test_siv_variants_cycle_and_the_coupon_zone_follows_the_brief():
    variants = set()
    for seed in range(12):
        document = render_document("fr_vehicle_registration", seed)
        variants.add(document.variant)
        fields = document.fields
        if document.variant == "siv_coupon":
            _siv_zone_ok(document.mrz_lines, fields)
        else:
            assert document.mrz_lines == ()
        if document.variant == "fni":
            assert re.fullmatch(r"\d{1,4} [A-Z]{2,3} \d{2}", fields["registration_number"])
        else:
            assert re.fullmatch(r"[A-Z]{2}-\d{3}-[A-Z]{2}", fields["registration_number"])
        assert re.fullmatch(r"\d+\.\d{2}", fields["total_tax_eur"])
        assert re.fullmatch(r"\d{4}[A-Z]{2}\d{5}", fields["formula_number"])
        assert fields["first_registration_date"] <= fields["certificate_date"]
        assert (fields["displacement_cc"] is None) == (fields["fuel"] == "EL")
    assert variants == {"siv", "siv_coupon", "fni"}


def test_tunisian_cards_sometimes_give_the_address_only_in_arabic():
    addresses = [
        render_document("tn_vehicle_registration", s).fields["owner_address"] for s in range(20)
    ]
    arabic = [a for a in addresses if re.search(r"[\u0600-\u06ff]", a)]
    assert 0 < len(arabic) < len(addresses)


def test_fni_cards_carry_plates_the_reader_accepts_corsica_and_overseas_included():
    from extraction.plates import PlateKind, read_fr_plate

    departments = set()
    for seed in range(300):
        document = render_document("fr_vehicle_registration", seed)
        if document.variant != "fni":
            continue
        plate = document.fields["registration_number"]
        departments.add(plate.rsplit(" ", 1)[1])
        read = read_fr_plate(plate)
        assert read is not None and read.kind is PlateKind.FNI and read.value == plate, plate
    assert departments & {"2A", "971"}


def test_the_arabic_plate_prints_its_word_between_the_numbers():
    import numpy as np
    from PIL import Image, ImageDraw

    from docgen.fonts import font
    from docgen.vehicles import printed_tn_plate

    face = font("sans-bold", 40)

    def ink(text: str) -> np.ndarray:
        image = Image.new("L", (520, 60), 255)
        ImageDraw.Draw(image).text((5, 5), text, font=face, fill=0, direction="ltr")
        return np.asarray(image)

    head = "16 تونس"
    width = 5 + int(face.getlength(head))
    assert np.array_equal(ink(printed_tn_plate("16 تونس 6424"))[:, :width], ink(head)[:, :width])
    assert not np.array_equal(ink("16 تونس 6424")[:, :width], ink(head)[:, :width])
