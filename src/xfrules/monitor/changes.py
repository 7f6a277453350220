"""What the monitor reports: a changed finding with its alerts, and the results of posting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..findings import Finding, Status, same_explanation
from .events import EngineError, EventError

__all__ = [
    "BatchResult",
    "Change",
    "PostResult",
    "alerts_between",
    "change_key",
    "changed",
    "is_behind",
    "paced",
]


def change_key(f: Finding) -> tuple[Any, ...]:
    """What a change is: these fields, and the explanation (:func:`changed`)."""
    return (f.status, f.measured, f.required, f.shortfall, f.period_start, f.period_end, f.due)


def changed(before: Finding, after: Finding) -> bool:
    """Whether ``after`` reports something ``before`` did not: its figures, status or period,
    or its explanation (a purchase not counted changes only that) — compared without writing
    the explanations where their deferred words are equal."""
    return change_key(before) != change_key(after) or not same_explanation(before, after)


def paced(f: Finding) -> bool:
    """A floor target not yet due, with figures: one whose pace is watched day by day."""
    return not (
        f.status is not Status.NOT_YET_DUE
        or f.kind in ("reporting", "qualitative")
        or f.comparator not in (">=", ">")
        or f.measured is None
        or f.required is None
        or f.period_start is None
        or f.period_end is None
    )


def is_behind(f: Finding, today: date) -> bool:
    """For a paced finding (:func:`paced`): whether its measured value is below the
    pro-rata share of the required value for the days elapsed in its period (day counts,
    exact)."""
    assert f.measured is not None and f.required is not None
    assert f.period_start is not None and f.period_end is not None
    total = (f.period_end - f.period_start).days + 1
    elapsed = min(max((today - f.period_start).days + 1, 0), total)
    return f.measured * total < f.required * elapsed


def alerts_between(before: Finding | None, after: Finding) -> list[str]:
    if before is None:
        return []
    out: list[str] = []
    if after.kind == "reporting":
        came_due = (after.required or 0) - (before.required or 0)
        if came_due > 0:
            late = (after.shortfall or 0) - (before.shortfall or 0)
            if late > 0:
                out.append("report_late")
            if came_due - late > 0:
                out.append("report_on_time")
        return out
    if before.status is not after.status:
        if after.status is Status.NON_COMPLIANT:
            out.append(
                "deadline_missed" if before.status is Status.NOT_YET_DUE else "non_compliant"
            )
        elif after.status is Status.COMPLIANT:
            out.append("target_met")
    return out


@dataclass(frozen=True)
class Change:
    """A finding that changed (or a pace alert), as of the monitor's clock."""

    unit_id: str
    obligation_id: str
    as_of: date
    before: Finding | None
    after: Finding
    alerts: tuple[str, ...]

    @property
    def status(self) -> Status:
        return self.after.status

    def __str__(self) -> str:
        """One line, as ``xfrules watch`` prints it: date, unit, obligation, status change,
        alerts, measured/required, and the clause it comes from."""
        f = self.after
        before = self.before.status.value if self.before is not None else "-"
        alerts = f" [{', '.join(self.alerts)}]" if self.alerts else ""
        figures = ""
        if f.measured is not None and f.required is not None:
            figures = (
                f" {f.measured.normalize():f}/{f.required.normalize():f} {f.measure_unit or ''}"
            )
        return (
            f"{self.as_of} {f.unit_id} {f.obligation_id}: {before} -> {f.status.value}{alerts}"
            f"{figures.rstrip()} ({f.source.document} {f.source.clause})"
        )

    def to_record(self) -> dict[str, Any]:
        return {
            "record": "change",
            "as_of": self.as_of.isoformat(),
            "unit_id": self.unit_id,
            "obligation_id": self.obligation_id,
            "from": None if self.before is None else self.before.status.value,
            "to": self.after.status.value,
            "alerts": list(self.alerts),
            "finding": self.after.to_record(),
        }


@dataclass
class PostResult:
    status: str  # "accepted" | "duplicate"
    changes: list[Change] = field(default_factory=list)


@dataclass
class BatchResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[EventError] = field(default_factory=list)
    failed: list[EngineError] = field(default_factory=list)  # durable_rules failed on these
    changes: list[Change] = field(default_factory=list)
