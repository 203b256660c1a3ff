import cv2
import numpy as np
import pytest

from docgen import render_document
from extraction.documents.fr_vehicle_reframe import FLAT_PX_PER_MM, reframe
from extraction.documents.fr_vehicle_template import FORM_WIDTH, SLOTS, FormFit

# A photo (page) in which the card lies small, turned and in perspective: form mm → page px.
PAGE_SIZE = (1100, 900)  # width, height
CARD_IN_PAGE = np.array([[180.0, 260.0], [930.0, 160.0], [990.0, 560.0], [230.0, 700.0]])


def _card(seed: int = 4) -> tuple[np.ndarray, float]:
    document = render_document("fr_vehicle_registration", seed)
    card = cv2.cvtColor(np.asarray(document.image), cv2.COLOR_RGB2BGR)
    height_mm = card.shape[0] / card.shape[1] * FORM_WIDTH
    return card, height_mm


def _photo(card: np.ndarray, height_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """The card drawn into a grey page by a perspective map; the map form mm → page px."""
    form = np.array([[0, 0], [FORM_WIDTH, 0], [FORM_WIDTH, height_mm], [0, height_mm]])
    form_to_page = cv2.getPerspectiveTransform(
        form.astype(np.float32), CARD_IN_PAGE.astype(np.float32)
    )
    px_per_mm = card.shape[1] / FORM_WIDTH
    card_to_page = form_to_page @ np.diag([1 / px_per_mm, 1 / px_per_mm, 1.0])
    page = np.full((PAGE_SIZE[1], PAGE_SIZE[0], 3), 120, np.uint8)
    cv2.warpPerspective(card, card_to_page, PAGE_SIZE, dst=page, borderMode=cv2.BORDER_TRANSPARENT)
    return page, form_to_page


def _fit(form_to_page: np.ndarray, outliers: int = 0) -> FormFit:
    """The fit the template would make: slots (and a few wrong points) with their page places;
    its affine map through all the slots (least squares: perspective makes it approximate)."""
    form = np.array(list(SLOTS.values()), dtype=np.float64)
    page = cv2.perspectiveTransform(form[None], form_to_page)[0] / PAGE_SIZE
    if outliers:
        form = np.vstack([form, form[:outliers] + 40.0])
        page = np.vstack([page, page[:outliers]])
    homogeneous = np.hstack([page, np.ones((len(page), 1))])
    solution, *_ = np.linalg.lstsq(homogeneous[: len(SLOTS)], form[: len(SLOTS)], rcond=None)
    return FormFit(page=0, matrix=solution.T, page_points=page, form_points=form)


def _agreement(flat: np.ndarray, card: np.ndarray) -> float:
    """Normalised correlation of the two images' grey levels at the flat card's size."""
    size = (flat.shape[1], flat.shape[0])
    a = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY).astype(np.float32)
    b = cv2.cvtColor(cv2.resize(card, size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
    return float(cv2.matchTemplate(a, b.astype(np.float32), cv2.TM_CCOEFF_NORMED).max())


@pytest.mark.parametrize("outliers", [0, 3])
def test_the_card_is_cut_out_of_the_page_flat_and_upright(outliers: int) -> None:
    card, height_mm = _card()
    page, form_to_page = _photo(card, height_mm)

    flat = reframe(page, _fit(form_to_page, outliers), width_mm=FORM_WIDTH, height_mm=height_mm)

    assert flat is not None
    assert flat.shape[1] == round(FORM_WIDTH * FLAT_PX_PER_MM)
    # The card as drawn, not a shifted or skewed copy (the affine map alone agrees less).
    assert _agreement(flat, card) > 0.8


def test_the_perspective_map_beats_the_affine_fit() -> None:
    card, height_mm = _card()
    page, form_to_page = _photo(card, height_mm)
    fit = _fit(form_to_page)
    few = FormFit(page=0, matrix=fit.matrix, page_points=fit.page_points[:5],
                  form_points=fit.form_points[:5])  # fmt: skip

    perspective = reframe(page, fit, width_mm=FORM_WIDTH, height_mm=height_mm)
    affine = reframe(page, few, width_mm=FORM_WIDTH, height_mm=height_mm)

    assert perspective is not None and affine is not None
    assert _agreement(perspective, card) > _agreement(affine, card)


def test_a_page_that_already_is_the_card_is_left_alone() -> None:
    card, height_mm = _card()
    # The page is the rectified card: its corners are the form's.
    matrix = np.array([[FORM_WIDTH, 0.0, 0.0], [0.0, height_mm, 0.0]])
    form = np.array(list(SLOTS.values()))
    fit = FormFit(page=0, matrix=matrix, page_points=form / [FORM_WIDTH, height_mm],
                  form_points=form)  # fmt: skip

    assert reframe(card, fit, width_mm=FORM_WIDTH, height_mm=height_mm) is None
    # Asked for the card with its coupon (a stray line below it), the page is still the card.
    assert reframe(card, fit, width_mm=FORM_WIDTH, height_mm=148.0) is None


def test_a_card_too_small_in_the_page_is_not_cut_out() -> None:
    card, height_mm = _card()
    page, form_to_page = _photo(card, height_mm)
    tiny = cv2.resize(page, None, fx=0.2, fy=0.2)

    assert reframe(tiny, _fit(form_to_page), width_mm=FORM_WIDTH, height_mm=height_mm) is None


def test_a_degenerate_fit_cuts_nothing_out() -> None:
    card, height_mm = _card()
    page, _ = _photo(card, height_mm)
    # Every point on one line: no perspective map, and an affine map that squashes the page.
    form = np.array([[15.0 + 10 * i, 21.5] for i in range(8)])
    points = np.array([[0.2 + 0.05 * i, 0.3] for i in range(8)])
    flat_map = np.array([[200.0, 0.0, -25.0], [0.0, 0.0, 21.5]])
    fit = FormFit(page=0, matrix=flat_map, page_points=points, form_points=form)

    assert reframe(page, fit, width_mm=FORM_WIDTH, height_mm=height_mm) is None


def _reading(values: dict[str, tuple[object, float]], zone_ok: bool | None = None):  # type: ignore[no-untyped-def]
    from extraction.documents.base import DocumentReading
    from extraction.documents.fr_vehicle_registration import FIELD_NAMES
    from extraction.findings import Finding
    from extraction.models import FieldResult, MrzBlock, Source

    fields = {name: FieldResult() for name in FIELD_NAMES}
    for name, (value, confidence) in values.items():
        fields[name] = FieldResult(value=value, confidence=confidence, source=Source.OCR)
    reading = DocumentReading(fields=fields)
    if zone_ok is not None:
        reading.mrz = MrzBlock(format="FR_SIV", lines=["", ""], check_digits_ok=zone_ok)
        reading.findings = [] if zone_ok else [Finding("siv_zone_check_failed", "make")]
    return reading


def test_the_two_readings_of_a_card_cut_out_keep_each_fields_surer_value() -> None:
    from extraction.documents.fr_vehicle_registration import _merged

    # As first read: the zone passed (make and model from it); cut out: more values, a garbled
    # model read surer of nothing, the plate read surer.
    first = _reading(
        {"make": ("CITROEN", 0.75), "commercial_name": ("BERLINGO", 0.75), "vin": ("VF7", 0.6)},
        zone_ok=True,
    )
    second = _reading(
        {
            "commercial_name": ("SERLR", 0.59),
            "registration_number": ("FH-509-LM", 0.9),
            "vin": ("VF7MWG3P1F8148156", 0.95),
            "seats": (5, 0.6),
        },
        zone_ok=False,
    )

    merged = _merged(first, second)

    values = {name: field.value for name, field in merged.fields.items() if field.value is not None}
    assert values == {
        "make": "CITROEN",
        "commercial_name": "BERLINGO",
        "registration_number": "FH-509-LM",
        "vin": "VF7MWG3P1F8148156",
        "seats": 5,
    }
    # The zone, and its findings, from the reading whose check digits passed.
    assert merged.mrz is not None and merged.mrz.check_digits_ok and merged.findings == []


def test_the_card_is_cut_out_with_its_coupon_only_when_a_line_stands_on_it() -> None:
    from extraction.documents.fr_vehicle_registration import _form_height

    card, height_mm = _card()
    _, form_to_page = _photo(card, height_mm)
    fit = _fit(form_to_page)
    assert _form_height(fit) == 105.0
    # A line standing where the coupon's zone would be, 27 mm below the card's bottom edge.
    zone_row = np.array([[[10.0, 131.9]]])
    at = cv2.perspectiveTransform(zone_row, form_to_page)[0] / PAGE_SIZE
    placed = FormFit(
        page=0,
        matrix=fit.matrix,
        page_points=np.vstack([fit.page_points, at]),
        form_points=np.vstack([fit.form_points, zone_row[0]]),
    )
    assert _form_height(placed) == 148.0
