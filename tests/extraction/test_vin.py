from extraction import vin

# A textbook North-American VIN whose position-9 digit is right (ISO 3779 / 49 CFR 565).
GOOD = "1M8GDM9AXKP042788"


def test_check_digit_of_a_known_vin() -> None:
    assert vin.check_digit(GOOD) == "X"
    assert vin.check_digit_ok(GOOD)


def test_a_wrong_position_nine_fails_the_check() -> None:
    assert not vin.check_digit_ok(GOOD[:8] + "1" + GOOD[9:])


def test_well_formed_rejects_forbidden_letters_and_lengths() -> None:
    assert vin.is_well_formed("VF1RFB00X64567890")
    assert not vin.is_well_formed("VF1RFB00X6456789")  # 16 characters
    assert not vin.is_well_formed("VF1RFBO0X64567890")  # O is never used
    assert not vin.is_well_formed("VF1RFBQ0X64567890")


def test_clean_vin_repairs_look_alikes_and_counts_them() -> None:
    assert vin.clean_vin("vf1 rfb0o x6456 789I") == ("VF1RFB00X64567891", 2)
    assert vin.clean_vin("VF1RFB00X64567890") == ("VF1RFB00X64567890", 0)


def test_a_vin_ends_in_its_serial_number() -> None:
    assert vin.ends_in_serial("VF3PW90Z4D9904579")
    # A letter's words run together, look-alikes and all, are 17 VIN characters but no serial.
    assert not vin.ends_in_serial(vin.clean_vin("UN1TA1REC0NTRATAY")[0])
