import json

from docgen.__main__ import main


def test_cli_writes_photos_and_one_truth_line_each(tmp_path):
    assert (
        main(
            [
                "--out",
                str(tmp_path),
                "--per-cell",
                "1",
                "--seed",
                "3",
                "--types",
                "fft_licence",
                "passport",
                "--difficulties",
                "clean",
            ]
        )
        == 0
    )
    records = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    assert [r["document_type"] for r in records] == ["fft_licence", "passport"]
    for record in records:
        assert (tmp_path / record["filename"]).stat().st_size > 0
        assert "image" not in record and record["difficulty"] == "clean"
        assert record["seed"] == 300_000 and record["exif_orientation"] == 1
        assert set(record) >= {"fields", "corners", "rotation", "mrz_lines", "barcode", "variant"}
