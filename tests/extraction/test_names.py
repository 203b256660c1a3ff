from extraction.names import fold, french_look_alikes, mrz_spellings, names_agree, printed_name


def test_printed_names_keep_accents_and_hyphens_and_drop_commas():
    assert printed_name("Hélène, Marie-Claire ") == "HÉLÈNE MARIE-CLAIRE"
    assert printed_name("GROß") == "GROß"
    assert printed_name("  d'Arc ") == "D'ARC"


def test_accented_printed_names_agree_with_their_mrz_spelling():
    assert names_agree("HÉLÈNE", "HELENE")
    assert names_agree("MARIE-CLAIRE", "MARIE CLAIRE")
    assert names_agree("LEA-MARIE ANNE", "LEA MARIE ANNE")
    assert names_agree("MÜLLER", "MUELLER") and names_agree("MÜLLER", "MULLER")
    assert names_agree("GROß", "GROSS")
    assert "OE" in "".join(mrz_spellings("ŒUF"))


def test_different_names_do_not_agree():
    assert not names_agree("HÉLÈNE", "HELENA")
    assert not names_agree("DUPONT", "DUPOND")
    assert not names_agree("DUPONT", "")


def test_a_truncated_mrz_name_agrees_with_the_start_of_the_printed_one():
    assert names_agree("JEAN-BAPTISTE", "JEAN BAPT", truncated=True)
    assert not names_agree("JEAN-BAPTISTE", "JEAN BAPT")


def test_fold_keeps_indices():
    assert fold("Né(e) LE") == "ne(e) le"
    assert len(fold("Prénom(s)")) == len("Prénom(s)")


def test_marks_french_never_writes_become_the_french_ones_they_are_misread_from() -> None:
    assert french_look_alikes("MAĒLYS") == "MAËLYS"  # a diaeresis read as a bar
    assert french_look_alikes("ANAÍS LOÍC") == "ANAÏS LOÏC"  # after a vowel: said apart
    assert french_look_alikes("NÍMES") == "NÎMES"  # after a consonant: a circumflex
    assert french_look_alikes("HÉLÈNE") == "HÉLÈNE"  # French letters are left alone
