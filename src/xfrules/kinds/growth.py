"""Growth over a reference period: (current − previous) / previous ≥ rate (销售额增长25%以上;
扩大/提高 of a measured quantity is growth > 0)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from ..i18n import t
from ..periods import Window, shift_years
from .base import BaselineRef, Measure, Need, ObservationMeasure, Reads, Threshold, reads_of
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

    @model_validator(mode="after")
    def _baseline_is_the_measure(self) -> GrowthRate:
        # The reference is the same measure over the baseline's window: a baseline naming
        # another metric would be read as if it named this one, silently.
        m = self.measure
        ref = self.baseline
        if ref is not None and isinstance(m, ObservationMeasure) and ref.metric != m.metric:
            raise ValueError(
                f"baseline.metric {ref.metric!r} is not the measure's metric "
                f"{m.metric!r}: growth compares the same measure over the baseline's window"
            )
        return self

    def reads(self) -> Reads:
        return reads_of(self.measure)

    def needs(self) -> tuple[Need, ...]:
        return (Need("previous", previous=True),)

    def measured_value(self, target: Decimal, inputs: dict[str, Decimal]) -> Decimal:
        return inputs["previous"] * (1 + target)

    def reference_window(self, w: Window) -> Window:
        """The window growth is measured against: the baseline, or a year before ``w``."""
        if self.baseline is not None:
            return Window(self.baseline.start, self.baseline.end, self.baseline.end)
        return Window(shift_years(w.start, -1), shift_years(w.end, -1), shift_years(w.end, -1))

    def _unreported(self, j: Judging, w: Window) -> str | None:
        """The metric of an observed measure with no observation in ``w`` (a ledger without a
        purchase bought nothing, so purchases are never unreported)."""
        m = self.measure
        if not isinstance(m, ObservationMeasure):
            return None
        scope = j.index.scope(j.unit.id, m.scope == "subtree")
        seen = any(True for _ in j.index.observations(scope, m.metric, w.start, w.end))
        return None if seen else m.metric

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        base_window = self.reference_window(w)
        previous = j.measure(self.measure, base_window)
        current = j.measure(self.measure, w)
        of = self.measure_unit
        # Before the due date the figure may still come: not yet due, as for any floor unmet.
        unreported = self._unreported(j, w) if of == "ratio" and j.as_of >= w.due else None
        if unreported is not None:
            # A ratio (a subsidy or processing rate) is a figure reported, not a sum: with no
            # figure for the period it is unknown, not 0.
            return Outcome.lacking(
                th, of, t("why.not_reported", metric=unreported, start=w.start, end=w.end), previous
            )
        # From a reported 0, something is growth beyond any rate a floor sets (加大推介 from
        # 0 events reported for 2019 to 3 in 2020: met), and 0 again is no increase (a miss
        # of "more than before", > 0). Any other reference of 0 or less gives no rate to
        # judge: 0 to 0 against a rate, a ceiling on growth, a figure never reported — and
        # purchases, whose 0 may be a year whose ledger was not loaded, not a year without
        # buying: a false "met" there would be worse than insufficient evidence.
        from_nothing = (
            previous == 0
            and th.is_floor
            and (current > 0 or (th.comparator == ">" and th.value == 0))
            and isinstance(self.measure, ObservationMeasure)
            and self._unreported(j, base_window) is None
        )
        if previous <= 0 and not from_nothing:
            return Outcome.lacking(
                th,
                of,
                t("why.no_reference", start=base_window.start, end=base_window.end),
                current,
            )
        required = previous * (1 + th.value)
        threshold = th.model_copy(update={"value": required, "unit": of, "upper": None})
        grew = (
            t("why.grew_from_nothing", previous=fmt(previous, of), current=fmt(current, of))
            if from_nothing and current > 0
            else t("why.stayed", previous=fmt(previous, of))
            if from_nothing
            else t(
                "why.grew",
                growth=fmt_against((current - previous) / previous, th.value, "ratio"),
                previous=fmt(previous, of),
                current=fmt_against(current, required, of),
            )
        )
        return Outcome(
            current,
            required,
            threshold,
            t(
                "why.growth",
                grew=grew,
                bound=bound_text(th.comparator, fmt(th.value, "ratio")),
                required_bound=bound_text(th.comparator, fmt(required, of)),
            ),
            of,
            incomplete=lambda: unlisted_sets(j, self.measure, w, current),
            accounting=lambda: accounting(j, self.measure, w),
        )
