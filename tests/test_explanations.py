"""Explanations say why (issue 16 item 2): what was counted and what was not, with counts and
sums by reason; the baseline, allocation or head count used and where it came from; the rule
applied; in Chinese unless English is asked for. ``evaluate --explain`` gives every row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from xfrules.cli import main
from xfrules.evaluator import evaluate
from xfrules.facts import Facts
from xfrules.i18n import use_lang
from xfrules.obligations import obligation_adapter

SRC = {"document": "测试〔2020〕1号", "clause": "二（二）", "quote": "人均每年不少于500元"}
PER_MEMBER = obligation_adapter.validate_python(
    {
        "id": "test.per_member",
        "jurisdiction": "test",
        "kind": "per_capita",
        "title": "工会人均采购",
        "applies_to": ["union"],
        "lead": ["区总工会"],
        "source": SRC,
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "period": {"frequency": "annual"},
        "measure": {
            "source": "transactions",
            "scope": "unit",
            "categories": ["agricultural"],
            "origin_sets": ["poor"],
        },
        "thresholds": [{"comparator": ">=", "value": "500", "unit": "元"}],
    }
)


def _facts() -> Facts:
    """The union of issue 16: 13,234.50 元 on its ledger, none of it counted (empty category)
    — and one purchase of each other reason not to count."""
    tx = {"buyer": "u", "origin_region": "520621", "category": "agricultural"}
    return Facts.model_validate(
        {
            "units": [
                {
                    "id": "u",
                    "name": "某工会",
                    "kind": "union",
                    "jurisdiction": "test",
                    "attributes": {"members": 20},
                }
            ],
            "transactions": [
                {**tx, "id": "a", "amount": "10000.00", "date": "2020-03-01", "category": None},
                {**tx, "id": "b", "amount": "3234.50", "date": "2020-04-01", "category": None},
                {**tx, "id": "c", "amount": "700", "date": "2019-12-31"},
                {**tx, "id": "d", "amount": "300", "date": "2020-05-01", "origin_region": "110101"},
                {**tx, "id": "e", "amount": "2500", "date": "2020-06-01"},
                {**tx, "id": "f", "amount": "999", "date": "2021-02-01"},
            ],
        }
    )


def _finding(lang: str = "zh"):  # type: ignore[no-untyped-def]
    with use_lang(lang):  # type: ignore[arg-type]
        ev = evaluate(
            _facts(),
            date(2020, 12, 31),
            obligations=[PER_MEMBER],
            region_sets={("test", "poor"): frozenset({"520621"})},
        )
    (f,) = ev.findings
    return f


def test_an_explanation_counts_what_was_not_counted_and_why() -> None:
    f = _finding()
    assert f.measured == Decimal("2500")
    assert f.explanation == (
        "实际 2,500.00 元，未达到要求：不低于 10,000.00 元（含本数）"
        "（500.00 元 × 20 members，人数来源：事实文件单位属性）；计入 1 笔，共 2,500.00 元；"
        "未计入：早于期间 2020-01-01..2020-12-31：1 笔（700.00 元）；"
        "类别不计入（须为 agricultural）：2 笔（13,234.50 元）；"
        "产地不在地区名单 poor 内：1 笔（300.00 元）"
    )
    en = _finding("en").explanation
    assert "counted 1 purchase(s), 2,500.00 元" in en
    assert "2 of a category not counted (must be agricultural) (13,234.50 元)" in en
    assert ">= 10,000.00 元 (inclusive)" in en and "未" not in en


def test_the_baseline_and_the_allocation_say_where_they_come_from() -> None:
    base = obligation_adapter.validate_python(
        {
            **PER_MEMBER.model_dump(mode="json", exclude={"headcount_attribute", "kind"}),
            "id": "test.share",
            "kind": "baseline_share",
            "baseline": {"metric": "canteen_total", "start": "2019-01-01", "end": "2019-12-31"},
            "thresholds": [{"comparator": ">=", "value": "0.10", "unit": "ratio"}],
        }
    )
    facts = _facts().model_copy(
        update={
            "observations": (
                *_facts().observations,
                *Facts.model_validate(
                    {
                        "units": [],
                        "observations": [
                            {
                                "unit": "u",
                                "metric": "canteen_total",
                                "period_start": "2019-01-01",
                                "period_end": "2019-12-31",
                                "value": "30000",
                            }
                        ],
                    }
                ).observations,
            )
        }
    )
    (f,) = evaluate(
        facts,
        date(2020, 12, 31),
        obligations=[base],
        region_sets={("test", "poor"): frozenset({"520621"})},
    ).findings
    assert (
        "基数 30,000.00 元 的 10%，基数来源：事实文件 observations 'canteen_total'" in f.explanation
    )
    assert "采购额为基数的 8.33%" in f.explanation


def test_explain_prints_every_row_with_its_fate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample-facts.yaml"
    facts = yaml.safe_load(sample.read_text(encoding="utf-8"))
    # A household seller is a person; a purchase after the as-of date is listed, not counted.
    facts["transactions"].append(
        {
            "id": "DTH-2021-01",
            "buyer": "dth-union",
            "seller": "王小明",
            "seller_kind": "household",
            "category": "agricultural",
            "origin_region": "430921105201",
            "amount": "100.00",
            "date": "2021-01-05",
        }
    )
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    argv = ["evaluate", str(path), "--as-of", "2020-12-31"]
    code = main([*argv, "--explain", "dth-union", "datonghu.union_festival_purchase_per_member"])
    out = capsys.readouterr().out
    assert code == 0
    assert (
        "原文：" in out
        and "拿出一定比例（人均每年不少于500元）" in out
        and "期间 2020（2020-12-31 到期）：未达标" in out
    )
    assert "计入 2 笔，共 6,500.00 元" in out
    rows = out[out.index("逐笔去向") :].splitlines()[3:]
    assert (
        rows.pop()
        == "期间 2020：计入 2 笔，共 6,500.00 元；未计入：晚于评估日 2020-12-31：1 笔（100.00 元）"
    )
    assert len(rows) == 3
    assert rows[0].startswith("2020-01-15  DTH-2020-01") and rows[0].endswith("计入")
    assert "王**" in out and "王小明" not in out  # a person, masked
    assert rows[2].startswith("2021-01-05") and rows[2].endswith("晚于评估日 2020-12-31，未计入")
    # A met finding's explanation does not tally its purchases; its derivation does.
    code = main([*argv, "--explain", "sz-edu", "suzhou.canteen_paired_county_share"])
    out = capsys.readouterr().out
    assert code == 0 and "：达标" in out and "采购额为基数的 6.25%）\n" in out
    assert out.rstrip().endswith("期间 2020：计入 1 笔，共 150,000.00 元")
    code = main([*argv, "--explain", "dth-union", "datonghu.no_such_duty"])
    assert code == 2 and "datonghu.no_such_duty" in capsys.readouterr().err


def test_the_accounting_is_computed_only_for_findings_not_met(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A met finding needs no reason: its purchases are not tallied a second time (that would
    cost every compliant unit); a miss, a finding not yet due and one lacking evidence say why."""
    import xfrules.kinds.judging as judging

    tallied: list[str] = []
    real = judging._tally

    def counting(j, measure, w):  # type: ignore[no-untyped-def]
        tallied.append(j.unit.id)
        return real(j, measure, w)

    monkeypatch.setattr(judging, "_tally", counting)
    region_sets = {("test", "poor"): frozenset({"520621"})}
    facts = _facts()
    rich = [
        {"id": f"r{i}", "buyer": "u", "origin_region": "520621", "category": "agricultural"}
        | {"amount": "5000", "date": "2020-07-01"}
        for i in range(2)
    ]
    met = facts.model_copy(
        update={
            "transactions": (
                *facts.transactions,
                *Facts.model_validate({"units": [], "transactions": rich}).transactions,
            )
        }
    )
    (f,) = evaluate(
        met, date(2020, 12, 31), obligations=[PER_MEMBER], region_sets=region_sets
    ).findings
    assert f.status.value == "compliant" and tallied == []
    assert "计入" not in f.explanation
    # Not yet due: what counts so far, and what does not, is said.
    (f,) = evaluate(
        facts, date(2020, 6, 30), obligations=[PER_MEMBER], region_sets=region_sets
    ).findings
    assert f.status.value == "not_yet_due" and tallied == ["u"]
    assert "计入 1 笔，共 2,500.00 元" in f.explanation and "2 笔（13,234.50 元）" in f.explanation
    # No head count: insufficient evidence, with what was counted.
    no_heads = facts.model_copy(
        update={"units": tuple(u.model_copy(update={"attributes": {}}) for u in facts.units)}
    )
    (f,) = evaluate(
        no_heads, date(2020, 12, 31), obligations=[PER_MEMBER], region_sets=region_sets
    ).findings
    assert f.status.value == "insufficient_evidence" and tallied == ["u", "u"]
    assert "计入 1 笔，共 2,500.00 元" in f.explanation
