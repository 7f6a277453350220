"""The rulings every jurisdiction shares, at their boundaries: approximate numbers within a
tolerance, ranges bound by their lower end, participants recorded but not judged, what the
facts say a unit lacks, allocations a deployment withholds, region sets not listed yet, duties
around a day each year, and duties in force until replaced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from xfrules import Facts, Status, evaluate, parse_facts
from xfrules.errors import InputError
from xfrules.obligations import Obligation, Threshold, obligation_adapter

AS_OF = date(2020, 12, 31)


def make(kind: str = "count_target", **fields: Any) -> Obligation:
    base: dict[str, Any] = {
        "id": f"testland.{kind}",
        "jurisdiction": "testland",
        "title": kind,
        "kind": kind,
        "applies_to": ["budget_unit", "department"],
        "source": {"document": "测试〔2020〕1号", "clause": "一", "quote": "建设１００个左右"},
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "period": {"frequency": "annual"},
    }
    if kind == "count_target":
        base["measure"] = {"source": "observations", "metric": "built"}
        base["thresholds"] = [{"comparator": ">=", "value": "100", "unit": "个"}]
    return obligation_adapter.validate_python(base | fields)


def facts(*, built: str | None = None, **sections: Any) -> Facts:
    units = sections.pop(
        "units", [{"id": "u1", "name": "单位", "kind": "budget_unit", "jurisdiction": "testland"}]
    )
    observations = sections.pop("observations", [])
    if built is not None:
        observations.append(
            {
                "unit": "u1",
                "metric": "built",
                "period_start": "2020-01-01",
                "period_end": "2020-12-31",
                "value": built,
            }
        )
    return parse_facts({"units": units, "observations": observations, **sections})


def judge(ob: Obligation, f: Facts, as_of: date = AS_OF, sets: Any = None) -> Any:
    result = evaluate(f, as_of, obligations=[ob], region_sets=sets or {}, periods="current")
    (finding,) = [x for x in result.findings if x.unit_id == "u1"]
    return finding


ABOUT_100 = [{"comparator": ">=", "value": "100", "unit": "个", "approximate": True}]


# ------------------------------------------------------------------ approximate (约 / 左右)
@pytest.mark.parametrize(
    ("built", "status", "shortfall"),
    [("100", "compliant", "0"), ("90", "compliant", "0"), ("89", "non_compliant", "1")],
)
def test_about_100_is_met_within_ten_percent(built: str, status: str, shortfall: str) -> None:
    f = judge(make(thresholds=ABOUT_100), facts(built=built))
    assert (f.status, f.shortfall) == (Status(status), Decimal(shortfall))
    # the finding shows the stated number, the tolerance and the bound applied
    assert (f.stated_value, f.tolerance, f.required) == (100, Decimal("0.10"), 90)
    assert f.approximate
    assert (
        "100 个 约/左右" in f.explanation and "按容差 10% 判定；容差来源：默认值" in f.explanation
    )


def test_a_plugin_may_state_its_own_tolerance() -> None:
    ob = make(thresholds=[{**ABOUT_100[0], "tolerance": "0.05"}])
    assert judge(ob, facts(built="95")).status is Status.COMPLIANT
    assert judge(ob, facts(built="94")).shortfall == 1


def test_a_deployment_sets_the_tolerance_in_its_facts_file() -> None:
    ob = make(thresholds=ABOUT_100)
    everywhere = facts(built="94", tolerances=[{"tolerance": "5%"}])
    assert judge(ob, everywhere).shortfall == 1
    for_this_one = facts(
        built="94", tolerances=[{"obligation": "testland.count_target", "tolerance": "0.2"}]
    )
    assert judge(ob, for_this_one).required == 80


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_a_tolerance_for_an_exact_number_is_refused() -> None:
    ob = make()  # 100, not approximate
    with pytest.raises(InputError, match="states no approximate number"):
        judge(ob, facts(built="94", tolerances=[{"obligation": ob.id, "tolerance": "0.1"}]))
    with pytest.raises(ValueError, match="only goes with an approximate number"):
        Threshold(comparator=">=", value=Decimal(1), unit="个", tolerance=Decimal("0.1"))


def test_an_approximate_ceiling_is_raised_by_its_tolerance() -> None:
    ob = make(thresholds=[{"comparator": "<=", "value": "100", "unit": "个", "approximate": True}])
    assert judge(ob, facts(built="110")).status is Status.COMPLIANT
    assert judge(ob, facts(built="111")).shortfall == 1


# ------------------------------------------------------------------ ranges (２－３个)
def test_a_range_binds_by_its_lower_bound_and_is_met_early() -> None:
    ob = make(thresholds=[{"comparator": "between", "value": "2", "upper": "3", "unit": "个"}])
    assert judge(ob, facts(built="1")).shortfall == 1
    above = judge(ob, facts(built="5"))
    assert (above.status, above.shortfall) == (Status.COMPLIANT, 0)
    assert "不算违反" in above.explanation
    # a floor reached before the due date is met early
    assert judge(ob, facts(built="2"), date(2020, 6, 30)).status is Status.COMPLIANT


# ------------------------------------------------------------------ modality and parties
def test_an_aspirational_miss_is_reported_but_never_a_breach() -> None:
    ob = make(modality="aspirational")
    result = evaluate(facts(built="10"), AS_OF, obligations=[ob], region_sets={})
    (f,) = result.findings
    assert f.status is Status.NON_COMPLIANT and f.modality == "aspirational"
    assert not f.is_mandatory_breach and not result.has_mandatory_breach


def test_participants_are_recorded_not_judged() -> None:
    ob = make(
        named_departments_only=True,
        lead=["市商务局"],
        participants=["市财政局"],
    )
    units = [
        {
            "id": "u1",
            "name": "财政局",
            "kind": "department",
            "jurisdiction": "testland",
            "department": "市财政局",
        },
        {
            "id": "u2",
            "name": "商务局",
            "kind": "department",
            "jurisdiction": "testland",
            "department": "市商务局",
        },
    ]
    result = evaluate(facts(units=units), AS_OF, obligations=[ob], region_sets={})
    by_unit = {f.unit_id: f for f in result.findings}
    assert by_unit["u1"].status is Status.NOT_APPLICABLE
    assert "为参与/配合单位，不作判定" in by_unit["u1"].explanation
    assert by_unit["u2"].status is Status.NON_COMPLIANT
    assert by_unit["u2"].participants == ("市财政局",)
    assert ob.departments == ("市商务局",)


def test_a_unit_the_facts_say_lacks_a_canteen_is_not_bound_by_canteen_duties() -> None:
    ob = make(requires=["canteen"])
    without = [
        {
            "id": "u1",
            "name": "无食堂单位",
            "kind": "budget_unit",
            "jurisdiction": "testland",
            "lacks": ["canteen"],
        }
    ]
    f = judge(ob, facts(units=without))
    assert f.status is Status.NOT_APPLICABLE and "该单位没有（lacks）" in f.explanation
    # saying nothing binds the unit
    assert judge(ob, facts(built="0")).status is Status.NON_COMPLIANT


def test_a_department_the_words_leave_out_is_not_bound_though_its_kind_is() -> None:
    ob = make(excluded_departments=["省属某集团"])

    def unit(department: str) -> list[dict[str, str]]:
        return [
            {
                "id": "u1",
                "name": "某单位",
                "kind": "department",
                "jurisdiction": "testland",
                "department": department,
            }
        ]

    left_out = judge(ob, facts(units=unit("省属某集团")))
    assert left_out.status is Status.NOT_APPLICABLE and "省属某集团" in left_out.explanation
    # another department of the kind stays bound
    assert judge(ob, facts(units=unit("某厅"), built="0")).status is Status.NON_COMPLIANT


# ------------------------------------------------------------------ allocations
DECOMPOSED = {
    "thresholds": [{"comparator": ">=", "value": "100", "unit": "个"}],
    "allocated_kinds": ["budget_unit"],
}


def test_a_unit_without_an_allocation_lacks_evidence_and_keeps_what_was_measured() -> None:
    f = judge(make(**DECOMPOSED), facts(built="7"))
    assert f.status is Status.INSUFFICIENT_EVIDENCE
    assert f.measured == 7 and "没有此目标的分解数" in f.explanation


def test_a_deployment_may_say_a_unit_has_no_share() -> None:
    none = [
        {
            "obligation": "testland.count_target",
            "unit": "u1",
            "name": "单位",
            "value": None,
            "document": "某文件",
        }
    ]
    f = judge(make(**DECOMPOSED), facts(built="7", allocations=none))
    assert f.status is Status.NOT_APPLICABLE and "未分配此目标的份额" in f.explanation
    given = [{**none[0], "value": "5"}]
    assert judge(make(**DECOMPOSED), facts(built="7", allocations=given)).status is Status.COMPLIANT


# ------------------------------------------------------------------ region sets not listed yet
def _purchase_share(*origins: str) -> tuple[Obligation, Facts]:
    ob = make(
        "amount_target",
        measure={"source": "transactions", "origin_sets": ["listed", "unlisted"]},
        thresholds=[{"comparator": ">=", "value": "100", "unit": "元"}],
    )
    txs = [
        {"id": f"t{i}", "buyer": "u1", "amount": "60", "date": "2020-05-01", "origin_region": o}
        for i, o in enumerate(origins)
    ]
    return ob, facts(transactions=txs)


SETS = {("testland", "listed"): frozenset({"520621"}), ("testland", "unlisted"): frozenset()}


def test_an_unlisted_set_makes_a_miss_insufficient_evidence() -> None:
    ob, f = _purchase_share("520621", "522633")
    finding = judge(ob, f, sets=SETS)
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.measured == 60 and "尚未列出地区" in finding.explanation


def test_an_unlisted_set_does_not_hide_a_certain_miss_or_a_pass() -> None:
    ob, only_listed = _purchase_share("520621")
    assert judge(ob, only_listed, sets=SETS).status is Status.NON_COMPLIANT  # nothing else bought
    ob, both_listed = _purchase_share("520621", "520621")
    assert judge(ob, both_listed, sets=SETS).status is Status.COMPLIANT


# ------------------------------------------------------------------ time
def test_a_duty_around_a_day_each_year_has_a_window_around_it() -> None:
    ob = make(
        valid_to=None,
        period={"frequency": "around_day", "day": "10-17", "days_before": 7, "days_after": 7},
        thresholds=[{"comparator": ">=", "value": "1", "unit": "次"}],
    )
    inside = {
        "unit": "u1",
        "metric": "built",
        "period_start": "2021-10-20",
        "period_end": "2021-10-20",
        "value": "1",
    }
    outside = {**inside, "period_start": "2021-11-20", "period_end": "2021-11-20"}
    f = judge(ob, facts(observations=[inside]), date(2021, 10, 25))
    assert (f.status, f.period_start, f.period_end) == (
        Status.COMPLIANT,
        date(2021, 10, 10),
        date(2021, 10, 24),
    )
    assert (
        judge(ob, facts(observations=[outside]), date(2021, 12, 1)).status is Status.NON_COMPLIANT
    )
    assert judge(ob, facts(), date(2021, 9, 1)).status is Status.NOT_YET_DUE


def test_a_duty_in_force_until_replaced_keeps_its_periods() -> None:
    ob = make(valid_to=None)
    f = judge(ob, facts(), date(2031, 12, 31))
    assert (f.period_start, f.status) == (date(2031, 1, 1), Status.NON_COMPLIANT)
    assert ob.last_day == date.max


# ------------------------------------------------------------------ closed periods stay visible
def _yearly() -> Obligation:
    return make(valid_from="2019-01-01", valid_to="2020-12-31")


def _periods(as_of: date, periods: Any = "recent") -> list[tuple[date | None, Status]]:
    result = evaluate(
        facts(built="100"), as_of, obligations=[_yearly()], region_sets={}, periods=periods
    )
    return [(f.period_start, f.status) for f in result.findings]


def test_a_new_year_keeps_last_years_verdict_visible() -> None:
    # 100 built in 2020 only: 2019 was missed, and that stays in view in 2020
    assert _periods(date(2020, 1, 1)) == [
        (date(2019, 1, 1), Status.NON_COMPLIANT),
        (date(2020, 1, 1), Status.COMPLIANT),  # met early
    ]
    assert _periods(date(2020, 1, 1), "current") == [(date(2020, 1, 1), Status.COMPLIANT)]


def test_after_the_last_period_closes_only_it_is_reported_unless_all_are_asked_for() -> None:
    assert _periods(date(2021, 3, 1)) == [(date(2020, 1, 1), Status.COMPLIANT)]
    assert _periods(date(2021, 3, 1), "all") == [
        (date(2019, 1, 1), Status.NON_COMPLIANT),
        (date(2020, 1, 1), Status.COMPLIANT),
    ]


def test_the_first_period_has_no_closed_period_before_it() -> None:
    assert _periods(date(2019, 6, 30)) == [(date(2019, 1, 1), Status.NOT_YET_DUE)]
    assert _periods(date(2018, 6, 30)) == [(None, Status.NOT_APPLICABLE)]  # not yet in force


def test_a_report_recipient_does_not_report_to_itself() -> None:
    ob = make(
        "reporting",
        report="monthly",
        recipient="区扶贫办",
        period={"frequency": "monthly", "due_day": 29},
    )
    units = [
        {
            "id": "u1",
            "name": "扶贫办",
            "kind": "department",
            "jurisdiction": "testland",
            "department": "区扶贫办",
        },
        {
            "id": "u2",
            "name": "财政局",
            "kind": "department",
            "jurisdiction": "testland",
            "department": "区财政局",
        },
    ]
    result = evaluate(facts(units=units), AS_OF, obligations=[ob], region_sets={})
    by_unit = {f.unit_id: f for f in result.findings}
    assert by_unit["u1"].status is Status.NOT_APPLICABLE
    assert "不向自己报送" in by_unit["u1"].explanation
    assert by_unit["u2"].status is Status.NON_COMPLIANT


def test_a_growing_ratio_without_this_years_figure_lacks_evidence() -> None:
    ob = make(
        "growth_rate",
        measure={"source": "observations", "metric": "rate"},
        measure_unit="ratio",
        valid_from="2019-01-01",
        thresholds=[{"comparator": ">", "value": "0", "unit": "ratio"}],
    )
    last_year = {
        "unit": "u1",
        "metric": "rate",
        "period_start": "2019-01-01",
        "period_end": "2019-12-31",
        "value": "0.4",
    }
    this_year = {
        **last_year,
        "period_start": "2020-01-01",
        "period_end": "2020-12-31",
        "value": "0.5",
    }
    assert judge(ob, facts(observations=[last_year])).status is Status.INSUFFICIENT_EVIDENCE
    assert judge(ob, facts(observations=[last_year, this_year])).status is Status.COMPLIANT


# ------------------------------------------------------------------ growth from zero
def _growth(measure: dict[str, Any], comparator: str = ">", rate: str = "0") -> Obligation:
    return make(
        "growth_rate",
        measure=measure,
        measure_unit="次" if measure["source"] == "observations" else "元",
        valid_from="2019-01-01",
        thresholds=[{"comparator": comparator, "value": rate, "unit": "ratio"}],
    )


def _events(year: int, value: str) -> dict[str, Any]:
    return {
        "unit": "u1",
        "metric": "events",
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "value": value,
    }


@pytest.mark.parametrize(
    ("observed", "comparator", "rate", "status"),
    [
        ([("2019", "0"), ("2020", "3")], ">", "0", "compliant"),  # 0 → 3: growth beyond any rate
        ([("2019", "0"), ("2020", "3")], ">=", "0.25", "compliant"),
        ([("2019", "0"), ("2020", "0")], ">", "0", "non_compliant"),  # no increase
        ([("2019", "0"), ("2020", "0")], ">=", "0.25", "insufficient_evidence"),  # no rate
        ([("2020", "3")], ">", "0", "insufficient_evidence"),  # 2019 never reported
    ],
)
def test_growth_from_a_reported_zero(
    observed: list[tuple[str, str]], comparator: str, rate: str, status: str
) -> None:
    ob = _growth({"source": "observations", "metric": "events"}, comparator, rate)
    f = judge(ob, facts(observations=[_events(int(y), v) for y, v in observed]))
    assert f.status is Status(status)


def test_purchases_from_zero_lack_evidence_a_ledger_may_be_missing() -> None:
    ob = _growth({"source": "transactions", "aggregate": "amount"})
    bought = [{"id": "t1", "buyer": "u1", "amount": "500", "date": "2020-05-01"}]
    assert judge(ob, facts(transactions=bought)).status is Status.INSUFFICIENT_EVIDENCE
