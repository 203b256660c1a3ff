"""How the SIV coupon zone's checked values meet the printed ones on a French certificate.

Like an MRZ, a value confirmed by its check digit wins and a printed value that disagrees is
reported. The zone is lossy for names (no accents or dashes, 25 characters) and for the genre
(3 characters), so there it confirms the printed value rather than replacing it.
"""

from __future__ import annotations

import re

from extraction import vehicle_codes
from extraction.findings import Finding
from extraction.models import FieldResult, Source
from extraction.names import unaccented_upper
from extraction.siv_zone import SivZone


def merge_zone(fields: dict[str, FieldResult], zone: SivZone, findings: list[Finding]) -> None:
    """Checked zone values win; a printed value that disagrees becomes a warning."""
    confirmed: dict[str, str | None] = {
        "registration_number": zone.plate,
        "vin": zone.vin,
        "first_registration_date": (
            zone.first_registration_date.isoformat() if zone.first_registration_date else None
        ),
        "national_genre": _zone_genre(zone.national_genre, fields["national_genre"]),
        "formula_number": zone.formula_number,
    }
    for name, value in confirmed.items():
        if value is None:
            continue
        printed = fields[name]
        if printed.value is not None and printed.value != value:
            findings.append(Finding("siv_zone_mismatch", name, {"field": name}))
        confidence = 0.97 if name in zone.repaired else 0.99
        fields[name] = FieldResult(value=value, confidence=confidence, source=Source.MRZ)
    # Look-alikes can cancel out in the name's own check digit (`T0Y0TA`): without the composite
    # to confirm them, the zone's names are not used.
    names = {"make": zone.make, "commercial_name": zone.commercial_name}
    for name, value in names.items():
        if value is not None and zone.checks.get("composite"):
            _merge_zone_name(fields, name, value, zone.name_truncated, findings)
    for name, ok in zone.checks.items():
        if not ok:
            findings.append(Finding("siv_zone_check_failed", name, {"field": name}))


def _zone_genre(zone_genre: str | None, printed: FieldResult) -> str | None:
    """The zone keeps three characters of J.1 (`CTT` for `CTTE`): the printed genre it starts,
    else the only listed genre that starts with it."""
    if zone_genre is None:
        return None
    if isinstance(printed.value, str) and printed.value.startswith(zone_genre):
        return printed.value
    listed = [g for g in vehicle_codes.NATIONAL_GENRES if g.startswith(zone_genre)]
    if zone_genre in vehicle_codes.NATIONAL_GENRES:
        return zone_genre
    return listed[0] if len(listed) == 1 else None


def _merge_zone_name(
    fields: dict[str, FieldResult],
    name: str,
    zone_value: str,
    truncated: bool,
    findings: list[Finding],
) -> None:
    """The zone spells names without accents or dashes (and may cut them): it confirms the
    printed name when they agree in that spelling, and only replaces a missing one."""
    printed = fields[name]
    zone_form = _zone_spelling(zone_value)
    if printed.value is not None:
        printed_form = _zone_spelling(str(printed.value))
        agrees = printed_form.startswith(zone_form) if truncated else printed_form == zone_form
        if agrees:
            if _vouches_for(str(printed.value), zone_value, truncated):
                printed.confidence = max(printed.confidence, 0.97)
            return
        findings.append(Finding("siv_zone_mismatch", name, {"field": name}))
        if truncated:
            return
    elif truncated:
        return
    # The zone's spelling is lossy (no accents, dashes or apostrophes): alone, it is a hint.
    fields[name] = FieldResult(value=zone_value, confidence=ZONE_ONLY_NAME, source=Source.MRZ)


ZONE_ONLY_NAME = 0.75
_ZONE_LOOK_ALIKES = str.maketrans("0158264", "OISBZGA")


def _vouches_for(printed: str, zone_value: str, truncated: bool) -> bool:
    """Whether the zone proves the printed spelling, not only agrees with it: every printed
    character must be one the zone writes as is (a letter, a digit) or as a filler (a space, a
    dash, an apostrophe). Look-alikes (`T0Y0TA`) and other marks (`MT.07` for `MT-07`) agree with
    the zone but stay as sure as they were read."""
    plain = unaccented_upper(printed)
    if re.search(r"[^A-Z0-9 \-']", plain):
        return False
    form = " ".join(re.sub(r"[\-']", " ", plain).split())
    zone_form = " ".join(zone_value.split())
    return form.startswith(zone_form) if truncated else form == zone_form


def _zone_spelling(text: str) -> str:
    """How a name compares in the zone: no accents, separators as spaces, digits and their
    look-alike letters made equal (`T0Y0TA` is `TOYOTA`)."""
    words = re.sub(r"[^A-Z0-9]+", " ", unaccented_upper(text)).split()
    return " ".join(words).translate(_ZONE_LOOK_ALIKES)
