from bench.accuracy import _as_encoded, scale_band


def test_hard_photos_are_banded_by_the_documents_scale() -> None:
    assert scale_band(2.9) == "< 4 px/mm"
    assert scale_band(4.0) == "4–6 px/mm"
    assert scale_band(5.99) == "4–6 px/mm"
    assert scale_band(6.0) == "≥ 6 px/mm"
    assert scale_band(16.9) == "≥ 6 px/mm"


def test_a_value_is_as_its_zone_encodes_it_up_to_what_the_zone_cannot_write() -> None:
    assert _as_encoded("given_names", "ANAIS", "ANAÏS")  # the MRZ has no accents
    assert _as_encoded("commercial_name", "C HR", "C-HR")  # the SIV zone has no dashes
    assert not _as_encoded("commercial_name", "CHR", "C-HR")
    assert not _as_encoded("vin", "VF1", "VF7")
