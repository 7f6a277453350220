"""Reports: the HTML is self-contained and complete, the XLSX holds every finding; PII is masked."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from xfrules.cli import main
from xfrules.errors import InputError
from xfrules.evaluator import evaluate
from xfrules.facts import Facts
from xfrules.findings import Status
from xfrules.obligations import obligation_adapter
from xfrules.report import LedgerRows, RejectedRow, build_report_data, write_report
from xfrules.report.html import render_html

SRC = {"document": "测试〔2020〕1号", "clause": "三（一）", "quote": "采购比例不得低于 10%"}
OBLIGATIONS = [
    obligation_adapter.validate_python(
        {
            "id": "test.total",
            "jurisdiction": "test",
            "kind": "amount_target",
            "title": "采购总额",
            "applies_to": ["budget_unit"],
            "lead": ["市财政局"],
            "source": SRC,
            "valid_from": "2020-01-01",
            "valid_to": "2020-12-31",
            "period": {"frequency": "annual"},
            "measure": {"source": "transactions", "scope": "unit"},
            "thresholds": [{"comparator": ">=", "value": "1000", "unit": "元"}],
        }
    )
]
FACTS = Facts.model_validate(
    {
        "units": [
            {"id": "d1", "name": "甲区", "kind": "district", "jurisdiction": "test"},
            {
                "id": "b1",
                "name": "甲局",
                "kind": "budget_unit",
                "jurisdiction": "test",
                "parent": "d1",
            },
            # A careless name carrying an ID number: the report must mask it.
            {
                "id": "b2",
                "name": "张三430921199001011230",
                "kind": "budget_unit",
                "jurisdiction": "test",
                "parent": "d1",
            },
            {
                "id": "b3",
                "name": "丙局",
                "kind": "budget_unit",
                "jurisdiction": "test",
                "region_code": "320505",
            },
        ],
        "transactions": [
            {"id": "t1", "buyer": "b1", "amount": "400", "date": "2020-05-01"},
            {"id": "t2", "buyer": "b2", "amount": "1000", "date": "2020-05-01"},
            {"id": "t3", "buyer": "b3", "amount": "999.99", "date": "2020-05-01"},
        ],
    }
)


def _evaluation():  # type: ignore[no-untyped-def]
    return evaluate(FACTS, date(2020, 12, 31), obligations=OBLIGATIONS, region_sets={})


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.finding_rows = 0
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"] or "")
        if tag == "tr" and "finding" in (d.get("class") or "").split():
            self.finding_rows += 1


def test_html_report_is_complete_and_self_contained() -> None:
    ev = _evaluation()
    html = render_html(build_report_data(ev, FACTS.units))
    p = _Collect()
    p.feed(html)
    assert {
        "summary",
        "by-jurisdiction",
        "by-department",
        "by-district",
        "shortfalls",
        "findings",
        "findings-table",
    } <= p.ids
    applicable = [f for f in ev.findings if f.status is not Status.NOT_APPLICABLE]
    na = len(ev.findings) - len(applicable)
    assert p.finding_rows == len(applicable) + na  # not_applicable ones sit in a <details> block
    # One inline script (sort, filter, search), nothing loaded from anywhere.
    assert p.tags.count("script") == 1 and "link" not in p.tags
    assert not any(name == "src" for name, _ in p.attrs)
    assert not any(v and v.startswith(("http:", "https:", "//")) for _, v in p.attrs)
    # Usable without the script: the controls wait hidden for it, every row is in the page.
    assert '<div id="controls" hidden>' in html
    assert "svg" in p.tags and html.count('class="bar"') == 2  # b1 and b3 miss
    assert html.count("采购比例不得低于 10%") >= len(applicable)
    assert "430921199001011230" not in html and "430921********1230" in html
    district = html[html.index('id="by-district"') : html.index('id="by-lead"')]
    assert "甲区" in district  # b1 and b2 belong to the district unit 甲区
    # b3 has no district unit above it: its region code's county, unnamed here.
    assert "320505（名称不详）" in district
    # Named when a region set (or a district unit) names the code.
    named = render_html(build_report_data(ev, FACTS.units, names={"320505": "虎丘区"}))
    assert "虎丘区（320505）" in named[named.index('id="by-district"') :]
    assert "600" in html and "0.01" in html  # shortfalls, exact


def test_xlsx_report_has_every_finding(tmp_path: Path) -> None:
    import openpyxl

    ev = _evaluation()
    out = tmp_path / "r.xlsx"
    write_report(ev, list(FACTS.units), out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["概况", "全部结论", "按辖区", "按区县", "按牵头单位", "按部门"]
    ws = wb["全部结论"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == len(ev.findings) + 1
    header = rows[0]
    assert header[:4] == ("单位编号", "单位名称", "单位类型", "义务编号")
    quote, shortfall, status = (header.index(h) for h in ("原文", "差距", "状态"))
    assert all(r[quote] == SRC["quote"] for r in rows[1:])
    # Figures are numbers Excel can sum and sort, formatted as 元 with two decimals.
    assert sorted(r[shortfall] for r in rows[1:] if r[shortfall] is not None) == [0, 0.01, 600]
    cells = [c for c in ws[ws.cell(1, shortfall + 1).column_letter] if c.row > 1]
    assert {c.number_format for c in cells if c.value is not None} == {"#,##0.00"}
    assert {r[status] for r in rows[1:]} == {"达标", "未达标", "不适用"}
    # A header row frozen, an autofilter over every column, widths set.
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{len(rows)}"
    assert ws.column_dimensions["A"].width >= len("单位编号")
    assert ws.column_dimensions[ws.cell(1, quote + 1).column_letter].width <= 62
    assert not any("430921199001011230" in str(c) for r in rows for c in r)
    by_jur = list(wb["按辖区"].iter_rows(values_only=True))
    test_row = dict(zip(by_jur[0], by_jur[1], strict=True))
    assert test_row["分组"] == "test" and test_row["结论数"] == 4
    assert test_row["适用"] == 3 and test_row["已判定"] == 3
    # The rate is a number shown as a percentage (1/3, to Excel's 15 digits).
    assert abs(test_row["达标率"] - 1 / 3) < 1e-15
    rate_cell = wb["按辖区"].cell(2, by_jur[0].index("达标率") + 1)
    assert rate_cell.number_format == "0.00%"
    summary = dict((r[0], r[1]) for r in wb["概况"].iter_rows(values_only=True))
    assert summary["结论"].startswith("达标率 33.3%（3项已判定：达标 1，未达标 2）")
    districts = [r[0] for r in wb["按区县"].iter_rows(values_only=True)][1:]
    assert sorted(districts) == ["320505（名称不详）", "甲区"]


def test_xlsx_in_english_and_exact_beyond_excel(tmp_path: Path) -> None:
    """English on request; money that needs more than Excel's 15 digits stays exact (text)."""
    import openpyxl

    from xfrules.i18n import use_lang

    big = FACTS.model_copy(
        update={
            "transactions": (
                *FACTS.transactions,
                FACTS.transactions[0].model_copy(
                    update={"id": "t9", "amount": Decimal("123456789012345.67") - 400}
                ),
            )
        }
    )
    ev = evaluate(big, date(2020, 12, 31), obligations=OBLIGATIONS, region_sets={})
    out = tmp_path / "r.xlsx"
    with use_lang("en"):
        write_report(ev, list(big.units), out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Summary", "Findings"]
    rows = list(wb["Findings"].iter_rows(values_only=True))
    measured = rows[0].index("measured")
    b1 = next(r for r in rows[1:] if r[0] == "b1")
    assert b1[measured] == "123456789012345.67"  # 17 digits: as its digits, not rounded


def test_a_report_from_ledgers_shows_rejected_rows(tmp_path: Path) -> None:
    import openpyxl

    ev = _evaluation()
    first = tuple(RejectedRow("台账.csv", n, "金额", "not an amount of money") for n in (2, 5, 9))
    rows = LedgerRows(files=("台账.csv", "b.xlsx"), rows_read=15, accepted=7, first_rejected=first)
    html = render_html(build_report_data(ev, FACTS.units, ledger_rows=rows))
    p = _Collect()
    p.feed(html)
    assert "ledger-rows" in p.ids
    assert (
        "读取台账 <strong>15</strong> 行：接受 <strong>7</strong> 行，拒绝 "
        '<strong class="rejected">8</strong> 行（台账.csv, b.xlsx）'
    ) in html
    # The first rejected rows with their reasons, and how to get all 8.
    listed = html[html.index('id="rejected-rows"') :]
    assert listed.count("not an amount of money") == 3 and "<td>9</td>" in listed
    assert "另有 5 行被拒绝" in listed and "用 --rejects 文件 列出全部被拒绝的行" in listed
    # Given a rejects file, the report names it instead of telling to give one.
    named = render_html(
        build_report_data(
            ev, FACTS.units, ledger_rows=dataclasses.replace(rows, rejects_file="rej.csv")
        )
    )
    assert "全部被拒绝的行及原因已写入 rej.csv" in named and "用 --rejects" not in named
    # From a facts file there are no ledger rows to speak of.
    assert 'id="ledger-rows"' not in render_html(build_report_data(ev, FACTS.units))
    out = tmp_path / "r.xlsx"
    write_report(ev, list(FACTS.units), out, ledger_rows=rows)
    wb = openpyxl.load_workbook(out, read_only=True)
    summary = {r[0]: r[1] for r in wb["概况"].iter_rows(values_only=True)}
    assert (summary["读取行数"], summary["接受行数"], summary["拒绝行数"]) == (15, 7, 8)
    rejected = list(wb["被拒绝的行"].iter_rows(values_only=True))
    assert rejected[0] == ("文件", "行", "列", "原因")
    assert [r[1] for r in rejected[1:4]] == [2, 5, 9]  # numbers: Excel sorts them
    assert rejected[4][0] == "…… 另有 5 行被拒绝"


def test_a_report_into_a_missing_directory_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="目录不存在"):
        write_report(_evaluation(), list(FACTS.units), tmp_path / "nowhere" / "r.html")


def test_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    facts = tmp_path / "facts.yaml"
    facts.write_text(
        yaml.safe_dump(
            {
                "units": [
                    {
                        "id": "u1",
                        "name": "苏州市某局",
                        "kind": "budget_unit",
                        "jurisdiction": "suzhou",
                    }
                ],
                "observations": [
                    {
                        "unit": "u1",
                        "metric": "canteen_agri_procurement_total",
                        "period_start": "2019-01-01",
                        "period_end": "2019-12-31",
                        "value": "1000000",
                    }
                ],
                "transactions": [
                    {
                        "id": "t1",
                        "buyer": "u1",
                        "amount": "99999.99",
                        "date": "2020-05-01",
                        "origin_region": "520621",
                        "category": "agricultural",
                    }
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    html = tmp_path / "r.html"
    assert (
        main(["report", str(facts), "--out", str(html), "--as-of", "2020-12-31", "-j", "suzhou"])
        == 1
    )
    assert "suzhou.canteen_national_poverty_share" in html.read_text(encoding="utf-8")
    argv = ["report", str(facts), "--out", str(html), "--as-of", "2020-12-31", "-j", "suzhou"]
    assert main([*argv, "--exit-zero"]) == 0
    assert (
        main(["report", str(facts), "--out", str(tmp_path / "r.pdf"), "--as-of", "2020-12-31"]) == 2
    )
    assert "已写入" in capsys.readouterr().err


def test_rollup_applicable_and_compliance_rate() -> None:
    from collections import Counter
    from decimal import Decimal

    from xfrules.findings import Rollup

    r = Rollup(
        "g",
        Counter({"compliant": 6, "non_compliant": 1, "not_yet_due": 5, "not_applicable": 100}),
    )
    assert r.total == 112 and r.applicable == 12
    assert r.compliance_rate == Decimal(6) / Decimal(7)  # not_yet_due is neither pass nor miss
    record = r.to_record()
    assert record["applicable"] == 12 and record["compliance_rate"] == "0.8571"
    assert (
        Rollup("h", Counter({"compliant": 2, "non_compliant": 1})).to_record()["compliance_rate"]
        == "0.6667"
    )  # half up
    nothing_judged = Rollup("n", Counter({"not_yet_due": 3, "not_applicable": 2}))
    assert nothing_judged.compliance_rate is None
    assert nothing_judged.to_record()["compliance_rate"] is None


def test_html_summary_counts_what_binds() -> None:
    # A second district without units: its only finding is not_applicable.
    facts = FACTS.model_copy(
        update={
            "units": (
                *FACTS.units,
                FACTS.units[0].model_copy(update={"id": "d2", "name": "乙区"}),
            )
        }
    )
    ev = evaluate(facts, date(2020, 12, 31), obligations=OBLIGATIONS, region_sets={})
    assert sum(f.status is Status.NOT_APPLICABLE for f in ev.findings) == 2
    html = render_html(build_report_data(ev, facts.units))
    summary = html[html.index('id="summary"') : html.index('id="by-jurisdiction"')]
    assert 'data-status="not_applicable"' not in summary
    assert 'data-status="compliant"' in summary and 'data-status="non_compliant"' in summary
    # b2 meets, b1 and b3 miss: 1 of 3 judged — the rate never stands alone.
    assert "达标率 33.3%（3项已判定：达标 1，未达标 2）" in summary
    assert "适用的结论 3项；不适用（义务不约束该单位）2项" in summary
    district = html[html.index('id="by-district"') : html.index('id="by-lead"')]
    assert "乙区" not in district  # bound by nothing: counted, not listed
    assert "1个只有不适用结论的分组未列出" in district
    assert "甲区" in district and "50.0%" in district  # b1 misses, b2 meets


def test_report_for_one_department(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample-facts.yaml"
    whole, edu = tmp_path / "all.xlsx", tmp_path / "edu.xlsx"
    common = ["--as-of", "2020-12-31", "-j", "shanghai"]
    main(["report", str(sample), "--out", str(whole), *common])
    # An alias of 市教委, as people write it.
    main(["report", str(sample), "--out", str(edu), *common, "--department", "上海市教育委员会"])
    import openpyxl

    def rows(path: Path) -> list[dict[str, object]]:
        sheet = list(
            openpyxl.load_workbook(path, read_only=True)["全部结论"].iter_rows(values_only=True)
        )
        return [dict(zip(sheet[0], r, strict=True)) for r in sheet[1:]]

    everything, selected = rows(whole), rows(edu)
    expected = [
        r for r in everything if "市教委" in f"{r['牵头单位']}、{r['责任单位']}".split("、")
    ]
    assert expected and selected == expected and len(selected) < len(everything)


@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_a_report_from_ledgers_counts_their_rows(tmp_path: Path, backend: str) -> None:
    import yaml

    units = tmp_path / "units.yaml"
    unit = {"id": "u1", "name": "苏州市某局", "kind": "budget_unit", "jurisdiction": "suzhou"}
    units.write_text(yaml.safe_dump({"units": [unit]}, allow_unicode=True), encoding="utf-8")
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "买方,金额,交易时间,产地\n"
        "u1,100.00,2020-05-01,520621\n"
        "u1,不是数字,2020-05-02,520621\n"
        "u1,50,2020-05-03,520621\n",
        encoding="utf-8",
    )
    html = tmp_path / "r.html"
    argv = ["report", str(ledger), "--facts", str(units), "--out", str(html)]
    argv += ["--as-of", "2020-12-31", "-j", "suzhou", "--backend", backend]
    assert main(argv) == 0
    text = html.read_text(encoding="utf-8")
    assert "读取台账 <strong>3</strong> 行：接受 <strong>2</strong> 行" in text
    assert '拒绝 <strong class="rejected">1</strong> 行' in text
    # The rejected row is listed with its reason, whichever backend read it.
    rejected = text[text.index('id="rejected-rows"') :]
    assert "<td>3</td>" in rejected and "<td>金额</td>" in rejected and "不是金额" in rejected
