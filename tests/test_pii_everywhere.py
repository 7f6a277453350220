"""No output channel of any command shows a planted ID number or phone number (issue 15).

A resident ID number (valid check digit) and a mobile number are planted in every text
field of every input kind — facts units, transactions, observations, submissions, region
sets; ledgers (CSV, XLSX, JSON lines); monitor events; file and folder names — valid and
invalid alike, and every channel of every command is scanned: stdout, stderr, and every
file written (reports HTML and XLSX, rejected rows, imported transactions, the monitor's
log). Numbers in number fields are figures, not text, and are not planted (an amount of
13912345678 元 is shown as that amount: docs/bad-input.md).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from xfrules.cli import main
from xfrules.pii import id_number_problem, phone_problem

ID = "11010519491231002X"
PHONE = "13912345678"
SECRETS = (ID, PHONE, ID[:17])  # the ID without its check digit too
assert id_number_problem(ID) is None and phone_problem(PHONE) is None

ROOT = Path(__file__).resolve().parents[1]
ANNEXES = ROOT / "plugins" / "datonghu" / "examples"


def _facts(valid: bool) -> dict[str, Any]:
    """Every text field carries a personal number; ``valid=False`` also breaks fields whose
    errors quote the value."""
    bad: dict[str, Any] = {} if valid else {"amount": f"x{ID}", "date": PHONE}
    return {
        "units": [
            {"id": ID, "name": f"张三{PHONE}", "kind": "budget_unit", "jurisdiction": "suzhou",
             "department": f"科室{PHONE}"},
            {"id": f"户{PHONE}", "name": ID, "kind": "union", "jurisdiction": "datonghu",
             "attributes": {"members": 20}},
            {"id": f"镇{ID}", "name": f"镇{PHONE}", "kind": "town", "jurisdiction": "datonghu",
             "department": f"各镇{ID}"},
            *([] if valid else [{"id": f"u{PHONE}", "name": "x", "kind": "budget_unit",
                                 "jurisdiction": f"j{PHONE}", "region_code": ID}]),
        ],
        "transactions": [
            {"id": f"T{ID}", "buyer": ID, "seller": f"李四{PHONE}", "product": f"蛋{ID}",
             "category": "agricultural", "channel": f"渠道{PHONE}", "seller_kind": f"户{ID}",
             "amount": "100", "date": "2020-05-01", "origin_region": "522601",
             "quantity": "3", **bad},
            {"id": f"T{PHONE}", "buyer": f"户{PHONE}", "seller": f"王五{ID}", "amount": "50",
             "date": "2020-11-01", "origin_region": "522601", "category": "agricultural"},
        ],
        "observations": [
            {"unit": ID, "metric": "canteen_agri_procurement_total", "period_start":
             "2019-01-01", "period_end": "2019-12-31", "value": "1000", "id": f"O{PHONE}"},
            {"unit": f"户{PHONE}", "metric": "ecommerce_pilot_village", "subject": ID,
             "period_start": "2020-05-01", "period_end": "2020-05-31", "value": "1"},
        ],
        "submissions": [
            {"unit": f"镇{ID}", "report": f"r{PHONE}", "period_start": "2020-05-01",
             "period_end": "2020-05-31", "delivered": "2020-05-28",
             "attachments": [f"附件{ID}"]},
        ],
        "region_sets": [
            {"jurisdiction": "datonghu", "name": "poverty_areas", "provenance": f"来自{PHONE}",
             "regions": [{"code": "430921105201", "name": f"村{ID}"}]},
        ],
    }  # fmt: skip


def _write_facts(tmp: Path, valid: bool = True) -> Path:
    path = tmp / f"facts-{PHONE}{'' if valid else '-bad'}.yaml"
    path.write_text(yaml.safe_dump(_facts(valid), allow_unicode=True), "utf-8")
    return path


HEADER = ["买方", "卖方", "产品名称", "金额", "交易时间", "产地", "类别", "渠道", "备注",
          "身份证号", "手机", "姓名", "交易编号"]  # fmt: skip


def _ledger_rows() -> list[list[str]]:
    good = [ID, f"王五{PHONE}", f"蛋{ID}", "12.50", "2020-05-01", "522601", "agricultural",
            f"渠道{PHONE}", f"备注{PHONE} {ID}", ID, PHONE, "王五", f"L{ID}"]  # fmt: skip
    bad = [f"户{PHONE}", f"赵六{ID}", "x", f"x{ID}", PHONE, ID, "agricultural", "", PHONE,
           ID[:-1] + "0", f"1{PHONE}", f"钱七{PHONE}", f"L{PHONE}"]  # fmt: skip
    conflict = [*good[:3], "13.50", *good[4:]]  # the same id, another amount
    other = [*good[:12], f"M{PHONE}"]  # accepted
    return [HEADER, good, bad, conflict, other]


def _write_ledgers(tmp: Path) -> list[Path]:
    import csv

    from openpyxl import Workbook

    rows = _ledger_rows()
    csv_path = tmp / f"台账{PHONE}.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    xlsx_path = tmp / f"台账{ID}.xlsx"
    wb = Workbook()
    for row in rows:
        wb.active.append([f"X{c}" if c.startswith("L") else c for c in row])
    wb.save(xlsx_path)
    jsonl = tmp / f"台账-{PHONE}.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps(
                dict(zip(HEADER, [f"J{c}" if c.startswith("L") else c for c in r], strict=True)),
                ensure_ascii=False,
            )
            + "\n"
            for r in rows[1:]
        ),
        "utf-8",
    )
    return [csv_path, xlsx_path, jsonl]


def _events(tmp: Path) -> Path:
    tx = {"type": "transaction", "id": f"E{ID}", "buyer": ID, "seller": f"孙八{PHONE}",
          "product": f"米{ID}", "amount": "20", "date": "2020-05-02", "origin_region": "522601",
          "category": "agricultural", "seller_kind": "household", "note": f"电话{PHONE}"}  # fmt: skip
    events = [
        tx,
        {**tx, "amount": "21"},  # the same id, other content: refused, the message masked
        {**tx, "id": f"E{PHONE}", "buyer": f"户{PHONE}", "date": f"{PHONE}"},  # bad date
        {"type": "observation", "unit": f"户{PHONE}", "metric": "ecommerce_pilot_village",
         "subject": f"{ID}", "id": f"O{ID}", "period_start": "2020-05-01",
         "period_end": "2020-05-31", "value": "1"},
        {"type": "submission", "unit": f"镇{ID}", "report": "consumption_poverty_monthly",
         "period_start": "2020-05-01", "period_end": "2020-05-31", "delivered": "2020-05-28",
         "attachments": ["annex1", "annex2", f"附件{PHONE}"]},
        {"type": "observation", "unit": f"户{ID}", "metric": f"m{PHONE}", "period_start":
         "2020-05-01", "period_end": "2020-05-31", "value": "1"},  # unknown unit
        {"type": "clock", "date": "2020-06-30"},
    ]  # fmt: skip
    path = tmp / f"events-{ID}.jsonl"
    lines = [json.dumps(e, ensure_ascii=False) for e in events] + [f"not json {PHONE}"]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _file_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_text("utf-8-sig", errors="replace")


def _commands(tmp: Path) -> list[tuple[str, list[str]]]:
    facts, bad = _write_facts(tmp), _write_facts(tmp, valid=False)
    ledgers = [str(p) for p in _write_ledgers(tmp)]
    units = tmp / f"units-{ID}.yaml"
    units.write_text(yaml.safe_dump({"units": _facts(True)["units"]}, allow_unicode=True), "utf-8")
    events = _events(tmp)
    out = tmp / "out"
    out.mkdir()
    as_of = ["--as-of", "2020-06-30"]
    runs: list[tuple[str, list[str]]] = []
    for fmt in ("table", "json", "csv"):
        runs.append(
            (f"evaluate {fmt}", ["evaluate", str(facts), *as_of, "--format", fmt, "--all", "-v"])
        )
        runs.append((f"evaluate bad {fmt}", ["evaluate", str(bad), *as_of, "--format", fmt]))
        runs.append(
            (
                f"evaluate --unit {fmt}",
                ["evaluate", str(facts), *as_of, "--format", fmt, "--unit", ID],
            )
        )
        runs.append(
            (f"evaluate --unit unknown {fmt}", ["evaluate", str(facts), *as_of, "--unit", PHONE])
        )
        for backend in ("duckdb", "memory"):
            runs.append((
                f"ledger evaluate {backend} {fmt}",
                ["ledger", "evaluate", *ledgers, "--facts", str(units), *as_of, "--backend",
                 backend, "--format", fmt, "-v", "--all",
                 "--rejects", str(out / f"rejects-{backend}-{fmt}-{PHONE}.csv")],
            ))  # fmt: skip
    for fmt in ("table", "json"):
        runs.append((f"check --facts {fmt}", ["check", "--facts", str(facts), "--format", fmt]))
        runs.append((f"check --facts bad {fmt}", ["check", "--facts", str(bad), "--format", fmt]))
        runs.append((
            f"ledger import {fmt}",
            ["ledger", "import", *ledgers, "--facts", str(units), "--format", fmt,
             "--rejects", str(out / f"rejects-{ID}-{fmt}.csv"),
             "--out", str(out / f"imported-{PHONE}-{fmt}.jsonl")],
        ))  # fmt: skip
        runs.append((
            f"watch {fmt}",
            ["watch", "--facts", str(facts), "--start", "2020-05-01", "--format", fmt,
             "--log", str(out / f"log-{PHONE}-{fmt}.jsonl"), str(events)],
        ))  # fmt: skip
    runs.append((
        "watch restore",
        ["watch", "--facts", str(facts), "--log", str(out / f"log-{PHONE}-json.jsonl"),
         "--restore", str(events)],
    ))  # fmt: skip
    runs.append(
        (
            "watch no log",
            ["watch", "--facts", str(facts), "--restore", "--log", str(out / f"none-{ID}.jsonl")],
        )
    )
    runs.append(
        ("watch no events", ["watch", "--facts", str(facts), str(tmp / f"missing-{ID}.jsonl")])
    )
    for suffix in ("html", "xlsx"):
        runs.append(
            (
                f"report {suffix}",
                ["report", str(facts), *as_of, "--out", str(out / f"r-{PHONE}.{suffix}")],
            )
        )
        runs.append((
            f"report ledgers {suffix}",
            ["report", *ledgers, "--facts", str(units), *as_of,
             "--out", str(out / f"rl-{ID}.{suffix}")],
        ))  # fmt: skip
    runs.append(("report bad", ["report", str(bad), *as_of, "--out", str(out / f"x-{PHONE}.html")]))
    annex1 = tmp / f"附件1-{PHONE}.csv"
    annex1.write_bytes((ANNEXES / "附件1_2020-05.csv").read_bytes())
    annex2 = tmp / f"附件2-{ID}.csv"
    annex2.write_bytes((ANNEXES / "附件2_2020-05.csv").read_bytes())
    for delivered in ("2020-05-28", "2020-06-02", PHONE):
        runs.append((
            f"submission {delivered[:4]}",
            ["submission", "-j", "datonghu", f"annex1={annex1}", f"annex2={annex2}",
             "--period", "2020-05", "--delivered", delivered],
        ))  # fmt: skip
    broken = tmp / f"附件1-bad-{ID}.csv"
    text = (ANNEXES / "附件1_2020-05.csv").read_text("utf-8")
    broken.write_text(text.replace("430921196503124020", ID[:-1] + "5", 1), "utf-8")
    runs.append((
        "submission bad annex",
        ["submission", "-j", "datonghu", f"annex1={broken}", f"annex2={annex2}",
         "--period", "2020-05", "--delivered", "2020-05-28"],
    ))  # fmt: skip
    runs.append(("new-plugin", ["new-plugin", "zz_pii", "--dir", str(tmp / f"dir-{PHONE}")]))
    runs.append(("new-plugin file", ["new-plugin", "zz_pii", "--dir", str(facts)]))
    return runs


def test_no_channel_of_any_command_shows_a_planted_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen_masked = False
    for name, args in _commands(tmp_path):
        before = set((tmp_path / "out").rglob("*"))
        code = main(args)
        captured = capsys.readouterr()
        written = [p for p in set((tmp_path / "out").rglob("*")) - before if p.is_file()]
        channels = {"stdout": captured.out, "stderr": captured.err}
        channels |= {p.name: _file_text(p) for p in written if not p.name.endswith(".key")}
        assert code != 3, f"{name}: internal error\n{captured.err}"
        for channel, text in channels.items():
            for secret in SECRETS:
                assert secret not in text, f"{name}: {channel} shows {secret}:\n{text[:3000]}"
        seen_masked |= "110105********002X" in captured.out + captured.err
    assert seen_masked  # the ids were shown, masked
    # The files were written, with the planted data in them, masked.
    for pattern in ("rejects-*.csv", "imported-*.jsonl", "log-*.jsonl", "r-*.html", "r-*.xlsx"):
        files = list((tmp_path / "out").glob(pattern))
        assert files, pattern
        for path in files:
            assert "139****5678" in _file_text(path), path


def _every_output_of(command: Callable[[], int], capsys: pytest.CaptureFixture[str]) -> str:
    command()
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_the_scan_finds_what_it_looks_for(capsys: pytest.CaptureFixture[str]) -> None:
    """The scan is not vacuous: printing a planted number raw is caught."""
    text = _every_output_of(lambda: print(f"unit {ID} {PHONE}") or 0, capsys)
    assert all(secret in text for secret in SECRETS)
