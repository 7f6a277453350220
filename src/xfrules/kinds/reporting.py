"""Reports delivered by their due date (每月29日前报送), with the annexes they must carry."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field

from ..entities import Unit
from ..findings import Finding, Status
from ..i18n import t
from ..periods import month_due, months_between, window_for
from .base import Evidence, ObligationBase, Reads
from .judging import Judging

__all__ = ["Reporting"]


class Reporting(ObligationBase):
    """A report per period, delivered by its due date (每月29日前报送)."""

    kind: Literal["reporting"] = "reporting"
    report: str = Field(description="Report key submissions carry.")
    recipient: str | None = Field(default=None, description="Department it is delivered to.")
    required_attachments: tuple[str, ...] = ()

    @property
    def judged_as_one_period(self) -> bool:
        # A monthly report is judged over all its months at once: n of m delivered on time.
        return self.period.frequency in ("fixed", "monthly")

    def reads(self) -> Reads:
        return Reads(reports=(self.report,))

    def raised_by(self) -> Evidence:
        return Evidence(report=self.report, attachments=self.required_attachments)

    def exemption(self, unit: Unit) -> str | None:
        if self.recipient is not None and unit.department == self.recipient:
            return t("why.own_recipient", recipient=self.recipient)
        return None

    def target_text(self) -> str:
        return f"report {self.report!r} {self.period.frequency}"

    def assess(self, j: Judging) -> Finding:
        submissions = [
            s for s in j.index.submissions(j.unit.id, self.report) if s.delivered <= j.as_of
        ]
        if self.period.frequency != "monthly":
            w = window_for(self, j.on)
            periods = [(w.start, w.end, w.due)]
        else:
            periods = []
            for year, month in months_between(self.valid_from, min(j.as_of, self.last_day)):
                start = date(year, month, 1)
                end = date(year, month, calendar.monthrange(year, month)[1])
                periods.append((start, end, month_due(self.period, year, month)))
        due_periods = [p for p in periods if p[2] <= j.as_of]
        late: list[str] = []
        for start, end, due in due_periods:
            # A report counts for a period it covers, delivered by the due date — and not before
            # the period began: a report sent in April says nothing of May to December.
            on_time = [
                s
                for s in submissions
                if s.period_start <= end
                and s.period_end >= start
                and start <= s.delivered <= due
                and set(self.required_attachments) <= set(s.attachments)
            ]
            if not on_time:
                late.append(
                    f"{start:%Y-%m}" if self.period.frequency == "monthly" else f"{start}..{end}"
                )
        first, last = periods[0], periods[-1]
        if not due_periods:
            nxt = min(p[2] for p in periods)
            return j.finding(
                status=Status.NOT_YET_DUE,
                period_start=first[0],
                period_end=last[1],
                due=nxt,
                measure_unit="次",
                comparator=">=",
                explanation=t("why.first_report_due", due=nxt),
            )
        required = Decimal(len(due_periods))
        measured = required - len(late)
        status = Status.COMPLIANT if not late else Status.NON_COMPLIANT
        attach = (
            t("why.reports.attach", attachments=", ".join(self.required_attachments))
            if self.required_attachments
            else ""
        )
        text = t("why.reports", measured=measured, required=required, attach=attach) + (
            t("why.reports.late", periods=", ".join(late)) if late else ""
        )
        return j.finding(
            status=status,
            period_start=first[0],
            period_end=due_periods[-1][1],
            due=due_periods[-1][2],
            measured=measured,
            required=required,
            shortfall=Decimal(len(late)),
            measure_unit="次",
            comparator=">=",
            explanation=text,
        )
