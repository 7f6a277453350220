"""Fuzzing every reader of outside input: the facts loader, every ledger reader (CSV in
UTF-8 and GB18030, XLSX, JSON lines, Parquet; both backends), the ``watch`` stream and the
mapping file (issue 15).

Whatever comes in, each asserts:

- nothing is raised but xfrules' own errors (``XfrulesError``); a command exits 0, 1 or 2,
  never 3 (an internal error);
- every row is accounted for: accepted + rejected = read (and read = the non-blank rows
  written); every event is accepted, a duplicate or rejected;
- no planted ID number or phone number appears in any output, and no rejected-rows cell
  can run in a spreadsheet.

Inputs that once broke a reader are kept in ``tests/fuzz_corpus/`` and run first, every
time, through the same checks (``test_the_corpus``). ``XFRULES_FUZZ_EXAMPLES`` scales the
number of examples (default: a few dozen per reader; the ``ci`` profile is derandomised).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import string
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xfrules.cli import main
from xfrules.errors import XfrulesError
from xfrules.facts import Facts, load_facts
from xfrules.ledger import import_ledgers, load_mapping
from xfrules.ledger.readers import MAX_EXTRA_CELLS
from xfrules.spreadsheet import would_run

ID = "11010519491231002X"
PHONE = "13912345678"
SECRETS = (ID, PHONE)
CORPUS = Path(__file__).parent / "fuzz_corpus"
SCALE = float(os.environ.get("XFRULES_FUZZ_EXAMPLES", "1"))


def fuzz(examples: int) -> Callable[[Any], Any]:
    """Settings for a fuzz test: ``examples`` (× XFRULES_FUZZ_EXAMPLES), no deadline."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


# --- what hostile input is made of --------------------------------------------------------------

PLANTED = [ID, PHONE, f"张三{PHONE}", f"户{ID}", f"+86 {PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}"]
TRICKY = [
    "", " ", "\t", "=1+1", '=HYPERLINK("http://x"&A1,"点击")', "+cmd", "-2+3", "@SUM(A1)",
    "\r=1", "-12.50", "0x10", "010", "1:30", "1_000", ".nan", "-.inf", "NaN", "1e999",
    "1" + "0" * 30, "12.001", "999999999999999.99", "1,2,3", "1 234", "１２３", "1.2万元",
    "25%", "100人", "2020-05-01", "2020-05-01T25:00:00", "2020年4月31日", "20200230",
    "2020/4/26 13:45", "0000-01-01", "9999-12-31", "522601", "430921105201", "suzhou",
    "agricultural", "household", "u1", "买方", "金额", "null", "~", "yes", "\x00", "\ufeff",
    "a\nb", '"', "'", ",", "é", "\u202e", "𠀀",
]  # fmt: skip
_CHARS = st.characters(
    codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc"), exclude_characters="\x00"
)
TEXT = st.one_of(
    st.sampled_from(PLANTED + TRICKY),
    st.text(_CHARS, max_size=12),
    st.text("0123456789.,-+e万元%", max_size=20),
)


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        TEXT,
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
    )


VALUES = st.recursive(
    _scalars(),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6,
)

UNIT_FIELDS = ["id", "name", "kind", "jurisdiction", "region_code", "parent", "department",
               "attributes"]  # fmt: skip
TX_FIELDS = ["id", "buyer", "seller", "product", "category", "origin_region", "quantity",
             "amount", "date", "channel", "seller_kind"]  # fmt: skip
OBS_FIELDS = ["unit", "metric", "period_start", "period_end", "value", "subject", "id"]
SUB_FIELDS = ["unit", "report", "period_start", "period_end", "delivered", "attachments"]


@st.composite
def records(draw: st.DrawFn, fields: list[str], good: dict[str, Any]) -> dict[str, Any]:
    """A record that is mostly right (``good``) with some fields hostile or extra."""
    out = dict(good)
    for name in draw(st.lists(st.sampled_from([*fields, "extra"]), max_size=3, unique=True)):
        out[name] = draw(VALUES)
    for name in draw(st.lists(st.sampled_from(list(out)), max_size=1)):
        del out[name]
    return out


GOOD_UNIT = {"id": "u1", "name": f"张三{PHONE}", "kind": "budget_unit", "jurisdiction": "suzhou"}
GOOD_TX = {"id": "t1", "buyer": "u1", "amount": "12.50", "date": "2020-05-01",
           "origin_region": "522601", "category": "agricultural"}  # fmt: skip
GOOD_OBS = {"unit": "u1", "metric": "canteen_agri_procurement_total", "period_start":
            "2019-01-01", "period_end": "2019-12-31", "value": "1000"}  # fmt: skip
GOOD_SUB = {"unit": "u1", "report": "r", "period_start": "2020-05-01", "period_end":
            "2020-05-31", "delivered": "2020-05-28"}  # fmt: skip


@st.composite
def facts_documents(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(VALUES)  # not even a mapping of sections
    doc: dict[Any, Any] = {
        "units": draw(st.lists(records(UNIT_FIELDS, GOOD_UNIT), min_size=1, max_size=3)),
        "transactions": draw(st.lists(records(TX_FIELDS, GOOD_TX), max_size=3)),
        "observations": draw(st.lists(records(OBS_FIELDS, GOOD_OBS), max_size=2)),
        "submissions": draw(st.lists(records(SUB_FIELDS, GOOD_SUB), max_size=2)),
    }
    if draw(st.booleans()):
        doc[draw(TEXT)] = draw(VALUES)
    return doc


def _serialise(doc: Any, how: str) -> bytes:
    if how == "json":
        return json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
    text = yaml.safe_dump(doc, allow_unicode=True)
    return text.encode("gb18030" if how == "yaml-gbk" else "utf-8")


# --- what every output is checked for ----------------------------------------------------------


def assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{where} shows {secret}:\n{text[:2000]}"


@contextlib.contextmanager
def captured() -> Iterator[dict[str, str]]:
    out, err = io.StringIO(), io.StringIO()
    seen: dict[str, str] = {}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield seen
    seen["stdout"], seen["stderr"] = out.getvalue(), err.getvalue()


def run_cli(args: list[str]) -> tuple[int, str]:
    """Run a command; it must exit 0, 1 or 2 and print no planted number."""
    with captured() as seen:
        code = main(args)
    text = seen["stdout"] + seen["stderr"]
    assert code in (0, 1, 2), f"{args[0]} exited {code}:\n{text[-3000:]}"
    assert "Traceback" not in text
    assert_clean(text, " ".join(args[:2]))
    return code, text


# --- facts -------------------------------------------------------------------------------------


def check_facts_file(path: Path, tmp: Path) -> None:
    try:
        facts: Facts | None = load_facts(path)
    except XfrulesError as exc:
        assert_clean(str(exc), "the facts loader's error")
        facts = None
    if facts is not None:
        import xfrules

        try:
            xfrules.evaluate(facts, date(2020, 12, 31))
        except XfrulesError as exc:
            assert_clean(str(exc), "evaluate()'s error")
    code, _ = run_cli(["evaluate", str(path), "--as-of", "2020-12-31", "--format", "json"])
    if facts is None:
        assert code == 2  # what the loader refuses, the command refuses
    run_cli(["check", "--facts", str(path)])
    out = tmp / "report.xlsx"
    run_cli(["report", str(path), "--as-of", "2020-12-31", "--out", str(out)])
    if out.exists():
        import zipfile

        with zipfile.ZipFile(out) as z:
            assert_clean(" ".join(z.read(n).decode() for n in z.namelist()), "the XLSX report")
        out.unlink()


@fuzz(30)
@given(doc=facts_documents(), how=st.sampled_from(["json", "yaml", "yaml-gbk"]))
@example(doc={"units": [GOOD_UNIT], "transactions": [{**GOOD_TX, "amount": float("nan")}]},
         how="yaml")  # fmt: skip
@example(doc={"units": [{**GOOD_UNIT, "id": ID}], "transactions": [{**GOOD_TX, "buyer": ID}]},
         how="json")  # fmt: skip
def test_the_facts_loader(doc: Any, how: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("facts")
    path = tmp / f"facts-{PHONE}.{'json' if how == 'json' else 'yaml'}"
    path.write_bytes(_serialise(doc, how))
    check_facts_file(path, tmp)


@fuzz(15)
@given(raw=st.binary(max_size=200), suffix=st.sampled_from([".yaml", ".json"]))
def test_the_facts_loader_on_any_bytes(
    raw: bytes, suffix: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("bytes")
    path = tmp / f"facts{suffix}"
    path.write_bytes(raw)
    check_facts_file(path, tmp)


# --- ledgers -----------------------------------------------------------------------------------

HEADERS = ["买方", "金额", "交易时间", "产地", "类别", "卖方", "产品名称", "数量", "备注",
           "身份证号", "手机", "姓名", "交易编号", "渠道", "卖方类型"]  # fmt: skip
CELL = st.one_of(
    st.sampled_from(["u1", "u2", "12.50", "2020-05-01", "522601", "agricultural", ""]), TEXT
)


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=3, max_size=8, unique=True))
    headers = [*dict.fromkeys(["买方", "金额", "交易时间", *headers])]
    if draw(st.booleans()):
        headers.append(draw(TEXT) or "x")
    width = len(headers)
    row = st.lists(CELL, min_size=max(0, width - 2), max_size=width + 3)
    return headers, draw(st.lists(row, max_size=8))


UNITS_YAML = (
    "units:\n"
    f"  - {{id: u1, name: '张三{PHONE}', kind: budget_unit, jurisdiction: suzhou}}\n"
    f"  - {{id: u2, name: '户{ID}', kind: budget_unit, jurisdiction: suzhou}}\n"
)


def _units(tmp: Path) -> Path:
    path = tmp / "units.yaml"
    path.write_text(UNITS_YAML, "utf-8")
    return path


def _blank(row: list[Any]) -> bool:
    return all(c is None or not str(c).strip() for c in row)


def write_ledger(tmp: Path, fmt: str, headers: list[str], rows: list[list[str]]) -> Path:
    """The ledger as a file of format ``fmt``; a PII-bearing name (it shows in messages)."""
    name = tmp / f"台账{PHONE}"
    if fmt in ("csv", "csv-gbk", "csv-bom"):
        path = name.with_suffix(".csv")
        buf = io.StringIO()
        # Every cell quoted: a bare carriage return ends a row for any CSV reader.
        csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([headers, *rows])
        encoding = {"csv": "utf-8", "csv-gbk": "gb18030", "csv-bom": "utf-8-sig"}[fmt]
        path.write_bytes(buf.getvalue().encode(encoding))
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        path = name.with_suffix(".xlsx")
        wb = Workbook()
        for row in [headers, *rows]:
            wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
        wb.save(path)
    elif fmt == "jsonl":
        path = name.with_suffix(".jsonl")
        lines = [json.dumps(dict(zip(headers, r, strict=False)), ensure_ascii=False)
                 for r in rows]  # fmt: skip
        path.write_text("".join(line + "\n" for line in lines), "utf-8")
    else:
        from xfrules.ledger.readers import duckdb_connection

        path = name.with_suffix(".parquet")
        con = duckdb_connection()
        cols = ", ".join(f'"c{i}" VARCHAR' for i in range(len(headers)))
        con.execute(f"CREATE TABLE t ({cols})")
        for r in rows:
            cells = (r + [""] * len(headers))[: len(headers)]
            con.execute(f"INSERT INTO t VALUES ({', '.join('?' * len(headers))})", cells)
        names = ", ".join(f'"c{i}" AS "{h.replace(chr(34), "")}"' for i, h in enumerate(headers))
        con.execute(f"COPY (SELECT {names} FROM t) TO '{path}' (FORMAT parquet)")
        con.close()
    return path


def _expected_rows(fmt: str, headers: list[str], rows: list[list[str]]) -> int | None:
    """The data rows a reader should count (None when the format may not say exactly)."""
    if fmt == "xlsx":
        return None  # a formula typed into the fixture is no value: blankness may differ
    if fmt == "jsonl":
        return sum(1 for r in rows if not _blank(list(r[: len(headers)])))
    if fmt == "parquet":
        return sum(1 for r in rows if not _blank((r + [""] * len(headers))[: len(headers)]))
    return sum(1 for r in rows if not _blank(r))


def check_ledger(path: Path, tmp: Path, expected: int | None = None) -> None:
    from xfrules.entities import Unit

    units = [Unit(id="u1", name="张三", kind="budget_unit", jurisdiction="suzhou")]
    rejects = io.StringIO()
    try:
        result = import_ledgers([path], units=units, rejects=rejects)
    except XfrulesError as exc:
        assert_clean(str(exc), "the importer's error")
        result = None
    if result is not None:
        assert result.accepted + result.rejected == result.rows_read
        if expected is not None:
            assert result.rows_read == expected
        text = rejects.getvalue()
        assert_clean(text, "the rejected rows")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not would_run(cell), cell
        for tx in result.transactions:
            assert tx.amount >= 0 and tx.amount == tx.amount.quantize(Decimal("0.01"))
    run_cli(["ledger", "import", str(path), "--facts", str(_units(tmp)), "--format", "json"])


def check_both_backends(path: Path, tmp: Path) -> None:
    units = _units(tmp)
    answers = []
    for backend in ("memory", "duckdb"):
        code, text = run_cli(["ledger", "evaluate", str(path), "--facts", str(units),
                              "--as-of", "2020-12-31", "--backend", backend, "--format",
                              "json"])  # fmt: skip
        counts = next((line for line in text.splitlines() if "读取台账" in line), None)
        assert code == 2 or counts is not None, text  # evaluated: the rows' tally is said
        answers.append((code, counts))
    assert answers[0] == answers[1], answers  # the same rows read, accepted and rejected


@fuzz(30)
@given(ledger=ledgers(), fmt=st.sampled_from(["csv", "csv-gbk", "csv-bom"]))
@example(ledger=(["买方", "金额", "交易时间"], [["u1", "1" + "0" * 30, "2020-05-01T25:00:00"]]),
         fmt="csv")  # fmt: skip
@example(ledger=(["买方", "金额", "交易时间", "备注"], [["u1", "-12.50", "2020-05-01", "=1+1"]]),
         fmt="csv-gbk")  # fmt: skip
def test_csv_ledgers(
    ledger: tuple[list[str], list[list[str]]], fmt: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("csv")
    headers, rows = ledger
    path = write_ledger(tmp, fmt, headers, rows)
    check_ledger(path, tmp, _expected_rows(fmt, headers, rows))


@fuzz(24)
@given(ledger=ledgers(), fmt=st.sampled_from(["xlsx", "jsonl", "parquet"]))
def test_xlsx_jsonl_and_parquet_ledgers(
    ledger: tuple[list[str], list[list[str]]], fmt: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp(fmt)
    headers, rows = ledger
    if fmt == "parquet":
        headers = [*dict.fromkeys(h.replace('"', "") or f"h{i}" for i, h in enumerate(headers))]
    path = write_ledger(tmp, fmt, headers, rows)
    check_ledger(path, tmp, _expected_rows(fmt, headers, rows))


@fuzz(10)
@given(ledger=ledgers(), fmt=st.sampled_from(["csv", "csv-gbk", "jsonl"]))
# A lone \r in a cell of a row DuckDB reads through a CSV copy (a JSON line with "5,e6").
@example(ledger=(["买方", "金额", "交易时间", "产品名称"], [["u1", "1", "x", "5,e6"], ["u1", "0\r"]]),
         fmt="jsonl")  # fmt: skip
def test_both_backends_count_alike(
    ledger: tuple[list[str], list[list[str]]], fmt: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("backends")
    headers, rows = ledger
    check_both_backends(write_ledger(tmp, fmt, headers, rows), tmp)


def test_a_ledger_at_the_width_limit(tmp_path: Path) -> None:
    headers = ["买方", "金额", "交易时间"]
    rows = [["u1", "1", "2020-05-01", *["x"] * MAX_EXTRA_CELLS]]
    check_ledger(write_ledger(tmp_path, "csv", headers, rows), tmp_path, 1)


# --- the watch stream --------------------------------------------------------------------------

EVENT_TYPES = st.sampled_from(["transaction", "observation", "submission", "clock", "other"])


@st.composite
def events(draw: st.DrawFn) -> Any:
    kind = draw(EVENT_TYPES)
    if kind == "transaction":
        event = draw(records(TX_FIELDS, GOOD_TX))
        event["id"] = draw(st.sampled_from(["t1", "t2", f"t{ID}", "t3"]))
    elif kind == "observation":
        event = draw(records(OBS_FIELDS, GOOD_OBS))
    elif kind == "submission":
        event = draw(records(SUB_FIELDS, GOOD_SUB))
    elif kind == "clock":
        event = {"date": draw(st.sampled_from(["2020-05-01", "2020-06-30", "2020-04-01"]) | TEXT)}
    else:
        return draw(VALUES)
    return {"type": kind, **event}


@st.composite
def streams(draw: st.DrawFn) -> list[str]:
    lines = []
    for event in draw(st.lists(events(), max_size=10)):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(TEXT))  # not JSON
        else:
            lines.append(json.dumps(event, ensure_ascii=False, default=str))
    return lines


def check_stream(lines: list[str], tmp: Path) -> None:
    from xfrules.monitor import Monitor

    events_file = tmp / f"events-{ID}.jsonl"
    events_file.write_text("".join(line.replace("\n", " ") + "\n" for line in lines), "utf-8")
    units = _units(tmp)
    log = tmp / f"log-{PHONE}.jsonl"
    for path in (log, Path(str(log) + ".key")):
        path.unlink(missing_ok=True)
    run_cli(["watch", "--facts", str(units), "--start", "2020-05-01", "--log", str(log),
             str(events_file)])  # fmt: skip
    assert_clean(log.read_text("utf-8"), "the monitor's log")
    # From Python: every event accepted, a duplicate or refused; the log replays the state.
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line.replace("\n", " "), parse_float=Decimal))
        except (json.JSONDecodeError, RecursionError):
            continue
    facts = load_facts(units)
    log.unlink()
    Path(str(log) + ".key").unlink()
    with Monitor.from_registry(facts, start=date(2020, 5, 1), log=log) as m:
        result = m.post_many(parsed)
        assert result.failed == []
        assert result.accepted + result.duplicates + len(result.rejected) == len(parsed)
        for refusal in result.rejected:
            assert_clean(str(refusal), "a refusal")
        before = m.findings()
    with Monitor.restore_from_registry(log, facts) as restored:
        assert restored.findings() == before


@fuzz(20)
@given(lines=streams())
@example(lines=[json.dumps({"type": "clock", "date": "2020-06-30"}),
                json.dumps({"type": "clock", "date": "2020-05-15"})])  # fmt: skip
@example(lines=[json.dumps({**GOOD_TX, "type": "transaction"}),
                json.dumps({**GOOD_TX, "type": "transaction", "amount": "13"})])  # fmt: skip
@example(lines=[json.dumps({**GOOD_OBS, "type": "observation", "value": "1" + "0" * 29})])
def test_the_watch_stream(lines: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    check_stream(lines, tmp_path_factory.mktemp("watch"))


# --- the mapping file --------------------------------------------------------------------------

MAPPING_KEYS = ["columns", "defaults", "values", "amount_scale", "header_row", "sheet"]


@st.composite
def mappings(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 5)) == 0:
        return draw(VALUES)
    doc = {k: draw(VALUES) for k in draw(st.lists(st.sampled_from(MAPPING_KEYS), unique=True))}
    if draw(st.booleans()):
        doc["columns"] = {draw(TEXT): draw(st.sampled_from(["buyer", "amount", "date", "x"]))}
    if draw(st.booleans()):
        doc["values"] = {"category": {draw(TEXT): draw(TEXT)}}
    return doc


def check_mapping(text: str, tmp: Path) -> None:
    path = tmp / f"mapping-{PHONE}.yaml"
    path.write_text(text, "utf-8")
    try:
        load_mapping(path)
    except XfrulesError as exc:
        assert_clean(str(exc), "the mapping's error")
    ledger = write_ledger(tmp, "csv", ["买方", "金额", "交易时间", "类别"],
                          [["u1", "1", "2020-05-01", "农产品"], ["u2", "x", "", ID]])  # fmt: skip
    run_cli(["ledger", "import", str(ledger), "--mapping", str(path), "--format", "json"])


@fuzz(25)
@given(doc=mappings())
@example(doc={"columns": ["not", "a", "mapping"], "values": {"category": [1, 2]}})
@example(doc={"header_row": True, "sheet": 3, "amount_scale": 10000})
def test_the_mapping_file(doc: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True)
    check_mapping(text, tmp_path_factory.mktemp("mapping"))


# --- the corpus of past failures ---------------------------------------------------------------


# DuckDB's retry ladder over extra cells takes ~15 s on this one; test_input_errors runs
# both backends on such a row already.
_MEMORY_ONLY = {"ledger-3000-columns.csv"}


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "README.md")


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_the_corpus(path: Path, tmp_path: Path) -> None:
    """Each file holds an input that once broke a reader (see tests/fuzz_corpus/README.md);
    its name says which reader: facts-*, ledger-*, events-*, mapping-*."""
    kind = path.name.split("-", 1)[0]
    copy = tmp_path / path.name.replace("PII", PHONE)
    copy.write_bytes(path.read_bytes())
    if kind == "facts":
        check_facts_file(copy, tmp_path)
    elif kind == "ledger":
        check_ledger(copy, tmp_path)
        if copy.suffix in (".csv", ".jsonl") and path.name not in _MEMORY_ONLY:
            check_both_backends(copy, tmp_path)
    elif kind == "events":
        check_stream(copy.read_text("utf-8").splitlines(), tmp_path)
    elif kind == "mapping":
        check_mapping(copy.read_text("utf-8"), tmp_path)
    else:
        pytest.fail(f"{path.name}: unknown corpus kind {kind!r}")


def test_the_corpus_is_there() -> None:
    kinds = {p.name.split("-", 1)[0] for p in _corpus()}
    assert kinds == {"facts", "ledger", "events", "mapping"}


def test_the_fuzz_alphabet_plants_what_the_scan_looks_for() -> None:
    assert all(any(s in p for p in PLANTED) for s in SECRETS)
    assert string.digits  # (the planted numbers are plain ASCII digits, as scanned)
