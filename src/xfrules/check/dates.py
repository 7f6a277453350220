"""Dates are in order: validity, periods, baselines and dated thresholds."""

from __future__ import annotations

from datetime import date, timedelta

from ..obligations import Obligation
from ..registry import JurisdictionRules
from .problems import Collector
from .thresholds import thresholds_of

__all__ = ["check_dates"]


def check_dates(c: Collector, rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        _check_threshold_dates(c, ob)
        if ob.valid_to is not None and ob.valid_to < ob.valid_from:
            c.error(
                ob.id,
                "dates-out-of-order",
                f"valid_to {ob.valid_to} is before valid_from {ob.valid_from}",
            )
            continue
        p = ob.period
        if p.frequency == "fixed" and p.start and p.end:
            if p.end < p.start:
                c.error(ob.id, "dates-out-of-order", "period end is before its start")
            due = p.due or p.end + timedelta(days=p.grace_days)
            if due < p.start:
                c.error(
                    ob.id,
                    "dates-out-of-order",
                    f"period is due ({due}) before it starts ({p.start})",
                )
            elif due < p.end:
                c.warning(
                    ob.id,
                    "due-before-period-end",
                    f"due {due}, before the measured period ends ({p.end}): later facts "
                    "change a finding already due",
                )
            # A due date after valid_to is fine: the last period is judged after it ends.
            if p.start > ob.last_day or p.end < ob.valid_from:
                c.warning(
                    ob.id,
                    "period-outside-validity",
                    "the measured period lies outside the validity",
                )
        ref = getattr(ob, "baseline", None)
        if ref is not None and ref.end < ref.start:
            c.error(
                ob.id,
                "dates-out-of-order",
                f"baseline end {ref.end} is before its start {ref.start}",
            )


def _check_threshold_dates(c: Collector, ob: Obligation) -> None:
    ths = thresholds_of(ob)
    for i, th in enumerate(ths):
        if th.effective_from and th.effective_to and th.effective_to < th.effective_from:
            c.error(
                ob.id,
                "dates-out-of-order",
                f"thresholds[{i}]: effective_to is before effective_from",
            )
        if (th.effective_from and th.effective_from > ob.last_day) or (
            th.effective_to and th.effective_to < ob.valid_from
        ):
            c.warning(
                ob.id,
                "threshold-never-in-force",
                f"thresholds[{i}] is in force only outside the validity {ob.valid_from}..{ob.valid_to}",
            )
    for i in range(len(ths)):
        for j in range(i + 1, len(ths)):
            a, b = ths[i], ths[j]
            a_from, a_to = a.effective_from or date.min, a.effective_to or date.max
            b_from, b_to = b.effective_from or date.min, b.effective_to or date.max
            if a_from <= b_to and b_from <= a_to:
                c.error(
                    ob.id,
                    "thresholds-overlap",
                    f"thresholds[{i}] and thresholds[{j}] are both in force from {max(a_from, b_from)}; "
                    "give each its effective_from/effective_to",
                )
