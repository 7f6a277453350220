"""Every obligation kind is handled by every consumer — a toy kind included.

An obligation kind is one class (:mod:`xfrules.kinds`): what it reads, how it is judged, what
raises its measured value and what its arithmetic needs. This module adds a toy kind the way
an author would — one class, registered — and proves, for it and for every built-in kind, that
validation, the evaluator, the monitor's routing and findings, the DuckDB backend, the facts
checks, ``xfrules check``, the test kit's facts and the scenario skeletons all handle it. A
consumer that special-cases the built-in kinds fails here for the toy one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xfrules.batch import evaluate_ledgers
from xfrules.check import check_rules
from xfrules.deployment import evidence_keys
from xfrules.documents import SourceDocument
from xfrules.entities import Jurisdiction, Region, RegionSet, Unit
from xfrules.evaluator import evaluate
from xfrules.facts import Facts, parse_facts
from xfrules.findings import Status
from xfrules.kinds import KINDS, register_kind, unregister_kind
from xfrules.kinds.base import Reads, Threshold, TransactionMeasure, reads_of
from xfrules.kinds.judging import Judging, Outcome, compare_text, unlisted_sets
from xfrules.kinds.thresholded import Thresholded
from xfrules.ledger.evaluate import evaluate_ledgers_in_memory
from xfrules.monitor import Monitor, routes_of
from xfrules.obligations import Obligation, obligation_adapter
from xfrules.periods import Window
from xfrules.registry import JurisdictionRules
from xfrules.rulebook import prepare
from xfrules.skeletons import skeletons
from xfrules.testing.properties import judge
from xfrules.testing.strategies import obligation_settings


# --------------------------------------------------------------------------- the toy kind
class CombinedTarget(Thresholded):
    """A toy kind: purchases plus an observed figure (采购和捐赠合计不少于…)."""

    kind: Literal["combined_target"] = "combined_target"
    measure: TransactionMeasure
    plus_metric: str

    def reads(self) -> Reads:
        return reads_of(self.measure) | Reads(metrics=(self.plus_metric,))

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        bought = j.measure(self.measure, w)
        scope = j.index.scope(j.unit.id, self.measure.scope == "subtree")
        given = sum(
            (o.value for o in j.index.observations(scope, self.plus_metric, w.start, w.end)),
            Decimal(0),
        )
        measured = bought + given
        return Outcome(
            measured,
            th.value,
            th,
            compare_text(measured, th, th.value, th.unit) + f" (purchases {bought}, given {given})",
            th.unit,
            incomplete=lambda: unlisted_sets(j, self.measure, w, bought),
        )


# Registered while the module is imported, so that the parametrisation below (made at
# collection) sees it, and removed at the end of the import: under xdist every worker
# collects this module, and a kind left registered would reach the other modules it runs.
# The tests here register it again for their own run.
register_kind(CombinedTarget)


@pytest.fixture(autouse=True, scope="module")
def _toy_kind_registered() -> Iterator[None]:
    register_kind(CombinedTarget)
    yield
    unregister_kind(CombinedTarget)


# --------------------------------------------------------------------------- one example each
SOURCE = {"document": "测试〔2020〕1号", "clause": "一", "quote": "全年采购不少于100元"}
PURCHASES = {"source": "transactions", "origin_sets": ["paired"], "scope": "unit"}
FLOOR = [{"comparator": ">=", "value": "100", "unit": "元", "quote": "不少于100元"}]
EXAMPLES: dict[str, dict[str, Any]] = {
    "amount_target": {"measure": PURCHASES, "thresholds": FLOOR},
    "count_target": {
        "measure": {**PURCHASES, "aggregate": "count"},
        "thresholds": [{"comparator": ">=", "value": "2", "unit": "次"}],
    },
    "baseline_share": {
        "measure": PURCHASES,
        "baseline": {"metric": "base", "start": "2019-01-01", "end": "2019-12-31"},
        "thresholds": [{"comparator": ">=", "value": "0.10", "unit": "ratio"}],
    },
    "per_capita": {"measure": PURCHASES, "thresholds": FLOOR},
    "growth_rate": {
        "measure": PURCHASES,
        "thresholds": [{"comparator": ">", "value": "0", "unit": "ratio"}],
    },
    "rate": {
        "numerator_metric": "passed",
        "denominator_metric": "checked",
        "thresholds": [{"comparator": ">=", "value": "0.98", "unit": "ratio"}],
    },
    "reporting": {"report": "monthly", "period": {"frequency": "monthly", "due_day": 29}},
    "coverage": {
        "measure": {**PURCHASES, "aggregate": "distinct_origins"},
        "target_set": "paired",
        "thresholds": [{"comparator": ">=", "value": "1", "unit": "个"}],
    },
    "qualitative": {"evidence": "plan"},
    "combined_target": {"measure": PURCHASES, "plus_metric": "donated", "thresholds": FLOOR},
}
REGION_SETS = {("toy", "paired"): frozenset({"520621"})}
AS_OF = date(2020, 12, 31)


def example(kind: str) -> Obligation:
    data = {
        "id": f"toy.{kind}",
        "jurisdiction": "toy",
        "kind": kind,
        "title": kind,
        "applies_to": ["budget_unit"],
        "source": SOURCE,
        "valid_from": "2019-01-01",
        "valid_to": "2020-12-31",
        "period": {"frequency": "annual"},
        **EXAMPLES[kind],
    }
    return obligation_adapter.validate_python(data)


def kinds() -> list[str]:
    return sorted(KINDS)


def test_every_registered_kind_has_an_example_here() -> None:
    assert set(KINDS) <= set(EXAMPLES), "a new built-in kind needs an example in this module"


UNIT = Unit(id="u1", name="单位", kind="budget_unit", jurisdiction="toy", attributes={"members": 2})


def _rules(ob: Obligation) -> JurisdictionRules:
    text = "测试文件\n\n一、全年采购不少于100元。\n"
    return JurisdictionRules(
        plugin="toy",
        version="0",
        jurisdiction=Jurisdiction(
            code="toy",
            name="测试市",
            document_number="测试〔2020〕1号",
            document_title="测试文件",
            unit_kinds=("budget_unit",),
        ),
        departments=(),
        region_sets=(
            RegionSet(
                jurisdiction="toy",
                name="paired",
                title="受援县",
                regions=(Region(code="520621", name="江口县"),),
            ),
        ),
        obligations=(ob,),
        document=SourceDocument(
            jurisdiction="toy",
            document_number="测试〔2020〕1号",
            title="测试文件",
            text=text,
            filename="toy.txt",
        ),
        clauses=(),
        scenario_paths=(),
    )


# --------------------------------------------------------------------------- the consumers
@pytest.mark.parametrize("kind", kinds())
def test_validation_and_the_evaluator_judge_every_kind(kind: str) -> None:
    ob = example(kind)
    assert ob.kind == kind
    result = evaluate(Facts(units=(UNIT,)), AS_OF, obligations=[ob], region_sets=REGION_SETS)
    statuses = {f.status for f in result.findings}
    assert statuses and Status.NOT_APPLICABLE not in statuses, [
        f.explanation for f in result.findings
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.parametrize("kind", kinds())
@given(data=st.data())
def test_the_kit_raises_what_every_kind_measures(kind: str, data: st.DataObject) -> None:
    """The test kit's qualifying facts (what ``raised_by`` and ``needs`` name) move the
    finding: with them the duty is never judged on nothing."""
    ob = example(kind)
    rules = _rules(ob)
    s = data.draw(
        obligation_settings(
            rules, ob, as_of=st.just(AS_OF), qualifying=st.just(3), noise=st.just(0)
        )
    )
    finding = judge(s)
    assert finding.measured is None or finding.measured > 0 or finding.status is Status.COMPLIANT, (
        finding.explanation
    )


def _event(ob: Obligation) -> dict[str, Any]:
    """One event raising what ``ob`` measures (what its kind says raises it)."""
    raised = ob.raised_by()
    if raised.report is not None:
        return {
            "type": "submission",
            "unit": "u1",
            "report": raised.report,
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            "delivered": "2020-03-01",
            "attachments": list(raised.attachments),
        }
    if isinstance(raised.measure, TransactionMeasure):
        return {
            "type": "transaction",
            "id": "t1",
            "buyer": "u1",
            "amount": "150.00",
            "date": "2020-03-01",
            "origin_region": "520621",
        }
    assert raised.measure is not None
    return {
        "type": "observation",
        "unit": "u1",
        "metric": raised.measure.metric,
        "period_start": "2020-03-01",
        "period_end": "2020-03-01",
        "value": "150",
        "subject": "520621",
    }


@pytest.mark.parametrize("kind", kinds())
def test_the_monitor_routes_and_judges_every_kind(kind: str) -> None:
    ob = example(kind)
    reads = ob.reads()
    routes = routes_of(ob)
    assert bool(reads.transactions) == (("transaction",) in routes)
    assert {("observation", m) for m in reads.metrics} <= routes
    assert {("submission", r) for r in reads.reports} <= routes
    units = Facts(units=(UNIT,))
    rules = prepare(units, obligations=[ob], region_sets=REGION_SETS)
    event = _event(ob)
    with Monitor(rules, start=AS_OF) as m:
        before = m.findings().findings
        m.post(event)
        after = m.findings().findings
    facts = parse_facts(
        {
            "units": [UNIT.model_dump(mode="json")],
            event["type"] + "s": [{k: v for k, v in event.items() if k != "type"}],
        }
    )
    expected = evaluate(facts, AS_OF, obligations=[ob], region_sets=REGION_SETS, periods="current")
    assert after == expected.findings
    if not any(n.metric or n.previous for n in ob.needs()):  # nothing else missing
        assert after != before, f"{kind}: the event it is raised by changed nothing"


@pytest.mark.parametrize("kind", kinds())
def test_the_facts_checks_know_what_every_kind_reads(kind: str) -> None:
    ob = example(kind)
    keys = evidence_keys([ob])
    reads = ob.reads()
    assert set(reads.metrics) <= keys.metrics and set(reads.reports) <= keys.reports
    for metric in reads.metrics:
        assert keys.unread("metric", metric) is None


@pytest.mark.parametrize("kind", kinds())
def test_check_runs_on_every_kind(kind: str) -> None:
    problems = check_rules(_rules(example(kind)))
    assert not [p for p in problems if p.code == "internal"]
    assert example(kind).target_text() or example(kind).raised_by().report is not None


@pytest.mark.parametrize("kind", kinds())
def test_scenario_skeletons_cover_every_kind(kind: str) -> None:
    ob = example(kind)
    rules = _rules(ob)
    found = skeletons(rules, ob)
    assert found and all(s["expect"] for s in found)


@pytest.mark.parametrize("kind", [k for k in kinds() if example(k).reads().transactions])
def test_the_duckdb_backend_equals_memory_for_every_kind_that_reads_purchases(
    kind: str, tmp_path: Path
) -> None:
    ob = example(kind)
    ledger = tmp_path / "ledger.csv"
    with ledger.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["buyer", "amount", "date", "origin_region", "category"])
        w.writerow(["u1", "60.00", "2020-05-01", "520621", "agricultural"])
        w.writerow(["u1", "50.00", "2020-06-01", "520621100200", "agricultural"])
        w.writerow(["u1", "70.00", "2019-06-01", "520621", "agricultural"])
    facts = parse_facts(
        {
            "units": [UNIT.model_dump(mode="json")],
            "observations": [
                {
                    "unit": "u1",
                    "metric": "base",
                    "period_start": "2019-01-01",
                    "period_end": "2019-12-31",
                    "value": "500",
                }
            ],
        }
    )
    rules = prepare(facts, obligations=[ob], region_sets=REGION_SETS)
    memory, _ = evaluate_ledgers_in_memory(rules, [ledger], AS_OF)
    batch = evaluate_ledgers(rules, [ledger], AS_OF, progress=False)
    assert [f.to_record() for f in batch.evaluation.findings] == [
        f.to_record() for f in memory.findings
    ]
    # the purchases were read by both: something was measured
    assert any(f.measured for f in memory.findings), [f.explanation for f in memory.findings]


unregister_kind(CombinedTarget)  # collected: see the registration above
