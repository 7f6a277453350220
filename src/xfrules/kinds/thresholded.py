"""Kinds judged against a number: a threshold per period, what the unit measured against it,
and the shared rules that turn the two into a status (due dates, met early, tolerances,
region sets not listed yet, withheld allocations)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from ..findings import Deferred, Finding, Status
from ..i18n import t
from ..periods import Window, window_for
from .base import DEFAULT_TOLERANCE, Allocation, ObligationBase, Threshold
from .judging import ZERO, Judging, Outcome, fmt, strict_gap, written

__all__ = ["Decomposable", "Thresholded"]


class Thresholded(ObligationBase):
    """A kind with dated thresholds: it measures (:meth:`judge`), the threshold decides."""

    thresholds: tuple[Threshold, ...] = Field(min_length=1)
    # A cumulative quantity (a sum, a count) only grows in its period: a floor met before the
    # due date is met early. A kind whose value can still fall says False.
    cumulative: ClassVar[bool] = True

    @property
    def approximate(self) -> bool:
        return any(th.approximate for th in self.thresholds)

    def threshold_for(self, period_start: date) -> Threshold | None:
        for threshold in self.thresholds:
            if threshold.in_force(period_start):
                return threshold
        return None

    def window_plan(self, day: date) -> tuple[Window, dict[str, Any], Threshold | None, str]:
        """The window containing ``day``, its finding fields, the threshold applied (with
        its tolerance) and the words saying how a tolerance was applied."""
        w = window_for(self, day)
        fields: dict[str, Any] = {"period_start": w.start, "period_end": w.end, "due": w.due}
        threshold = self.threshold_for(w.start)
        if threshold is None or not threshold.approximate:
            return w, fields, threshold, ""
        # 100左右: judged against the bound the tolerance gives (the document's number and the
        # tolerance travel with the finding).
        tolerance = DEFAULT_TOLERANCE if threshold.tolerance is None else threshold.tolerance
        fields.update(stated_value=threshold.value, tolerance=tolerance)
        note = t(
            "why.tolerance",
            stated=fmt(threshold.value, threshold.unit),
            tolerance=fmt(tolerance, "ratio"),
            source=t(
                "why.tolerance.default" if threshold.tolerance is None else "why.tolerance.set"
            ),
        )
        return w, fields, threshold.with_tolerance(tolerance), note

    def target_text(self) -> str:
        parts = []
        for th in self.thresholds:
            value = (
                f"{th.value.normalize():f}"
                if th.unit != "ratio"
                else f"{(th.value * 100).normalize():f}%"
            )
            bound = f"{value}–{th.upper.normalize():f}" if th.upper is not None else value
            unit = "" if th.unit == "ratio" else f" {th.unit}"
            cmp = "" if th.comparator == "between" else th.comparator + " "
            parts.append(f"{cmp}{bound}{unit}")
        return "; ".join(parts) + (" (approx.)" if self.approximate else "")

    @abstractmethod
    def judge(self, j: Judging, w: Window, th: Threshold) -> Outcome:
        """What the unit measured over ``w`` against ``th``."""

    def assess(self, j: Judging) -> Finding:
        w, threshold = j.plan.window, j.plan.threshold
        assert w is not None
        if threshold is None:
            return j.finding(
                status=Status.NOT_APPLICABLE, explanation=t("why.no_threshold", start=w.start)
            )
        out = self.judge(j, w, threshold)
        if out.unbound is not None:
            return j.finding(status=Status.NOT_APPLICABLE, explanation=out.unbound)
        if out.missing is not None:
            return j.finding(
                status=Status.INSUFFICIENT_EVIDENCE,
                comparator=threshold.comparator,
                measure_unit=out.measure_unit,
                measured=out.measured,
                explanation=Deferred(
                    _lacking,
                    out.missing,
                    out.measured,
                    out.measure_unit,
                    out.accounting() if out.accounting is not None else "",
                ),
            )
        assert out.measured is not None and out.threshold is not None
        satisfied = (
            out.threshold.satisfied(out.measured) if out.satisfied is None else out.satisfied
        )
        due = j.as_of >= w.due
        met_early = satisfied and self.cumulative and out.threshold.is_floor
        met = satisfied and (due or met_early)
        # Why it is not met: what was counted and what was not (not computed for a finding
        # that is met, which needs no reason — and would cost every compliant unit). Asked
        # now, while the transactions can still be read; the sentences are written on reading.
        counted = out.accounting() if out.accounting is not None and not met else ""
        unlisted = (
            out.incomplete() if out.incomplete is not None and not satisfied and due else None
        )
        said, note = out.explanation, j.plan.tolerance_note
        if unlisted is not None:
            return j.finding(
                status=Status.INSUFFICIENT_EVIDENCE,
                comparator=out.threshold.comparator,
                measure_unit=out.measure_unit,
                measured=out.measured,
                required=out.required,
                explanation=Deferred(_written, "unlisted", said, note, counted, unlisted),
            )
        if not due and not met_early:
            status, shortfall = Status.NOT_YET_DUE, None
            explanation = Deferred(_written, "not_yet_due", said, note, counted, w.due)
        elif satisfied:
            status, shortfall = Status.COMPLIANT, ZERO
            how = "met" if due else "met_early"
            explanation = Deferred(_written, how, said, note, counted, None)
        else:
            status, shortfall = Status.NON_COMPLIANT, strict_gap(out.threshold, out.measured)
            explanation = Deferred(_written, "missed", said, note, counted, None)
        return j.finding(
            measured=out.measured,
            required=out.required,
            required_upper=out.threshold.upper,
            comparator=out.threshold.comparator,
            measure_unit=out.measure_unit,
            status=status,
            shortfall=shortfall,
            explanation=explanation,
        )


def _lacking(why: str, measured: Decimal | None, unit: str | None, counted: str | Deferred) -> str:
    """An explanation of insufficient evidence, written when read: why, what was measured so
    far and what was counted."""
    so_far = (
        "" if measured is None else t("why.so_far_measured", measured=fmt(measured, unit or ""))
    )
    return t("why.insufficient", why=why) + so_far + written(counted)


def _written(
    how: str, said: str | Deferred, note: str, counted: str | Deferred, extra: object
) -> str:
    """A thresholded finding's explanation, written when read (findings.Deferred): what was
    measured against what (``said``), how a tolerance was applied, what was not counted, and
    — by ``how`` — why it lacks evidence (``extra``: the unlisted sets), when it is due
    (``extra``: the due date) or that it was met early."""
    # ``said`` was made in the same evaluation as this finding: same language, already set.
    text = written(said) + note + written(counted)
    if how == "unlisted":
        return t("why.insufficient", why=extra) + t("headline.sep") + text
    if how == "not_yet_due":
        return t("why.not_yet_due", due=extra, text=text)
    return text + t("why.met_early") if how == "met_early" else text


class Decomposable(Thresholded):
    """A total a document (or a deployment) may split among units: allocations replace the
    threshold's value for the units they name."""

    allocations: tuple[Allocation, ...] = Field(
        default=(), description="Per-unit targets replacing the threshold value for those units."
    )
    allocated_kinds: tuple[str, ...] = Field(
        default=(),
        description="Unit kinds that must have an allocation; one without gets insufficient_evidence "
        "instead of being held to the whole total.",
    )

    def allocation_gaps(self) -> Iterator[tuple[int, Threshold, Decimal]]:
        """(index, threshold, sum of the shares) for each threshold the shares do not add up to.

        A decomposed total should be split exactly; ``xfrules check`` (a plug-in's shares,
        an error) and ``check --facts`` (a deployment's shares, a warning) both ask this.
        """
        if not self.allocations:
            return
        total = sum((a.value for a in self.allocations if a.value is not None), Decimal(0))
        for i, threshold in enumerate(self.thresholds):
            if total != threshold.value:
                yield i, threshold, total
