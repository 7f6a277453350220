"""Growth over a reference period: (current − previous) / previous ≥ rate (销售额增长25%以上;
扩大/提高 of a measured quantity is growth > 0)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..i18n import t
from ..periods import Window, shift_years
from .base import BaselineRef, Measure, Reads, Threshold, reads_of
from .judging import Judging, Outcome, accounting, bound_text, fmt, fmt_against, unlisted_sets
from .thresholded import Thresholded

__all__ = ["GrowthRate"]


class GrowthRate(Thresholded):
    """(current − previous) / previous ≥ rate (销售额增长25%以上)."""

    kind: Literal["growth_rate"] = "growth_rate"
    measure: Measure
    baseline: BaselineRef | None = Field(
        default=None, description="Reference period; default: the same measure one year earlier."
    )
    measure_unit: str = Field(
        default="元",
        description="What the measure counts (元 for purchase or sales sums; ratio for a "
        "subsidy ratio that must rise): the unit of measured, required and shortfall.",
    )

    def reads(self) -> Reads:
        return reads_of(self.measure)

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        if self.baseline is not None:
            base_window = Window(self.baseline.start, self.baseline.end, self.baseline.end)
        else:
            base_window = Window(
                shift_years(w.start, -1), shift_years(w.end, -1), shift_years(w.end, -1)
            )
        previous = j.measure(self.measure, base_window)
        current = j.measure(self.measure, w)
        of = self.measure_unit
        if previous <= 0:
            return Outcome.lacking(
                th,
                of,
                t("why.no_reference", start=base_window.start, end=base_window.end),
                current,
            )
        required = previous * (1 + th.value)
        threshold = th.model_copy(update={"value": required, "unit": of, "upper": None})
        growth = (current - previous) / previous
        return Outcome(
            current,
            required,
            threshold,
            t(
                "why.growth",
                growth=fmt_against(growth, th.value, "ratio"),
                previous=fmt(previous, of),
                current=fmt_against(current, required, of),
                bound=bound_text(th.comparator, fmt(th.value, "ratio")),
                required_bound=bound_text(th.comparator, fmt(required, of)),
            ),
            of,
            incomplete=lambda: unlisted_sets(j, self.measure, w, current),
            accounting=lambda: accounting(j, self.measure, w),
        )
