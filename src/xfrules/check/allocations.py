"""Decomposed targets: shares of bound kinds, each allocated once, adding up to the total."""

from __future__ import annotations

from ..obligations import AmountTarget, CountTarget
from ..regions import region_code_problem
from ..registry import JurisdictionRules
from .identity import duplicates
from .numbers import fmt
from .problems import Collector

__all__ = ["check_allocations"]


def check_allocations(c: Collector, rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        if not isinstance(ob, AmountTarget | CountTarget):
            continue
        for kind in ob.allocated_kinds:
            if kind not in ob.applies_to:
                c.error(
                    ob.id,
                    "allocation-kind",
                    f"allocated_kinds names {kind!r}, a kind the obligation does not apply to",
                )
        if ob.allocated_kinds and not ob.allocations:
            c.warning(
                ob.id,
                "allocation-kind",
                "allocated_kinds is set but there are no allocations: every such unit "
                "lacks evidence",
            )
        if not ob.allocations:
            continue
        keys = [a.unit or f"region {a.region_code}" for a in ob.allocations]
        for dup in duplicates(keys):
            c.error(ob.id, "allocation-duplicate", f"{dup} is allocated more than once")
        for a in ob.allocations:
            if a.value is not None and a.value < 0:
                c.error(ob.id, "threshold-sign", f"allocation to {a.name} is negative")
            if a.region_code and (why := region_code_problem(a.region_code)):
                c.error(ob.id, "allocation-region", f"allocation to {a.name}: {why}")
        for i, th, total in ob.allocation_gaps():
            c.error(
                ob.id,
                "allocations-do-not-sum",
                f"allocations sum to {fmt(total)} {th.unit}, but thresholds[{i}] (the parent "
                f"total) is {fmt(th.value)} {th.unit} (difference {fmt(total - th.value)})",
            )
