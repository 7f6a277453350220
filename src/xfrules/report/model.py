"""What a report shows, computed once for HTML and XLSX: roll-ups by jurisdiction, department, district."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..entities import Unit
from ..findings import Evaluation, Finding, Rollup, Status, rollup
from ..ledger.rules import scrub

__all__ = ["LedgerRows", "ReportData", "build_report_data", "clean"]


def clean(text: object) -> str:
    """Text for a report: personal data (ID and phone numbers) masked."""
    return scrub("" if text is None else str(text))


@dataclass(frozen=True)
class LedgerRows:
    """What a report built from ledgers read: rows that counted and rows that were rejected.

    A report must say so: findings computed from half a ledger look like any others.
    """

    files: tuple[str, ...]
    rows_read: int
    accepted: int

    @property
    def rejected(self) -> int:
        return self.rows_read - self.accepted


@dataclass
class ReportData:
    evaluation: Evaluation
    title: str
    units: dict[str, Unit]
    by_jurisdiction: dict[str, Rollup]
    by_department: dict[str, Rollup]
    by_district: dict[str, Rollup]
    status_counts: dict[str, int]
    shortfalls: dict[str, list[tuple[Finding, Decimal]]]  # measure unit -> largest misses
    ledger_rows: LedgerRows | None = None  # when the findings come from ledger files

    @property
    def applicable(self) -> list[Finding]:
        return [f for f in self.evaluation.findings if f.status is not Status.NOT_APPLICABLE]


def _district(f: Finding, units: dict[str, Unit]) -> str:
    """The district a finding belongs to: the unit's parent, a district unit itself, or its region."""
    unit = units.get(f.unit_id)
    if unit is None:
        return f.unit_name
    if unit.parent and unit.parent in units:
        return units[unit.parent].name
    if unit.kind in ("district", "city", "town"):
        return unit.name
    return unit.region_code or unit.name


def build_report_data(
    evaluation: Evaluation,
    units: Iterable[Unit],
    *,
    title: str = "消费扶贫合规报告",
    top: int = 20,
    ledger_rows: LedgerRows | None = None,
) -> ReportData:
    unit_map = {u.id: u for u in units}
    counts = {s.value: 0 for s in Status}
    shortfalls: dict[str, list[tuple[Finding, Decimal]]] = {}
    for f in evaluation.findings:
        counts[f.status.value] += 1
        if f.status is Status.NON_COMPLIANT and f.shortfall and f.measure_unit:
            shortfalls.setdefault(f.measure_unit, []).append((f, f.shortfall))
    for unit_name, items in shortfalls.items():
        items.sort(key=lambda item: (-item[1], item[0].unit_id, item[0].obligation_id))
        shortfalls[unit_name] = items[:top]
    return ReportData(
        evaluation=evaluation,
        title=title,
        units=unit_map,
        by_jurisdiction=evaluation.by_jurisdiction(),
        by_department=evaluation.by_department(),
        by_district=rollup(evaluation.findings, lambda f: [_district(f, unit_map)]),
        status_counts=counts,
        shortfalls=dict(sorted(shortfalls.items(), key=lambda kv: (kv[0] != "元", kv[0]))),
        ledger_rows=ledger_rows,
    )
