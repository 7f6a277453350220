"""Thresholds fit their measure (money in 元, shares as ratios, whole counts, no negative
floor) and state the number their quote states (10% for 0.10, 11亿元 for 1100000000)."""

from __future__ import annotations

from ..obligations import (
    AmountTarget,
    BaselineShare,
    CountTarget,
    Coverage,
    GrowthRate,
    Obligation,
    ObservationMeasure,
    PerCapita,
    Rate,
    Threshold,
    TransactionMeasure,
)
from ..registry import JurisdictionRules
from .numbers import fmt, numbers_in
from .problems import Collector

__all__ = ["check_thresholds", "thresholds_of"]

_RATIO_KINDS = (BaselineShare, GrowthRate, Rate)


def thresholds_of(ob: Obligation) -> tuple[Threshold, ...]:
    return tuple(getattr(ob, "thresholds", ()))


def _expected_unit(ob: Obligation) -> str | None:
    """'元', 'ratio', 'count' (any counting unit) or None (anything goes)."""
    if isinstance(ob, _RATIO_KINDS):
        return "ratio"
    if isinstance(ob, PerCapita):
        return "元"
    measure = getattr(ob, "measure", None)
    if isinstance(ob, AmountTarget):
        if isinstance(measure, TransactionMeasure):
            return {"amount": "元", "quantity": None}.get(measure.aggregate, "count")
        return None
    if isinstance(ob, CountTarget | Coverage):
        if isinstance(measure, TransactionMeasure) and measure.aggregate == "amount":
            return "元"
        if isinstance(measure, ObservationMeasure) and measure.aggregate == "sum":
            return None if isinstance(ob, CountTarget) else "count"
        return "count"
    return None


def check_thresholds(c: Collector, rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        expected = _expected_unit(ob)
        for i, th in enumerate(thresholds_of(ob)):
            where = f"thresholds[{i}]"
            if expected == "ratio" and th.unit != "ratio":
                c.error(
                    ob.id,
                    "threshold-type",
                    f"{where}: a {ob.kind} compares ratios; its unit must be 'ratio', not {th.unit!r}",
                )
            elif expected in ("元", "count") and th.unit == "ratio":
                c.error(
                    ob.id,
                    "threshold-type",
                    f"{where}: a {ob.kind} on this measure is a {'money amount' if expected == '元' else 'count'}, not a ratio",
                )
            elif expected == "元" and th.unit != "元":
                c.error(
                    ob.id, "threshold-type", f"{where}: money is measured in 元, not {th.unit!r}"
                )
            elif expected == "count" and th.unit == "元":
                c.error(ob.id, "threshold-type", f"{where}: a count is not measured in 元")
            bounds = [th.value] + ([th.upper] if th.upper is not None else [])
            if expected == "count" and any(b != b.to_integral_value() for b in bounds):
                c.error(
                    ob.id, "threshold-type", f"{where}: a count threshold must be a whole number"
                )
            if isinstance(ob, GrowthRate):
                if th.value < -1:
                    c.error(ob.id, "threshold-sign", f"{where}: growth below −100% is impossible")
            elif any(b < 0 for b in bounds):
                c.error(ob.id, "threshold-sign", f"{where}: threshold value must not be negative")
            if isinstance(ob, BaselineShare | Rate) and any(b > 1 for b in bounds):
                c.error(
                    ob.id,
                    "share-out-of-range",
                    f"{where}: a share is between 0 and 1 (10% is 0.10), got {fmt(max(bounds))}",
                )
            _check_quote_number(c, ob, where, th)


def _check_quote_number(c: Collector, ob: Obligation, where: str, th: Threshold) -> None:
    """A threshold's ``quote`` states its number: 10% for 0.10, 11亿元 for 1100000000."""
    if th.quote is None:
        return
    numbers = numbers_in(th.quote)
    if not numbers:
        return
    for bound in [th.value] + ([th.upper] if th.upper is not None else []):
        if bound not in numbers:
            stated = ", ".join(fmt(n) for n in sorted(numbers))
            c.error(
                ob.id,
                "threshold-quote",
                f"{where}: value {fmt(bound)} ({th.unit}) is not a number its quote "
                f"{th.quote!r} states (it states: {stated})",
            )
