"""The monitor's view of the facts and the calendar: a fact index that grows one fact at a
time, the events each obligation reads, and when time alone can change a finding."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..entities import Observation, Submission, Transaction
from ..evaluator import last_day_in_force
from ..facts import FactIndex
from ..obligations import Obligation
from ..periods import month_due, months_between, window_for
from .engine import Route

__all__ = ["LiveIndex", "routes_of", "time_signature"]


class LiveIndex(FactIndex):
    """The evaluator's FactIndex, growing one fact at a time."""

    def add_transaction(self, tx: Transaction) -> None:
        self.transactions_by_buyer.setdefault(tx.buyer, []).append(tx)

    def add_observation(self, obs: Observation) -> None:
        self.observations_by_unit.setdefault((obs.unit, obs.metric), []).append(obs)

    def add_submission(self, sub: Submission) -> None:
        self.submissions_by_unit.setdefault((sub.unit, sub.report), []).append(sub)


def routes_of(ob: Obligation) -> set[Route]:
    """The events that can change a finding of ``ob`` (besides the clock)."""
    reads = ob.reads()
    routes: set[Route] = {("observation", m) for m in reads.metrics}
    routes |= {("submission", r) for r in reads.reports}
    if reads.transactions:
        routes.add(("transaction",))
    return routes


def time_signature(ob: Obligation, day: date) -> tuple[Any, ...]:
    """Equal for two dates exactly when time alone cannot change a finding of ``ob``
    (what submissions are delivered by then is tracked separately)."""
    if day < ob.valid_from:
        return ("out", day)  # the explanation names the date
    judged = last_day_in_force(ob, day)  # after valid_to, its last period
    if ob.judged_as_one_period and ob.period.frequency == "monthly":
        months = list(months_between(ob.valid_from, judged))
        passed = sum(1 for y, m in months if month_due(ob.period, y, m) <= day)
        return ("in", months[-1], passed)
    w = window_for(ob, judged)
    return ("in", w, day >= w.due)
