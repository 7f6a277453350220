"""A ratio of two observed metrics over the period (合格率98%以上)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from ..findings import Deferred
from ..i18n import t
from ..periods import Window
from .base import Evidence, Need, ObservationMeasure, Reads, Threshold
from .judging import ZERO, Judging, Outcome, compare_text
from .thresholded import Thresholded

__all__ = ["Rate"]


class Rate(Thresholded):
    """numerator / denominator ≥ rate, both observed metrics (合格率98%以上)."""

    kind: Literal["rate"] = "rate"
    # A rate can still fall before the period ends: met early is no verdict.
    cumulative: ClassVar[bool] = False
    numerator_metric: str
    denominator_metric: str
    scope: Literal["unit", "subtree"] = "subtree"

    def reads(self) -> Reads:
        return Reads(metrics=(self.numerator_metric, self.denominator_metric))

    def raised_by(self) -> Evidence:
        return Evidence(
            measure=ObservationMeasure(metric=self.numerator_metric, scope=self.scope), whole=True
        )

    def needs(self) -> tuple[Need, ...]:
        return (Need("denominator", metric=self.denominator_metric),)

    def measured_value(self, target: Decimal, inputs: dict[str, Decimal]) -> Decimal:
        return target * inputs["denominator"]

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        index = j.index
        scope = index.scope(j.unit.id, self.scope == "subtree")
        num = sum(
            (o.value for o in index.observations(scope, self.numerator_metric, w.start, w.end)),
            ZERO,
        )
        den = sum(
            (o.value for o in index.observations(scope, self.denominator_metric, w.start, w.end)),
            ZERO,
        )
        if den <= 0:
            return Outcome.lacking(
                th, "ratio", t("why.no_denominator", metric=self.denominator_metric)
            )
        measured = num / den
        return Outcome(
            measured,
            th.value,
            th,
            Deferred(_rate_text, measured, th, num, den),
            "ratio",
        )


def _rate_text(measured: Decimal, th: Threshold, num: Decimal, den: Decimal) -> str:
    return compare_text(measured, th, th.value, "ratio") + t(
        "why.rate", num=f"{num.normalize():f}", den=f"{den.normalize():f}"
    )
