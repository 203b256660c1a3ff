"""Names as printed (upper case, accents kept) and as the MRZ spells them (ICAO 9303-3 §6:
accents dropped, Ä→AE or A, separators → filler), and whether two spellings are the same name."""

from __future__ import annotations

import re
import unicodedata

# ICAO 9303-3 §6.A: letters with a recommended two-letter transliteration (the one-letter
# form is also seen, e.g. Ä→A, on older documents).
_SPECIAL: dict[str, tuple[str, ...]] = {
    "Ä": ("AE", "A"),
    "Ö": ("OE", "O"),
    "Ü": ("UE", "U"),
    "Å": ("AA", "A"),
    "ß": ("SS",),
    "ẞ": ("SS",),
    "Æ": ("AE",),
    "Œ": ("OE",),
    "Ø": ("OE", "O"),
    "Þ": ("TH",),
    "Ð": ("D",),
    "Ĳ": ("IJ",),
}


def upper_keep_accents(text: str) -> str:
    """Upper case without Python's ß→SS expansion (the document prints ß)."""
    return "".join(char if char == "ß" else char.upper() for char in text)


def printed_name(text: str) -> str:
    """A printed name in the contract's form: upper case, accents and hyphens kept, commas
    between given names dropped, one space between words."""
    words = re.split(r"[\s,;]+", upper_keep_accents(text).strip(" ,;:./"))
    return " ".join(word.strip("'.") for word in words if word.strip("'."))


def mrz_spellings(text: str) -> set[str]:
    """Every MRZ spelling of a printed name (spaces between words, as `MrzReading` gives)."""
    spellings = {""}
    for char in upper_keep_accents(text):
        if char in _SPECIAL:
            options = _SPECIAL[char]
        else:
            base = unicodedata.normalize("NFKD", char)[0]
            options = (base,) if base.isalnum() and base.isascii() else (" ",)
        spellings = {spelling + option for spelling in spellings for option in options}
        if len(spellings) > 64:  # a name with many umlauts: keep the recommended spelling
            spellings = {min(spellings, key=len)}
    return {" ".join(spelling.split()) for spelling in spellings}


def names_agree(printed: str, mrz: str, *, truncated: bool = False) -> bool:
    """True when the printed name and the MRZ name are the same name (`truncated`: the MRZ
    field was full, so the MRZ may hold only the beginning of the name)."""
    wanted = " ".join(mrz.split())
    if not wanted:
        return False
    for spelling in mrz_spellings(printed):
        if spelling == wanted:
            return True
        if truncated and spelling.replace(" ", "").startswith(wanted.replace(" ", "")):
            return True
    return False


def unaccented_upper(text: str) -> str:
    """Upper case with accents dropped (`Côte` → `COTE`): for comparing spellings."""
    plain = unicodedata.normalize("NFKD", text.upper())
    return "".join(char for char in plain if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Lower case, accents dropped, one char per char (indices stay valid): for matching labels."""
    return "".join(unicodedata.normalize("NFKD", char)[0].lower() for char in text)


# Marks the recogniser reads for a French accent: the diaeresis as a bar or one dot (MAĒLYS), the
# circumflex and the diaeresis on an i as an acute (NÍMES, BENSAÍD). French writes none of these.
_DIAERESIS_LOOKALIKES = {"Ē": "Ë", "Ė": "Ë", "Ū": "Ü"}
_VOWELS = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ")


def french_look_alikes(text: str) -> str:
    """`text` with accented letters French never writes turned into the French ones they are
    misread from. An i's mark becomes a diaeresis after a vowel (the diaeresis marks a vowel
    said apart: ANAÏS, LOÏC) and a circumflex after a consonant (NÎMES)."""
    letters = list(text)
    for index, char in enumerate(letters):
        if char in _DIAERESIS_LOOKALIKES:
            letters[index] = _DIAERESIS_LOOKALIKES[char]
        elif char in "ÍÌĪ":
            after_vowel = index > 0 and letters[index - 1].upper() in _VOWELS
            letters[index] = "Ï" if after_vowel else "Î"
    return "".join(letters)
