import io

import pytest
import zxingcpp
from PIL import Image

from docgen import generate, render_document
from docgen.render.fft_licence import RANKINGS


@pytest.mark.parametrize("seed", range(6))
def test_the_printed_qr_code_decodes_to_the_defined_text(seed):
    document = render_document("fft_licence", seed)
    fields = document.fields
    texts = [r.text for r in zxingcpp.read_barcodes(document.image)]
    assert texts == [document.barcode]
    prefix, licence, surname, given, birth, season, ranking, club = document.barcode.split(";")
    assert (prefix, licence, surname, birth, season, ranking, club) == (
        "FFT1",
        fields["licence_number"],
        fields["surname"],
        fields["birth_date"],
        fields["season"],
        fields["ranking"],
        fields["club_name"],
    )
    assert given.upper() == fields["given_names"]
    assert ranking in RANKINGS and len(licence) == 8 and licence[:7].isdigit()


def test_the_qr_code_survives_a_flat_scan():
    sample = generate("fft_licence", "clean", 0)
    image = Image.open(io.BytesIO(sample.image))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [sample.barcode]
