"""The streaming importer: its plain-cell fast paths read exactly what the general readers
read, what it writes for a purchase is what every output shows of the transaction, and rows
with transaction ids are decided only once every ledger is read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xfrules.entities import Transaction, Unit
from xfrules.ledger import rules as row_rules
from xfrules.ledger.importer import import_ledgers, stream_ledgers
from xfrules.ledger.rules import Purchase
from xfrules.pii import id_check_digit, masked

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

UNITS = [
    Unit(id="u1", name="甲局", kind="budget_unit", jurisdiction="suzhou"),
    Unit(id="u2", name="乙局", kind="budget_unit", jurisdiction="suzhou"),
]
HEADERS = [
    "交易编号",
    "买方",
    "卖方",
    "卖方类型",
    "金额（元）",
    "交易时间",
    "数量",
    "产地",
    "卖方身份证号",
]
GOOD_ID = "43092119900101123" + id_check_digit("43092119900101123")

# Cells the fast paths take (plain numbers, ISO dates) and their neighbours, which they must
# leave to the general readers.
# fmt: off
NEAR_AMOUNTS = ["0", "007.50", "12.001", "1e3", " 12.50", "12.50 ", "1,234.50", "1.2万元", "１２",
                "-0", "999999999999999.99", "1000000000000000", "", "12.", ".5", "十元"]
NEAR_DAYS = ["2020-02-30", "0000-01-01", "2020-4-5", "2020年4月26日", "20200426", " 2020-01-01",
             "2020-01-01T10:00", "2020/01/01", "", "2021-13-01"]
# fmt: on
amounts = st.one_of(
    st.from_regex(r"[0-9]{1,15}(\.[0-9]{1,2})?", fullmatch=True), st.sampled_from(NEAR_AMOUNTS)
)
quantities = st.one_of(
    st.from_regex(r"[0-9]{1,15}(\.[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["", "500斤", "2.5公斤", "1.0001", "3 kg", "0.000"]),
)
days = st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(NEAR_DAYS))
rows = st.fixed_dictionaries(
    {
        "交易编号": st.sampled_from(["", "T1", "T2", "T3", 'T"4\\', "13812345678:5"]),
        "买方": st.sampled_from(["u1", "u2", "甲局", "nobody"]),
        "卖方": st.sampled_from(["", "张三", "张四", "某公司 13812345678"]),
        "卖方类型": st.sampled_from(["", "household", "enterprise"]),
        "金额（元）": amounts,
        "交易时间": days,
        "数量": quantities,
        "产地": st.sampled_from(["", "520621", "5206", "520621001"]),
        "卖方身份证号": st.sampled_from(["", "", GOOD_ID]),
    }
)


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for r in records:
            w.writerow([r[h] for h in HEADERS])
    return path


def _import(path: Path) -> tuple[list[dict[str, object]], list[tuple[str, str, str]], str]:
    """The transactions (as JSON records: a Decimal's exponent shows), problems and rejected
    rows of a ledger."""
    rejects = io.StringIO()
    result = import_ledgers([path], units=UNITS, rejects=rejects)
    assert result.accepted + result.rejected == result.rows_read
    problems = sorted((p.record, p.field, p.message) for p in result.problems)
    return [t.model_dump(mode="json") for t in result.transactions], problems, rejects.getvalue()


@settings(max_examples=60, deadline=None)
@given(records=st.lists(rows, max_size=25))
def test_fast_paths_read_what_the_general_readers_read(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, str]]
) -> None:
    path = _write(tmp_path_factory.mktemp("ledger") / "l.csv", records)
    fast = _import(path)
    # The same rows with the fast paths off: every cell through the general readers.
    never = row_rules.re.compile(r"(?!)")
    saved = dict(row_rules._PLAIN), row_rules._ISO_DATE
    try:
        row_rules._PLAIN.update({k: never for k in row_rules._PLAIN})
        row_rules._ISO_DATE = never
        general = _import(path)
    finally:
        row_rules._PLAIN.update(saved[0])
        row_rules._ISO_DATE = saved[1]
    assert fast == general


@settings(max_examples=40, deadline=None)
@given(records=st.lists(rows, min_size=1, max_size=15))
def test_a_purchase_is_written_as_every_output_shows_its_transaction(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, str]]
) -> None:
    path = _write(tmp_path_factory.mktemp("ledger") / "l.csv", records)
    purchases: list[Purchase] = []
    stream_ledgers([path], units=UNITS, accept=purchases.append)
    for p in purchases:
        tx = p.transaction()
        # Validating what the importer built gives it back unchanged, and the record it
        # writes is the masked transaction's.
        assert Transaction.model_validate(tx.model_dump()) == tx
        assert tx.model_fields_set == set(Transaction.model_fields)  # as model_construct sets
        assert p.record() == masked(tx).model_dump(mode="json")
        assert p.json_line() == json.dumps(p.record(), ensure_ascii=False)
        assert "13812345678" not in p.json_line()


def test_rows_with_ids_wait_for_the_last_ledger(tmp_path: Path) -> None:
    base = {"买方": "u1", "卖方": "", "卖方类型": "", "交易时间": "2020-01-01", "数量": "1",
            "产地": "", "卖方身份证号": ""}  # fmt: skip
    first = _write(
        tmp_path / "a.csv",
        [
            {**base, "交易编号": "T1", "金额（元）": "10"},
            {**base, "交易编号": "T2", "金额（元）": "5"},
            {**base, "交易编号": "", "金额（元）": "7"},
        ],
    )
    # In another file: T1 again, the same; T2 again, otherwise.
    second = _write(
        tmp_path / "b.csv",
        [
            {**base, "交易编号": "T1", "金额（元）": "10"},
            {**base, "交易编号": "T2", "金额（元）": "6"},
        ],
    )
    seen: list[str] = []
    rejects = io.StringIO()
    result = stream_ledgers(
        [first, second], units=UNITS, rejects=rejects, accept=lambda p: seen.append(p.id)
    )
    assert seen == ["T1", f"{first}:4"] and result.accepted == 2 and result.rejected == 3
    reasons = sorted((p.file, p.record, p.message) for p in result.problems)
    assert reasons == [
        (str(first), "row 3", "2 rows share transaction id 'T2' but disagree"),
        (str(second), "row 2", f"duplicate of {first} row 2 (transaction id 'T1')"),
        (str(second), "row 3", "2 rows share transaction id 'T2' but disagree"),
    ]
    assert len(list(csv.reader(io.StringIO(rejects.getvalue())))) == 1 + 3


def test_two_sellers_under_one_id_are_two_facts_even_when_masked_alike(tmp_path: Path) -> None:
    # 张三 and 张四, both household sellers, are both shown as 张*; they are still two
    # sellers, so the rows disagree (the DuckDB backend compares them as written too).
    base = {"交易编号": "T1", "买方": "u1", "卖方类型": "household", "金额（元）": "10",
            "交易时间": "2020-01-01", "数量": "1", "产地": "", "卖方身份证号": ""}  # fmt: skip
    path = _write(tmp_path / "l.csv", [{**base, "卖方": "张三"}, {**base, "卖方": "张四"}])
    transactions, problems, _ = _import(path)
    assert (
        transactions == []
        and [p[2] for p in problems] == ["2 rows share transaction id 'T1' but disagree"] * 2
    )


def test_problems_kept_are_bounded_but_counted(tmp_path: Path) -> None:
    base = {"交易编号": "", "买方": "nobody", "卖方": "", "卖方类型": "", "金额（元）": "x",
            "交易时间": "2020-01-01", "数量": "1", "产地": "", "卖方身份证号": ""}  # fmt: skip
    path = _write(tmp_path / "l.csv", [base] * 30)
    result = stream_ledgers([path], units=UNITS, keep_problems=5)
    assert (result.rejected, len(result.problems), result.problem_count) == (30, 5, 60)
