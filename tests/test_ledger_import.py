"""Ledger import: formats, encodings, Chinese headers, row-level errors, rejected rows, masking."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xfrules.entities import Unit
from xfrules.errors import InputError, Problem
from xfrules.facts import load_facts
from xfrules.ledger import import_ledgers, load_mapping
from xfrules.ledger.mapping import LedgerMapping, normalise_header
from xfrules.pii import id_check_digit
from xfrules.progress import Progress

DATA = Path(__file__).parent / "data" / "ledgers"
UNION = Unit(id="dth_union", name="大通湖区总工会", kind="union", jurisdiction="datonghu")
VALID_ID = "43092119900101123" + id_check_digit("43092119900101123")


def _problems(result: object) -> list[tuple[str, str, str]]:
    return sorted((p.record, p.field, p.message) for p in result.problems)  # type: ignore[attr-defined]


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_gbk_csv_with_title_row_imports_with_row_level_errors() -> None:
    rejects = io.StringIO()
    result = import_ledgers([DATA / "datonghu_gbk.csv"], units=[UNION], rejects=rejects)
    assert (result.rows_read, result.accepted, result.rejected) == (5, 2, 3)
    assert result.accepted + result.rejected == result.rows_read
    first, second = result.transactions
    assert first.buyer == "dth_union" and first.amount == Decimal("1234.50")
    assert first.quantity == Decimal("10.000") and first.date == date(2020, 4, 26)
    assert second.amount == Decimal("12000.00") and second.quantity == Decimal("5.000")
    problems = _problems(result)
    assert [p[:2] for p in problems] == [
        ("row 5", "金额"),
        ("row 6", "交易时间"),
        ("row 7", "卖方身份证号"),
    ]
    assert "not an amount of money" in problems[0][2]
    assert "impossible date" in problems[1][2]
    assert "check digit" in problems[2][2]
    assert all(p.file.endswith("datonghu_gbk.csv") for p in result.problems)
    # The rejected-rows file: original cells + reasons, personal data masked.
    text = rejects.getvalue()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["file", "row", "column", "reason"] and "卖方身份证号" in rows[0]
    assert [r[1] for r in rows[1:]] == ["5", "6", "7"]
    assert "430921199001011234" not in text and "430921********1234" in text
    assert "13812345678" not in text and "138****5678" in text
    assert "十元" in text  # the bad value itself is shown, so a person can fix it


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_xlsx_with_chinese_headers_and_scaled_amounts(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "附件2.xlsx",
        [
            ["消费扶贫证明材料"],
            [],
            [
                "序号",
                "产品名称",
                "卖方",
                "采购单位",
                "数量",
                "金额（万元）",
                "采购日期",
                "来源地区",
            ],
            [1, "大米", "张三", "大通湖区总工会", 10, 1.5, datetime(2020, 4, 26), "430921"],
            [2, "鲜鱼", "李四", "dth_union", 2, "0.25", "2020年5月1日", 430921],
            [3, "莲藕", "王五", "大通湖区总工会", 1, None, "2020-05-02", "430921"],
            [4, "茶叶", "钱七", "某某单位", 1, 2, "2020-05-03", "430921"],
            [5, "腊肉", "赵六", "大通湖区总工会", 1, "0.0000001", "2020-05-04", "43092"],
            [None, None, None, None, None, None, None, None],
        ],
    )
    result = import_ledgers([path], units=[UNION])
    assert (result.rows_read, result.accepted, result.rejected) == (5, 2, 3)
    assert [t.amount for t in result.transactions] == [Decimal("15000.00"), Decimal("2500.00")]
    assert [t.origin_region for t in result.transactions] == ["430921", "430921"]
    assert _problems(result) == [
        ("row 6", "金额（万元）", "amount is missing"),
        ("row 7", "采购单位", "unknown buyer '某某单位': not a unit id or unique unit name"),
        (
            "row 8",
            "来源地区",
            "region code '43092' must be 6 digits (GB/T 2260), or 9/12 for towns and villages",
        ),
        ("row 8", "金额（万元）", "amount is finer than 0.01"),
    ]


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        "买方;金额（元）;日期\nu1;１２３.４;2020/4/26\nu1;1,000;2020-04-27\nu1;1,0;2020-04-28\n",
        encoding=encoding,
    )
    result = import_ledgers([path])
    # The comma is no delimiter here: 1,000 is a thousand; 1,0 (a decimal comma) no number.
    assert [t.amount for t in result.transactions] == [Decimal("123.40"), Decimal("1000.00")]
    assert [(p.record, p.field) for p in result.problems] == [("row 4", "金额（元）")]
    assert result.transactions[0].buyer == "u1"


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("backend", ["importer", "duckdb"])
def test_excel_unicode_text_and_currency_signs(tmp_path: Path, encoding: str, backend: str) -> None:
    """Excel's "Unicode Text" (UTF-16 with a BOM, tab-separated) with amounts written as
    ¥100 / ￥100 / RMB 100: read by the importer and by the DuckDB backend alike."""
    path = tmp_path / "台账.txt"
    text = (
        "买方\t金额\t交易时间\t产地\t类别\r\n"
        "u1\t¥1,234.50\t2020/4/26\t520621\tagricultural\r\n"
        "u1\t￥100\t2020-04-27\t520621\tagricultural\r\n"
        "u1\tRMB 2.5万元\t2020-04-28\t520621\tagricultural\r\n"
        "u1\t$100\t2020-04-29\t520621\tagricultural\r\n"
    )
    # utf-16-le/-be write no BOM: the BOM is written by hand, as Excel does.
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((bom + text).encode(encoding))
    unit = Unit(id="u1", name="某局", kind="budget_unit", jurisdiction="suzhou")
    expected = [Decimal("1234.50"), Decimal("100.00"), Decimal("25000.00")]
    if backend == "importer":
        result = import_ledgers([path], units=[unit])
        assert [t.amount for t in result.transactions] == expected
        assert [(p.record, p.field) for p in result.problems] == [("row 5", "金额")]
        return
    from xfrules.batch import evaluate_ledgers
    from xfrules.facts import Facts
    from xfrules.obligations import obligation_adapter

    ob = obligation_adapter.validate_python(
        {
            "id": "t.total",
            "jurisdiction": "suzhou",
            "kind": "amount_target",
            "title": "采购总额",
            "applies_to": ["budget_unit"],
            "lead": ["市财政局"],
            "source": {"document": "测试", "clause": "一", "quote": "采购总额"},
            "valid_from": "2020-01-01",
            "period": {"frequency": "annual"},
            "measure": {"source": "transactions", "scope": "unit"},
            "thresholds": [{"comparator": ">=", "value": "1", "unit": "元"}],
        }
    )
    batch = evaluate_ledgers(
        Facts(units=(unit,)), [path], date(2020, 12, 31), obligations=[ob], region_sets={}
    )
    assert (batch.rows_read, batch.accepted) == (4, 3)
    assert batch.evaluation.findings[0].measured == sum(expected)


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_parquet_and_json_lines(tmp_path: Path) -> None:
    import duckdb

    pq = tmp_path / "l.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'u1' AS 买方, CAST(12.5 AS DECIMAL(18,2)) AS 金额, DATE '2020-04-26' AS 交易时间"
        f" UNION ALL SELECT 'u1', CAST(-1 AS DECIMAL(18,2)), DATE '2020-04-27') TO '{pq}' (FORMAT parquet)"
    )
    jl = tmp_path / "l.jsonl"
    jl.write_text(
        json.dumps({"买方": "u1", "金额": 3.25, "交易时间": "2020年4月26日"}, ensure_ascii=False)
        + "\n\n"
        + json.dumps({"买方": "u1", "金额": "bad", "交易时间": "2020-04-26"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = import_ledgers([pq, jl])
    assert (result.rows_read, result.accepted, result.rejected) == (4, 2, 2)
    assert sorted(t.amount for t in result.transactions) == [Decimal("3.25"), Decimal("12.50")]
    assert {(p.record, p.message) for p in result.problems} == {
        ("row 2", "amount is negative"),
        ("row 3", "not an amount of money (a number, optionally 万/亿/千 and 元): 'bad'"),
    }


ANNEX2 = Path(__file__).parents[1] / "plugins" / "datonghu" / "examples" / "附件2_2020-05.csv"


def test_datonghu_annex2_sample_imports_with_its_quantities() -> None:
    # 数量 500斤 / 20只 was "not a number", so both rows (and their amounts) were rejected.
    units = load_facts(ANNEX2.with_name("facts.yaml")).units
    result = import_ledgers([ANNEX2], units=units)
    assert (result.rows_read, result.accepted, result.rejected) == (2, 2, 0)
    assert [(t.buyer, t.quantity, t.amount) for t in result.transactions] == [
        ("g1", Decimal("500.000"), Decimal("1500.00")),
        ("g1", Decimal("20.000"), Decimal("1100.00")),
    ]


QUANTITY_FORMS = [
    "500斤",
    "2.5公斤",
    "20只",
    "3 kg",
    "１２箱",
    "7",
    "1,200个",
    "25%",
    "1,5",
    "2万斤",
]


def test_annex_quantity_reads_as_the_ledger_importer_does(tmp_path: Path) -> None:
    # An annex table the annex check accepts must import as a ledger, and with the same numbers.
    from xfrules.annexes import Record, quantity_field

    path = tmp_path / "l.csv"
    rows = "".join(f'u1,10,2020-05-01,"{q}"\n' for q in QUANTITY_FORMS)
    path.write_text("买方,金额,交易时间,数量\n" + rows, encoding="utf-8")
    result = import_ledgers([path])
    imported = {int(t.id.rsplit(":", 1)[1]) - 2: t.quantity for t in result.transactions}
    annex: dict[int, Decimal] = {}
    units = []
    for i, text in enumerate(QUANTITY_FORMS):
        problems: list[Problem] = []
        value, unit = quantity_field(Record("a.csv", i, {"q": text}), "q", problems)
        if value is not None:
            annex[i] = value
            units.append(unit)
        assert (value is None) == bool(problems)
    assert annex == imported and len(imported) == 7
    assert units == ["斤", "公斤", "只", "kg", "箱", "", "个"]


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_amounts_and_quantities_are_not_misread(tmp_path: Path) -> None:
    # Each of these was accepted as a wrong value (1,2,3 → 123.00, 12,5 → 125.00, 25% → 0.25,
    # 100人 → 100.00, quantity 1,5 → 15.000), with no warning.
    bad_amounts = ["1,2,3", "12,5", "1 2 3", "1,23", "1 234", "25%", "100人"]
    lines = ["买方,金额,交易时间,数量"]
    lines += [f"u1,{a!r},2020-05-01,".replace("'", '"') for a in bad_amounts]
    lines += ['u1,10,2020-05-01,"1,5"', "u1,10,2020-05-01,25%"]
    lines += ['u1,"1,234.50",2020-05-01,"2.5公斤"', 'u1,"1，000",2020-05-01,3 kg']
    path = tmp_path / "l.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_ledgers([path])
    assert [(t.amount, t.quantity) for t in result.transactions] == [
        (Decimal("1234.50"), Decimal("2.500")),
        (Decimal("1000.00"), Decimal("3.000")),
    ]
    problems = sorted((int(p.record.split()[1]), p.field, p.message) for p in result.problems)
    assert [p[:2] for p in problems] == [(n, "金额") for n in range(2, 9)] + [
        (9, "数量"),
        (10, "数量"),
    ]
    assert all(p[2].startswith("not a") for p in problems)


def test_facts_file_transaction_amount_of_a_percentage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(
        "units:\n  - {id: u1, name: 甲, kind: budget_unit, jurisdiction: test}\n"
        "transactions:\n  - {id: t1, buyer: u1, amount: '25%', date: 2020-05-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_facts(path)
    [problem] = err.value.problems
    assert problem.field == "amount" and "'25%'" in problem.message
    assert "amount" in str(err.value)


def test_mapping_file_maps_other_layouts(tmp_path: Path) -> None:
    mapping = load_mapping(DATA / "mapping_example.yaml")
    path = tmp_path / "other.csv"
    path.write_text(
        "采购单位名称,货款（元）,付款日期,产地县\n甲局,100,2020-05-01,江口县\n甲局,5,2020-05-02,周至县\n",
        encoding="utf-8",
    )
    unit = Unit(id="b1", name="甲局", kind="budget_unit", jurisdiction="suzhou")
    result = import_ledgers([path], mapping, units=[unit])
    assert [(t.buyer, t.origin_region, t.category) for t in result.transactions] == [
        ("b1", "520621", "agricultural"),
        ("b1", "610124", "agricultural"),
    ]


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_bad_mapping_and_unreadable_ledgers_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("columns: {买方: purchaser}\nshape: wide\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_mapping(bad)
    assert {p.record for p in exc.value.problems} == {"columns", "shape"}
    headerless = tmp_path / "x.csv"
    headerless.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no header row"):
        import_ledgers([headerless])
    (tmp_path / "x.docx").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="unknown ledger format"):
        import_ledgers([tmp_path / "x.docx"])


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_duplicate_transaction_ids(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(
        "交易编号,买方,金额,日期\nT1,u1,10,2020-01-01\nT1,u1,10,2020-01-01\nT2,u1,5,2020-01-01\n"
        "T2,u1,6,2020-01-01\nT3,u1,1,2020-01-01\n",
        encoding="utf-8",
    )
    result = import_ledgers([path])
    assert sorted(t.id for t in result.transactions) == ["T1", "T3"]
    assert {p.field for p in result.problems} == {"交易编号"}  # the column as the ledger names it
    assert sorted((p.record, p.message.split(" (")[0]) for p in result.problems) == [
        ("row 3", f"duplicate of {path} row 2"),
        ("row 4", "2 rows share transaction id 'T2' but disagree"),
        ("row 5", "2 rows share transaction id 'T2' but disagree"),
    ]


def test_header_normalisation() -> None:
    assert normalise_header("金额（万元）") == ("金额", "万元")
    assert normalise_header(" 交易 时间 ") == ("交易时间", None)
    m = LedgerMapping()
    assert m.field_for("购买方")[0] == "buyer" and m.field_for("区划代码")[0] == "origin_region"
    assert m.plan(["买方", "金额（万元）"]).amount_scale == Decimal(10000)


cell_values = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            " ",
            "u1",
            "1,234.50",
            "1.2万元",
            "２０",
            "-1",
            "x",
            "2020年4月26日",
            "2020/4/26",
            VALID_ID,
        ]
    ),
    st.text(max_size=6),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(cell_values, min_size=0, max_size=6), max_size=30))
def test_accepted_plus_rejected_is_rows_read(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str | None]]
) -> None:
    path = tmp_path_factory.mktemp("p") / "l.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["买方", "金额", "日期", "产地", "身份证号", "备注"])
        for r in rows:
            w.writerow(["" if c is None else c.replace("\r", " ") for c in r])
    rejects = io.StringIO()
    result = import_ledgers([path], rejects=rejects)
    non_blank = sum(1 for r in rows if any((c or "").strip() for c in r))
    assert result.rows_read == non_blank
    assert result.accepted + result.rejected == result.rows_read
    assert len(list(csv.reader(io.StringIO(rejects.getvalue())))) == (
        result.rejected + 1 if result.rejected else 0
    )
    assert VALID_ID not in rejects.getvalue()


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    quiet = io.StringIO()
    with Progress("import", stream=quiet) as p:
        p.advance(10)
    assert quiet.getvalue() == ""
    tty = _Tty()
    with Progress("import", total=10, stream=tty) as p:
        p.advance(10)
    assert (
        "导入台账" in tty.getvalue() and "10/10" in tty.getvalue() and tty.getvalue().endswith("\n")
    )


def test_a_seller_with_an_id_number_is_a_person_and_masked(tmp_path: Path) -> None:
    # Only a natural person has a 身份证 number: the seller's name is personal data then, in
    # the rejected-rows file as in the accepted transaction.
    path = tmp_path / "sellers.csv"
    path.write_text(
        "买方,卖方,卖方身份证号,金额,日期\n"
        f"u1,张三丰,{VALID_ID},10,2020-01-01\n"
        f"u1,李四,{VALID_ID},ten,2020-01-01\n"
        "u1,大通湖合作社,,10,2020-01-01\n",
        encoding="utf-8",
    )
    rejects = io.StringIO()
    result = import_ledgers([path], rejects=rejects)
    assert [t.seller for t in result.transactions] == ["张**", "大通湖合作社"]
    assert "李*" in rejects.getvalue() and "李四" not in rejects.getvalue()


def test_rejected_rows_of_two_layouts_each_sit_under_their_own_header(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_text("买方,金额,日期,\nu1,ten,2020-01-01,x\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("日期,金额,买方\n2020-01-01,ten,u1\n", encoding="utf-8")
    rejects = io.StringIO()
    import_ledgers([a, b], rejects=rejects)
    rows = list(csv.reader(io.StringIO(rejects.getvalue())))
    assert [r[4:] for r in rows] == [
        ["买方", "金额", "日期", "(column 4)"],
        ["u1", "ten", "2020-01-01", "x"],
        ["日期", "金额", "买方"],
        ["2020-01-01", "ten", "u1"],
    ]


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_a_broken_utf16_ledger_names_the_line(tmp_path: Path) -> None:
    """A UTF-16 newline is two bytes: the bad character's line is counted on the text."""
    path = tmp_path / "l.txt"
    good = "\ufeff买方\t金额\t交易时间\r\nu1\t100\t2020-04-26\r\n".encode("utf-16-le")
    lone_surrogate = b"\x00\xd8"  # a high surrogate followed by no low one
    path.write_bytes(
        good + "u1\t".encode("utf-16-le") + lone_surrogate + "1\t2020\r\n".encode("utf-16-le")
    )
    with pytest.raises(InputError) as err:
        import_ledgers([path])
    assert "line 3" in str(err.value) and "not UTF-16 text" in str(err.value)


def test_progress_shows_the_share_done_and_the_time_left(tmp_path: Path) -> None:
    from xfrules.i18n import use_lang
    from xfrules.progress import estimate_rows

    bar = Progress("import", total=400, enabled=True, stream=_Tty())
    bar._start -= 10.0  # 100 of 400 rows in 10 s: 30 s left
    bar.done = 100
    with use_lang("en"):
        line = bar.line(bar._start + 10.0)
    assert "25.0%" in line and "100/400 rows" in line and "about 0:30 left" in line
    assert "剩余约 0:30" in bar.line(bar._start + 10.0) and "导入台账" in bar.line()
    # A share reported from elsewhere (a DuckDB query), without rows counted.
    query = Progress("batch", enabled=True, stream=_Tty())
    query.set_fraction(0.5)
    assert "50.0%" in query.line(query._start + 4.0) and "0:04" in query.line(query._start + 4.0)
    # Nothing known yet: the time only, never "0 rows 0/s".
    assert Progress("batch", enabled=True, stream=_Tty()).line().split()[1].endswith("s")
    # The total is estimated only on a terminal (it costs a pass over the file).
    ledger = tmp_path / "l.csv"
    ledger.write_text("买方,金额,交易时间\n" + "u1,1,2020-01-01\n" * 7, encoding="utf-8")
    assert estimate_rows([ledger]) == 8
    asked: list[int] = []
    Progress("import", total=lambda: asked.append(1) or 8, stream=io.StringIO())
    assert asked == []
    assert Progress("import", total=lambda: 8, enabled=True, stream=_Tty()).total == 8
