"""The French identity card's birth place when its label went unread, found by where the card
prints it: under "Né(e) le" on the 1995 card, between the birth date's row and the issue date's
on the 2021 one (without an MRZ to tell the model, as on the 1995 card). Found by position, such
a value is shown but never vouched for."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extraction.documents.identity_fields import DATE
from extraction.documents.identity_labels import PrintedValue, is_label, next_row_text
from extraction.models import FieldValue
from extraction.mrz import MrzFormat, MrzReading, looks_like_mrz
from extraction.text import TextLine


def birth_place_by_position(
    lines: Sequence[TextLine],
    printed: dict[str, PrintedValue],
    mrz: MrzReading | None,
    birth_date: FieldValue,
) -> PrintedValue | None:
    """The printed birth place found from the birth date's label, or from the printed birth
    date the MRZ vouches for when that label went unread too."""
    birth = printed.get("birth_date")
    model_1995 = mrz is None or mrz.format is MrzFormat.FR_1995
    if model_1995 and birth is not None and birth.label is not None:
        return next_row_text(lines, birth.label)
    if mrz is None or not mrz.confirmed("birth_date") or birth_date is None:
        return None
    anchor = _line_of_date(lines, str(birth_date))
    if anchor is None:
        return None
    if model_1995:
        return next_row_text(lines, anchor)
    # On the 2021 card the row under the birth date's label holds the values of the sex,
    # nationality and birth date, never the place.
    issue = printed.get("issue_date")
    issued = DATE.normalise(issue.text) if issue else None
    below = _line_of_date(lines, issued) if issued else None
    return _between_rows(lines, anchor, below) if below else None


def _line_of_date(lines: Sequence[TextLine], iso: str) -> TextLine | None:
    return next((line for line in lines if DATE.normalise(line.text) == iso), None)


def _between_rows(
    lines: Sequence[TextLine], above: TextLine, below: TextLine
) -> PrintedValue | None:
    """The 2021 card's place: the wordy box in value-sized print (labels are smaller) lying
    between the birth date's row and the issue date's, left of the birth date."""
    candidates = [
        line
        for line in lines
        if line.page == above.page
        # clear of the birth date's row, which holds the nationality code (rows slant)
        and above.y1 + 0.25 * above.height <= line.center_y <= below.y0
        and line.x0 < above.x0
        and len(re.findall(r"[^\W\d_]", line.text)) >= 3
        and not looks_like_mrz(line.text)
        and not is_label(line.text)
        # The card's labels are bilingual, `LIEU DE NAISSANCE / Place of birth`: a slash marks
        # one even garbled past recognition (`ANCE/ PLACE DR BITH`); no commune has one.
        and "/" not in line.text
    ]
    best = max(candidates, key=lambda line: line.height, default=None)
    return PrintedValue(best.text.strip(), best.confidence) if best else None
