"""A duty met by evidence: a plan adopted, a mechanism set up, a ledger kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import Field

from ..findings import Finding, Status
from ..periods import window_for
from .base import ObligationBase, Reads
from .judging import Judging

__all__ = ["Qualitative"]


class Qualitative(ObligationBase):
    """A duty met by evidence (a plan adopted, a mechanism set up, a ledger kept)."""

    kind: Literal["qualitative"] = "qualitative"
    evidence: str = Field(description="Submission report key that evidences the duty.")

    def reads(self) -> Reads:
        return Reads(reports=(self.evidence,))

    def target_text(self) -> str:
        return f"evidence {self.evidence!r}"

    def assess(self, j: Judging) -> Finding:
        w = window_for(self, j.on)
        evidence = [
            s
            for s in j.index.submissions(j.unit.id, self.evidence)
            if s.delivered <= j.as_of and s.period_start <= w.end and s.period_end >= w.start
        ]
        common = {
            "period_start": w.start,
            "period_end": w.end,
            "due": w.due,
            "measure_unit": "件",
            "comparator": ">=",
            "required": _ONE,
            "measured": Decimal(len(evidence)) if evidence else _ZERO,
        }
        if evidence:
            return j.finding(
                **common,
                status=Status.COMPLIANT,
                shortfall=_ZERO,
                explanation=f"evidence {self.evidence!r} delivered {min(s.delivered for s in evidence)}",
            )
        if j.as_of < w.due:
            return j.finding(
                **common,
                status=Status.NOT_YET_DUE,
                shortfall=None,
                explanation=_not_yet_due(self.evidence, w.due),
            )
        return j.finding(
            **common,
            status=Status.INSUFFICIENT_EVIDENCE,
            shortfall=None,
            explanation=_no_evidence(self.evidence, w.start, w.end),
        )


# Most units of a province lack the same evidence for the same period: they share one text and
# one Decimal instead of a copy each (a tenth of a finding's memory, and its formatting time).
_ZERO, _ONE = Decimal(0), Decimal(1)


@lru_cache(maxsize=4096)
def _not_yet_due(evidence: str, due: date) -> str:
    return f"no evidence {evidence!r} yet; due {due}"


@lru_cache(maxsize=4096)
def _no_evidence(evidence: str, start: date, end: date) -> str:
    return (
        f"no evidence {evidence!r} delivered for {start}..{end}; "
        "a qualitative duty is judged on evidence only"
    )
