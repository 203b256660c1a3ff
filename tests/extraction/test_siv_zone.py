from datetime import date

from extraction.check_digits import check_digit
from extraction.siv_zone import find_siv_zone, parse_siv_zone
from extraction.text import TextLine

TODAY = date(2026, 6, 1)


def build_zone(
    plate: str = "AB123CD",
    vin: str = "VF1RFB00X64567890",
    first: str = "190312",
    genre: str = "VP",
    formula: str = "2019AB12345",
    names: str = "RENAULT<<CLIO",
) -> tuple[str, str]:
    """The two lines exactly as the project's SIV zone layout prints them."""
    plate_field = plate.ljust(9, "<")
    names_field = names.ljust(25, "<")[:25]
    line1 = (
        "CRFRA" + plate_field + check_digit(plate_field) + vin + check_digit(vin)
        + first + check_digit(first) + "<<<<"
    )  # fmt: skip
    body = genre.ljust(3, "<") + formula + check_digit(formula) + names_field
    body += check_digit(names_field)
    line2 = "CI" + body
    line2 += check_digit(line1[5:40] + line2[2:43])
    assert len(line1) == len(line2) == 44
    return line1, line2


def test_a_clean_zone_gives_every_field() -> None:
    zone = parse_siv_zone(*build_zone(), today=TODAY)
    assert zone.check_digits_ok
    assert zone.plate == "AB-123-CD"
    assert zone.vin == "VF1RFB00X64567890"
    assert zone.first_registration_date == date(2019, 3, 12)
    assert zone.national_genre == "VP"
    assert zone.formula_number == "2019AB12345"
    assert (zone.make, zone.commercial_name, zone.name_truncated) == ("RENAULT", "CLIO", False)
    assert not zone.repaired


def test_fni_plate_and_truncated_name() -> None:
    names = "MERCEDES<BENZ<<CLASSE<C<BREAK<AMG"
    zone = parse_siv_zone(*build_zone(plate="123ABC75", names=names), today=TODAY)
    assert zone.plate == "123 ABC 75"
    assert zone.name_truncated
    assert zone.make == "MERCEDES BENZ"


def test_a_look_alike_is_repaired_by_its_check_digit() -> None:
    line1, line2 = build_zone()
    misread = line1[:21] + "O" + line1[22:]  # the VIN's `0` read as `O`
    zone = parse_siv_zone(misread, line2, today=TODAY)
    assert zone.vin == "VF1RFB00X64567890"
    assert zone.checks["vin"]


def test_a_repair_is_dropped_when_the_composite_fails() -> None:
    line1, line2 = build_zone()
    misread = line1[:21] + "O" + line1[22:]
    broken_composite = line2[:43] + str((int(line2[43]) + 1) % 10)
    zone = parse_siv_zone(misread, broken_composite, today=TODAY)
    assert zone.vin is None
    assert zone.plate == "AB-123-CD"  # read as printed, its own check digit still vouches


def test_a_wrong_character_fails_its_check_and_drops_the_value() -> None:
    line1, line2 = build_zone()
    wrong = line1[:6] + "X" + line1[7:]  # plate AX123CD: check digit no longer matches
    zone = parse_siv_zone(wrong, line2, today=TODAY)
    assert zone.plate is None
    assert not zone.checks["registration_number"]
    assert not zone.checks["composite"]
    assert not zone.check_digits_ok
    assert zone.national_genre is None  # only the composite confirms the genre


def test_find_zone_among_ocr_lines_with_spaces_and_guillemets() -> None:
    line1, line2 = build_zone()
    lines = [
        TextLine("C.1 DUPONT JEAN", 0.95, 0.05, 0.1, 0.4, 0.14),
        TextLine(line1.replace("<<<<", "«<< <"), 0.9, 0.05, 0.80, 0.95, 0.85),
        TextLine(line2[:20] + " " + line2[20:], 0.9, 0.05, 0.87, 0.95, 0.92),
    ]
    assert find_siv_zone(lines) == (line1, line2)


def test_no_zone_on_a_card_without_coupon() -> None:
    assert find_siv_zone([TextLine("A AB-123-CD", 0.9, 0.1, 0.1, 0.3, 0.15)]) is None


def test_several_look_alikes_in_the_name_field_are_repaired_by_both_check_digits() -> None:
    line1, line2 = build_zone(names="CITROEN<<BERLINGO")
    misread = line2.replace("CITROEN<<BERLINGO", "C1TR0EN<<8ERL1N60")  # `6` for `G` too
    zone = parse_siv_zone(line1, misread, today=TODAY)
    assert zone.check_digits_ok
    assert (zone.make, zone.commercial_name) == ("CITROEN", "BERLINGO")
    assert zone.repaired == {"make"}
    assert zone.lines == (line1, line2)  # the record shows the confirmed lines


def test_a_model_that_mixes_letters_and_digits_keeps_them() -> None:
    line1, line2 = build_zone(names="HONDA<<CB500F")
    misread = line2.replace("HONDA<<CB500F", "H0NDA<<C8500F")
    zone = parse_siv_zone(line1, misread, today=TODAY)
    assert (zone.make, zone.commercial_name) == ("HONDA", "CB500F")


def test_look_alikes_that_pass_both_checks_are_read_as_the_least_mixed_spelling() -> None:
    # `1`/`I` and `5`/`S` weigh 17 and 23 more: at the same weight they cancel in both checks.
    line1, line2 = build_zone(names="DACIA<<DUSTER")
    misread = line2.replace("DACIA<<DUSTER", "DAC1A<<DU5TER")
    zone = parse_siv_zone(line1, misread, today=TODAY)
    assert zone.check_digits_ok and (zone.make, zone.commercial_name) == ("DACIA", "DUSTER")


def test_a_spelling_found_by_trying_look_alikes_needs_a_known_make() -> None:
    line1, line2 = build_zone(names="ZEBRACAR<<ZOE")
    misread = line2.replace("ZEBRACAR<<ZOE", "ZEBRACAR<<20E")
    assert parse_siv_zone(line1, misread, today=TODAY).make is None
    known = build_zone(names="RENAULT<<ZOE")
    zone = parse_siv_zone(known[0], known[1].replace("RENAULT<<ZOE", "RENAULT<<20E"), today=TODAY)
    assert zone.commercial_name == "ZOE"


def test_printed_names_repair_what_is_no_look_alike() -> None:
    line1, line2 = build_zone(names="CITROEN<<BERLINGO")
    misread = line2.replace("CITROEN<<BERLINGO", "CITR0EN<<BERIINGO")  # `L` read `I`
    assert not parse_siv_zone(line1, misread, today=TODAY).checks["make"]
    zone = parse_siv_zone(line1, misread, today=TODAY, printed_names=("CITROËN", "BERLINGO"))
    assert zone.check_digits_ok
    assert (zone.make, zone.commercial_name) == ("CITROEN", "BERLINGO")


def test_printed_names_that_differ_repair_nothing() -> None:
    line1, line2 = build_zone(names="CITROEN<<BERLINGO")
    misread = line2.replace("CITROEN<<BERLINGO", "CITR0EN<<BERIINGO")
    zone = parse_siv_zone(line1, misread, today=TODAY, printed_names=("PEUGEOT", "PARTNER"))
    assert not zone.checks["make"] and zone.make is None


def test_look_alikes_that_cancel_in_the_name_check_are_caught_by_the_composite() -> None:
    line1, line2 = build_zone(names="TOYOTA<<C<HR")
    misread = line2.replace("TOYOTA", "T0Y0TA")  # weights 3 and 7: the name's digit still passes
    zone = parse_siv_zone(line1, misread, today=TODAY)
    assert zone.check_digits_ok and zone.make == "TOYOTA"


def test_fillers_lost_or_added_by_ocr_are_counted_again() -> None:
    line1, line2 = build_zone(plate="AB123CD", genre="VP", names="TOYOTA<<C<HR")
    # A filler dropped after the plate and the genre, two in the name's run, one added there.
    first = line1.replace("CD<<", "CD<", 1)
    second = line2.replace("VP<", "VP", 1).replace("HR<<<<<<<", "HR<<<<<")
    zone = parse_siv_zone(first, second, today=TODAY)
    assert zone.check_digits_ok and zone.plate == "AB-123-CD" and zone.make == "TOYOTA"
    assert parse_siv_zone(line1, line2.replace("HR<<", "HR<<<"), today=TODAY).check_digits_ok


def test_a_stray_dot_is_not_part_of_the_zone() -> None:
    line1, line2 = build_zone(names="VOLKSWAGEN<<POLO")
    misread = line2.replace("POLO", "P01.0")
    zone = parse_siv_zone(line1, misread, today=TODAY, printed_names=("VOLKSWAGEN", "POLO"))
    assert zone.check_digits_ok and zone.commercial_name == "POLO"
