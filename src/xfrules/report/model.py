"""What a report shows, computed once for every format: roll-ups by jurisdiction, district
(the region a unit belongs to), lead department and department; the largest shortfalls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..entities import Unit
from ..findings import Evaluation, Finding, Rollup, Status
from ..i18n import t
from ..ledger.rules import scrub

__all__ = [
    "DISTRICT_KINDS",
    "LedgerRows",
    "RejectedRow",
    "ReportData",
    "build_report_data",
    "clean",
    "district_of",
    "region_names",
]

DISTRICT_KINDS = frozenset({"district", "county", "poverty_county"})
"""Unit kinds that are a district (区/县) themselves: their descendants belong to them."""


def clean(text: object) -> str:
    """Text for a report: personal data (ID and phone numbers) masked."""
    return scrub("" if text is None else str(text))


@dataclass(frozen=True)
class RejectedRow:
    """A ledger row not counted, with why (cells already masked where they were read)."""

    file: str
    row: int | str  # the row's number in its file, or where else (the header)
    column: str
    reason: str


@dataclass(frozen=True)
class LedgerRows:
    """What a report built from ledgers read: rows that counted and rows that were rejected.

    A report must say so: findings computed from half a ledger look like any others.
    ``first_rejected`` lists the first rejected rows with their reasons; ``rejects_file``
    names the file holding all of them, when one was written.
    """

    files: tuple[str, ...]
    rows_read: int
    accepted: int
    first_rejected: tuple[RejectedRow, ...] = ()
    rejects_file: str | None = None

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
    by_lead: dict[str, Rollup] = field(default_factory=dict)
    district_codes: dict[str, str | None] = field(default_factory=dict)  # group -> region code

    @property
    def applicable(self) -> list[Finding]:
        return [f for f in self.evaluation.judged if f.status is not Status.NOT_APPLICABLE]


def region_names(*sources: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Region code -> name from (code, name) pairs; the first name given for a code wins."""
    names: dict[str, str] = {}
    for pairs in sources:
        for code, name in pairs:
            names.setdefault(code, name)
    return names


def _county(code: str) -> str | None:
    """The county-level (区/县) code a region code falls under, or None when the code is of a
    prefecture or province (xx xx 00): such a unit belongs to no district."""
    county = code[:6]
    return None if county.endswith("00") else county


def district_of(
    unit: Unit, units: Mapping[str, Unit], names: Mapping[str, str]
) -> tuple[str, str | None]:
    """(group label, region code or None) of the district ``unit`` belongs to.

    The nearest of the unit and its ancestors that is a district unit (区/县); failing that,
    the county of the nearest region code among them, named from ``names`` (region sets,
    district units) or marked as unnamed; failing that, the "no district" group. A canteen
    or a department under a city is in no district — it is not one itself.
    """
    chain: list[Unit] = []
    seen: set[str] = set()
    current: Unit | None = unit
    while current is not None and current.id not in seen:
        chain.append(current)
        seen.add(current.id)
        current = units.get(current.parent) if current.parent else None
    for u in chain:
        if u.kind in DISTRICT_KINDS:
            return u.name, u.region_code
    for u in chain:
        if u.region_code:
            county = _county(u.region_code)
            if county is None:
                break
            name = names.get(county)
            return (
                f"{name}（{county}）" if name else t("report.unnamed_region", code=county)
            ), county
    return t("report.no_district"), None


def build_report_data(
    evaluation: Evaluation,
    units: Iterable[Unit],
    *,
    title: str | None = None,
    top: int = 20,
    ledger_rows: LedgerRows | None = None,
    names: Mapping[str, str] | None = None,
) -> ReportData:
    unit_map = {u.id: u for u in units}
    known = dict(names or {})
    for u in unit_map.values():
        if u.kind in DISTRICT_KINDS and u.region_code:
            known.setdefault(u.region_code, u.name)
    districts = {uid: district_of(u, unit_map, known) for uid, u in unit_map.items()}
    shortfalls: dict[str, list[tuple[Finding, Decimal]]] = {}
    for f in evaluation.judged:
        if f.status is Status.NON_COMPLIANT and f.shortfall and f.measure_unit:
            shortfalls.setdefault(f.measure_unit, []).append((f, f.shortfall))
    for unit_name, items in shortfalls.items():
        items.sort(key=lambda item: (-item[1], item[0].unit_id, item[0].obligation_id))
        shortfalls[unit_name] = items[:top]
    no_district = t("report.no_district")
    return ReportData(
        evaluation=evaluation,
        title=title or t("report.title"),
        units=unit_map,
        by_jurisdiction=evaluation.by_jurisdiction(),
        by_department=evaluation.by_department(),
        by_district=evaluation.by_unit_group(
            lambda uid: districts.get(uid, (no_district, None))[0]
        ),
        status_counts=evaluation.status_counts(),
        shortfalls=dict(sorted(shortfalls.items(), key=lambda kv: (kv[0] != "元", kv[0]))),
        ledger_rows=ledger_rows,
        by_lead=evaluation.by_department(role="lead"),
        district_codes=dict(districts.values()),
    )
