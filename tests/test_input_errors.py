"""Bad input: one clear error naming file, line and reason, exit 2 — never a traceback, never
per-row noise for a file-level fault, and never a personal number in the clear."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from xfrules.cli import main
from xfrules.errors import InputError, Problem, XfrulesError

ID = "430921198001011236"  # check digit wrong on purpose: an invalid ID is still someone's
ID_MASK = "430921********1236"
PHONE = "13812345678"
PHONE_MASK = "138****5678"

UNITS = {
    "units": [
        {"id": "u1", "name": "苏州市某局", "kind": "budget_unit", "jurisdiction": "suzhou"},
        {"id": "u2", "name": "苏州市另一局", "kind": "budget_unit", "jurisdiction": "suzhou"},
    ]
}
HEADER = "买方,金额,交易时间,产地,类别,身份证号,手机"
ROW = f"u1,12.50,2020-04-26,520621,agricultural,{ID},{PHONE}"


def _yaml(path: Path, doc: object) -> Path:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


# --- A: personal data is masked in every message, whatever the entry point -------------------


def _bad_facts(tmp: Path) -> Path:
    tx = {
        "id": "t1",
        "buyer": "u1",
        "amount": f"x{ID}",
        "date": PHONE,
        "origin_region": "520621",
        "category": "agricultural",
    }
    return _yaml(tmp / "f.yaml", {**UNITS, "transactions": [tx]})


def _evaluate_facts(tmp: Path) -> list[str]:
    return ["evaluate", str(_bad_facts(tmp)), "--as-of", "2020-12-31"]


def _check_facts(tmp: Path) -> list[str]:
    return ["check", "--facts", str(_bad_facts(tmp))]


def _check_facts_json(tmp: Path) -> list[str]:
    return [*_check_facts(tmp), "--format", "json"]


def _watch(tmp: Path) -> list[str]:
    facts = _yaml(tmp / "units.yaml", UNITS)
    base = {"type": "transaction", "amount": "10", "date": "2020-05-01", "category": "agri"}
    events = [
        {**base, "id": "t1", "buyer": f"张三{PHONE}"},
        {**base, "id": "t2", "buyer": "u1", "origin_region": ID},
    ]
    path = tmp / "events.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), "utf-8")
    return ["watch", "--facts", str(facts), "--start", "2020-05-01", str(path)]


def _rejecting_ledger(tmp: Path) -> Path:
    path = tmp / "ledger.csv"
    rows = [HEADER, ROW, f"张三{PHONE},x{ID},2020-04-26,520621,agricultural,,"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _ledger_import(tmp: Path) -> list[str]:
    facts = _yaml(tmp / "units.yaml", UNITS)
    return ["ledger", "import", str(_rejecting_ledger(tmp)), "--facts", str(facts)]


def _ledger_import_json(tmp: Path) -> list[str]:
    return [*_ledger_import(tmp), "--format", "json"]


def _ledger_evaluate_memory(tmp: Path) -> list[str]:
    facts = _yaml(tmp / "units.yaml", UNITS)
    ledger = _rejecting_ledger(tmp)
    return ["ledger", "evaluate", str(ledger), "--facts", str(facts), "--as-of", "2020-12-31",
            "--backend", "memory"]  # fmt: skip


def _ledger_evaluate_duckdb(tmp: Path) -> list[str]:
    # DuckDB quotes the line it stops at; the file, named after the person it concerns,
    # carries the numbers into the message too.
    facts = _yaml(tmp / "units.yaml", UNITS)
    ledger = tmp / f"农户{PHONE}-{ID}.csv"
    rows = [HEADER, ROW, ROW + ",x" * 3000, ROW]
    ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ["ledger", "evaluate", str(ledger), "--facts", str(facts), "--as-of", "2020-12-31"]


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (_evaluate_facts, 2),
        (_check_facts, 2),
        (_check_facts_json, 2),
        (_watch, 2),
        (_ledger_import, 1),
        (_ledger_import_json, 1),
        (_ledger_evaluate_memory, 0),
        (_ledger_evaluate_duckdb, 2),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_personal_numbers_never_appear_in_the_clear(
    command: Callable[[Path], list[str]],
    code: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    exit_code, output = _run(capsys, command(tmp_path))
    assert exit_code == code, output
    assert ID not in output and PHONE not in output, output
    assert ID_MASK in output and PHONE_MASK in output, output
    assert "Traceback" not in output


def test_warnings_about_the_facts_are_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = {"id": f"户{PHONE}", "name": ID, "kind": "budget_unit", "jurisdiction": "suzhouu"}
    facts = _yaml(tmp_path / "f.yaml", {"units": [unit]})
    main(["evaluate", str(facts), "--as-of", "2020-12-31", "--format", "json"])
    err = capsys.readouterr().err
    assert "suzhouu" in err and f"户{PHONE_MASK}" in err and PHONE not in err, err


def test_import_json_problems_are_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(_ledger_import_json(tmp_path))
    summary = json.loads(capsys.readouterr().out)
    assert code == 1 and summary["rejected"] == 1
    text = json.dumps(summary["problems"], ensure_ascii=False)
    assert ID not in text and PHONE not in text and ID_MASK in text and PHONE_MASK in text


def test_every_error_is_scrubbed_where_it_is_made() -> None:
    problem = Problem(f"台账{PHONE}.csv", f"row {ID}", f"备注{PHONE}", f"bad value {ID!r}")
    assert ID not in repr(problem) and PHONE not in repr(problem)
    assert str(problem).count(ID_MASK) == 2 and str(problem).count(PHONE_MASK) == 2
    assert ID_MASK in str(InputError([Problem("f", "", "", f"x{ID}")]))
    for error in (XfrulesError(f"unit {PHONE}"), ValueErrorLike(f"unit {PHONE}")):
        assert PHONE not in str(error) and PHONE_MASK in str(error)


class ValueErrorLike(XfrulesError):
    """A subclass that sets its text without XfrulesError.__init__."""

    def __init__(self, text: str) -> None:
        Exception.__init__(self, text)


# --- B: a ledger DuckDB cannot read is bad input (exit 2) naming file and line -----------------


def _units(tmp: Path) -> Path:
    return _yaml(tmp / "units.yaml", UNITS)


def _evaluate(tmp: Path, ledger: Path, *more: str) -> list[str]:
    return ["ledger", "evaluate", str(ledger), "--facts", str(_units(tmp)),
            "--as-of", "2020-12-31", *more]  # fmt: skip


def _late_bad_byte(path: Path, rows: int = 40_000) -> int:
    """A UTF-8 CSV (>1 MiB) with one undecodable byte on its last line; that line's number."""
    lines = [HEADER.encode()] + [ROW.encode()] * rows
    lines[-1] = lines[-1].replace(b"agricultural", b"agri\xffcultural")
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert path.stat().st_size > 1 << 20  # past what the encoding is detected from
    return len(lines)


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_batch_bad_byte_after_the_first_mib(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "big.csv"
    line = _late_bad_byte(ledger)
    code, output = _run(capsys, _evaluate(tmp_path, ledger))
    assert code == 2, output
    assert f"{ledger}, line {line}: not UTF-8 text" in output
    assert "Traceback" not in output and "Original Line" not in output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_a_row_with_thousands_of_extra_cells_is_refused_by_both_backends(
    backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "wide.csv"
    ledger.write_text("\n".join([HEADER, ROW, ROW + ",x" * 3000, ROW]) + "\n", encoding="utf-8")
    code, output = _run(capsys, _evaluate(tmp_path, ledger, "--backend", backend))
    assert code == 2, output
    assert f"{ledger}, line 3: a row with more than 2,048 cells beyond the header's" in output
    assert "file = " not in output  # DuckDB's settings dump is left out


@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_the_widest_row_both_backends_read(
    backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2,048 cells beyond the header are read (and ignored) by both; one more by neither."""
    extra = 2048 - (HEADER.count(",") - ROW.count(","))
    ledger = tmp_path / "wide.csv"
    ledger.write_text("\n".join([HEADER, ROW + ",x" * extra, ROW]) + "\n", encoding="utf-8")
    code, output = _run(capsys, _evaluate(tmp_path, ledger, "--backend", backend))
    assert code in (0, 1) and "读取台账 2 行：接受 2 行，拒绝 0 行" in output, output
    ledger.write_text("\n".join([HEADER, ROW + ",x" * (extra + 1), ROW]) + "\n", "utf-8")
    code, output = _run(capsys, _evaluate(tmp_path, ledger, "--backend", backend))
    assert code == 2 and "第 2 行：该行比表头多出 2,048 个以上单元格" in output, output


def test_batch_still_retries_a_row_with_some_extra_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "wide.csv"
    ledger.write_text("\n".join([HEADER, ROW, ROW + ",x" * 100, ROW]) + "\n", encoding="utf-8")
    code, output = _run(capsys, _evaluate(tmp_path, ledger, "--format", "json"))
    assert code in (0, 1), output  # evaluated, whatever the findings
    assert "读取台账 3 行：接受 3 行，拒绝 0 行" in output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_malformed_json_line_is_named_alike_by_both_backends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {"买方": "u1", "金额": "12.50", "交易时间": "2020-04-26", "产地": "520621"}
    lines = [json.dumps(record, ensure_ascii=False)] * 6
    lines[2] = ""  # DuckDB's own count skips blank lines
    lines[4] = lines[4].replace(",", "", 1)
    ledger = tmp_path / "l.jsonl"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = f"{ledger}, line 5: malformed JSON"
    for command in (_evaluate(tmp_path, ledger), ["ledger", "import", str(ledger)]):
        code, output = _run(capsys, command)
        assert code == 2 and expected in output, output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
@pytest.mark.parametrize("action", ["import", "evaluate"])
def test_corrupt_parquet(action: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = tmp_path / "l.parquet"
    ledger.write_bytes(b"PAR1 not a parquet file at all")
    args = _evaluate(tmp_path, ledger) if action == "evaluate" else ["ledger", action, str(ledger)]
    code, output = _run(capsys, args)
    assert code == 2, output
    assert f"{ledger}: unreadable Parquet: No magic bytes found" in output
    assert "LINE 1" not in output and "read_parquet" not in output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_batch_gbk_file_with_a_bad_byte_late(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [HEADER] + [ROW.replace("agricultural", "农产品")] * 60_000
    data = bytearray("\n".join(rows).encode("gb18030") + b"\n")
    assert b"\xff" not in data and len(data) > 1 << 20
    data[-3:-3] = b"\xff"  # on the last line
    ledger = tmp_path / "gbk.csv"
    ledger.write_bytes(bytes(data))
    for command in (_evaluate(tmp_path, ledger), ["ledger", "import", str(ledger)]):
        code, output = _run(capsys, command)
        assert code == 2, output
        assert f"{ledger}, line 60001: not GBK/GB18030 text" in output


# --- C: the importer names the line of an undecodable byte ------------------------------------


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_import_names_the_line_of_a_late_bad_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "big.csv"
    line = _late_bad_byte(ledger)
    code, output = _run(capsys, ["ledger", "import", str(ledger)])
    assert code == 2, output
    offset = ledger.read_bytes().index(b"\xff")
    assert f"{ledger}, line {line}: not UTF-8 text: byte offset {offset} " in output


# --- D: a header without a required field is one error of the file ----------------------------


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
@pytest.mark.parametrize("action", ["import", "evaluate", "evaluate-memory"])
def test_missing_required_column_is_one_file_error(
    action: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text("单位,金额,交易时间\nu1,10,2020-04-26\nu2,20,2020-04-27\n", encoding="utf-8")
    args = {
        "import": ["ledger", "import", str(ledger)],
        "evaluate": _evaluate(tmp_path, ledger),
        "evaluate-memory": _evaluate(tmp_path, ledger, "--backend", "memory"),
    }[action]
    code, output = _run(capsys, args)
    assert code == 2, output
    assert "1 problem in input" in output
    assert f"{ledger}, row 1: no column for buyer (required)" in output
    assert "headers found: 单位, 金额, 交易时间" in output
    assert "buyer is missing" not in output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_header_row_on_the_title_is_one_file_error(
    backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text("2020年采购台账\n买方,金额,交易时间\nu1,10,2020-04-26\n", encoding="utf-8")
    mapping = _yaml(tmp_path / "m.yaml", {"header_row": 1})
    args = _evaluate(tmp_path, ledger, "--mapping", str(mapping), "--backend", backend)
    code, output = _run(capsys, args)
    assert code == 2, output
    assert "no column for buyer, amount, date (required)" in output
    assert "headers found: 2020年采购台账; header_row: 1 in the mapping" in output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_mapping_entry_matching_no_header_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "l.csv"
    ledger.write_text("买方,金额,交易时间\nu1,10,2020-04-26\n", encoding="utf-8")
    mapping = _yaml(tmp_path / "m.yaml", {"columns": {"产地县": "origin_region"}})
    code, output = _run(capsys, ["ledger", "import", str(ledger), "--mapping", str(mapping)])
    assert code == 2, output
    assert f"mapping {mapping}: '产地县' (origin_region) match no header" in output


def test_mapping_may_list_another_layouts_variant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 采购单位名称 is absent, but 买方 gives the buyer: the entry serves another file's layout.
    ledger = tmp_path / "l.csv"
    ledger.write_text("买方,金额,交易时间\nu1,10,2020-04-26\n", encoding="utf-8")
    mapping = _yaml(tmp_path / "m.yaml", {"columns": {"采购单位名称": "buyer"}})
    code, output = _run(capsys, ["ledger", "import", str(ledger), "--mapping", str(mapping)])
    assert code == 0 and "读取台账 1 行：接受 1 行" in output, output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_parquet_without_a_required_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import duckdb

    ledger = tmp_path / "l.parquet"
    duckdb.sql("SELECT 'u1' AS 单位, 10 AS 金额, DATE '2020-04-26' AS 交易时间").write_parquet(
        str(ledger)
    )
    for args in (["ledger", "import", str(ledger)], _evaluate(tmp_path, ledger)):
        code, output = _run(capsys, args)
        assert code == 2, output
        assert f"{ledger}, header: no column for buyer (required)" in output


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_a_bad_amount_scale_lists_every_scale_accepted(tmp_path: Path) -> None:
    from xfrules.ledger import load_mapping

    mapping = tmp_path / "m.yaml"
    mapping.write_text("amount_scale: 7\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"must be 1, 10, 100, 1000 \(千元\), 10000"):
        load_mapping(mapping)
    mapping.write_text("amount_scale: 100\n", encoding="utf-8")  # as docs/ledgers.md says
    assert load_mapping(mapping).amount_scale == 100
