from extraction.documents.fr_vehicle_zone import merge_zone
from extraction.findings import Finding
from extraction.models import FieldResult, Source
from extraction.siv_zone import SivZone


def zone(**values: object) -> SivZone:
    result = SivZone(lines=("", ""), checks={"make": True, "composite": True})
    for name, value in values.items():
        setattr(result, name, value)
    return result


def printed(**values: str) -> dict[str, FieldResult]:
    names = ("registration_number", "vin", "first_registration_date", "national_genre")
    fields = {name: FieldResult() for name in (*names, "formula_number", "make", "commercial_name")}
    for name, value in values.items():
        fields[name] = FieldResult(value=value, confidence=0.9, source=Source.OCR)
    return fields


def test_zone_spelling_confirms_the_printed_name_with_its_dash_and_accents() -> None:
    fields = printed(make="CITROËN", commercial_name="C-HR")
    findings: list[Finding] = []
    merge_zone(fields, zone(make="CITROEN", commercial_name="C HR"), findings)
    assert (fields["make"].value, fields["make"].confidence) == ("CITROËN", 0.97)
    assert fields["commercial_name"].value == "C-HR"
    assert findings == []


def test_zone_name_with_look_alike_digits_does_not_replace_the_printed_one() -> None:
    fields = printed(make="TOYOTA")
    merge_zone(fields, zone(make="T0Y0TA"), [])
    assert fields["make"].value == "TOYOTA"


def test_the_zone_vouches_only_for_letters_digits_and_the_separators_it_fills() -> None:
    fields = printed(make="T0Y0TA", commercial_name="MT.07")  # misreadings of TOYOTA, MT-07
    findings: list[Finding] = []
    merge_zone(fields, zone(make="TOYOTA", commercial_name="MT 07"), findings)
    assert fields["make"].confidence == fields["commercial_name"].confidence == 0.9
    assert findings == []  # they agree in the zone's spelling: no mismatch either
    fields = printed(commercial_name="MT-07")
    merge_zone(fields, zone(commercial_name="MT 07"), findings)
    assert fields["commercial_name"].confidence == 0.97


def test_a_truncated_zone_name_only_confirms_a_prefix() -> None:
    fields = printed(commercial_name="CLASSE C BREAK AMG LINE")
    findings: list[Finding] = []
    merge_zone(fields, zone(commercial_name="CLASSE C BREAK", name_truncated=True), findings)
    assert fields["commercial_name"].value == "CLASSE C BREAK AMG LINE"
    assert findings == []


def test_a_different_printed_name_is_reported_and_the_zone_kept_with_less_trust() -> None:
    fields = printed(make="PEUGEOT")
    findings: list[Finding] = []
    merge_zone(fields, zone(make="RENAULT"), findings)
    assert (fields["make"].value, fields["make"].source) == ("RENAULT", Source.MRZ)
    assert fields["make"].confidence < 0.9
    assert [(f.code, f.field) for f in findings] == [("siv_zone_mismatch", "make")]


def test_failed_zone_checks_are_reported() -> None:
    findings: list[Finding] = []
    merge_zone(printed(), SivZone(lines=("", ""), checks={"vin": False}), findings)
    assert [(f.code, f.field) for f in findings] == [("siv_zone_check_failed", "vin")]


def test_zone_names_are_not_used_when_the_composite_fails() -> None:
    fields = printed()
    broken = zone(make="T0Y0TA")
    broken.checks["composite"] = False
    merge_zone(fields, broken, [])
    assert fields["make"].value is None


def test_a_zone_name_alone_is_only_a_hint() -> None:
    fields = printed()
    merge_zone(fields, zone(make="CITROEN"), [])
    assert fields["make"].value == "CITROEN" and fields["make"].confidence < 0.8
