"""Totals over the period: money (全年…总额达到11亿元以上) and counts (counters opened, stations
built, people trained), either of which a document may split among units."""

from __future__ import annotations

from typing import Literal

from ..entities import Unit
from ..findings import Deferred
from ..i18n import t
from ..periods import Window
from .base import Allocation, Measure, Reads, Threshold, reads_of
from .judging import Judging, Outcome, accounting, compare_text, unlisted_sets
from .thresholded import Decomposable

__all__ = ["AmountTarget", "CountTarget"]


class _Total(Decomposable):
    measure: Measure

    def reads(self) -> Reads:
        return reads_of(self.measure)

    def share_for(self, unit: Unit, threshold: Threshold) -> tuple[Threshold, Allocation] | None:
        """The unit's share of a decomposed target (a floor of the allocated value), if it
        has one; a share of None says the deployment allocates the unit nothing."""
        for alloc in self.allocations:
            if alloc.is_for(unit):
                if alloc.value is None:
                    return threshold, alloc
                share = threshold.model_copy(
                    update={"value": alloc.value, "upper": None, "comparator": ">="}
                    if threshold.comparator == "between"
                    else {"value": alloc.value}
                )
                return share, alloc
        return None

    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        unit = j.unit
        allocated = self.share_for(unit, th)
        measured = j.measure(self.measure, w)
        if allocated is None and unit.kind in self.allocated_kinds:
            return Outcome.lacking(
                th,
                th.unit,
                t("why.no_allocation", unit=unit.name),
                measured,
                accounting=lambda: accounting(j, self.measure, w),
            )
        if allocated is not None and allocated[1].value is None:
            basis = allocated[1].document
            return Outcome(
                measured,
                None,
                th,
                "",
                th.unit,
                unbound=t(
                    "why.no_share",
                    unit=unit.name,
                    basis=t("why.per", document=basis) if basis else "",
                ),
            )
        threshold = allocated[0] if allocated else th
        note = ""
        if allocated:
            # Where the figure comes from: the obligation's document, or a deployment's
            # allocations (which always name the document they come from).
            basis = allocated[1].document
            source = (
                t("why.source.facts", document=basis)
                if basis
                else t("why.source.document", document=self.source.document)
            )
            note = t("why.allocated", source=source)
        return Outcome(
            measured,
            threshold.value,
            threshold,
            Deferred(compare_text, measured, threshold, threshold.value, threshold.unit, note),
            threshold.unit,
            incomplete=lambda: unlisted_sets(j, self.measure, w, measured),
            accounting=lambda: accounting(j, self.measure, w),
        )


class AmountTarget(_Total):
    """A money total over the period (全年…总额达到11亿元以上), optionally decomposed."""

    kind: Literal["amount_target"] = "amount_target"


class CountTarget(_Total):
    """A count over the period: counters opened, stations built, people trained."""

    kind: Literal["count_target"] = "count_target"
