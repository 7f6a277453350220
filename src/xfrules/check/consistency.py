"""No two obligations contradict each other, and every mandatory threshold can be met."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..i18n import Msg
from ..obligations import (
    AmountTarget,
    BaselineShare,
    CountTarget,
    Coverage,
    GrowthRate,
    Obligation,
    PerCapita,
    Rate,
    Threshold,
    TransactionMeasure,
)
from ..registry import JurisdictionRules
from .intervals import domain_of, interval_of
from .numbers import fmt
from .problems import Collector
from .thresholds import thresholds_of

__all__ = ["check_contradictions", "check_satisfiable"]

_SUB_COUNTY_UNITS = ("村", "镇", "乡", "户", "人")


def _unit_kinds_overlap(a: Obligation, b: Obligation) -> set[str]:
    shared = set(a.applies_to) & set(b.applies_to)
    if (
        a.named_departments_only
        and b.named_departments_only
        and not (set(a.departments) & set(b.departments))
    ):
        return set()
    return shared


def _metric_key(ob: Obligation) -> tuple[Any, ...] | None:
    """What an obligation compares its threshold with; equal keys measure the same quantity."""
    if isinstance(ob, Rate):
        return ("rate", ob.numerator_metric, ob.denominator_metric, ob.scope)
    measure = getattr(ob, "measure", None)
    if measure is None:
        return None
    extra: Any = None
    if isinstance(ob, BaselineShare):
        extra = ob.baseline
    elif isinstance(ob, PerCapita):
        extra = ob.headcount_attribute
    elif isinstance(ob, GrowthRate):
        extra = ob.baseline
    elif isinstance(ob, Coverage):
        extra = ob.target_set
    elif isinstance(ob, AmountTarget | CountTarget):
        if ob.allocations:
            return None  # per-unit targets differ by design
        extra = "total"
    return (ob.kind, measure.model_dump_json(), repr(extra))


def _period_key(ob: Obligation) -> tuple[Any, ...]:
    p = ob.period
    return (p.frequency, p.start, p.end)


def _in_force_span(ob: Obligation, th: Threshold) -> tuple[date, date]:
    return (
        max(ob.valid_from, th.effective_from or date.min),
        min(ob.last_day, th.effective_to or date.max),
    )


def check_contradictions(c: Collector, rules: JurisdictionRules) -> None:
    obs = [o for o in rules.obligations if thresholds_of(o) and _metric_key(o) is not None]
    for i, a in enumerate(obs):
        for b in obs[i + 1 :]:
            if _metric_key(a) != _metric_key(b) or _period_key(a) != _period_key(b):
                continue
            kinds = _unit_kinds_overlap(a, b)
            if not kinds:
                continue
            for ta in thresholds_of(a):
                for tb in thresholds_of(b):
                    a_from, a_to = _in_force_span(a, ta)
                    b_from, b_to = _in_force_span(b, tb)
                    if not (a_from <= b_to and b_from <= a_to):
                        continue
                    both = interval_of(ta).intersect(interval_of(tb)).intersect(domain_of(a))
                    if both.empty:
                        c.error(
                            a.id,
                            "contradiction",
                            Msg(
                                "chk.contradiction",
                                other=b.id,
                                kinds=", ".join(sorted(kinds)),
                                frequency=a.period.frequency,
                                day=max(a_from, b_from),
                                a=f"{ta.comparator} {fmt(ta.value)}",
                                b=f"{tb.comparator} {fmt(tb.value)}"
                                + (f"–{fmt(tb.upper)}" if tb.upper is not None else ""),
                            ),
                        )


def check_satisfiable(c: Collector, rules: JurisdictionRules) -> None:
    sets = {rs.name: rs for rs in rules.region_sets}
    for ob in rules.obligations:
        report: Callable[[str, str, str], None] = (
            c.error if ob.modality == "mandatory" else c.warning
        )
        domain = domain_of(ob)
        measure = getattr(ob, "measure", None)
        allocations = getattr(ob, "allocations", ())
        for i, th in enumerate(thresholds_of(ob)):
            values = [th.value] + [a.value for a in allocations]
            for value in values:
                satisfying = interval_of(th, value).intersect(domain)
                if satisfying.empty:
                    report(
                        ob.id,
                        "unsatisfiable",
                        f"thresholds[{i}] ({th.comparator} {fmt(value)}) cannot be met: "
                        f"the measured value always lies in {domain}",
                    )
                    break
            if not th.is_floor or th.value <= 0:
                continue
            # A floor on purchases from regions that can never be listed is never met.
            if isinstance(measure, TransactionMeasure) and measure.origin_sets:
                known = [sets[n] for n in measure.origin_sets if n in sets]
                if known and all(not s.regions and not s.extensible for s in known):
                    report(
                        ob.id,
                        "unsatisfiable",
                        f"thresholds[{i}]: purchases must come from {', '.join(measure.origin_sets)}, "
                        "which list no regions and cannot be extended",
                    )
            if isinstance(ob, Coverage) and ob.target_set in sets:
                target = sets[ob.target_set]
                sub_county = any(u in th.unit for u in _SUB_COUNTY_UNITS)
                if not target.extensible and not sub_county and th.value > len(target.regions):
                    report(
                        ob.id,
                        "unsatisfiable",
                        f"thresholds[{i}] requires {fmt(th.value)} {th.unit} but target set "
                        f"{target.name!r} holds only {len(target.regions)} regions",
                    )
