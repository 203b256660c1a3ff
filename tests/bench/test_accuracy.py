from bench.accuracy import scale_band


def test_hard_photos_are_banded_by_the_documents_scale() -> None:
    assert scale_band(2.9) == "< 4 px/mm"
    assert scale_band(4.0) == "4–6 px/mm"
    assert scale_band(5.99) == "4–6 px/mm"
    assert scale_band(6.0) == "≥ 6 px/mm"
    assert scale_band(16.9) == "≥ 6 px/mm"
