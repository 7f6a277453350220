"""Obligations, units and events shared by the monitor tests and benchmark."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from xfrules.entities import Unit
from xfrules.obligations import Obligation, obligation_adapter

JUR = "mon"
# Two counties and a prefecture (遵义市): its counties count too, at their prefecture level.
PAIRED = frozenset({"522601", "522602", "520300"})
REGION_SETS = {(JUR, "paired"): PAIRED}
VALID = {"valid_from": "2020-03-01", "valid_to": "2020-12-31"}


def _ob(**kw: Any) -> Obligation:
    base: dict[str, Any] = {
        "jurisdiction": JUR,
        "applies_to": ["budget_unit"],
        "source": {
            "document": "测试〔2020〕1号",
            "clause": kw["id"][4:],
            "quote": "每月29日前报送",
        },
        "period": {"frequency": "annual"},
        **VALID,
    }
    base.update(kw)
    return obligation_adapter.validate_python(base)


def obligations() -> list[Obligation]:
    return [
        _ob(
            id="mon.monthly_report",
            kind="reporting",
            title="每月29日前报送",
            report="monthly",
            period={"frequency": "monthly", "due_day": 29},
        ),
        _ob(
            id="mon.paired_purchases",
            kind="amount_target",
            title="采购受援地农产品不少于1万元",
            measure={
                "source": "transactions",
                "origin_sets": ["paired"],
                "categories": ["agricultural"],
            },
            thresholds=[{"comparator": ">=", "value": "10000", "unit": "元"}],
            applies_to=["budget_unit", "city"],
        ),
        _ob(
            id="mon.canteen_share",
            kind="baseline_share",
            title="不低于2019年度食堂采购总额的10%",
            measure={"source": "transactions", "scope": "unit"},
            baseline={"metric": "canteen_2019", "start": "2019-01-01", "end": "2019-12-31"},
            thresholds=[{"comparator": ">=", "value": "0.10", "unit": "ratio"}],
        ),
        _ob(
            id="mon.per_head",
            kind="per_capita",
            title="人均不少于500元",
            measure={"source": "transactions", "channels": ["union"]},
            thresholds=[{"comparator": ">=", "value": "500", "unit": "元"}],
        ),
        _ob(
            id="mon.pass_rate",
            kind="rate",
            title="合格率98%以上",
            numerator_metric="passed",
            denominator_metric="checked",
            thresholds=[{"comparator": ">=", "value": "0.98", "unit": "ratio"}],
        ),
        _ob(
            id="mon.counties",
            kind="coverage",
            title="覆盖受援县",
            measure={"source": "transactions", "aggregate": "distinct_origins"},
            target_set="paired",
            thresholds=[{"comparator": ">=", "value": "2", "unit": "个"}],
        ),
        _ob(
            id="mon.plan",
            kind="qualitative",
            title="制定工作方案",
            evidence="plan",
            period={"frequency": "fixed", "start": "2020-03-01", "end": "2020-06-30"},
        ),
        _ob(
            id="mon.counters",
            kind="count_target",
            title="设立专柜不少于3个",
            measure={"source": "observations", "metric": "counters"},
            thresholds=[{"comparator": ">=", "value": "3", "unit": "个"}],
        ),
    ]


def units() -> list[Unit]:
    return [
        Unit(id="city", name="市", kind="city", jurisdiction=JUR),
        Unit(id="b1", name="一局", kind="budget_unit", jurisdiction=JUR, parent="city"),
        Unit(
            id="b2",
            name="二局",
            kind="budget_unit",
            jurisdiction=JUR,
            parent="city",
            attributes={"members": Decimal(4)},
        ),
        Unit(id="b3", name="三局", kind="budget_unit", jurisdiction=JUR, parent="b1"),
        Unit(id="x1", name="外地", kind="budget_unit", jurisdiction="other"),
    ]


def tx(
    tid: str,
    buyer: str,
    amount: str,
    day: date,
    *,
    origin: str | None = "522601",
    category: str | None = "agricultural",
    channel: str | None = None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "transaction",
        "id": tid,
        "buyer": buyer,
        "amount": amount,
        "date": day.isoformat(),
    }
    if origin:
        event["origin_region"] = origin
    if category:
        event["category"] = category
    if channel:
        event["channel"] = channel
    return event


def submission(unit: str, report: str, start: date, end: date, delivered: date) -> dict[str, Any]:
    return {
        "type": "submission",
        "unit": unit,
        "report": report,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "delivered": delivered.isoformat(),
    }


def observation(unit: str, metric: str, start: date, end: date, value: str) -> dict[str, Any]:
    return {
        "type": "observation",
        "unit": unit,
        "metric": metric,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "value": value,
    }


def clock(day: date) -> dict[str, Any]:
    return {"type": "clock", "date": day.isoformat()}
