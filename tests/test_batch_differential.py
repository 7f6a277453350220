"""The DuckDB backend gives exactly the in-memory evaluator's findings, on random ledgers.

Random ledgers mix every way people write cells (1,234.50, 1.2万元, fullwidth digits and
commas, quantities with units, three date forms, padding, bad values: misplaced commas and
spaces, 25%, 100人), every file format and encoding; the same files go through
the Python importer + ``xfrules.evaluator`` and through ``xfrules.batch`` and must agree on
every finding (compared as JSON records, so even Decimal exponents must match) and on the
number of rows read and accepted.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xfrules.batch import evaluate_ledgers
from xfrules.facts import Facts
from xfrules.ledger.evaluate import evaluate_ledgers_in_memory
from xfrules.ledger.mapping import LedgerMapping
from xfrules.obligations import obligation_adapter
from xfrules.pii import id_check_digit
from xfrules.rulebook import prepare

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

SRC = {"document": "测试〔2020〕1号", "clause": "一", "quote": "测试条款"}
BASE = {
    "jurisdiction": "test",
    "source": SRC,
    "valid_from": "2020-01-01",
    "valid_to": "2021-12-31",
    "period": {"frequency": "annual"},
}


def _ob(**kw: Any) -> Any:
    return obligation_adapter.validate_python({**BASE, **kw})


OBLIGATIONS = [
    _ob(
        id="test.district_total",
        kind="amount_target",
        title="区采购总额",
        applies_to=["district"],
        measure={
            "source": "transactions",
            "origin_sets": ["paired"],
            "categories": ["agricultural"],
            "scope": "subtree",
        },
        thresholds=[{"comparator": ">=", "value": "500", "unit": "元"}],
    ),
    _ob(
        id="test.unit_share",
        kind="baseline_share",
        title="单位占比",
        applies_to=["budget_unit"],
        measure={"source": "transactions", "origin_sets": ["paired", "extra"], "scope": "unit"},
        baseline={"metric": "base", "start": "2019-01-01", "end": "2019-12-31"},
        thresholds=[{"comparator": ">=", "value": "0.10", "unit": "ratio"}],
    ),
    _ob(
        id="test.per_capita_quantity",
        kind="per_capita",
        title="人均数量",
        applies_to=["budget_unit", "district"],
        measure={
            "source": "transactions",
            "aggregate": "quantity",
            "channels": ["canteen"],
            "scope": "subtree",
        },
        thresholds=[{"comparator": ">=", "value": "2", "unit": "元"}],
    ),
    _ob(
        id="test.household_count",
        kind="count_target",
        title="直采笔数",
        applies_to=["budget_unit", "district"],
        measure={
            "source": "transactions",
            "aggregate": "count",
            "seller_kinds": ["household"],
            "scope": "subtree",
        },
        thresholds=[{"comparator": ">=", "value": "3", "unit": "次"}],
    ),
    _ob(
        id="test.coverage",
        kind="coverage",
        title="覆盖县数",
        applies_to=["district"],
        measure={"source": "transactions", "aggregate": "distinct_origins", "scope": "subtree"},
        target_set="paired",
        thresholds=[{"comparator": ">=", "value": "2", "unit": "个"}],
    ),
    _ob(
        id="test.origins_any",
        kind="count_target",
        title="来源地数",
        applies_to=["budget_unit"],
        measure={"source": "transactions", "aggregate": "distinct_origins", "scope": "unit"},
        thresholds=[{"comparator": "<=", "value": "3", "unit": "个"}],
    ),
    _ob(
        id="test.growth",
        kind="growth_rate",
        title="增长",
        applies_to=["district"],
        measure={"source": "transactions", "scope": "subtree"},
        thresholds=[{"comparator": ">=", "value": "0.25", "unit": "ratio"}],
    ),
    _ob(
        id="test.wide_total",
        kind="amount_target",
        title="地市省级来源采购",
        applies_to=["budget_unit", "district"],
        measure={"source": "transactions", "origin_sets": ["wide"], "scope": "subtree"},
        thresholds=[{"comparator": ">=", "value": "300", "unit": "元"}],
    ),
    _ob(
        id="test.wide_origins",
        kind="coverage",
        title="覆盖地市省",
        applies_to=["district"],
        measure={"source": "transactions", "aggregate": "distinct_origins", "scope": "subtree"},
        target_set="wide",
        thresholds=[{"comparator": ">=", "value": "2", "unit": "个"}],
    ),
    _ob(
        id="test.spring",
        kind="amount_target",
        title="春季采购",
        applies_to=["budget_unit"],
        period={"frequency": "fixed", "start": "2020-03-01", "end": "2020-06-30"},
        measure={"source": "transactions", "scope": "unit"},
        thresholds=[{"comparator": "<", "value": "1000", "unit": "元"}],
    ),
]
REGION_SETS = {
    ("test", "paired"): frozenset({"520621", "610124", "653001"}),
    ("test", "extra"): frozenset({"430921001"}),
    # A prefecture (铜仁市) and a province (新疆): purchases from their counties, towns and
    # villages count (the DuckDB backend once matched only the code and its first six digits).
    ("test", "wide"): frozenset({"520600", "650000"}),
}
UNITS = [
    {
        "id": "d1",
        "name": "甲区",
        "kind": "district",
        "jurisdiction": "test",
        "attributes": {"members": 3},
    },
    {"id": "d2", "name": "乙区", "kind": "district", "jurisdiction": "test"},
    {
        "id": "b1",
        "name": "甲局",
        "kind": "budget_unit",
        "jurisdiction": "test",
        "parent": "d1",
        "attributes": {"members": "2"},
    },
    {"id": "b2", "name": "乙局", "kind": "budget_unit", "jurisdiction": "test", "parent": "d1"},
    {"id": "b3", "name": "丙局", "kind": "budget_unit", "jurisdiction": "test", "parent": "d2"},
    # A numeric id, so that an integer buyer column in Parquet names a unit.
    {"id": "7", "name": "丁局", "kind": "budget_unit", "jurisdiction": "test", "parent": "d2"},
]
OBSERVATIONS = [
    {
        "unit": u,
        "metric": "base",
        "period_start": "2019-01-01",
        "period_end": "2019-12-31",
        "value": v,
    }
    for u, v in (("b1", "1000"), ("b2", "0"), ("d1", "50"))
]
FACTS = Facts.model_validate({"units": UNITS, "observations": OBSERVATIONS})

HEADERS = [
    "序号",
    "买方",
    "金额（元）",
    "交易时间",
    "产地",
    "类别",
    "渠道",
    "卖方类型",
    "数量",
    "身份证号",
]
FW = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x30, 0x3A)} | {".": "．"})


def _valid_id(prefix17: str) -> str:
    return prefix17 + id_check_digit(prefix17)


GOOD_ID = _valid_id("43092119900101123")
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")

pads = st.sampled_from(["", "", "", " ", "\t", "\u3000"])
cents = st.integers(min_value=0, max_value=30_000)


@st.composite
def amounts(draw: st.DrawFn) -> str:
    v = Decimal(draw(cents)) / 100
    form = draw(st.integers(0, 13))
    if form == 0:
        text = f"{v:,.2f}"
    elif form == 10:
        # A comma or a space somewhere in the digits: a thousands separator only where it
        # splits off groups of three, otherwise no number (12,5 is not 125).
        text = _insert(draw, f"{v:f}", draw(st.sampled_from([",", "，", " "])))
    elif form == 11:
        text = f"{v:,f}".replace(",", "，").translate(FW)
    elif form == 12:
        # Thousands groups up to and past the 15 digits below the 10^15 limit.
        text = f"{v * draw(st.sampled_from([10**3, 10**6, 10**10, 10**12, 10**13])):,.2f}"
    elif form == 13:
        # A currency sign or code first, as spreadsheets export it (¥ U+00A5, ￥ U+FFE5).
        sign = draw(st.sampled_from(["¥", "￥", "RMB ", "RMB", "rmb ", "CNY ", "ＲＭＢ", "¥ "]))
        text = sign + draw(
            st.sampled_from([f"{v:f}", f"{v:,.2f}", f"{(v / 10000).normalize():f}万元"])
        )
    elif form == 1:
        text = f"{(v / 10000).normalize():f}万元"
    elif form == 2:
        text = f"{v:f}".translate(FW)
    elif form == 3:
        text = f"{v.normalize():f}元"
    elif form == 4:
        text = draw(
            st.sampled_from(
                # "١٢٣": Arabic-Indic digits, which both readers refuse; 999999999999999.99: more
                # digits than a double keeps (a JSON number of it is read exactly).
                [
                    "",
                    "abc",
                    "-5",
                    "12.001",
                    "1e3",
                    "0.0001万",
                    "25%",
                    "1千",
                    "+7",
                    "007.50",
                    "١٢٣",
                    "999999999999999.99",
                    "1,2,3",
                    "12,5",
                    "1,23",
                    "0,125",
                    "1 234",
                    "1，234",
                    "12,345,678.50",
                    "1,234.567",
                    "999,999,999,999,999.99",
                    "1,000,000,000,000,000",
                    "0,000",
                    "100人",
                    "5个",
                    "3 万 元",
                    "1,000万元",
                    "2 元",
                    "$100",
                    "¥-5",
                    "¥¥100",
                    "100¥",
                    "RM B100",
                    "EUR 100",
                ]
            )
        )
    else:
        text = f"{v:f}"
    return draw(pads) + text + draw(pads)


def _insert(draw: st.DrawFn, text: str, sep: str) -> str:
    at = draw(st.integers(0, len(text)))
    return text[:at] + sep + text[at:]


UNITS_OF_MEASURE = ["斤", "公斤", "只", "箱", " kg", "kg", "千克", " 斤", "ＫＧ", "个", "两"]


@st.composite
def quantities(draw: st.DrawFn) -> str:
    form = draw(st.integers(0, 5))
    number = draw(st.sampled_from(["1", "2.5", "３", "0", "1.0005", "500", "1,200", "12.125"]))
    if form == 0:
        text = number + draw(st.sampled_from(UNITS_OF_MEASURE))
    elif form == 1:
        text = draw(
            st.sampled_from(
                [
                    "x",
                    "25%",
                    "1,5",
                    "1，5",
                    "1 234",
                    "2万斤",
                    "3百只",
                    "5k",
                    "20只/箱",
                    "-2斤",
                    "kg",
                    "1.5w",
                    "1,234.5678",
                    "1,234,567斤",
                ]
            )
        )
    elif form == 2:
        text = _insert(draw, number, draw(st.sampled_from([",", " "])))
    elif form == 3:
        text = ""
    else:
        text = number
    return draw(pads) + text + draw(pads)


@st.composite
def days(draw: st.DrawFn) -> str:
    d = date(2019, 12, 20) + timedelta(days=draw(st.integers(0, 760)))
    form = draw(st.integers(0, 7))
    if form == 0:
        return f"{d.year}年{d.month}月{d.day}日"
    if form == 1:
        return f"{d.year}/{d.month}/{d.day}"
    if form == 2:
        return f"{d:%Y%m%d}"
    if form == 3:
        return draw(
            st.sampled_from(
                [
                    "",
                    "2020-02-30",
                    "昨天",
                    "2020-13-01",
                    "0000-01-01",
                    "2020-4-5 10:00",
                    "2020-٠4-05",
                    # Cells DuckDB's own date cast reads more loosely than the rules
                    # (the batch reader's ISO fast path must leave them to the full rule).
                    " 2020-05-06",
                    "2020-05-06 ",
                    "2020-05-06T10:00",
                    "12020-01-01",
                    "20-01-01",
                    "+2020-01-01",
                    "0999-01-05",
                    "2020-5-06",
                    # In a typed Parquet column, dates Python cannot hold: the importer gets
                    # date.max/min for ±infinity and the printed text for the others.
                    "infinity",
                    "-infinity",
                    "0000-06-01",
                    "0000-02-29",
                ]
            )
        )
    return d.isoformat()


rows = st.fixed_dictionaries(
    {
        "序号": st.integers(1, 99).map(str),
        "买方": st.sampled_from(
            ["b1", "b2", "b3", "d1", "d2", "甲局", "乙区", "nobody", "", " b3 ", "7", "8"]
        ),
        "金额（元）": amounts(),
        "交易时间": days(),
        "产地": st.sampled_from(
            [
                "520621",
                "610124",
                "653001",
                "520621001",
                "520621001",
                "430921001",
                "430921001002",
                "520623",
                "520623105201",
                "520600",
                "652201",
                "650102",
                "110101",
                "",
                "99",
                "990101",
            ]
        ),
        # Padded and blank text cells: a condition on the text must see through the padding.
        "类别": st.sampled_from(
            [
                "agricultural",
                "agricultural",
                "other",
                "",
                " agricultural",
                "agricultural\u3000",
                "农产品",
            ]
        ),
        "渠道": st.sampled_from(["canteen", "online", "", "\tcanteen", " ", "食堂"]),
        "卖方类型": st.sampled_from(["household", "enterprise", "", "household ", "农户"]),
        "数量": quantities(),
        "身份证号": st.sampled_from(["", "", "", "", "", "", GOOD_ID, GOOD_ID, BAD_ID, "123"]),
    }
)


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _json_value(text: str) -> str:
    """A cell that is a JSON number literal is written as a number half the time (apps
    export amounts and codes as numbers), otherwise as a string."""
    if _JSON_NUMBER.fullmatch(text) and len(text) % 2 == 0:
        return text
    return json.dumps(text, ensure_ascii=False)


def _write(path: Path, fmt: str, headers: list[str], records: list[dict[str, str]]) -> Path:
    if fmt in ("csv", "csv-bom", "csv-gbk"):
        # GB18030 writes GBK's bytes for every character GBK has, and its four-byte forms for
        # the few it lacks (the Arabic-Indic digits some cells carry).
        encoding = {"csv": "utf-8", "csv-bom": "utf-8-sig", "csv-gbk": "gb18030"}[fmt]
        path = path.with_suffix(".csv")
        with path.open("w", encoding=encoding, newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["消费扶贫证明材料"])  # a title row above the header, as in 附件2
            w.writerow(headers)
            for r in records:
                w.writerow([r.get(h, "") for h in headers])
    elif fmt == "xlsx":
        from openpyxl import Workbook

        path = path.with_suffix(".xlsx")
        wb = Workbook()
        ws = wb.active
        ws.append(headers)
        for r in records:
            ws.append([r.get(h, "") or None for h in headers])
        wb.save(path)
    elif fmt == "jsonl":
        path = path.with_suffix(".jsonl")
        with path.open("w", encoding="utf-8") as fh:
            for r in records:
                pairs = (
                    f"{json.dumps(h, ensure_ascii=False)}: {_json_value(r.get(h, ''))}"
                    for h in headers
                )
                fh.write("{" + ", ".join(pairs) + "}\n")
    else:
        import duckdb

        # Typed Parquet columns (as written by other tools: DECIMAL, integer, DATE, TIMESTAMP
        # cells) take other branches in both readers; a cell the type cannot hold is NULL.
        types = PARQUET_TYPES[fmt]
        path = path.with_suffix(".parquet")
        con = duckdb.connect()
        cols = ", ".join(f'"{h}" {types.get(h, "VARCHAR")}' for h in headers)
        con.execute(f"CREATE TABLE t ({cols})")
        casts = ", ".join("TRY_CAST(? AS " + types.get(h, "VARCHAR") + ")" for h in headers)
        if records:
            con.executemany(
                f"INSERT INTO t VALUES ({casts})",
                [[r.get(h) or None for h in headers] for r in records],
            )
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
        con.close()
    return path


PARQUET_TYPES: dict[str, dict[str, str]] = {
    "parquet": {},
    "parquet-typed": {
        "金额（元）": "DECIMAL(18,3)",
        "交易时间": "DATE",
        "产地": "BIGINT",
        "数量": "INTEGER",
    },
    "parquet-typed-2": {
        "买方": "INTEGER",
        "金额（元）": "BIGINT",
        "交易时间": "TIMESTAMP",
        "数量": "DECIMAL(10,4)",
    },
}


FORMATS = ["csv", "csv-bom", "csv-gbk", "xlsx", "jsonl", *PARQUET_TYPES]


def _check(
    tmp: Path,
    files: list[tuple[str, list[dict[str, str]]]],
    as_of: date,
    headers: list[str],
    mapping: LedgerMapping | None = None,
) -> None:
    paths = [_write(tmp / f"ledger{i}", fmt, headers, recs) for i, (fmt, recs) in enumerate(files)]
    memory, imported = evaluate_ledgers_in_memory(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS),
        paths,
        as_of,
        mapping=mapping,
    )
    batch = evaluate_ledgers(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS),
        paths,
        as_of,
        mapping=mapping,
    )
    assert imported.accepted + imported.rejected == imported.rows_read
    assert (batch.rows_read, batch.accepted) == (imported.rows_read, imported.accepted)
    differing = [
        (m, b)
        for m, b in zip(
            memory.to_record()["findings"], batch.evaluation.to_record()["findings"], strict=True
        )
        if m != b
    ]
    assert not differing, [
        {k: (v, b[k]) for k, v in m.items() if b[k] != v}
        | {"id": (m["unit_id"], m["obligation_id"])}
        for m, b in differing
    ]
    assert batch.evaluation.to_record() == memory.to_record()


as_ofs = st.sampled_from([date(2020, 6, 30), date(2020, 12, 31), date(2021, 12, 31)])
files = st.lists(
    st.tuples(st.sampled_from(FORMATS), st.lists(rows, max_size=40)), min_size=1, max_size=3
)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(files=files, as_of=as_ofs)
def test_batch_equals_memory(
    tmp_path_factory: pytest.TempPathFactory, files: Any, as_of: date
) -> None:
    _check(tmp_path_factory.mktemp("ledgers"), files, as_of, HEADERS)


# Value maps that send a cell into a filter's values, and one that sends a filter value
# away; defaults that make blank cells count: text conditions must read cells through them.
MAPPING = LedgerMapping(
    defaults={"category": "agricultural", "channel": "online"},
    values={
        "category": {"农产品": "agricultural", "other": "agricultural"},
        "seller_kind": {"农户": "household", "household": "enterprise"},
        "channel": {"食堂": "canteen"},
    },
)


@SETTINGS
@given(files=files, as_of=as_ofs)
def test_batch_equals_memory_with_value_maps_and_defaults(
    tmp_path_factory: pytest.TempPathFactory, files: Any, as_of: date
) -> None:
    _check(tmp_path_factory.mktemp("ledgers"), files, as_of, HEADERS, MAPPING)


def test_scaled_header_and_named_buyers(tmp_path: Path) -> None:
    # 金额（万元）: plain numbers are in 万元, numbers carrying their own 万/元 are not rescaled.
    recs = [
        {
            "买方": "甲局",
            "金额（万元）": "0.05",
            "交易时间": "2020-05-01",
            "产地": "520621",
            "类别": "agricultural",
        },
        {
            "买方": "b1",
            "金额（万元）": "1.5万",
            "交易时间": "2020-05-01",
            "产地": "520621",
            "类别": "agricultural",
        },
        {
            "买方": "b1",
            "金额（万元）": "0.000001",
            "交易时间": "2020-05-01",
            "产地": "520621",
            "类别": "agricultural",
        },
        {
            "买方": "b1",
            "金额（万元）": "0.0000001",
            "交易时间": "2020-05-01",
            "产地": "520621",
            "类别": "agricultural",
        },
    ]
    headers = ["买方", "金额（万元）", "交易时间", "产地", "类别"]
    for fmt in FORMATS:
        (tmp_path / fmt).mkdir()
        _check(tmp_path / fmt, [(fmt, recs)], date(2020, 12, 31), headers)
    _, imported = evaluate_ledgers_in_memory(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS),
        [_write(tmp_path / "x", "csv", headers, recs)],
        date(2020, 12, 31),
    )
    assert sorted(t.amount for t in imported.transactions) == [
        Decimal("0.01"),
        Decimal("500.00"),
        Decimal("15000.00"),
    ]
    assert imported.rejected == 1 and "finer than 0.01" in imported.problems[0].message


def _compare_files(paths: list[Path], as_of: date) -> None:
    memory, imported = evaluate_ledgers_in_memory(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS), paths, as_of
    )
    batch = evaluate_ledgers(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS), paths, as_of
    )
    assert (batch.rows_read, batch.accepted) == (imported.rows_read, imported.accepted)
    assert batch.evaluation.to_record() == memory.to_record()


def test_messy_csv_structure(tmp_path: Path) -> None:
    # Short rows, extra cells, a trailing comma, quoted line breaks, blank lines, a row that
    # holds nothing but an extra cell: the importer and DuckDB must read the same rows.
    text = (
        "消费扶贫证明材料\n\n买方,金额（元）,交易时间,产地,类别\n"
        "b1,600,2020-05-01,520621,agricultural,\n"
        "b1,7,2020-05-02\n"
        '"b1\n",8,2020-05-03,520621,agricultural\n'
        "d1,9,2020-05-04,520621,agricultural,extra,cells\n"
        "\n"
        ",,,,,only-extra\n"
        '"多行\n备注",1,2020-05-05\n'
    )
    path = tmp_path / "messy.csv"
    path.write_text(text, encoding="utf-8")
    _compare_files([path], date(2020, 12, 31))
    _, imported = evaluate_ledgers_in_memory(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS), [path], date(2020, 12, 31)
    )
    assert (imported.rows_read, imported.accepted) == (6, 4)


def test_csv_rows_with_many_extra_cells(tmp_path: Path) -> None:
    # More extra cells than the batch reader's first guess: the importer ignores them, and a
    # row holding nothing but a far extra cell is still a row.
    lines = [
        "买方,金额（元）,交易时间,产地,类别",
        "b1,600,2020-05-01,520621,agricultural" + ",x" * 12,
        "b2,700,2020-05-02,520621,agricultural" + "," * 40 + "far",
        "," * 70 + "only-far",
        "d1,9,2020-05-04,520621,agricultural",
    ]
    text = "\n".join(lines) + "\n"
    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    _compare_files([path], date(2020, 12, 31))
    _, imported = evaluate_ledgers_in_memory(
        prepare(FACTS, obligations=OBLIGATIONS, region_sets=REGION_SETS), [path], date(2020, 12, 31)
    )
    assert (imported.rows_read, imported.accepted) == (4, 3)


def test_jsonl_number_and_literal_values(tmp_path: Path) -> None:
    # JSON numbers and literals, which DuckDB's JSON reader turns into text through a double
    # (999999999999999.99 → 1000000000000000.0, 12.50 → 12.5, 1E3 → 1000.0, 0.00001 → 1e-05)
    # and its own spelling (true): the batch path must read them as the importer does.
    records = [
        '{"买方": "b1", "金额（元）": 999999999999999.99, "交易时间": "2020-05-01", "产地": 520621, "类别": "agricultural"}',
        '{"买方": "b1", "金额（元）": 12.50, "交易时间": "2020-05-02", "产地": "520621", "类别": "agricultural"}',
        '{"买方": "b1", "金额（元）": 1E3, "交易时间": "2020-05-03", "产地": "520621", "类别": "agricultural"}',
        '{"买方": "b1", "金额（元）": 0.00001, "交易时间": "2020-05-04", "产地": "520621", "类别": "agricultural"}',
        '{"买方": "d1", "金额（元）": 7, "交易时间": "2020-05-05", "产地": "520621", "类别": true}',
        '{"买方": "d1", "金额（元）": 8, "交易时间": "2020-05-06", "产地": ["520621"], "类别": "agricultural"}',
        '{"买方": "d1", "金额（元）": 9.25, "交易时间": "2020-05-07", "产地": "520621", "类别": "agricultural"}',
    ]
    path = tmp_path / "numbers.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    _compare_files([path], date(2020, 12, 31))


def test_jsonl_plain_numbers_stay_on_duckdbs_reader(tmp_path: Path) -> None:
    # Numbers DuckDB prints back as written need no detour through Python.
    from xfrules.batch.sources import json_numbers_read_exactly

    plain = tmp_path / "plain.jsonl"
    plain.write_text(
        '{"a": 12.5, "b": 0.0015, "c": 120.0, "d": -3, "e": "1E3 or 12.50 in text"}\n'
        '{"a": 9999999999999.99, "b": 999999999999999, "c": null, "d": 0.0001}\n',
        encoding="utf-8",
    )
    assert json_numbers_read_exactly(plain)
    for token in [
        "12.50",
        "1E3",
        "1e-3",
        "0.00001",
        "999999999999999.99",
        "true",
        "[1]",
        '{"x": 1}',
    ]:
        risky = tmp_path / "risky.jsonl"
        risky.write_text('{"a": 1, "b": ' + token + "}\n", encoding="utf-8")
        assert not json_numbers_read_exactly(risky), token


# Three levels of districts above the budget units, buyers named by id and by name, a
# district that buys for itself: the sums are rolled up in Python (xfrules.batch.rollup).
DEEP_UNITS = [
    {"id": "p", "name": "省", "kind": "district", "jurisdiction": "test"},
    {"id": "c", "name": "市", "kind": "district", "jurisdiction": "test", "parent": "p"},
    {"id": "d1", "name": "甲区", "kind": "district", "jurisdiction": "test", "parent": "c"},
    {"id": "b1", "name": "甲局", "kind": "budget_unit", "jurisdiction": "test", "parent": "d1"},
    {"id": "b2", "name": "乙局", "kind": "budget_unit", "jurisdiction": "test", "parent": "c"},
    {"id": "b3", "name": "丙局", "kind": "budget_unit", "jurisdiction": "test", "parent": "d1"},
]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_deep_subtrees_and_buyers_named_twice(tmp_path: Path, fmt: str) -> None:
    def rec(buyer: str, amount: str, origin: str = "520621") -> dict[str, str]:
        return {
            "买方": buyer,
            "金额（元）": amount,
            "交易时间": "2020-05-01",
            "产地": origin,
            "类别": "agricultural",
            "渠道": "canteen",
            "卖方类型": "household",
            "数量": "2",
        }

    recs = [
        rec("b1", "100.10"),
        rec("甲局", "200.25"),  # b1 by its name
        rec("b2", "50"),
        rec("d1", "7.5"),  # a district buying for itself
        rec("市", "3"),  # the city, by its name
        rec("nobody", "999"),  # read, not accepted
        rec("b3", "40", "430921001"),  # not paired
    ]
    facts = Facts.model_validate({"units": DEEP_UNITS})
    path = _write(tmp_path / "deep", fmt, HEADERS, recs)
    memory, imported = evaluate_ledgers_in_memory(
        prepare(facts, obligations=OBLIGATIONS, region_sets=REGION_SETS), [path], date(2020, 12, 31)
    )
    batch = evaluate_ledgers(
        prepare(facts, obligations=OBLIGATIONS, region_sets=REGION_SETS), [path], date(2020, 12, 31)
    )
    assert (batch.rows_read, batch.accepted) == (imported.rows_read, imported.accepted) == (7, 6)
    assert batch.evaluation.to_record() == memory.to_record()
    measured = {
        (f.unit_id, f.obligation_id): f.measured
        for f in batch.evaluation.findings
        if f.obligation_id == "test.district_total"
    }
    # 520621 is paired; the province's subtree holds every accepted paired purchase.
    assert measured[("p", "test.district_total")] == Decimal("360.85")
    assert measured[("d1", "test.district_total")] == Decimal("307.85")
