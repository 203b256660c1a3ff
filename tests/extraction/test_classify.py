import pytest

from extraction.check_digits import check_digit
from extraction.classify import classify
from extraction.models import DocumentType
from extraction.text import TextLine
from tests.extraction.docgen_lines import rendered_lines


def page(*texts: str) -> list[TextLine]:
    """Lines stacked top to bottom, as an OCR engine would return them."""
    step = 0.9 / max(len(texts), 1)
    return [
        TextLine(t, 0.9, 0.05, 0.02 + i * step, 0.9, 0.02 + i * step + step * 0.6)
        for i, t in enumerate(texts)
    ]


def siv_zone() -> tuple[str, str]:
    plate = "AB123CD<<"
    vin = "VF1AB000012345678"
    line1 = "CRFRA" + plate + check_digit(plate) + vin + check_digit(vin) + "190312"
    line1 += check_digit("190312") + "<<<<"
    name = "RENAULT<<CLIO".ljust(25, "<")
    line2 = "CIVP<" + "2019AB12345" + check_digit("2019AB12345") + name + check_digit(name)
    return line1, line2 + check_digit(line1[5:40] + line2[2:43])


def test_a_passport_mrz_decides():
    lines = page(
        "REPUBLIQUE TUNISIENNE",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )
    verdict = classify(lines)
    assert verdict.document_type is DocumentType.PASSPORT
    assert verdict.confidence >= 0.95 and verdict.reason_code is None


def test_a_siv_zone_decides_for_the_french_carte_grise():
    verdict = classify(page("SOME NOISE", *siv_zone()))
    assert verdict.document_type is DocumentType.FR_VEHICLE_REGISTRATION


def test_french_carte_grise_by_title_and_codes_despite_ocr_slips():
    lines = page(
        "REPUBLIQUE FRANCAISE",
        "CERTIFICAT D'IMMATRICULATLON",  # one slip
        "A AB-123-CD   B 12/03/2019",
        "C.1 DUPONT JEAN",
        "D.1 RENAULT  D.2.1 M10RENVP000A123",
        "J.1 VP  P.6 5",
    )
    verdict = classify(lines)
    assert verdict.document_type is DocumentType.FR_VEHICLE_REGISTRATION
    assert verdict.confidence > 0.8


def test_french_carte_grise_by_printed_codes_alone():
    lines = page(
        "C.1 DUPONT", "C.3 12 RUE DES LILAS", "D.2.1 M10RENVP", "J.1 VP", "P.1 1598", "X.1 2025"
    )
    assert classify(lines).document_type is DocumentType.FR_VEHICLE_REGISTRATION


def test_tunisian_carte_grise_in_french_or_arabic():
    french = page("RÉPUBLIQUE TUNISIENNE", "CARTE GRISE", "Immatriculation 123 TU 4567")
    arabic = page("الجمهورية التونسية", "البطاقة الرمادية", "123 تونس 4567")
    assert classify(french).document_type is DocumentType.TN_VEHICLE_REGISTRATION
    assert classify(arabic).document_type is DocumentType.TN_VEHICLE_REGISTRATION


def test_french_identity_card_by_title_without_accents():
    lines = page("REPUBLIQUE FRANCAISE", "CARTE NATIONALE D IDENTITE", "Nom : DUPONT")
    assert classify(lines).document_type is DocumentType.FR_IDENTITY_CARD


def test_passport_by_title_in_another_language():
    assert (
        classify(page("REISEPASS / PASSPORT", "Name / Surname")).document_type
        is DocumentType.PASSPORT
    )


def test_fft_licence_by_its_federation():
    lines = page("Fédération Française de Tennis", "LICENCE 2025", "Classement : 15/4")
    verdict = classify(lines)
    assert verdict.document_type is DocumentType.FFT_LICENCE and verdict.reason_code is None


def test_nothing_known_is_unknown_with_a_reason():
    verdict = classify(page("Facture", "Total 12,50 EUR", "Merci de votre visite"))
    assert verdict.document_type is DocumentType.UNKNOWN
    assert verdict.reason_code == "unknown_document"
    assert classify([]).reason_code == "unknown_document"


def test_two_equally_likely_types_are_ambiguous():
    verdict = classify(page("PASSEPORT", "CARTE NATIONALE D'IDENTITE"))
    assert verdict.document_type is DocumentType.UNKNOWN
    assert verdict.reason_code == "ambiguous_document"


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("document_type", ["fr_identity_card", "passport"])
def test_generated_documents_are_recognised_with_and_without_their_zone(document_type, seed):
    _, lines = rendered_lines(document_type, seed)
    assert classify(lines).document_type == document_type
    printed_only = [line for line in lines if "<<" not in line.text]
    assert classify(printed_only).document_type == document_type


def test_one_mrz_line_alone_still_names_the_document():
    card = page("REPUBLIQUE FRANCAISE", "IDFRAR0UX<<<<<<<<<<<<<<<<<<<<<870944", "17068707847761")
    assert classify(card).document_type is DocumentType.FR_IDENTITY_CARD
    passport = page("P<UT00<NEIL<<INGRID<ANNA<MARIA<<<<<<<<<<<<<<")
    assert classify(passport).document_type is DocumentType.PASSPORT


def test_the_1995_card_is_known_by_its_own_labels_when_its_title_is_lost():
    lines = page("RÉPUBLIQUE FRANÇAISE", "ROUX", "Carte valable jusqu'au :", "15.06.2032")
    assert classify(lines).document_type is DocumentType.FR_IDENTITY_CARD


def test_a_passport_second_mrz_line_alone_names_a_passport():
    lines = page("L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    assert classify(lines).document_type is DocumentType.PASSPORT


def test_the_fft_licence_qr_code_decides():
    verdict = classify(page("illegible"), ["FFT1;1234567A;DUPONT;Jean;1990-01-01;2025;15/4;TC"])
    assert verdict.document_type is DocumentType.FFT_LICENCE and verdict.confidence >= 0.95
    assert classify(page("illegible"), ["https://example.org"]).reason_code == "unknown_document"


def test_a_tunisian_certificate_is_not_taken_for_a_french_one() -> None:
    # Both are titled "CERTIFICAT D'IMMATRICULATION"; the issuing state decides.
    lines = [
        TextLine("RÉPUBLIQUE TUNISIENNE", 0.95, 0.05, 0.02, 0.4, 0.06),
        TextLine("MINISTÈRE DU TRANSPORT", 0.95, 0.05, 0.07, 0.4, 0.1),
        TextLine("CERTIFICAT D'IMMATRICULATION", 0.95, 0.3, 0.12, 0.7, 0.16),
    ]
    assert classify(lines).document_type is DocumentType.TN_VEHICLE_REGISTRATION


def test_approximate_title_match_is_exactly_the_edit_distance_rule() -> None:
    """The letter-count shortcut rejects only lines the full comparison would reject too."""
    import random

    from extraction.classify import _contains, substring_edit_distance

    chance = random.Random(7)
    title = "CERTIFICAT D IMMATRICULATION"
    alphabet = "ACDEFILMNORTU "
    for _ in range(400):
        text = list(title)
        for _ in range(chance.randrange(6)):
            text[chance.randrange(len(text))] = chance.choice(alphabet)
        if chance.random() < 0.5:
            text = text[: chance.randrange(len(text))]
        line = "".join(chance.choice(alphabet) for _ in range(3)) + "".join(text)
        expected = substring_edit_distance(line, title) <= len(title) // 8
        assert _contains(line, title) is expected


def test_a_title_split_into_pieces_on_its_row_still_counts() -> None:
    row = [
        TextLine("CERTIFICAT", 0.9, 0.05, 0.10, 0.25, 0.14),
        TextLine("D'IMMATRICULATION", 0.9, 0.28, 0.10, 0.60, 0.14),
        TextLine("RÉPUBLIQUE FRANÇAISE", 0.9, 0.05, 0.30, 0.40, 0.34),
    ]
    assert classify(row).document_type is DocumentType.FR_VEHICLE_REGISTRATION
    # The same words on two rows are two titles' ends, not one title.
    apart = [row[0], TextLine("D'IMMATRICULATION", 0.9, 0.28, 0.20, 0.60, 0.24), row[2]]
    assert classify(apart).document_type is DocumentType.UNKNOWN
    # Nor across a wide blank (two columns of a form).
    far = [row[0], TextLine("D'IMMATRICULATION", 0.9, 0.60, 0.10, 0.92, 0.14), row[2]]
    assert classify(far).document_type is DocumentType.UNKNOWN


def test_the_title_shared_by_french_and_tunisian_certificates_alone_names_neither() -> None:
    # A blurred Tunisian card whose issuing state went unread.
    verdict = classify(page("CERTIFICAT D'IMMATRICULATION", "17/09/2006", "22 CITE EL KONA"))
    assert verdict.document_type is DocumentType.UNKNOWN
    assert verdict.reason_code == "ambiguous_document"
    # One thing French besides it is enough.
    french = classify(page("REPUBLIQUE FRANCAISE", "CERTIFICAT D'IMMATRICULATION"))
    assert french.document_type is DocumentType.FR_VEHICLE_REGISTRATION
    # So is a value only a French certificate prints: a five-digit postcode (ending its row, the
    # commune wrapped under it), an SIV plate, a formula number.
    for value in ("53 RUE PASTEUR 13053", "HY-992-FH", "2021NN85670"):
        verdict = classify(page("CERTIFICAT D'IMMATRICULATION", "17/09/2006", value))
        assert verdict.document_type is DocumentType.FR_VEHICLE_REGISTRATION, value
    # A Tunisian plate or four-digit postcode is no such value.
    for value in ("123 TU 4567", "22 CITE EL KONA 4011 SOUSSE"):
        verdict = classify(page("CERTIFICAT D'IMMATRICULATION", value))
        assert verdict.document_type is DocumentType.UNKNOWN, value


def test_two_values_only_a_tunisian_certificate_prints_name_it_beside_the_shared_title() -> None:
    # A sideways Tunisian card whose header (issuing state, ministry) the outline cut off.
    for values in (
        ("213 TU 4450", "2024/08/31"),
        ("1901 kg", "VOITURE PARTICULIERE"),
        ("CAMIONNETTE", "95 RS 1974"),
    ):
        verdict = classify(page("CERTIFICAT D'IMMATRICULATION", *values))
        assert verdict.document_type is DocumentType.TN_VEHICLE_REGISTRATION, values
    # One is not enough (above), nor are a French card's dates, masses and FNI plate.
    french = page("CERTIFICAT D'IMMATRICULATION", "16/07/2006", "1766", "4428 SB 34", "CTTE")
    assert classify(french).document_type is not DocumentType.TN_VEHICLE_REGISTRATION
