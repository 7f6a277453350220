"""``xfrules check``: each inconsistency is reported, a clean plug-in passes."""

from __future__ import annotations

import dataclasses
import shutil
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xfrules.check import (
    CheckProblem,
    Interval,
    check_rules,
    check_shared_source,
    comparator_words,
    load_rules_from_path,
    numbers_in,
)
from xfrules.cli import main
from xfrules.documents import Clause, ContextMark, SourceDocument
from xfrules.entities import Department, Jurisdiction, Region, RegionSet
from xfrules.obligations import AmountTarget, Obligation, Waiver, obligation_adapter
from xfrules.registry import JurisdictionRules

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

TEXT = (
    "一、采购。各预算单位采购比例不得低于 2019 年度本单位食堂农副产品采购总额的 10%。（市财政局牵头）"
    "全市全年采购总额达到 1000 万元以上，其中甲区 600 万元、乙区 400 万元。（市财政局牵头）"
    "覆盖 3 个受援县（甲县、乙县、丙县）。2020 年产品合格率 98%以上。"
)


def _ob(**over: Any) -> Obligation:
    base: dict[str, Any] = {
        "id": "demo.share",
        "jurisdiction": "demo",
        "kind": "baseline_share",
        "title": "采购比例",
        "applies_to": ["budget_unit"],
        "lead": ["市财政局"],
        "responsible": [],
        "source": {
            "document": "示〔2020〕1号",
            "clause": "一",
            "quote": "采购比例不得低于 2019 年度本单位食堂农副产品采购总额的 10%",
        },
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "period": {"frequency": "annual"},
        "measure": {"source": "transactions", "origin_sets": ["paired"]},
        "baseline": {"metric": "canteen_total", "start": "2019-01-01", "end": "2019-12-31"},
        "thresholds": [{"comparator": ">=", "value": "0.10", "unit": "ratio", "quote": "10%"}],
    }
    base.update(over)
    # None drops a field: kinds without a baseline or measure.
    return obligation_adapter.validate_python({k: v for k, v in base.items() if v is not None})


def _total(**over: Any) -> Obligation:
    data: dict[str, Any] = {
        "id": "demo.city_total",
        "kind": "amount_target",
        "title": "全年采购总额",
        "applies_to": ["city"],
        "source": {
            "document": "示〔2020〕1号",
            "clause": "一",
            "quote": "全市全年采购总额达到 1000 万元以上",
        },
        "measure": {"source": "transactions"},
        "baseline": None,
        "thresholds": [{"value": "10000000", "unit": "元", "quote": "1000 万元以上"}],
        "allocations": [
            {"region_code": "110101", "name": "甲区", "value": "6000000"},
            {"region_code": "110102", "name": "乙区", "value": "4000000"},
        ],
    }
    data.update(over)
    return _ob(**data)


def clean_rules(**over: Any) -> JurisdictionRules:
    paired = RegionSet(
        jurisdiction="demo",
        name="paired",
        title="受援县",
        expected_size=3,
        source_quote="覆盖 3 个受援县",
        regions=(
            Region(code="520602", name="甲县"),
            Region(code="520603", name="乙县"),
            Region(code="520621", name="丙县"),
        ),
    )
    rules = JurisdictionRules(
        plugin="demo",
        version="0",
        jurisdiction=Jurisdiction(
            code="demo",
            name="示例市",
            document_number="示〔2020〕1号",
            document_title="示例",
            unit_kinds=("budget_unit", "city"),
            applicability={"预算单位": ["budget_unit"], "全市": ["city"]},
        ),
        departments=(
            Department(jurisdiction="demo", name="市财政局", aliases=("财政局",)),
            Department(jurisdiction="demo", name="市商务局"),
        ),
        region_sets=(paired,),
        obligations=(_ob(), _total()),
        document=SourceDocument(
            jurisdiction="demo",
            document_number="示〔2020〕1号",
            title="示例",
            text=TEXT,
            filename="demo.txt",
        ),
        clauses=(
            Clause(
                id="一",
                heading="采购",
                # Every sentence is accounted for whichever obligations a test keeps (the
                # obligations' quotes cover two of them): coverage is tested on its own.
                context=tuple(
                    ContextMark(quote=quote, reason="a test fixture sentence")
                    for quote in (
                        "各预算单位采购比例不得低于",
                        "全市全年采购总额达到 1000 万元以上",
                        "覆盖 3 个受援县",
                        "产品合格率 98%以上",
                    )
                ),
            ),
        ),
        scenario_paths=(),
    )
    return dataclasses.replace(rules, **over)


def codes(problems: list[CheckProblem], severity: str = "error") -> set[str]:
    return {p.code for p in problems if p.severity == severity}


def with_obligations(*obs: Obligation) -> JurisdictionRules:
    return clean_rules(obligations=obs)


def test_clean_rules_have_no_problem() -> None:
    assert check_rules(clean_rules()) == []


def test_duplicate_obligation_id() -> None:
    problems = check_rules(with_obligations(_ob(), _ob(title="again")))
    assert [p for p in problems if p.code == "duplicate-id" and p.subject == "demo.share"]


def test_quote_not_verbatim_names_where_it_stops_matching() -> None:
    ob = _ob(
        source={
            "document": "示〔2020〕1号",
            "clause": "一",
            "quote": "采购比例不得低于 2019 年度的 10%",
        }
    )
    (problem,) = [p for p in check_rules(with_obligations(ob)) if p.code == "quote-not-verbatim"]
    assert problem.subject == "demo.share"
    assert "采购比例不得低于 2019 年度" in problem.message


def test_quote_with_different_spaces_gets_a_hint() -> None:
    ob = _ob(
        source={"document": "示〔2020〕1号", "clause": "一", "quote": "采购比例不得低于2019年度"}
    )
    (problem,) = check_rules(with_obligations(ob))
    assert "spaces" in problem.message


def test_threshold_and_region_set_quotes_are_checked() -> None:
    ob = _ob(thresholds=[{"value": "0.10", "unit": "ratio", "quote": "百分之十"}])
    rs = (
        dataclasses.replace(clean_rules())
        .region_sets[0]
        .model_copy(update={"source_quote": "四个县"})
    )
    problems = check_rules(clean_rules(obligations=(ob,), region_sets=(rs,)))
    subjects = {p.subject for p in problems if p.code == "quote-not-verbatim"}
    assert subjects == {"demo.share", "region set paired"}


def test_an_excluded_department_is_declared_by_its_name() -> None:
    assert check_rules(with_obligations(_ob(excluded_departments=["市商务局"]))) == []
    undeclared = check_rules(with_obligations(_ob(excluded_departments=["市教育局"])))
    assert [p.code for p in undeclared] == ["unknown-department"]
    # units carry the declared name: an alias would match none of them
    (alias,) = check_rules(with_obligations(_ob(excluded_departments=["财政局"])))
    assert alias.code == "unknown-department" and "write '市财政局'" in alias.message


def test_undeclared_department_but_alias_is_fine() -> None:
    assert check_rules(with_obligations(_ob(lead=["财政局"]))) == []
    problems = check_rules(with_obligations(_ob(responsible=["市教育局"])))
    # …and the text names no 市教育局 for the duty: the binding check sees it too
    assert codes(problems) == {"unknown-department", "party-not-named"}
    assert "市教育局" in problems[0].message


@pytest.mark.parametrize(
    ("threshold", "code"),
    [
        ({"value": "10", "unit": "ratio"}, "share-out-of-range"),
        ({"value": "-0.1", "unit": "ratio"}, "threshold-sign"),
        ({"value": "0.1", "unit": "元"}, "threshold-type"),
    ],
)
def test_threshold_type_sign_and_share(threshold: dict[str, str], code: str) -> None:
    problems = check_rules(with_obligations(_ob(thresholds=[threshold])))
    assert code in codes(problems)


def test_count_threshold_must_be_whole() -> None:
    ob = _ob(
        kind="count_target",
        baseline=None,
        measure={"source": "observations", "metric": "counters", "aggregate": "distinct_subjects"},
        thresholds=[{"value": "2.5", "unit": "个"}],
    )
    assert "threshold-type" in codes(check_rules(with_obligations(ob)))


def test_threshold_value_must_be_stated_in_its_quote() -> None:
    ob = _ob(thresholds=[{"value": "0.11", "unit": "ratio", "quote": "10%"}])
    problems = check_rules(with_obligations(ob))
    # the quote's 10% is then encoded by no threshold either (duty-number)
    assert codes(problems) == {"threshold-quote", "duty-number"}
    assert "0.11" in next(p for p in problems if p.code == "threshold-quote").message


def test_numbers_in_reads_chinese_and_arabic_numbers() -> None:
    assert {Decimal("0.1"), Decimal(10)} <= numbers_in("总额的 10%")
    assert Decimal(1_100_000_000) in numbers_in("11亿元以上")
    assert Decimal(20000) in numbers_in("２万亩")
    assert Decimal(50) in numbers_in("五十个贫困县")
    assert Decimal(100) in numbers_in("百县百品")
    assert Decimal("0.05") in numbers_in("百分之五")
    assert Decimal(12000) in numbers_in("1.2万元")


def test_validity_dates_out_of_order_in_a_source_tree(tmp_path: Path) -> None:
    tree = _tree(tmp_path, valid_to="2019-12-31")
    rules, problems = load_rules_from_path(tree)
    assert rules is not None
    bad = [p for p in problems if p.code == "invalid-definition"]
    assert (
        bad and bad[0].subject == "demo.share" and "valid_to is before valid_from" in bad[0].message
    )
    assert [o.id for o in rules.obligations] == ["demo.other"]


def test_baseline_dates_out_of_order() -> None:
    ob = _ob(baseline={"metric": "canteen_total", "start": "2019-12-31", "end": "2019-01-01"})
    assert codes(check_rules(with_obligations(ob))) == {"dates-out-of-order"}


def test_overlapping_dated_thresholds() -> None:
    ob = _ob(
        thresholds=[
            {"value": "0.10", "unit": "ratio", "effective_from": "2020-01-01"},
            {"value": "0.10", "unit": "ratio", "effective_from": "2020-06-01"},
        ]
    )
    assert "thresholds-overlap" in codes(check_rules(with_obligations(ob)))


def test_allocations_must_sum_to_parent() -> None:
    ob = _total(
        allocations=[
            {"region_code": "110101", "name": "甲区", "value": "6000000"},
            {"region_code": "110102", "name": "乙区", "value": "3000000"},
        ]
    )
    problems = check_rules(with_obligations(_ob(), ob))
    (problem,) = problems
    assert problem.code == "allocations-do-not-sum" and "-1000000" in problem.message


def test_region_set_size_differs_from_stated_count() -> None:
    rs = clean_rules().region_sets[0]
    short = rs.model_copy(update={"regions": rs.regions[:2]})
    assert codes(check_rules(clean_rules(region_sets=(short,)))) == {"region-set-size"}
    extensible = short.model_copy(update={"extensible": True})
    problems = check_rules(clean_rules(region_sets=(extensible,)))
    assert codes(problems) == set() and codes(problems, "warning") == {"region-set-size"}


def test_unknown_region_set() -> None:
    ob = _ob(measure={"source": "transactions", "origin_sets": ["nowhere"]})
    assert codes(check_rules(with_obligations(ob))) == {"unknown-region-set"}


def test_contradicting_obligations() -> None:
    floor = _ob(
        id="demo.floor",
        kind="amount_target",
        baseline=None,
        thresholds=[{"comparator": ">=", "value": "10", "unit": "元"}],
    )
    assert isinstance(floor, AmountTarget)
    ceiling = floor.model_copy(
        update={
            "id": "demo.ceiling",
            "thresholds": (
                floor.thresholds[0].model_copy(update={"comparator": "<=", "value": Decimal(5)}),
            ),
        }
    )
    problems = check_rules(with_obligations(floor, ceiling))
    assert codes(problems) - {"duty-number"} == {"contradiction"}  # 10% no longer encoded
    # Compatible bounds, other unit kinds or other periods do not contradict.
    ok = ceiling.model_copy(
        update={"thresholds": (ceiling.thresholds[0].model_copy(update={"value": Decimal(10)}),)}
    )
    assert codes(check_rules(with_obligations(floor, ok))) == {"duty-number"}
    other_kind = ceiling.model_copy(update={"applies_to": ("city",)})
    assert "contradiction" not in codes(check_rules(with_obligations(floor, other_kind)))
    other_period = ceiling.model_copy(
        update={"period": ceiling.period.model_copy(update={"frequency": "monthly", "due_day": 5})}
    )
    # (and its words say nothing of 每月: period-words)
    assert codes(check_rules(with_obligations(floor, other_period))) == {
        "duty-number",
        "period-words",
    }


def test_unsatisfiable_mandatory_obligations() -> None:
    rate = _ob(
        id="demo.rate",
        kind="rate",
        numerator_metric="passed",
        denominator_metric="tested",
        measure=None,
        baseline=None,
        thresholds=[{"value": "1.5", "unit": "ratio"}],
    )
    assert "unsatisfiable" in codes(check_rules(with_obligations(rate)))
    coverage = _ob(
        id="demo.cover",
        kind="coverage",
        measure={"source": "observations", "metric": "visited", "aggregate": "distinct_subjects"},
        target_set="paired",
        baseline=None,
        thresholds=[{"value": "4", "unit": "个"}],
    )
    problems = [p for p in check_rules(with_obligations(coverage)) if p.code != "duty-number"]
    assert codes(problems) == {"unsatisfiable"} and "holds only 3" in problems[0].message
    strict = _ob(
        id="demo.neg",
        kind="amount_target",
        baseline=None,
        thresholds=[{"comparator": "<", "value": "0", "unit": "元"}],
    )
    assert "unsatisfiable" in codes(check_rules(with_obligations(strict)))
    # The fixture's words are mandatory and state 10%: waived, so only the satisfiability shows.
    waivers = tuple(
        Waiver(check=code, reason="fixture: only satisfiability is tested here")
        for code in ("modality", "duty-number")
    )
    encouraged = coverage.model_copy(update={"modality": "encouraged", "waivers": waivers})
    problems = check_rules(with_obligations(encouraged))
    assert codes(problems) == set() and codes(problems, "warning") == {"unsatisfiable"}
    assert codes(problems, "waived") == {"modality", "duty-number"}


def test_interval_arithmetic() -> None:
    assert Interval(Decimal(2), Decimal(3), lo_closed=False, hi_closed=False, integral=True).empty
    assert not Interval(Decimal("2.5"), Decimal(3), integral=True).empty
    assert Interval(Decimal(5), Decimal(5), hi_closed=False).empty
    assert not Interval(Decimal(5), Decimal(5)).empty


def test_clause_problems() -> None:
    def clause_problems(rules: JurisdictionRules) -> list[str]:
        return [p.subject for p in check_rules(rules) if p.code == "clause-coverage"]

    assert clause_problems(clean_rules(clauses=(Clause(id="二", heading="x"),))) == [
        "clause 一",
        "clause 二",
    ]
    unexplained = Clause(id="三", heading="x", disposition="not_checkable")
    problems = clause_problems(clean_rules(clauses=(Clause(id="一", heading="x"), unexplained)))
    assert problems == ["clause 三"]


def test_shared_source_must_be_identical(tmp_path: Path) -> None:
    rules = clean_rules()
    (tmp_path / "demo.txt").write_text(TEXT, encoding="utf-8")
    assert check_shared_source(rules, tmp_path) == []
    (tmp_path / "demo.txt").write_text(TEXT + "\n附件", encoding="utf-8")
    (problem,) = check_rules(rules, shared_sources=tmp_path)
    assert problem.code == "source-differs" and "line 2" in problem.message


# --------------------------------------------------------------------------- source trees and CLI

_OBLIGATIONS = """\
defaults:
  source: {{document: 示〔2020〕1号, clause: 一}}
  valid_from: 2020-01-01
  period: {{frequency: annual}}
obligations:
  - id: demo.share
    kind: baseline_share
    title: 采购比例
    applies_to: [budget_unit]
    lead: [市财政局]
    valid_to: {valid_to}
    source: {{quote: 采购比例不得低于 2019 年度本单位食堂农副产品采购总额的 10%}}
    measure: {{source: transactions, origin_sets: [paired]}}
    baseline: {{metric: canteen_total, start: 2019-01-01, end: 2019-12-31}}
    thresholds: [{{value: "0.10", unit: ratio, quote: 10%}}]
  - id: demo.other
    kind: qualitative
    title: 建立台账
    applies_to: [budget_unit]
    lead: [{lead}]
    valid_to: 2020-12-31
    source: {{quote: 各预算单位采购比例}}
    evidence: ledger
"""


def _tree(tmp_path: Path, *, valid_to: str = "2020-12-31", lead: str = "市财政局") -> Path:
    root = tmp_path / "xfrules-demo"
    pkg = root / "src" / "xfrules_demo_chk"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "xfrules-demo"\n[project.entry-points.xfrules]\n'
        'demo = "xfrules_demo_chk:plugin"\n',
        encoding="utf-8",
    )
    (pkg / "__init__.py").write_text(
        "from xfrules import DataPlugin\n\nplugin = DataPlugin(__name__)\n", encoding="utf-8"
    )
    (pkg / "jurisdiction.yaml").write_text(
        textwrap.dedent(
            """\
            jurisdiction: {code: demo, name: 示例市, document_number: 示〔2020〕1号, document_title: 示例}
            departments: [{name: 市财政局}]
            """
        ),
        encoding="utf-8",
    )
    (pkg / "regions.yaml").write_text(
        "region_sets:\n  - {name: paired, title: 受援县, regions: [{code: '520602', name: 甲县}]}\n",
        encoding="utf-8",
    )
    (pkg / "obligations.yaml").write_text(
        _OBLIGATIONS.format(valid_to=valid_to, lead=lead), encoding="utf-8"
    )
    (pkg / "clauses.yaml").write_text(
        "clauses:\n  - id: 一\n    heading: 采购\n    context:\n"
        + "".join(
            f"      - {{quote: {quote}, reason: a test fixture sentence}}\n"
            for quote in (
                "全市全年采购总额达到 1000 万元以上",
                "覆盖 3 个受援县",
                "产品合格率 98%以上",
            )
        ),
        encoding="utf-8",
    )
    (pkg / "source.txt").write_text(TEXT, encoding="utf-8")
    return root


def test_cli_check_path_clean_and_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XFRULES_SHARED_SOURCES", str(tmp_path / "none"))
    tree = _tree(tmp_path / "a")
    assert main(["check", str(tree)]) == 0
    assert "0 errors" in capsys.readouterr().out
    broken = _tree(tmp_path / "b", lead="市教育局")
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "unknown-department" in out and "市教育局" in out


def test_cli_check_json_and_missing_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path, valid_to="2019-01-01")
    assert main(["check", "--format", "json", "--shared-sources", str(tmp_path), str(tree)]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["checked"] == ["demo"]
    assert any(p["subject"] == "demo.share" for p in report["problems"])
    assert main(["check", str(tmp_path / "missing")]) == 2


def test_cli_check_unknown_jurisdiction() -> None:
    assert main(["check", "-j", "no_such_place"]) == 2


def test_cli_check_installed_suzhou_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "-j", "suzhou"])
    out = capsys.readouterr().out
    assert "checked suzhou: 0 errors, 0 warnings" in out
    assert code == 0


def test_source_tree_copy_is_independent(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "one")
    copy = tmp_path / "two"
    shutil.copytree(tree, copy)
    (copy / "src" / "xfrules_demo_chk" / "source.txt").write_text("另一个文件", encoding="utf-8")
    rules, _ = load_rules_from_path(copy)
    assert rules is not None and rules.document is not None
    assert rules.document.text == "另一个文件"
    assert date(2020, 1, 1) == rules.obligations[0].valid_from


def test_allocated_kinds_must_be_bound_kinds() -> None:
    ob = _total(allocated_kinds=["district"])
    problems = check_rules(with_obligations(_ob(), ob))
    assert codes(problems) == {"allocation-kind"} and "'district'" in problems[0].message
    assert check_rules(with_obligations(_ob(), _total(allocated_kinds=["city"]))) == []


# --------------------------------------------------------------------------- comparator words


def test_a_strict_comparator_where_the_text_is_inclusive_is_an_error() -> None:
    """The audit's mutation: 不得低于…10% encoded as ``>``. The threshold's own quote (10%)
    has no comparator word, so the obligation's source quote decides."""
    ob = _ob(thresholds=[{"comparator": ">", "value": "0.10", "unit": "ratio", "quote": "10%"}])
    (problem,) = check_rules(with_obligations(ob))
    assert problem.code == "threshold-comparator" and problem.subject == "demo.share"
    assert "'不得低于'" in problem.message and "'>='" in problem.message
    assert "source quote" in problem.message


@pytest.mark.parametrize(
    ("quote", "value", "words"),
    [
        ("不少于10万元", "100000", [("不少于", ">=")]),
        ("每年至少两次", "2", [("至少", ">=")]),
        ("达到 11 亿元以上", "1100000000", [("以上", ">="), ("达到", ">=")]),
        ("不得低于 2019 年度本单位食堂农副产品采购总额的 10%", "0.10", [("不得低于", ">=")]),
        ("确保销售额增长 25%以上", "0.25", [("以上", ">=")]),
        ("２万亩以上", "20000", [("以上", ">=")]),
        ("不超过10万元", "100000", [("不超过", "<=")]),  # not 超过
        ("20人以下", "20", [("以下", "<=")]),
        ("3天以内", "3", [("以内", "<=")]),
        ("超过10万元", "100000", [("超过", ">")]),
        ("低于5%", "0.05", [("低于", "<")]),
        ("不足 1000 元", "1000", [("不足", "<")]),
        # two numbers: each word bounds its own
        ("人均不少于500元，全年不超过2000元", "500", [("不少于", ">=")]),
        ("人均不少于500元，全年不超过2000元", "2000", [("不超过", "<=")]),
        # no word bounds the number, or it qualifies something (…的): nothing decided
        ("贫困人口在100人以上的村", "100", []),
        ("低于10%的单位予以通报", "0.10", []),
        ("（以下简称受援地）100个", "100", []),
        ("销售额达 1000 万元以上", "5", []),
        ("未达到100个", "100", []),
        ("覆盖所有有贫困人口的", "1", []),
    ],
)
def test_comparator_words(quote: str, value: str, words: list[tuple[str, str]]) -> None:
    assert comparator_words(quote, Decimal(value)) == words


@pytest.mark.parametrize(
    ("comparator", "quote", "error"),
    [
        (">=", "不超过 1000 万元", True),
        ("<=", "不超过 1000 万元", False),
        ("<", "不超过 1000 万元", True),
        (">=", "超过 1000 万元", True),
        (">", "超过 1000 万元", False),
        # words that disagree (超过…以上) do not decide: nothing is said either way
        (">", "超过 1000 万元以上", False),
        (">=", "超过 1000 万元以上", False),
    ],
)
def test_threshold_comparator_follows_the_words(comparator: str, quote: str, error: bool) -> None:
    ob = _total(
        thresholds=[{"comparator": comparator, "value": "10000000", "unit": "元", "quote": quote}]
    )
    problems = [
        p for p in check_rules(with_obligations(_ob(), ob)) if p.code == "threshold-comparator"
    ]
    assert bool(problems) is error, problems


# --------------------------------------------------------------------------- what the table says


def test_cli_table_shows_the_whole_problem_and_names_the_shipped_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hint comes last in a long message: the table used to cut it at 100 characters,
    and named the shared copy (demo.txt) instead of the file the author edits."""
    monkeypatch.setenv("XFRULES_SHARED_SOURCES", str(tmp_path / "none"))
    tree = _tree(tmp_path)
    rules = tree / "src" / "xfrules_demo_chk" / "obligations.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("不得低于 2019 年度", "不得低于2019年度"),
        encoding="utf-8",
    )
    assert main(["check", str(tree)]) == 1
    out = capsys.readouterr().out
    assert "is not verbatim in source.txt: it differs from the document only in spaces" in out
    assert "demo.txt" not in out


def test_cli_check_names_the_file_and_line_of_a_yaml_syntax_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path)
    rules = tree / "src" / "xfrules_demo_chk" / "obligations.yaml"
    lines = rules.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if "applies_to" in line)
    lines[n] = lines[n].replace("]", "")  # an unclosed flow sequence
    rules.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", str(tree)]) == 1
    out = capsys.readouterr().out
    assert "obligations.yaml, line " in out and "<unicode string>" not in out
    assert f"started at line {n + 1}" in out
    assert "could not load xfrules_demo_chk" in out


def test_check_says_when_it_could_not_compare_with_the_reference_copies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from xfrules.cli import main

    monkeypatch.setenv("XFRULES_SHARED_SOURCES", str(tmp_path / "missing"))
    assert main(["check", "-j", "tianjin"]) == 0
    assert "tianjin: shipped documents not compared" in capsys.readouterr().err
    monkeypatch.setenv("XFRULES_SHARED_SOURCES", str(tmp_path))  # found (if empty): compared
    main(["check", "-j", "tianjin"])
    assert "not compared" not in capsys.readouterr().err
