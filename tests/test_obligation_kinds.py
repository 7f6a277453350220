"""Each obligation kind at its threshold: exactly at, one cent (or one unit) below, one above."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from xfrules import Facts, Status, evaluate, obligations, parse_facts
from xfrules.obligations import Obligation, obligation_adapter

AS_OF = date(2020, 12, 31)
SETS = {("testland", "poor"): frozenset({"520621"})}


def make(kind: str, **fields: Any) -> Obligation:
    base: dict[str, Any] = {
        "id": f"testland.{kind}",
        "jurisdiction": "testland",
        "title": kind,
        "kind": kind,
        "applies_to": ["budget_unit"],
        "source": {"document": "测试〔2020〕1号", "clause": "一", "quote": "不低于"},
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "period": {"frequency": "annual"},
    }
    return obligation_adapter.validate_python(base | fields)


def facts(
    *,
    amounts: tuple[str, ...] = (),
    observations: tuple[dict[str, Any], ...] = (),
    attributes: dict[str, str] | None = None,
    submissions: tuple[dict[str, Any], ...] = (),
) -> Facts:
    return parse_facts(
        {
            "units": [
                {
                    "id": "u1",
                    "name": "单位",
                    "kind": "budget_unit",
                    "jurisdiction": "testland",
                    "attributes": attributes or {},
                }
            ],
            "transactions": [
                {
                    "id": f"t{i}",
                    "buyer": "u1",
                    "amount": a,
                    "date": "2020-06-01",
                    "origin_region": "520621",
                    "category": "agricultural",
                }
                for i, a in enumerate(amounts)
            ],
            "observations": list(observations),
            "submissions": list(submissions),
        }
    )


def only(ob: Obligation, f: Facts, as_of: date = AS_OF) -> Any:
    (finding,) = evaluate(f, as_of, obligations=[ob], region_sets=SETS, periods="current").findings
    return finding


def obs(metric: str, value: str, year: int = 2020, subject: str | None = None) -> dict[str, Any]:
    return {
        "unit": "u1",
        "metric": metric,
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "value": value,
        "subject": subject,
    }


AMOUNT = make(
    "amount_target",
    measure={"source": "transactions", "origin_sets": ["poor"]},
    thresholds=[{"value": "1000.00", "unit": "元"}],
)
SHARE = make(
    "baseline_share",
    measure={"source": "transactions", "origin_sets": ["poor"], "categories": ["agricultural"]},
    baseline={"metric": "canteen_total", "start": "2019-01-01", "end": "2019-12-31"},
    thresholds=[{"value": "0.10", "unit": "ratio"}],
)
PER_CAPITA = make(
    "per_capita",
    measure={"source": "transactions"},
    thresholds=[{"value": "500", "unit": "元"}],
)
COUNT = make(
    "count_target",
    measure={"source": "observations", "metric": "counters"},
    thresholds=[{"value": "100", "unit": "个"}],
)
RATE = make(
    "rate",
    numerator_metric="passed",
    denominator_metric="tested",
    thresholds=[{"value": "0.98", "unit": "ratio"}],
)


@pytest.mark.parametrize(
    ("amount", "status", "shortfall"),
    [
        ("1000.00", Status.COMPLIANT, "0"),
        ("999.99", Status.NON_COMPLIANT, "0.01"),
        ("1000.01", Status.COMPLIANT, "0"),
    ],
)
def test_amount_target_boundary(amount: str, status: Status, shortfall: str) -> None:
    f = only(AMOUNT, facts(amounts=(amount,)))
    assert (f.status, f.shortfall) == (status, Decimal(shortfall))
    assert f.measured == Decimal(amount) and f.required == Decimal("1000.00")


def test_amount_target_counts_only_the_region_set() -> None:
    outside = parse_facts(
        {
            "units": [
                {"id": "u1", "name": "单位", "kind": "budget_unit", "jurisdiction": "testland"}
            ],
            "transactions": [
                {
                    "id": "t1",
                    "buyer": "u1",
                    "amount": "5000",
                    "date": "2020-06-01",
                    "origin_region": "320505",
                }
            ],
        }
    )
    assert only(AMOUNT, outside).status is Status.NON_COMPLIANT


def test_region_set_entries_match_at_every_level() -> None:
    from xfrules.regions import region_keys

    assert region_keys("520621100200") == {"520621100200", "520621", "520600", "520000"}
    for entry in ("520621", "520600", "520000"):
        sets = {("testland", "poor"): frozenset({entry})}
        (f,) = evaluate(
            facts(amounts=("1000",)), AS_OF, obligations=[AMOUNT], region_sets=sets
        ).findings
        assert f.status is Status.COMPLIANT, entry
    other = {("testland", "poor"): frozenset({"520622", "530000"})}
    (f,) = evaluate(
        facts(amounts=("1000",)), AS_OF, obligations=[AMOUNT], region_sets=other
    ).findings
    assert f.status is Status.NON_COMPLIANT


def test_village_code_counts_for_its_county() -> None:
    f = parse_facts(
        {
            "units": [
                {"id": "u1", "name": "单位", "kind": "budget_unit", "jurisdiction": "testland"}
            ],
            "transactions": [
                {
                    "id": "t1",
                    "buyer": "u1",
                    "amount": "1000",
                    "date": "2020-06-01",
                    "origin_region": "520621100200",
                }
            ],
        }
    )
    assert only(AMOUNT, f).status is Status.COMPLIANT


@pytest.mark.parametrize(
    ("amount", "status", "shortfall"),
    [
        ("100000", Status.COMPLIANT, "0"),
        ("99999.99", Status.NON_COMPLIANT, "0.01"),
        ("100000.01", Status.COMPLIANT, "0"),
    ],
)
def test_baseline_share_boundary(amount: str, status: Status, shortfall: str) -> None:
    f = only(SHARE, facts(amounts=(amount,), observations=(obs("canteen_total", "1000000", 2019),)))
    assert (f.status, f.shortfall) == (status, Decimal(shortfall))
    assert f.required == Decimal("100000")


def test_baseline_share_without_baseline_is_insufficient_evidence() -> None:
    f = only(SHARE, facts(amounts=("100000",)))
    assert f.status is Status.INSUFFICIENT_EVIDENCE
    assert f.shortfall is None and "没有 2019-01-01..2019-12-31 的基数" in f.explanation


@pytest.mark.parametrize(
    ("amount", "status", "shortfall"),
    [
        ("60000", Status.COMPLIANT, "0"),
        ("59999.99", Status.NON_COMPLIANT, "0.01"),
        ("60000.01", Status.COMPLIANT, "0"),
    ],
)
def test_per_capita_boundary(amount: str, status: Status, shortfall: str) -> None:
    f = only(PER_CAPITA, facts(amounts=(amount,), attributes={"members": "120"}))
    assert (f.status, f.shortfall, f.required) == (status, Decimal(shortfall), Decimal(60000))


def test_per_capita_without_headcount() -> None:
    assert only(PER_CAPITA, facts(amounts=("1",))).status is Status.INSUFFICIENT_EVIDENCE


@pytest.mark.parametrize(
    ("count", "status", "shortfall"),
    [
        ("100", Status.COMPLIANT, "0"),
        ("99", Status.NON_COMPLIANT, "1"),
        ("101", Status.COMPLIANT, "0"),
    ],
)
def test_count_target_boundary(count: str, status: Status, shortfall: str) -> None:
    f = only(COUNT, facts(observations=(obs("counters", count),)))
    assert (f.status, f.shortfall) == (status, Decimal(shortfall))


@pytest.mark.parametrize(
    ("passed", "status"),
    [("98", Status.COMPLIANT), ("97.99", Status.NON_COMPLIANT), ("98.01", Status.COMPLIANT)],
)
def test_rate_boundary(passed: str, status: Status) -> None:
    f = only(RATE, facts(observations=(obs("passed", passed), obs("tested", "100"))))
    assert f.status is status
    assert f.shortfall == max(Decimal(0), Decimal("0.98") - Decimal(passed) / 100)


def test_rate_is_not_judged_before_the_period_ends() -> None:
    f = only(
        RATE, facts(observations=(obs("passed", "99"), obs("tested", "100"))), date(2020, 6, 30)
    )
    assert f.status is Status.NOT_YET_DUE


def test_rate_without_denominator() -> None:
    assert (
        only(RATE, facts(observations=(obs("passed", "1"),))).status is Status.INSUFFICIENT_EVIDENCE
    )


def test_growth_rate_boundary() -> None:
    growth = make(
        "growth_rate",
        measure={"source": "observations", "metric": "sales"},
        thresholds=[{"value": "0.25", "unit": "ratio"}],
        valid_from="2019-01-01",
    )
    base = obs("sales", "800", 2019)
    assert only(growth, facts(observations=(base, obs("sales", "1000")))).status is Status.COMPLIANT
    below = only(growth, facts(observations=(base, obs("sales", "999.99"))))
    assert (below.status, below.shortfall) == (Status.NON_COMPLIANT, Decimal("0.01"))
    assert only(growth, facts(observations=(obs("sales", "1000"),))).status is (
        Status.INSUFFICIENT_EVIDENCE
    )


def test_a_growth_baseline_names_the_measures_own_metric() -> None:
    """Growth compares one measure over two windows: a baseline naming another metric would be
    read as this one's, so the model refuses it."""
    growth = {
        "measure": {"source": "observations", "metric": "sales"},
        "thresholds": [{"value": "0.25", "unit": "ratio"}],
    }
    same = {"metric": "sales", "start": "2019-01-01", "end": "2019-12-31"}
    made = make("growth_rate", baseline=same, **growth)
    assert made.kind == "growth_rate" and made.baseline is not None  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="not the measure's metric"):
        make("growth_rate", baseline={**same, "metric": "visits"}, **growth)


def test_coverage_counts_distinct_subjects_in_target_set() -> None:
    cov = make(
        "coverage",
        measure={
            "source": "observations",
            "metric": "villages_reached",
            "aggregate": "distinct_subjects",
        },
        target_set="poor",
        thresholds=[{"value": "1", "unit": "个"}],
    )
    reached = (
        obs("villages_reached", "1", subject="520621"),
        obs("villages_reached", "2", subject="520621"),  # again, another figure,
    )
    assert only(cov, facts(observations=reached)).measured == 1
    outside = (obs("villages_reached", "1", subject="320505"),)
    assert only(cov, facts(observations=outside)).status is Status.NON_COMPLIANT


def test_between_threshold() -> None:
    platforms = make(
        "count_target",
        measure={"source": "observations", "metric": "platforms"},
        thresholds=[{"comparator": "between", "value": "2", "upper": "3", "unit": "个"}],
    )
    statuses = [
        only(platforms, facts(observations=(obs("platforms", n),))).status
        for n in ("1", "2", "3", "4")
    ]
    # A range (２－３个) binds by its lower bound: reaching past the upper one is no breach.
    assert statuses == [
        Status.NON_COMPLIANT,
        Status.COMPLIANT,
        Status.COMPLIANT,
        Status.COMPLIANT,
    ]
    f = only(platforms, facts(observations=(obs("platforms", "4"),)))
    assert (f.required, f.required_upper, f.shortfall) == (2, 3, 0)
    assert "高于上限 3 个，不算违反" in f.explanation
    short = only(platforms, facts(observations=(obs("platforms", "1"),)))
    assert short.shortfall == 1


def test_ceiling_threshold_reports_excess() -> None:
    ceiling = make(
        "amount_target",
        measure={"source": "transactions"},
        thresholds=[{"comparator": "<=", "value": "100", "unit": "元"}],
    )
    f = only(ceiling, facts(amounts=("100.01",)))
    assert (f.status, f.shortfall) == (Status.NON_COMPLIANT, Decimal("0.01"))
    assert only(ceiling, facts(amounts=("100",))).status is Status.COMPLIANT


REPORT = make(
    "reporting",
    report="monthly_report",
    valid_from="2020-04-26",
    period={"frequency": "monthly", "due_day": 29},
)


def monthly(month: int, delivered: str) -> dict[str, Any]:
    return {
        "unit": "u1",
        "report": "monthly_report",
        "period_start": f"2020-{month:02d}-01",
        "period_end": f"2020-{month:02d}-28",
        "delivered": delivered,
    }


def test_reporting_on_time_late_and_not_yet_due() -> None:
    assert only(REPORT, facts(), date(2020, 4, 28)).status is Status.NOT_YET_DUE
    on_time = only(REPORT, facts(submissions=(monthly(4, "2020-04-29"),)), date(2020, 4, 29))
    assert (on_time.status, on_time.measured, on_time.required) == (Status.COMPLIANT, 1, 1)
    late = only(REPORT, facts(submissions=(monthly(4, "2020-04-30"),)), date(2020, 4, 30))
    assert (late.status, late.shortfall) == (Status.NON_COMPLIANT, Decimal(1))
    assert "2020-04" in late.explanation


def test_reporting_counts_every_due_month() -> None:
    subs = (monthly(4, "2020-04-20"), monthly(5, "2020-05-29"), monthly(6, "2020-07-01"))
    f = only(REPORT, facts(submissions=subs), date(2020, 7, 15))
    assert (f.measured, f.required, f.shortfall) == (2, 3, 1)


def test_qualitative_needs_evidence() -> None:
    duty = make("qualitative", evidence="work_plan")
    assert only(duty, facts(), date(2020, 6, 1)).status is Status.NOT_YET_DUE
    assert only(duty, facts()).status is Status.INSUFFICIENT_EVIDENCE
    plan = {
        "unit": "u1",
        "report": "work_plan",
        "period_start": "2020-01-01",
        "period_end": "2020-12-31",
        "delivered": "2020-05-01",
    }
    assert only(duty, facts(submissions=(plan,))).status is Status.COMPLIANT


def test_floor_met_early_is_compliant_and_unmet_is_not_yet_due() -> None:
    mid_year = date(2020, 6, 30)
    assert only(AMOUNT, facts(amounts=("1000",)), mid_year).status is Status.COMPLIANT
    early = only(AMOUNT, facts(amounts=("10",)), mid_year)
    assert (early.status, early.shortfall) == (Status.NOT_YET_DUE, None)


def test_validity_and_other_kinds() -> None:
    # Before the validity: not in force. After it: the last period, judged as it stood.
    assert (
        only(AMOUNT, facts(amounts=("1000",)), date(2019, 12, 31)).status is Status.NOT_APPLICABLE
    )
    after = only(AMOUNT, facts(amounts=("1000",)), date(2021, 1, 1))
    assert after.status is Status.COMPLIANT and after.period_end == date(2020, 12, 31)
    missed = only(AMOUNT, facts(amounts=("999.99",)), date(2021, 6, 1))
    assert missed.status is Status.NON_COMPLIANT and missed.shortfall == Decimal("0.01")
    union = parse_facts(
        {"units": [{"id": "u1", "name": "工会", "kind": "union", "jurisdiction": "testland"}]}
    )
    f = only(AMOUNT, union)
    assert f.status is Status.NOT_APPLICABLE and "union" in f.explanation


def test_dated_thresholds_pick_the_one_in_force() -> None:
    dated = make(
        "amount_target",
        measure={"source": "transactions"},
        valid_from="2019-01-01",
        thresholds=[
            {"value": "500", "unit": "元", "effective_to": "2019-12-31"},
            {"value": "1000", "unit": "元", "effective_from": "2020-01-01"},
        ],
    )
    assert only(dated, facts(amounts=("600",))).required == 1000
    # as of the end of 2020 the closed 2019 period is reported too, with its own threshold
    both = evaluate(facts(amounts=("600",)), AS_OF, obligations=[dated], region_sets=SETS)
    assert [(f.period_start, f.required) for f in both.findings] == [
        (date(2019, 1, 1), 500),
        (date(2020, 1, 1), 1000),
    ]


def test_allocation_replaces_the_threshold_for_its_unit() -> None:
    decomposed = make(
        "amount_target",
        measure={"source": "transactions"},
        thresholds=[{"value": "1000", "unit": "元"}],
        allocations=[{"unit": "u1", "name": "一区", "value": "300"}],
    )
    f = only(decomposed, facts(amounts=("300",)))
    assert (f.status, f.required) == (Status.COMPLIANT, Decimal(300))


def test_subtree_scope_adds_children() -> None:
    city = parse_facts(
        {
            "units": [
                {"id": "city", "name": "市", "kind": "budget_unit", "jurisdiction": "testland"},
                {
                    "id": "d1",
                    "name": "区",
                    "kind": "x",
                    "jurisdiction": "testland",
                    "parent": "city",
                },
            ],
            "transactions": [
                {
                    "id": "t1",
                    "buyer": "d1",
                    "amount": "600",
                    "date": "2020-03-01",
                    "origin_region": "520621",
                },
                {
                    "id": "t2",
                    "buyer": "city",
                    "amount": "400",
                    "date": "2020-03-01",
                    "origin_region": "520621",
                },
            ],
        }
    )
    (f, _) = evaluate(city, AS_OF, obligations=[AMOUNT], region_sets=SETS).findings
    assert (f.unit_id, f.measured, f.status) == ("city", Decimal(1000), Status.COMPLIANT)


def test_findings_are_sorted_and_rollups_add_up() -> None:
    f = facts(amounts=("999.99",), attributes={"members": "1"})
    ev = evaluate(f, AS_OF, obligations=[SHARE, AMOUNT, PER_CAPITA], region_sets=SETS)
    assert [x.obligation_id for x in ev.findings] == sorted(x.obligation_id for x in ev.findings)
    (unit_rollup,) = ev.by_unit().values()
    assert unit_rollup.total == 3 and unit_rollup.shortfall == {"元": Decimal("0.01")}
    assert unit_rollup.counts["insufficient_evidence"] == 1
    assert ev.has_mandatory_breach


def test_threshold_rejects_inconsistent_bounds() -> None:
    with pytest.raises(ValueError, match="upper"):
        obligations.Threshold(comparator="between", value=Decimal(3), upper=Decimal(2), unit="个")


def test_allocated_kinds_without_allocation_are_not_held_to_the_total() -> None:
    decomposed = make(
        "amount_target",
        measure={"source": "transactions"},
        thresholds=[{"value": "1000", "unit": "元"}],
        allocations=[{"unit": "other", "name": "二区", "value": "300"}],
        allocated_kinds=["budget_unit"],
    )
    assert only(decomposed, facts(amounts=("5000",))).status is Status.INSUFFICIENT_EVIDENCE


def test_subject_floor_counts_only_qualifying_subjects() -> None:
    enterprises = make(
        "count_target",
        measure={
            "source": "observations",
            "metric": "sales",
            "aggregate": "distinct_subjects",
            "subject_floor": "10000000",
        },
        thresholds=[{"value": "2", "unit": "家"}],
    )
    sales = (
        obs("sales", "6000000", subject="e1"),
        obs("sales", "4000000", subject="e1"),
        obs("sales", "9999999.99", subject="e2"),
        obs("sales", "10000000", subject="e3"),
    )
    f = only(enterprises, facts(observations=sales))
    assert (f.measured, f.status, f.shortfall) == (2, Status.COMPLIANT, 0)
    f = only(enterprises, facts(observations=sales[:3]))
    assert (f.measured, f.status, f.shortfall) == (1, Status.NON_COMPLIANT, 1)


def test_a_miss_never_reads_as_the_bound_it_misses() -> None:
    # 97,999 passed of 100,000 is 97.999%: rounded to "98%" beside a 98% floor it read as a pass.
    missed = only(RATE, facts(observations=(obs("passed", "97999"), obs("tested", "100000"))))
    assert missed.status is Status.NON_COMPLIANT
    assert "实际 97.999%，未达到要求：不低于 98%（含本数）" in missed.explanation
    met = only(RATE, facts(observations=(obs("passed", "98"), obs("tested", "100"))))
    assert "实际 98%，达到要求" in met.explanation


def test_a_scaled_threshold_is_what_model_copy_makes() -> None:
    from decimal import Decimal

    from xfrules.kinds.base import Threshold
    from xfrules.kinds.judging import scaled

    for th in (
        Threshold(value=Decimal("0.1"), unit="ratio", quote="不少于10%"),
        Threshold(comparator="between", value=Decimal(2), upper=Decimal(3), unit="ratio"),
    ):
        update: dict[str, object] = {"value": th.value * 7, "unit": "元"}
        if th.upper is not None:
            update["upper"] = th.upper * 7
        copied = th.model_copy(update=update)
        made = scaled(th, Decimal(7))
        assert made == copied and repr(made) == repr(copied)
        assert made.model_fields_set == copied.model_fields_set
        assert made.model_dump(exclude_unset=True) == copied.model_dump(exclude_unset=True)
