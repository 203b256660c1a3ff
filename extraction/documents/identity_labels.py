"""The printed zone of identity documents, read by its labels: a label's value is the text after
it on the same box, else the box to its right on the same row, else the box just below it
(2021 card and passports print small labels above values; the 1995 card puts them in front)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from extraction.mrz import looks_like_mrz
from extraction.names import fold
from extraction.text import TextLine


@dataclass(frozen=True, slots=True)
class PrintedValue:
    text: str
    confidence: float
    label: TextLine | None = None  # the box holding the label, when one was read


def _labels(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns))


# Patterns over folded text (lower case, no accents); each matches a whole label.
LABELS: dict[str, re.Pattern[str]] = {
    "document_number": _labels(
        r"n[°o]?\s*du\s*document(\s*/\s*document\s*n[o°]\.?)?",
        r"document\s*n[o°]\.?",
        r"(passeport|passport|passaporto|pasaporte)\s*n[°o.]*(\s*/\s*passport\s*no\.?)?",
        r"pass-nr\.?(\s*/\s*passport\s*no\.?)?",
        r"carte\s*nationale\s*d.\s*identite\s*n[°o]\s*:?",
    ),
    "surname": _labels(
        r"(nom|name|cognome|apellidos)\s*/\s*surname",
        r"surname",
        r"nom\s*:",
        r"nom(?=\s*$)",
    ),
    "given_names": _labels(
        r"(prenoms?|prenom\(s\)|vornamen|nome|nombre)\s*/\s*given\s*names",
        r"given\s*names",
        r"prenom\(?s?\)?\s*:",
    ),
    "sex": _labels(r"(sexe|geschlecht|sesso|sexo)\s*/\s*sex", r"sex[eo]?\s*:", r"sex\b"),
    "nationality": _labels(
        r"(nationalite|staatsangehorigkeit|cittadinanza|nacionalidad)\s*/\s*nationality",
        r"nationality",
    ),
    "birth_date": _labels(
        r"(date\s*de\s*naiss\.?|date\s*de\s*naissance|geburtstag|data\s*di\s*nascita"
        r"|fecha\s*de\s*nacimiento)\s*/\s*date\s*of\s*birth",
        r"date\s*of\s*birth",
        r"ne\s*\(?e?\)?\s*le\s*:?",
    ),
    "birth_place": _labels(
        r"(lieu\s*de\s*naissance|geburtsort|luogo\s*di\s*nascita|lugar\s*de\s*nacimiento)"
        r"\s*/\s*place\s*of\s*birth",
        r"(pla)?ce\s*of\s*birth",
        r"lieu\s*de\s*naissance",  # its English half unread
        r"lieu\s*de(?=\s*$)",
        r"a\s*:",
    ),
    "issue_date": _labels(
        r"(date\s*de\s*delivrance|ausstellungsdatum|data\s*di\s*rilascio|fecha\s*de\s*expedicion)"
        r"\s*/\s*date\s*of\s*issue",
        r"date\s*of\s*issue",
        r"date\s*de\s*delivrance",
        r"delivree\s*le\s*:?",
    ),
    "expiry_date": _labels(
        r"(date\s*d.\s*expir\.?|date\s*d.expiration|gultig\s*bis|data\s*di\s*scadenza"
        r"|fecha\s*de\s*caducidad)\s*/\s*(expiry\s*date|date\s*of\s*expiry)",
        r"expiry\s*date|date\s*of\s*expiry",
        r"carte\s*valable\s*jusqu.\s*au\s*:?",
    ),
    "personal_number": _labels(r"personal\s*no\.?"),
    "issuing_state": _labels(
        r"(code\s*du\s*pays|kode|codice\s*paese|codigo)\s*/\s*code", r"code(?=\s*$)"
    ),
}
# Other labels whose boxes must never be taken for a value.
_OTHER_LABELS = _labels(r"(type|typ|tipo)\s*/\s*type", r"type\b", r"authority", r"par\s*:")


@dataclass(frozen=True, slots=True)
class _Hit:
    key: str
    line: TextLine
    inline: str


def read_labelled(
    lines: Sequence[TextLine], labels: Mapping[str, re.Pattern[str]] = LABELS
) -> dict[str, PrintedValue]:
    """The printed value of every label found (the first occurrence of each)."""
    hits: list[_Hit] = []
    label_lines: set[int] = set()
    for line in lines:
        if looks_like_mrz(line.text):
            continue
        found = _find_labels(line.text, labels)
        for index, (_start, end, key) in enumerate(found):
            stop = found[index + 1][0] if index + 1 < len(found) else len(line.text)
            hits.append(_Hit(key, line, line.text[end:stop].strip(" :/|")))
        if found or _OTHER_LABELS.search(fold(line.text)):
            label_lines.add(id(line))
    free = [line for line in lines if id(line) not in label_lines and not looks_like_mrz(line.text)]
    values: dict[str, PrintedValue] = {}
    for hit in hits:
        if hit.key in values:
            continue
        if re.search(r"\w", hit.inline):
            values[hit.key] = PrintedValue(hit.inline, hit.line.confidence, hit.line)
            continue
        neighbour = _right_of(hit.line, free) or _below(hit.line, free)
        if neighbour is not None:
            values[hit.key] = PrintedValue(neighbour.text.strip(), neighbour.confidence, hit.line)
    return values


def _find_labels(text: str, labels: Mapping[str, re.Pattern[str]]) -> list[tuple[int, int, str]]:
    """Label spans in a line (start, end, key), left to right, without overlaps."""
    folded = fold(text)
    spans = sorted(
        (match.start(), match.end(), key)
        for key, pattern in labels.items()
        for match in pattern.finditer(folded)
        if match.start() == 0 or not folded[match.start() - 1].isalnum()
    )
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _same_row(a: TextLine, b: TextLine) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return a.page == b.page and overlap > 0.5 * min(a.height, b.height)


def _right_of(anchor: TextLine, lines: Sequence[TextLine]) -> TextLine | None:
    candidates = [
        line
        for line in lines
        if _same_row(anchor, line) and anchor.x1 - 0.01 <= line.x0 <= anchor.x1 + 0.2
    ]
    return min(candidates, key=lambda line: line.x0) if candidates else None


def _below(anchor: TextLine, lines: Sequence[TextLine]) -> TextLine | None:
    reach = max(2.5 * anchor.height, 0.03)
    candidates = [
        line
        for line in lines
        if line.page == anchor.page
        and anchor.center_y < line.y0 + 0.3 * line.height
        and line.y0 - anchor.y1 <= reach
        and abs(line.x0 - anchor.x0) <= max(1.5 * anchor.height, 0.02)
    ]
    return min(candidates, key=lambda line: line.y0) if candidates else None


def find_by_value(lines: Sequence[TextLine], wanted: Callable[[str], bool]) -> PrintedValue | None:
    """The most confident printed line (MRZ aside) whose text satisfies `wanted`: finds a name
    the MRZ already gives when its label was not read."""
    found = [line for line in lines if not looks_like_mrz(line.text) and wanted(line.text.strip())]
    best = max(found, key=lambda line: line.confidence, default=None)
    return PrintedValue(best.text.strip(), best.confidence) if best else None


def is_label(text: str) -> bool:
    """The text holds a label of the printed zone (or one whose value we do not read)."""
    return bool(_find_labels(text, LABELS) or _OTHER_LABELS.search(fold(text)))


def next_row_text(lines: Sequence[TextLine], anchor: TextLine) -> PrintedValue | None:
    """The first wordy box on the row under `anchor`, starting left of it and not a label:
    on the 1995 card the birth place follows "Né(e) le" there, its tiny "à :" often unread."""
    reach = 2.5 * anchor.height
    candidates = [
        line
        for line in lines
        if line.page == anchor.page
        and 0 <= line.y0 - anchor.y1 + 0.3 * anchor.height <= reach
        and line.x0 < anchor.x0
        and len(re.findall(r"[^\W\d_]", line.text)) >= 3
        and not looks_like_mrz(line.text)
        and not is_label(line.text)
        and not re.search(r"taille|signature", fold(line.text))
    ]
    best = min(candidates, key=lambda line: line.y0, default=None)
    return PrintedValue(best.text.strip(), best.confidence) if best else None
