"""Purchases against a unit's own reference: a share of its baseline (不得低于2019年度…总额的
10%) and an amount per head (人均每年不少于500元)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..periods import Window
from .base import BaselineRef, Measure, Reads, Threshold, reads_of
from .judging import ZERO, Judging, Outcome, fmt, scaled, scaled_outcome, unlisted_sets
from .thresholded import Thresholded

__all__ = ["BaselineShare", "PerCapita"]


class BaselineShare(Thresholded):
    """Measured ≥ share × the unit's baseline (不得低于2019年度…总额的10%)."""

    kind: Literal["baseline_share"] = "baseline_share"
    measure: Measure
    baseline: BaselineRef

    def reads(self) -> Reads:
        return reads_of(self.measure) | Reads(metrics=(self.baseline.metric,))

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        ref = self.baseline
        observed = list(j.index.observations([j.unit.id], ref.metric, ref.start, ref.end))
        measured = j.measure(self.measure, w)
        if not observed:
            return Outcome.lacking(
                th, "元", f"no baseline {ref.metric!r} for {ref.start}..{ref.end}", measured
            )
        baseline = sum((o.value for o in observed), ZERO)
        threshold = scaled(th, baseline)
        share = f"{fmt(measured / baseline, 'ratio')} of" if baseline else "against"
        out = scaled_outcome(
            measured,
            threshold,
            f" ({fmt(th.value, 'ratio')} of baseline {fmt(baseline, '元')}; "
            f"purchases are {share} baseline)",
        )
        out.incomplete = lambda: unlisted_sets(j, self.measure, w, measured)
        return out


class PerCapita(Thresholded):
    """Measured ≥ amount × head count (人均每年不少于500元)."""

    kind: Literal["per_capita"] = "per_capita"
    measure: Measure
    headcount_attribute: str = Field(default="members")

    def reads(self) -> Reads:
        return reads_of(self.measure) | Reads(attributes=(self.headcount_attribute,))

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        heads = j.unit.attributes.get(self.headcount_attribute)
        measured = j.measure(self.measure, w)
        if heads is None:
            return Outcome.lacking(
                th, "元", f"unit has no {self.headcount_attribute!r} attribute", measured
            )
        threshold = scaled(th, heads)
        out = scaled_outcome(
            measured,
            threshold,
            f" ({fmt(th.value, '元')} × {heads.normalize():f} {self.headcount_attribute})",
        )
        out.incomplete = lambda: unlisted_sets(j, self.measure, w, measured)
        return out
