"""Dates are in order: validity, periods, baselines and dated thresholds."""

from __future__ import annotations

from datetime import date, timedelta

from ..i18n import Msg
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
                Msg("chk.valid_to_before_from", valid_to=ob.valid_to, valid_from=ob.valid_from),
            )
            continue
        p = ob.period
        if p.frequency == "fixed" and p.start and p.end:
            if p.end < p.start:
                c.error(ob.id, "dates-out-of-order", Msg("chk.period_end_before_start"))
            due = p.due or p.end + timedelta(days=p.grace_days)
            if due < p.start:
                c.error(
                    ob.id,
                    "dates-out-of-order",
                    Msg("chk.due_before_start", due=due, start=p.start),
                )
            elif due < p.end:
                c.warning(
                    ob.id,
                    "due-before-period-end",
                    Msg("chk.due_before_end", due=due, end=p.end),
                )
            # A due date after valid_to is fine: the last period is judged after it ends.
            if p.start > ob.last_day or p.end < ob.valid_from:
                c.warning(
                    ob.id,
                    "period-outside-validity",
                    Msg("chk.period_outside_validity"),
                )
        ref = getattr(ob, "baseline", None)
        if ref is not None and ref.end < ref.start:
            c.error(
                ob.id,
                "dates-out-of-order",
                Msg("chk.baseline_end_before_start", end=ref.end, start=ref.start),
            )


def _check_threshold_dates(c: Collector, ob: Obligation) -> None:
    ths = thresholds_of(ob)
    for i, th in enumerate(ths):
        if th.effective_from and th.effective_to and th.effective_to < th.effective_from:
            c.error(
                ob.id,
                "dates-out-of-order",
                Msg("chk.effective_to_before_from", i=i),
            )
        if (th.effective_from and th.effective_from > ob.last_day) or (
            th.effective_to and th.effective_to < ob.valid_from
        ):
            c.warning(
                ob.id,
                "threshold-never-in-force",
                Msg(
                    "chk.threshold_never_in_force",
                    i=i,
                    valid_from=ob.valid_from,
                    valid_to=ob.valid_to,
                ),
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
                    Msg("chk.thresholds_overlap", i=i, j=j, day=max(a_from, b_from)),
                )
