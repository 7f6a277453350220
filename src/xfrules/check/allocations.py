"""Decomposed targets: shares of bound kinds, each allocated once, adding up to the total."""

from __future__ import annotations

from ..i18n import Msg
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
                    Msg("chk.allocation_kind", kind=kind),
                )
        if ob.allocated_kinds and not ob.allocations:
            c.warning(
                ob.id,
                "allocation-kind",
                Msg("chk.no_allocations"),
            )
        if not ob.allocations:
            continue
        keys = [a.unit or f"region {a.region_code}" for a in ob.allocations]
        for dup in duplicates(keys):
            c.error(ob.id, "allocation-duplicate", Msg("chk.allocated_twice", name=dup))
        for a in ob.allocations:
            if a.value is not None and a.value < 0:
                c.error(ob.id, "threshold-sign", Msg("chk.allocation_negative", name=a.name))
            if a.region_code and (why := region_code_problem(a.region_code)):
                c.error(
                    ob.id, "allocation-region", Msg("chk.allocation_region", name=a.name, why=why)
                )
        for i, th, total in ob.allocation_gaps():
            c.error(
                ob.id,
                "allocations-do-not-sum",
                Msg(
                    "chk.allocations_sum",
                    total=fmt(total),
                    unit=th.unit,
                    i=i,
                    value=fmt(th.value),
                    difference=fmt(total - th.value),
                ),
            )
