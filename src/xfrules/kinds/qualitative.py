"""A duty met by evidence: a plan adopted, a mechanism set up, a ledger kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from ..findings import Finding, Status
from ..i18n import t
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
            "required": Decimal(1),
            "measured": Decimal(len(evidence)),
        }
        if evidence:
            return j.finding(
                **common,
                status=Status.COMPLIANT,
                shortfall=Decimal(0),
                explanation=t(
                    "why.evidence",
                    evidence=self.evidence,
                    delivered=min(s.delivered for s in evidence),
                ),
            )
        if j.as_of < w.due:
            return j.finding(
                **common,
                status=Status.NOT_YET_DUE,
                shortfall=None,
                explanation=t("why.evidence_not_yet", evidence=self.evidence, due=w.due),
            )
        return j.finding(
            **common,
            status=Status.INSUFFICIENT_EVIDENCE,
            shortfall=None,
            explanation=t("why.no_evidence", evidence=self.evidence, start=w.start, end=w.end),
        )
