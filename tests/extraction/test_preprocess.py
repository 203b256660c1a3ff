from __future__ import annotations

import cv2
import numpy as np
import pytest

from extraction import document_outline, outline_candidates, preprocess
from extraction.geometry import DocumentGeometry
from extraction.outline_candidates import Candidate
from extraction.preprocess import ScoredOutline

CARD_CORNERS = np.array([[260, 300], [1130, 350], [1100, 880], [230, 840]], dtype=np.float32)


def id_card() -> np.ndarray:
    """An ID-1 sized (1.586) pale card with eight lines of dark text."""
    card = np.full((540, 856, 3), (225, 235, 240), np.uint8)
    for row in range(8):
        cv2.putText(
            card,
            "DUPONT MARIE 1985"[: 9 + row],
            (40, 80 + row * 58),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.3,
            (30, 30, 30),
            3,
        )
    return card


def desk_photo(*, with_card: bool = True, seed: int = 0) -> np.ndarray:
    """A 1600×1200 photo of a wooden-brown desk, a receipt lying beside the card."""
    rng = np.random.default_rng(seed)
    noise = cv2.resize(rng.normal(0, 10, (150, 200, 3)), (1600, 1200))
    photo = np.clip(np.full((1200, 1600, 3), (60, 95, 135), np.float64) + noise, 0, 255)
    photo = photo.astype(np.uint8)
    receipt = np.full((900, 300, 3), 240, np.uint8)
    for y in range(40, 880, 30):
        cv2.line(receipt, (20, y), (int(rng.integers(100, 280)), y), (60, 60, 60), 4)
    _paste(photo, receipt, np.array([[1250, 100], [1540, 160], [1420, 1050], [1130, 990]]))
    if with_card:
        _paste(photo, id_card(), CARD_CORNERS)
    return photo


def _paste(photo: np.ndarray, picture: np.ndarray, corners: np.ndarray) -> None:
    height, width = picture.shape[:2]
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    cv2.warpPerspective(
        picture, matrix, photo.shape[1::-1], photo, borderMode=cv2.BORDER_TRANSPARENT
    )


def test_the_card_is_found_among_other_papers() -> None:
    geometry = preprocess.find_document(desk_photo())

    assert geometry is not None
    assert np.abs(geometry.corners - CARD_CORNERS).max() < 12
    assert 0.5 <= geometry.confidence <= 1


def test_no_outline_is_invented_when_there_is_no_document() -> None:
    photo = desk_photo(with_card=False)
    photo[:, 1000:] = (60, 95, 135)  # nothing on the table at all

    assert preprocess.find_document(photo) is None


def test_a_big_photo_is_searched_on_a_small_copy_but_answered_in_full_size() -> None:
    big = cv2.resize(desk_photo(), (4000, 3000), interpolation=cv2.INTER_LINEAR)

    geometry = preprocess.find_document(big)

    assert geometry is not None
    assert np.abs(geometry.corners - CARD_CORNERS * 2.5).max() < 30


def test_rectify_flattens_to_the_canonical_size_of_an_id_card() -> None:
    geometry = DocumentGeometry(corners=CARD_CORNERS, confidence=1.0)

    flat = preprocess.rectify(desk_photo(), geometry)

    assert flat.shape == (round(preprocess.CANONICAL_SIDE / 1.586), preprocess.CANONICAL_SIDE, 3)
    # the card's text lies where the card has it: first line y ≈ 52..80 of 540, x from 40
    scale = preprocess.CANONICAL_SIDE / 856
    first_line = flat[round(52 * scale) : round(82 * scale), round(40 * scale) : round(300 * scale)]
    margin = flat[round(5 * scale) : round(40 * scale), round(40 * scale) : round(300 * scale)]
    assert first_line.min() < 80
    assert margin.min() > 150


def test_without_a_document_the_photo_is_kept_whole_and_bounded() -> None:
    big = np.full((3000, 4000, 3), 200, np.uint8)

    flat = preprocess.rectify(big, None)

    assert max(flat.shape[:2]) == preprocess.UNCROPPED_MAX_SIDE
    assert flat.shape[1] / flat.shape[0] == pytest.approx(4 / 3, rel=0.01)


def test_even_lighting_removes_a_shadow_but_keeps_the_text_dark() -> None:
    page = np.full((600, 900, 3), 230, np.uint8)
    for row in range(6):
        cv2.putText(
            page, "DUPONT 1985", (40, 80 + row * 90), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (20, 20, 20), 4
        )
    shadow = np.linspace(1.0, 0.45, 900)[None, :, None]
    shaded = (page * shadow).astype(np.uint8)

    even = preprocess.even_lighting(shaded)

    paper = even[(page == 230).all(axis=2)]
    assert paper.std() < shaded[(page == 230).all(axis=2)].std() / 3
    ink = even[(page == 20).all(axis=2)]
    assert ink.mean() < paper.mean() - 120


@pytest.mark.parametrize("document_type", ["passport", "fr_identity_card", "fft_licence"])
def test_a_flatbed_scan_is_outlined_by_its_difference_from_the_bed(document_type: str) -> None:
    import docgen

    sample = docgen.generate(document_type, docgen.Difficulty.CLEAN, 1002)
    photo = cv2.imdecode(np.frombuffer(sample.image, np.uint8), cv2.IMREAD_COLOR)
    assert photo is not None

    geometry = preprocess.find_document(photo)

    assert geometry is not None
    truth = np.asarray(sample.corners, dtype=np.float32)
    assert np.abs(geometry.corners - truth).max() < 0.015 * max(photo.shape[:2])


def test_a_plain_bed_without_a_document_has_no_outline() -> None:
    bed = np.full((1100, 1500, 3), 250, np.uint8)
    bed[500:520, 200:1300] = 30  # a pen line is no document

    assert preprocess.scanned_outline(preprocess.shrink(bed, preprocess.WORK_SIDE)[0]) is None


def card_with_unseen_bottom() -> np.ndarray:
    """The ID card on a plain table, its lower border lying on the edge of a sheet of exactly
    its colour: three borders show, the fourth does not."""
    rng = np.random.default_rng(0)
    noise = cv2.resize(rng.normal(0, 3, (150, 200, 3)), (1600, 1200))
    photo = np.clip(np.full((1200, 1600, 3), (60, 95, 135), np.float64) + noise, 0, 255)
    photo = photo.astype(np.uint8)
    card = id_card()
    (x1, y1), (x2, y2) = CARD_CORNERS[3], CARD_CORNERS[2]
    slope = (y2 - y1) / (x2 - x1)
    sheet = [[0, y1 - slope * x1], [1600, y1 + slope * (1600 - x1)], [1600, 1200], [0, 1200]]
    cv2.fillConvexPoly(photo, np.array(sheet, np.int32), card[5, 5].tolist())
    _paste(photo, card, CARD_CORNERS)
    return photo


def test_a_card_showing_three_borders_is_closed_by_its_format() -> None:
    geometry = preprocess.find_document(card_with_unseen_bottom())

    assert geometry is not None
    assert np.abs(geometry.corners - CARD_CORNERS).max() < 20


def test_three_seen_borders_and_a_known_aspect_make_a_candidate() -> None:
    small, scale = preprocess.shrink(card_with_unseen_bottom(), preprocess.WORK_SIDE)
    edges = document_outline.edge_map(small)

    completed = [
        candidate.quad / scale
        for candidate in outline_candidates.candidate_outlines(small, edges)
        if candidate.completed
    ]

    assert min(np.abs(quad - CARD_CORNERS).max() for quad in completed) < 20


def test_a_side_with_no_border_is_unseen_and_four_borders_are_not() -> None:
    unseen_photo = card_with_unseen_bottom()
    small, scale = preprocess.shrink(unseen_photo, preprocess.WORK_SIDE)
    seen_small, seen_scale = preprocess.shrink(desk_photo(), preprocess.WORK_SIDE)

    unseen = document_outline.has_unseen_side(
        document_outline.edge_map(small), CARD_CORNERS * scale
    )
    seen = document_outline.has_unseen_side(
        document_outline.edge_map(seen_small), CARD_CORNERS * seen_scale
    )

    assert unseen
    assert not seen


def test_a_shadow_edge_running_past_the_card_is_no_border() -> None:
    photo = desk_photo()
    shadow = np.array([[0, 880], [1600, 950], [1600, 1200], [0, 1200]], np.int32)
    mask = np.zeros(photo.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, shadow, 1)
    photo[mask > 0] = (photo[mask > 0] * 0.55).astype(np.uint8)
    small, scale = preprocess.shrink(photo, preprocess.WORK_SIDE)
    edges = document_outline.edge_map(small)
    # the card's top and sides closed by the shadow's edge instead of its own bottom border
    to_shadow = CARD_CORNERS.copy()
    to_shadow[2, 1], to_shadow[3, 1] = 880 + 70 * 1100 / 1600, 880 + 70 * 230 / 1600

    plain = document_outline.score_outline(edges, to_shadow * scale)
    checked = document_outline.score_outline(edges, to_shadow * scale, beyond=True)

    assert checked < plain
    assert document_outline.has_unseen_side(edges, to_shadow * scale)
    assert not document_outline.has_unseen_side(edges, CARD_CORNERS * scale)


def _candidate(scale_x: float, scale_y: float = 1.0, *, completed: bool = False) -> Candidate:
    """An upright rectangle around (500, 400), 300×200 px times the given scales."""
    half_x, half_y = 150 * scale_x, 100 * scale_y
    quad = np.array(
        [
            [500 - half_x, 400 - half_y],
            [500 + half_x, 400 - half_y],
            [500 + half_x, 400 + half_y],
            [500 - half_x, 400 + half_y],
        ],
        dtype=np.float32,
    )
    return Candidate(quad, completed=completed)


def _scored(
    score: float, candidate: Candidate, border: float | None = None, weakest: float = 0.8
) -> ScoredOutline:
    """A scored outline; its borders score as much as it does unless told otherwise."""
    border = score if border is None else border
    return ScoredOutline(score=score, border=border, weakest=weakest, candidate=candidate)


def test_the_card_around_an_inner_box_wins_when_it_scores_near_the_box() -> None:
    inner = _candidate(1.0)  # the card without its MRZ band
    card = _candidate(1.0, 1.35)

    chosen = preprocess.choose_outline([_scored(0.8, inner), _scored(0.75, card)])

    assert chosen.candidate is card
    assert chosen.score == 0.75


def test_a_card_on_printed_paper_wins_over_its_header_band_by_its_borders() -> None:
    # The paper's text all around the card lowers its score as much as an inner box's; its
    # borders are as good as the box's.
    inner = _candidate(1.0)  # the card below its header band
    card = _candidate(1.0, 1.3)

    chosen = preprocess.choose_outline([_scored(0.84, inner, 0.99), _scored(0.65, card, 0.99)])
    weak_borders = preprocess.choose_outline([_scored(0.84, inner, 0.99), _scored(0.65, card, 0.8)])

    assert chosen.candidate is card
    assert weak_borders.candidate is inner


def test_a_bigger_outline_whose_added_side_is_barely_seen_does_not_win() -> None:
    card = _candidate(1.0)
    to_photo_edge = _candidate(1.3)  # one side moved out to the photo's edge

    chosen = preprocess.choose_outline(
        [_scored(0.95, card, weakest=0.92), _scored(0.92, to_photo_edge, weakest=0.19)]
    )

    assert chosen.candidate is card


def test_the_shadow_edge_just_outside_the_border_does_not_win() -> None:
    card = _candidate(1.0)
    shadow = _candidate(1.02, 1.03)

    assert preprocess.choose_outline([_scored(0.8, card), _scored(0.79, shadow)]).candidate is card


def test_a_paper_edge_taken_for_a_side_does_not_win() -> None:
    card = _candidate(1.0)
    with_paper = _candidate(1.3)  # scores well below the card
    twice = _candidate(1.0, 2.0)  # scores as well but doubles the area

    first = preprocess.choose_outline([_scored(0.8, card), _scored(0.67, with_paper)])
    second = preprocess.choose_outline([_scored(0.8, card), _scored(0.8, twice)])

    assert first.candidate is card
    assert second.candidate is card


def test_an_outline_closed_by_a_guessed_aspect_never_wins_by_size() -> None:
    card = _candidate(1.0)
    guessed = _candidate(1.0, 1.3, completed=True)

    first = preprocess.choose_outline([_scored(0.8, card), _scored(0.8, guessed)])
    second = preprocess.choose_outline([_scored(0.8, guessed), _scored(0.78, _candidate(1.0, 1.5))])

    assert first.candidate is card
    assert second.candidate is guessed


def cream_card_on_white_paper() -> np.ndarray:
    """A cream card on bluish-white paper of the same brightness and saturation, the desk
    showing below the paper: only the way their tints lean (warm against cool) tells the card
    and the paper apart."""
    rng = np.random.default_rng(3)
    photo = np.full((1200, 1600, 3), (235, 228, 222), np.float64)
    photo[1000:] = (60, 95, 135)
    photo = np.clip(photo + rng.normal(0, 2, photo.shape), 0, 255).astype(np.uint8)
    card = id_card()
    card[(card > 200).all(axis=2)] = (222, 224, 235)
    _paste(photo, card, CARD_CORNERS)
    return photo


def test_a_cream_card_on_white_paper_is_outlined_by_its_warmth() -> None:
    geometry = preprocess.find_document(cream_card_on_white_paper())

    assert geometry is not None
    assert np.abs(geometry.corners - CARD_CORNERS).max() < 12
