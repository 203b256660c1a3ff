from extraction.check_digits import check_digit
from extraction.models import MrzBlock
from extraction.mrz import MrzFormat, clean_line, find_mrz, looks_like_mrz, read_mrz
from extraction.mrz_formats import LOOK_ALIKES
from extraction.text import TextLine

# ICAO 9303 Part 4 (TD3) and Part 5 (TD1) specimens.
TD3_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


def td3_line2(number: str, personal: str = "ZE184226B") -> str:
    """A TD3 second line for the specimen holder with `number`, every check digit computed."""
    personal = personal.ljust(14, "<")
    line = (
        number + check_digit(number) + "UTO" + "740812" + check_digit("740812") + "F"
        + "120415" + check_digit("120415") + personal + check_digit(personal)
    )  # fmt: skip
    return line + check_digit(line[0:10] + line[13:20] + line[21:43])


def fr1995(
    surname: str = "DUPONT", given: str = "JEAN<<PIERRE", number: str = "880692310285"
) -> tuple[str, str]:
    line1 = "IDFRA" + surname.ljust(25, "<") + "750123"
    line2 = number + check_digit(number) + given.ljust(14, "<") + "650412" + check_digit("650412")
    line2 += "M"
    return line1, line2 + check_digit(line1 + line2)


def swap(text: str, position: int, char: str) -> str:
    return text[:position] + char + text[position + 1 :]


def test_td3_specimen_decodes_with_every_check_passing():
    reading = read_mrz([TD3_1, TD3_2])
    assert reading is not None and reading.format is MrzFormat.TD3
    assert reading.check_digits_ok and not reading.repairs
    assert reading.fields["document_number"] == "L898902C3"
    assert reading.fields["surname"] == "ERIKSSON"
    assert reading.fields["given_names"] == "ANNA MARIA"
    assert (reading.fields["birth_date"], reading.fields["expiry_date"]) == ("740812", "120415")
    assert reading.fields["personal_number"] == "ZE184226B"
    assert reading.fields["sex"] == "F" and reading.fields["nationality"] == "UTO"


def test_td1_specimen_decodes_with_every_check_passing():
    reading = read_mrz(list(TD1))
    assert reading is not None and reading.format is MrzFormat.TD1
    assert reading.check_digits_ok
    assert reading.fields["document_number"] == "D23145890"
    assert reading.fields["issuing_state"] == "UTO" and reading.fields["document_code"] == "I"
    assert reading.fields["given_names"] == "ANNA MARIA"


def test_td1_long_document_number_continues_in_optional_data():
    number = "D231458907AB"  # 12 characters: 9 in place, 3 in the optional data, then its digit
    line1 = "I<UTO" + number[:9] + "<" + number[9:] + check_digit(number)
    line1 = line1.ljust(30, "<")
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    reading = read_mrz([line1, line2, TD1[2]])
    assert reading is not None and reading.check_digits_ok
    assert reading.fields["document_number"] == number


def test_french_1995_card_decodes_and_its_composite_covers_the_names():
    reading = read_mrz(list(fr1995()))
    assert reading is not None and reading.format is MrzFormat.FR_1995
    assert reading.check_digits_ok
    assert reading.fields["document_number"] == "880692310285"
    assert reading.fields["surname"] == "DUPONT"
    assert reading.fields["given_names"] == "JEAN PIERRE"
    assert reading.fields["office_code"] == "750123"
    assert reading.confirmed("surname") is True
    assert "expiry_date" not in reading.fields


def test_names_and_sex_of_a_td3_are_not_covered_by_any_check_digit():
    reading = read_mrz([TD3_1, TD3_2])
    assert reading is not None
    assert reading.confirmed("surname") is None and reading.confirmed("sex") is None
    assert reading.confirmed("document_number") is True


def test_wrong_composite_is_reported_and_not_repaired():
    reading = read_mrz([TD3_1, TD3_2[:-1] + "5"])
    assert reading is not None
    assert not reading.check_digits_ok
    assert reading.failed_checks == ("composite",)
    assert not reading.repairs
    assert reading.to_block() == MrzBlock(
        format="TD3", lines=[TD3_1, TD3_2[:-1] + "5"], check_digits_ok=False
    )


def test_letters_in_dates_are_coerced_to_digits_without_counting_as_repairs():
    line2 = TD3_2.replace("7408122", "74O8I22")
    reading = read_mrz([TD3_1, line2])
    assert reading is not None and reading.check_digits_ok
    assert reading.fields["birth_date"] == "740812"
    assert not reading.repairs
    assert {(c.read, c.fixed) for c in reading.coercions} == {("O", "0"), ("I", "1")}


def test_digits_in_names_are_coerced_to_letters():
    reading = read_mrz(["P<UT0ER1KSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", TD3_2])
    assert reading is not None
    assert reading.fields["issuing_state"] == "UTO"
    assert reading.fields["surname"] == "ERIKSSON" and reading.fields["given_names"] == "ANNA MARIA"


def test_each_letter_digit_confusion_in_a_document_number_is_repaired():
    cases = [("AX47H0M39", 5, "O"), ("AX47H1M39", 5, "I"), ("AX47H8M39", 5, "B"),
             ("AX47H5M39", 5, "S"), ("AX47H2M39", 5, "Z"), ("AXO7H4M39", 2, "0"),
             ("AXI7H4M39", 2, "1"), ("AXB7H4M39", 2, "8"), ("AXS7H4M39", 2, "5"),
             ("AXZ7H4M39", 2, "2")]  # fmt: skip
    for number, position, misread in cases:
        line2 = td3_line2(number)
        reading = read_mrz([TD3_1, swap(line2, position, misread)])
        assert reading is not None
        assert reading.fields["document_number"] == number, (number, misread)
        assert reading.check_digits_ok
        assert [(r.position, r.read, r.fixed) for r in reading.repairs] == [
            (position, misread, number[position])
        ]


def test_filler_read_as_c_is_repaired_through_the_check_digit():
    number = "AX47H3A<<"
    line2 = td3_line2(number)
    reading = read_mrz([TD3_1, swap(line2, 7, "C")])
    assert reading is not None and reading.check_digits_ok
    assert reading.fields["document_number"] == "AX47H3A"
    assert [(r.read, r.fixed) for r in reading.repairs] == [("C", "<")]


def test_two_equally_small_repairs_mean_no_repair():
    line2 = td3_line2("A5B80Z1X3")
    misread = "ASB80Z1X3"  # the 5 read as S
    one_swap = {
        swap(misread, position, other)
        for position, char in enumerate(misread)
        for other in LOOK_ALIKES.get(char, ())
    }
    # The premise: more than one single swap satisfies the number's check digit (and the
    # composite, whose weights line up with it on a TD3).
    assert len([number for number in one_swap if check_digit(number) == line2[9]]) >= 2
    reading = read_mrz([TD3_1, misread + line2[9:]])
    assert reading is not None
    assert not reading.repairs
    assert reading.fields["document_number"] == misread
    assert "document_number" in reading.failed_checks


def test_an_unfixable_check_digit_failure_is_reported():
    reading = read_mrz([TD3_1, swap(TD3_2, 15, "9")])  # 7408122 → 7409122: not a look-alike
    assert reading is not None
    assert "birth_date" in reading.failed_checks and not reading.repairs
    assert reading.confirmed("birth_date") is False


def test_a_composite_failure_another_field_explains_leaves_the_others_unvouched_not_wrong():
    reading = read_mrz([TD3_1, swap(TD3_2, 15, "9")])  # the birth date's own check fails
    assert reading is not None
    assert set(reading.failed_checks) == {"birth_date", "composite"}
    assert reading.confirmed("birth_date") is False
    # Their own check digits pass; the composite's failure is the birth date's.
    assert reading.confirmed("document_number") is None
    assert reading.confirmed("expiry_date") is None
    lone = read_mrz([TD3_1, swap(TD3_2, 43, "1")])  # only the composite fails: no culprit
    assert lone is not None and lone.failed_checks == ("composite",)
    assert lone.confirmed("document_number") is False


def test_ocr_noise_spaces_lowercase_and_filler_lookalikes_are_cleaned():
    assert clean_line("p«uto eriksson‹‹anna>maria((") == "P<UTOERIKSSON<<ANNA<MARIA<<"
    reading = read_mrz(
        [
            "p<uto eriksson«<anna<maria «<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ]
    )
    assert reading is not None and reading.check_digits_ok
    assert reading.lines == (TD3_1, TD3_2)


def test_truncated_or_padded_lines_are_fitted_to_their_width():
    short_names = TD3_1.rstrip("<")  # trailing fillers dropped by the OCR
    dropped = TD3_2.replace("B<<<<<10", "B<<<10")  # two fillers lost inside the line
    doubled = TD3_2.replace("B<<<<<10", "B<<<<<<<10")
    for line1, line2 in ((short_names, TD3_2), (TD3_1, dropped), (TD3_1 + "<<", doubled)):
        reading = read_mrz([line1, line2])
        assert reading is not None and reading.check_digits_ok, (line1, line2)
        assert reading.lines == (TD3_1, TD3_2)


def test_fillers_read_as_k_in_a_name_padding_become_fillers():
    reading = read_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<KK<<<<<<<<<<<<<", TD3_2])
    assert reading is not None and reading.fields["given_names"] == "ANNA MARIA"


def test_garbage_is_not_an_mrz():
    assert read_mrz(["HELLO WORLD", "CARTE NATIONALE D'IDENTITE"]) is None
    assert not looks_like_mrz("CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD")
    assert looks_like_mrz(TD3_2) and looks_like_mrz(TD1[0])


def line(
    text: str, y: float, x0: float = 0.05, x1: float = 0.95, confidence: float = 0.9
) -> TextLine:
    return TextLine(text, confidence, x0, y, x1, y + 0.04)


def test_find_mrz_joins_boxes_of_one_row_and_ignores_the_printed_zone():
    lines = [
        line("PASSPORT", 0.05),
        line("ERIKSSON", 0.3),
        line(TD3_1, 0.82, confidence=0.97),
        line(TD3_2[:20], 0.9, x1=0.5, confidence=0.93),
        line(TD3_2[20:], 0.9, x0=0.52, confidence=0.95),
    ]
    reading = find_mrz(lines)
    assert reading is not None and reading.check_digits_ok
    assert reading.lines == (TD3_1, TD3_2)
    assert reading.confidence == 0.93


def test_find_mrz_reads_a_french_1995_zone_and_a_td1_zone():
    first, second = fr1995()
    reading = find_mrz([line(first, 0.8), line(second, 0.88)])
    assert reading is not None and reading.format is MrzFormat.FR_1995
    td1 = find_mrz([line(text, 0.7 + 0.08 * row) for row, text in enumerate(TD1)])
    assert td1 is not None and td1.format is MrzFormat.TD1 and td1.check_digits_ok


def test_find_mrz_returns_none_without_a_zone():
    assert find_mrz([line("NOM / Surname", 0.2), line("DUPONT", 0.25)]) is None


def test_a_line_the_ocr_turned_by_180_degrees_is_read_back():
    reversed_second = TD3_2[::-1].replace("<", ">")  # RapidOCR's flipped line classifier
    reading = read_mrz([TD3_1, reversed_second])
    assert reading is not None and reading.check_digits_ok
    assert reading.lines == (TD3_1, TD3_2)
    names_reversed = read_mrz([TD1[0], TD1[1], TD1[2][::-1]])
    assert names_reversed is not None and names_reversed.fields["surname"] == "ERIKSSON"


def test_a_line_cut_short_is_read_as_far_as_it_goes():
    first, second = fr1995()
    reading = read_mrz([first, second[:14]])  # number, its check digit, one letter
    assert reading is not None and reading.format is MrzFormat.FR_1995
    assert not reading.complete and not reading.check_digits_ok
    assert reading.checks == {"document_number": True}
    assert reading.fields["document_number"] == "880692310285"
    assert "birth_date" not in reading.fields and "given_names" not in reading.fields
    assert reading.confirmed("document_number") is True
    assert reading.confirmed("surname") is None  # its composite check digit was lost
    assert reading.lines == (first, second[:14])


def test_find_mrz_keeps_a_cut_line_under_an_mrz_line():
    first, second = fr1995()
    reading = find_mrz([line(first, 0.8), line(second[:14], 0.88, x1=0.4)])
    assert reading is not None and reading.fields["document_number"] == "880692310285"


def test_a_passport_second_line_alone_is_read_when_its_checks_pass():
    reading = read_mrz([TD3_2])
    assert reading is not None and reading.format is MrzFormat.TD3
    assert reading.fields["document_number"] == "L898902C3"
    assert reading.confirmed("birth_date") is True and not reading.complete
    assert "surname" not in reading.fields
    assert reading.to_block().lines == [TD3_2]
    assert read_mrz([swap(TD3_2, 15, "9")[:-1] + "0"]) is None  # two checks fail: not trusted
    assert read_mrz([TD3_1]) is None


def test_the_fixed_idfra_of_a_1995_card_is_restored_from_look_alikes():
    first, second = fr1995()
    reading = read_mrz(["10FRA" + first[5:], second])
    assert reading is not None and reading.check_digits_ok
    assert reading.lines[0].startswith("IDFRA") and reading.fields["document_code"] == "ID"
    assert read_mrz(["XXFRA" + first[5:], second]) is None  # not a look-alike: not that card


def test_a_word_beside_the_zone_on_an_mrz_row_is_not_glued_into_it():
    rows = [line(text, 0.7 + 0.08 * row, x0=0.2, x1=0.9) for row, text in enumerate(TD1)]
    beside = line("CE", 0.86, x0=0.02, x1=0.07)  # same print, left of the zone
    taller = TextLine("CE", 0.9, 0.15, 0.85, 0.19, 0.93)  # bigger print, just before it
    spaced = line("VOIR AU DOS", 0.86, x0=0.91, x1=0.99)
    for stray in (beside, taller, spaced):
        reading = find_mrz([*rows, stray])
        assert reading is not None and reading.check_digits_ok
        assert reading.fields["surname"] == "ERIKSSON"
    glued = find_mrz([*rows[:2], line(TD1[2][:10], 0.86, 0.2, 0.43), line(TD1[2][10:], 0.86, 0.45)])
    assert glued is not None and glued.fields["given_names"] == "ANNA MARIA"  # a split row joins


def test_a_lower_case_word_just_beside_a_zone_row_is_left_out():
    rows = [line(text, 0.7 + 0.08 * row, x0=0.13, x1=0.75) for row, text in enumerate(TD1)]
    # Measured on a phone photo: a word of the paper under the card, 1.7 letters left of the zone.
    for stray in (line("ce", 0.86, x0=0.039, x1=0.092), line("sss", 0.86, x0=0.884, x1=0.96)):
        reading = find_mrz([*rows, stray])
        assert reading is not None and reading.check_digits_ok
        assert (reading.fields["surname"], reading.fields["given_names"]) == (
            "ERIKSSON",
            "ANNA MARIA",
        )
    near = line("CE", 0.86, x0=0.06, x1=0.1)  # capitals, 1.5 letters before every other row
    reading = find_mrz([*rows, near])
    assert reading is not None and reading.fields["surname"] == "ERIKSSON"
    split = [line(TD1[2][:12], 0.86, 0.13, 0.37), line(TD1[2][12:], 0.86, 0.38, 0.75)]
    joined = find_mrz([*rows[:2], *split])
    assert joined is not None and joined.fields["given_names"] == "ANNA MARIA"


def test_a_document_code_read_as_its_digit_look_alike_still_opens_the_zone():
    reading = find_mrz([line("1" + TD1[0][1:], 0.7), line(TD1[1], 0.78), line(TD1[2], 0.86)])
    assert reading is not None and reading.format is MrzFormat.TD1 and reading.check_digits_ok
    assert reading.fields["document_code"] == "I" and reading.fields["surname"] == "ERIKSSON"
    assert read_mrz(["X" + TD1[0][1:], TD1[1], TD1[2]]) is None  # not a look-alike of I, A, C


def td1_lines(number: str) -> tuple[str, str, str]:
    """A French 2021 card's zone for the specimen holder with `number`, no optional data."""
    first = f"IDFRA{number}{check_digit(number)}".ljust(30, "<")
    second = "7408122F1204159FRA<<<<<<<<<<<"
    composite = check_digit(first[5:30] + second[0:7] + second[8:15] + second[18:29])
    return first, second + composite, TD1[2]


def test_a_misread_number_is_repaired_rather_than_the_line_read_backwards():
    first, second, third = td1_lines("X4KLW6W3Z")
    misread = swap(first, 13, "2")  # Z read as 2: the number's check and the composite fail
    # Backwards, the first line puts fillers under the number's check, which then passes.
    reading = read_mrz([misread, second, third])
    assert reading is not None and reading.check_digits_ok
    assert reading.lines[0] == first and reading.fields["document_number"] == "X4KLW6W3Z"
    assert reading.repaired == {"document_number"}
    backwards = read_mrz([first[::-1], second, third])
    assert backwards is not None and backwards.lines[0] == first  # a real flip is read back


def test_a_td1_zone_whose_names_line_was_lost_is_read_when_all_its_checks_pass():
    first, second, _ = td1_lines("X4KLW6W3Z")
    reading = find_mrz([line(first, 0.8, x1=0.9), line(second, 0.88, x1=0.9)])
    assert reading is not None and reading.format is MrzFormat.TD1
    assert reading.fields["document_number"] == "X4KLW6W3Z" and reading.checks["composite"]
    assert "surname" not in reading.fields and not reading.complete
    assert reading.to_block().lines == [first, second]
    wrong_birth = swap(second, 3, "9")  # the birth date's check fails: nothing vouches for it
    doubtful = read_mrz([first, wrong_birth])
    assert doubtful is None or doubtful.format is not MrzFormat.TD1


def test_a_box_lying_over_a_zone_line_is_another_rows_and_is_left_out():
    first, second, _ = td1_lines("X4KLW6W3Z")  # the names line lost to the photo's edge
    rows = [line(first, 0.7, x0=0.2, x1=0.62), line(second, 0.78, x0=0.2, x1=0.62)]
    # Measured on a skewed photo: the printed expiry's digits level with the first line.
    over = line("052032", 0.705, x0=0.51, x1=0.59)
    reading = find_mrz([*rows, over])
    assert reading is not None and reading.format is MrzFormat.TD1
    assert reading.lines[:2] == (first, second) and all(reading.checks.values())


def test_lower_case_c_by_the_fillers_of_a_capital_line_is_a_filler():
    # Measured on a photo that cut the first line: its fillers came back as `cc`.
    assert clean_line("P<DEUFISCHER<<JOERG<BJOERN<cc") == "P<DEUFISCHER<<JOERG<BJOERN<<<"
    assert clean_line("ERIKSSON<<ANNAk<<") == "ERIKSSON<<ANNA<<<"
    assert clean_line("ERIKSSON<<ANNA<MARIC") == "ERIKSSON<<ANNA<MARIC"  # a capital C stays
    assert clean_line("franck<<eric") == "FRANCK<<ERIC"  # all lower case: letters, not fillers
    reading = read_mrz(["P<UTOERIKSSON<<ANNA<MARIA<cc", TD3_2])
    assert reading is not None and reading.fields["given_names"] == "ANNA MARIA"


def test_capitals_of_other_scripts_are_read_as_the_latin_ones_they_look_like():
    # The recogniser returned `R0∪X` (a union sign for U) and Greek or Cyrillic capitals.
    assert clean_line("R0∪X<<N0EMIE<<<<") == "R0UX<<N0EMIE<<<<"
    assert clean_line("ΕRΙΚSSΟΝ<<АNNА") == "ERIKSSON<<ANNA"
    reading = read_mrz([*TD1[:2], "R0∪X<<N0ΕMIE<<<<<<<<<<<<<<<<<<"])
    assert reading is not None and reading.check_digits_ok
    assert (reading.fields["surname"], reading.fields["given_names"]) == ("ROUX", "NOEMIE")
