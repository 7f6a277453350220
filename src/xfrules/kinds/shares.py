"""Purchases against a unit's own reference: a share of its baseline (不得低于2019年度…总额的
10%) and an amount per head (人均每年不少于500元)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from ..findings import Deferred
from ..i18n import t
from ..periods import Window
from .base import BaselineRef, Measure, Need, Reads, Threshold, reads_of
from .judging import (
    ZERO,
    Judging,
    Outcome,
    accounting,
    fmt,
    scaled,
    scaled_outcome,
    unlisted_sets,
)
from .thresholded import Thresholded

__all__ = ["BaselineShare", "PerCapita"]


class BaselineShare(Thresholded):
    """Measured ≥ share × the unit's baseline (不得低于2019年度…总额的10%)."""

    kind: Literal["baseline_share"] = "baseline_share"
    measure: Measure
    baseline: BaselineRef

    def reads(self) -> Reads:
        return reads_of(self.measure) | Reads(metrics=(self.baseline.metric,))

    def needs(self) -> tuple[Need, ...]:
        ref = self.baseline
        return (Need("baseline", metric=ref.metric, start=ref.start, end=ref.end),)

    def measured_value(self, target: Decimal, inputs: dict[str, Decimal]) -> Decimal:
        return target * inputs["baseline"]

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        ref = self.baseline
        # The unit's own observations of the metric inside the reference period (what
        # FactIndex.observations gives for one unit, read directly: once per unit).
        start, end = ref.start, ref.end
        observed = [
            o
            for o in j.index.observations_by_unit.get((j.unit.id, ref.metric), ())
            if start <= o.period_start and o.period_end <= end
        ]
        measured = j.measure(self.measure, w)
        if not observed:
            return Outcome.lacking(
                th,
                "元",
                t("why.no_baseline", metric=ref.metric, start=ref.start, end=ref.end),
                measured,
                accounting=lambda: accounting(j, self.measure, w),
            )
        baseline = sum((o.value for o in observed), ZERO)
        threshold = scaled(th, baseline)
        return scaled_outcome(
            measured,
            threshold,
            Deferred(_baseline_words, th.value, baseline, ref, measured),
            incomplete=lambda: unlisted_sets(j, self.measure, w, measured),
            accounting=lambda: accounting(j, self.measure, w),
        )


class PerCapita(Thresholded):
    """Measured ≥ amount × head count (人均每年不少于500元)."""

    kind: Literal["per_capita"] = "per_capita"
    measure: Measure
    headcount_attribute: str = Field(default="members")

    def reads(self) -> Reads:
        return reads_of(self.measure) | Reads(attributes=(self.headcount_attribute,))

    def needs(self) -> tuple[Need, ...]:
        return (Need("heads", attribute=self.headcount_attribute),)

    def measured_value(self, target: Decimal, inputs: dict[str, Decimal]) -> Decimal:
        return target * inputs["heads"]

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        heads = j.unit.attributes.get(self.headcount_attribute)
        measured = j.measure(self.measure, w)
        if heads is None:
            return Outcome.lacking(
                th,
                "元",
                t("why.no_headcount", attribute=self.headcount_attribute),
                measured,
                accounting=lambda: accounting(j, self.measure, w),
            )
        threshold = scaled(th, heads)
        return scaled_outcome(
            measured,
            threshold,
            Deferred(_per_capita_words, th.value, heads, self.headcount_attribute),
            incomplete=lambda: unlisted_sets(j, self.measure, w, measured),
            accounting=lambda: accounting(j, self.measure, w),
        )


# The words of how the bound was scaled, written when the finding's explanation is read
# (findings.Deferred): three numbers formatted per finding was a tenth of an evaluation.
def _baseline_words(share: Decimal, baseline: Decimal, ref: BaselineRef, measured: Decimal) -> str:
    return t(
        "why.baseline",
        share=fmt(share, "ratio"),
        baseline=fmt(baseline, "元"),
        metric=ref.metric,
        start=ref.start,
        end=ref.end,
        actual=fmt(measured / baseline, "ratio") if baseline else "—",
    )


def _per_capita_words(amount: Decimal, heads: Decimal, attribute: str) -> str:
    return t(
        "why.per_capita",
        amount=fmt(amount, "元"),
        heads=f"{heads.normalize():f}",
        attribute=attribute,
    )
