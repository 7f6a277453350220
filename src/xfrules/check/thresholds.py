"""Thresholds fit their measure (money in 元, shares as ratios, whole counts, no negative
floor) and state the number their quote states (10% for 0.10, 11亿元 for 1100000000)."""

from __future__ import annotations

from ..i18n import Msg
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
                    Msg("chk.unit_not_ratio", where=where, kind=ob.kind, unit=th.unit),
                )
            elif expected in ("元", "count") and th.unit == "ratio":
                money = expected == "元"
                measure = Msg("chk.measure.money") if money else Msg("chk.measure.count")
                c.error(
                    ob.id,
                    "threshold-type",
                    Msg("chk.unit_is_ratio", where=where, kind=ob.kind, measure=measure),
                )
            elif expected == "元" and th.unit != "元":
                c.error(
                    ob.id, "threshold-type", Msg("chk.money_in_yuan", where=where, unit=th.unit)
                )
            elif expected == "count" and th.unit == "元":
                c.error(ob.id, "threshold-type", Msg("chk.count_not_yuan", where=where))
            bounds = [th.value] + ([th.upper] if th.upper is not None else [])
            if expected == "count" and any(b != b.to_integral_value() for b in bounds):
                c.error(ob.id, "threshold-type", Msg("chk.count_whole", where=where))
            if isinstance(ob, GrowthRate):
                if th.value < -1:
                    c.error(ob.id, "threshold-sign", Msg("chk.growth_below", where=where))
            elif any(b < 0 for b in bounds):
                c.error(ob.id, "threshold-sign", Msg("chk.negative_threshold", where=where))
            if isinstance(ob, BaselineShare | Rate) and any(b > 1 for b in bounds):
                c.error(
                    ob.id,
                    "share-out-of-range",
                    Msg("chk.share_range", where=where, value=fmt(max(bounds))),
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
                Msg(
                    "chk.value_not_in_quote",
                    where=where,
                    value=fmt(bound),
                    unit=th.unit,
                    quote=th.quote,
                    stated=stated,
                ),
            )
