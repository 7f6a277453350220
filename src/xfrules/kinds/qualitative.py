"""A duty met by evidence: a plan adopted, a mechanism set up, a ledger kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from ..findings import Finding, Status
from ..i18n import t
from ..periods import Window, window_for
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
        # The window, and the finding of a unit without evidence, depend on the plan alone
        # (obligation, as_of, period): made once, shared by every unit lacking the evidence.
        memo = j.plan.memo
        w = memo.get("window")
        if w is None:
            w = memo["window"] = window_for(self, j.on)
        evidence = [
            s
            for s in j.index.submissions(j.unit.id, self.evidence)
            if s.delivered <= j.as_of and s.period_start <= w.end and s.period_end >= w.start
        ]
        if evidence:
            return j.finding(
                **self._figures(w, Decimal(len(evidence))),
                status=Status.COMPLIANT,
                shortfall=_ZERO,
                explanation=t(
                    "why.evidence",
                    evidence=self.evidence,
                    delivered=min(s.delivered for s in evidence),
                ),
            )
        missing = memo.get("missing")
        if missing is None:
            if j.as_of < w.due:
                status = Status.NOT_YET_DUE
                why = t("why.evidence_not_yet", evidence=self.evidence, due=w.due)
            else:
                status = Status.INSUFFICIENT_EVIDENCE
                why = t("why.no_evidence", evidence=self.evidence, start=w.start, end=w.end)
            missing = memo["missing"] = {
                **j.plan.window_template,
                **self._figures(w, _ZERO),
                "status": status,
                "shortfall": None,
                "explanation": why,
            }
        return Finding.trusted_from(missing, **j.who)

    @staticmethod
    def _figures(w: Window, measured: Decimal) -> dict[str, Any]:
        return {
            "period_start": w.start,
            "period_end": w.end,
            "due": w.due,
            "measure_unit": "件",
            "comparator": ">=",
            "required": _ONE,
            "measured": measured,
        }


_ZERO, _ONE = Decimal(0), Decimal(1)  # shared by the findings, not a copy each
