"""Distinct places reached (覆盖11个贫困村), optionally only those of a named region set."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..findings import Deferred
from ..i18n import t
from ..periods import Window
from .base import Evidence, Measure, Reads, Threshold, reads_of
from .judging import Judging, Outcome, compare_text, unlisted_sets
from .thresholded import Thresholded

__all__ = ["Coverage"]


class Coverage(Thresholded):
    """Distinct villages / counties reached, optionally within a named region set."""

    kind: Literal["coverage"] = "coverage"
    measure: Measure
    target_set: str | None = Field(
        default=None, description="Only subjects in this region set count."
    )

    def reads(self) -> Reads:
        return reads_of(self.measure)

    def raised_by(self) -> Evidence:
        return Evidence(measure=self.measure, subjects_in=self.target_set)

    def region_sets_read(self) -> tuple[str, ...]:
        own = (self.target_set,) if self.target_set else ()
        return tuple(dict.fromkeys(super().region_sets_read() + own))

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        target = self.target_set
        only_in = j.region_sets.get((self.jurisdiction, target)) if target else None
        if target and not only_in:
            # The regions to cover are not known yet (a set the document names without listing
            # it, filled by the deployment): counting nothing there would be a made-up miss.
            return Outcome.lacking(th, th.unit, t("why.empty_set", name=target))
        measured = j.measure(self.measure, w, only_in=only_in)
        return Outcome(
            measured,
            th.value,
            th,
            Deferred(compare_text, measured, th, th.value, th.unit),
            th.unit,
            incomplete=lambda: unlisted_sets(j, self.measure, w, measured),
        )
