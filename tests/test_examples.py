"""The bundled examples say what they show; these tests keep them saying it.

Each file in ``examples/`` names the date it is evaluated on (``--as-of`` in its header) and
its comments promise outcomes (``sz-edu`` misses the 10% share by 90,000 元, …). The promises
are listed here and checked against ``xfrules.evaluate`` with the installed plug-ins, so a rule
change that alters an example's output fails here until the example (and its comment) follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import xfrules
from xfrules import Evaluation, Facts, Finding, Registry, Status

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLE = EXAMPLES / "sample-facts.yaml"
TIANJIN_2019 = EXAMPLES / "tianjin-2019.yaml"
FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
JURISDICTIONS = {"suzhou", "tianjin", "shanghai", "datonghu", "shaanxi"}

C = Status.COMPLIANT
N = Status.NON_COMPLIANT
I = Status.INSUFFICIENT_EVIDENCE  # noqa: E741
Y = Status.NOT_YET_DUE

# (unit id, obligation id, status, shortfall, measure unit); shortfall None = the finding
# carries none (insufficient evidence, not yet due).
Promise = tuple[str, str, Status, str | None, str | None]

SAMPLE_2020: list[Promise] = [
    # Suzhou: the issue's acceptance case, and the city's growth.
    ("sz-fin", "suzhou.canteen_national_poverty_share", C, "0", "元"),
    ("sz-fin", "suzhou.canteen_paired_county_share", C, "0", "元"),
    ("sz-edu", "suzhou.canteen_national_poverty_share", N, "90000", "元"),
    ("sz-edu", "suzhou.canteen_paired_county_share", C, "0", "元"),
    ("sz-new", "suzhou.canteen_national_poverty_share", I, None, "元"),
    ("sz-new", "suzhou.canteen_paired_county_share", I, None, "元"),
    ("sz-city", "suzhou.paired_agri_sales_growth", C, "0", "元"),
    # Datonghu: coverage, pilot villages, per-member floor, monthly reports.
    ("dth", "datonghu.express_network_coverage", C, "0", "ratio"),
    ("dth", "datonghu.ecommerce_pilot_poor_villages", N, "8", "个"),
    ("dth-union", "datonghu.union_festival_purchase_per_member", N, "3500", "元"),
    ("dth-union", "datonghu.union_canteen_advocacy", C, "0", "件"),
    ("dth-assist", "datonghu.monthly_report", N, "8", "次"),
    ("dth-assist", "datonghu.assisting_units_promotion", I, None, "件"),
    # Shaanxi: province-wide counts and rates, growth, year-end report.
    ("sx", "shaanxi.quality_pass_rate_98", C, "0", "ratio"),
    ("sx", "shaanxi.poverty_counters_30000", N, "1000", "台"),
    ("sx", "shaanxi.living_halls_xian_baoji", C, "0", "个"),
    ("sx-univ", "shaanxi.public_bodies_poverty_procurement_growth", N, "20000", "元"),
    ("sx-post", "shaanxi.year_end_progress_report", C, "0", "次"),
    ("sx-post", "shaanxi.express_to_villages", C, "0", "件"),
    ("sx-post", "shaanxi.annual_plan_inclusion", I, None, "件"),
    # Shanghai: counts, areas, persons.
    ("sh", "shanghai.municipal_display_platforms", C, "0", "个"),
    ("sh", "shanghai.district_display_platforms", I, None, "件"),  # 若干: evidence, none given
    ("sh", "shanghai.demonstration_bases_area", N, "1400", "亩"),
    ("sh", "shanghai.labour_cooperation_employment", N, "14000", "人"),
    ("sh", "shanghai.baidian_community_stores", N, "90", "家"),  # 百家 ≈ 100: at least 90
    ("sh-county", "shanghai.baixian_baipin_county_product", C, "0", "款"),
    # Tianjin in 2020: only the yearly duties.
    ("tj-coop", "tianjin.coop_trips_to_assisted_areas", C, "0", "次"),
    ("tj-coop", "tianjin.coop_matchmaking_events", N, "1", "次"),
    ("tj-hr", "tianjin.routine_labour_transfer", C, "0", "件"),
    ("tj-soe", "tianjin.soe_love_counters", I, None, "件"),
]

# The same ledger in September: year-end targets are not yet due, even when behind.
SAMPLE_SEPTEMBER: list[Promise] = [
    ("sz-edu", "suzhou.canteen_national_poverty_share", Y, None, "元"),
    ("dth", "datonghu.ecommerce_pilot_poor_villages", Y, None, "个"),
    ("sh", "shanghai.demonstration_bases_area", Y, None, "亩"),
    ("sx", "shaanxi.quality_pass_rate_98", Y, None, "ratio"),
    # Monthly reports are due every month: already short (May on time; April, June (late),
    # July, August and September missing).
    ("dth-assist", "datonghu.monthly_report", N, "5", "次"),
]

TIANJIN_2019_PROMISES: list[Promise] = [
    ("tj-hp", "tianjin.annual_consumption_total", C, "0", "元"),
    ("tj-hx", "tianjin.annual_consumption_total", N, "8750000", "元"),
    ("tj", "tianjin.annual_consumption_total", N, "990000000", "元"),
    ("tj", "tianjin.love_counters_goal", C, "0", "个"),
    ("tj", "tianjin.ecommerce_stations_goal", N, "14", "个"),
    ("tj", "tianjin.station_staff_trained_persons", N, "997", "人"),
    ("tj-hp", "tianjin.districts_organise_consumption", C, "0", "元"),
    ("tj-hx", "tianjin.districts_organise_consumption", I, None, "元"),
    ("tj-hp", "tianjin.districts_mobilise_and_prioritise", C, "0", "件"),
    ("tj-hx", "tianjin.districts_mobilise_and_prioritise", I, None, "件"),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    reg = xfrules.load_registry()
    assert not reg.errors, reg.errors
    missing = JURISDICTIONS - set(reg.jurisdictions)
    assert not missing, f"plug-ins not installed: {sorted(missing)}"
    return reg


def _as_of(path: Path) -> date:
    """The date the file's header comment says to evaluate it on."""
    header = path.read_text(encoding="utf-8").split("\nunits:", 1)[0]
    match = re.search(r"--as-of (\d{4}-\d{2}-\d{2})", header)
    assert match, f"{path.name}: the header comment names no --as-of date"
    return date.fromisoformat(match.group(1))


def _evaluate(path: Path, registry: Registry, as_of: date | None = None) -> Evaluation:
    facts = xfrules.load_facts(path)
    return xfrules.evaluate(facts, as_of or _as_of(path), rules=registry)


def _index(result: Evaluation) -> dict[tuple[str, str], Finding]:
    return {(f.unit_id, f.obligation_id): f for f in result.findings}


def _check(result: Evaluation, promises: list[Promise]) -> None:
    findings = _index(result)
    wrong = []
    for unit, obligation, status, shortfall, measure_unit in promises:
        f = findings.get((unit, obligation))
        if f is None:
            wrong.append(f"{unit} {obligation}: no finding")
            continue
        got = (f.status, f.shortfall, f.measure_unit)
        want = (status, None if shortfall is None else Decimal(shortfall), measure_unit)
        if got != want:
            wrong.append(f"{unit} {obligation}: got {got}, promised {want} ({f.explanation})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_loads_and_every_unit_is_bound(path: Path, registry: Registry) -> None:
    """Loads without problems, and no unit is silently bound by nothing."""
    result = _evaluate(path, registry)
    facts = xfrules.load_facts(path)
    assert facts.units
    bound = {f.unit_id for f in result.findings if f.status is not Status.NOT_APPLICABLE}
    assert {u.id for u in facts.units} <= bound


def _read_keys(value: Any, keys: set[str]) -> Iterator[str]:
    """Every string under one of ``keys`` anywhere in a dumped obligation."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in keys and isinstance(v, str):
                yield v
            else:
                yield from _read_keys(v, keys)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _read_keys(v, keys)


def _vocabulary(registry: Registry, jurisdiction: str, keys: set[str]) -> set[str]:
    rules = registry.jurisdictions[jurisdiction]
    return {k for ob in rules.obligations for k in _read_keys(ob.model_dump(), keys)}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_uses_only_names_the_plugins_read(path: Path, registry: Registry) -> None:
    """Unit kinds, departments, metrics and report keys are ones the plug-ins know.

    A misspelt metric would not be an input error; it would silently turn a promised
    finding into insufficient_evidence. This names the typo instead.
    """
    facts: Facts = xfrules.load_facts(path)
    units = {u.id: u for u in facts.units}
    problems = []
    for u in facts.units:
        rules = registry.jurisdictions[u.jurisdiction]
        if u.kind not in rules.jurisdiction.unit_kinds:
            problems.append(f"unit {u.id}: kind {u.kind!r} not declared by {u.jurisdiction}")
        if u.department and not any(d.matches(u.department) for d in rules.departments):
            problems.append(f"unit {u.id}: department {u.department!r} not declared")
    for o in facts.observations:
        jur = units[o.unit].jurisdiction
        if o.metric not in _vocabulary(
            registry, jur, {"metric", "numerator_metric", "denominator_metric"}
        ):
            problems.append(f"observation of {o.unit}: no {jur} obligation reads {o.metric!r}")
    for s in facts.submissions:
        jur = units[s.unit].jurisdiction
        if s.report not in _vocabulary(registry, jur, {"report", "evidence"}):
            problems.append(f"submission of {s.unit}: no {jur} obligation reads {s.report!r}")
    assert not problems, "\n".join(problems)


def test_sample_keeps_its_promises(registry: Registry) -> None:
    _check(_evaluate(SAMPLE, registry), SAMPLE_2020)


def test_sample_in_september_shows_not_yet_due(registry: Registry) -> None:
    _check(_evaluate(SAMPLE, registry, date(2020, 9, 30)), SAMPLE_SEPTEMBER)


def test_tianjin_2019_keeps_its_promises(registry: Registry) -> None:
    _check(_evaluate(TIANJIN_2019, registry), TIANJIN_2019_PROMISES)


def test_tianjin_targets_are_2019_only(registry: Registry) -> None:
    """Why Tianjin has its own sample: its targets are 2019's. Audited later (2020-12-31),
    the 2019 period is still judged, as it stood at its end — a miss does not vanish."""
    later = _index(_evaluate(TIANJIN_2019, registry, date(2020, 12, 31)))
    at_end = _index(_evaluate(TIANJIN_2019, registry, date(2019, 12, 31)))
    for unit in ("tj", "tj-hx"):
        key = (unit, "tianjin.annual_consumption_total")
        assert later[key].period_end == date(2019, 12, 31)
        assert later[key].model_dump(exclude={"as_of"}) == at_end[key].model_dump(exclude={"as_of"})
    assert later[("tj", "tianjin.annual_consumption_total")].status is Status.NON_COMPLIANT


def test_sample_shows_a_mix_in_every_jurisdiction(registry: Registry) -> None:
    """The README's first command shows each jurisdiction meeting, missing and lacking evidence."""
    result = _evaluate(SAMPLE, registry)
    seen: dict[str, set[Status]] = {}
    for f in result.findings:
        if f.status is not Status.NOT_APPLICABLE:
            seen.setdefault(f.jurisdiction, set()).add(f.status)
    assert set(seen) == JURISDICTIONS
    for jurisdiction, statuses in sorted(seen.items()):
        assert {C, N, I} <= statuses, (jurisdiction, statuses)
    # shortfalls both in money and in counts
    units_short = {f.measure_unit for f in result.findings if f.status is N}
    assert "元" in units_short
    assert units_short & {"个", "次", "台", "人"}
    # the table stays small enough to read (the sample's town alone is responsible for the
    # ~25 Datonghu tasks naming 各镇, most of them qualitative and without evidence yet; and
    # Tianjin's 2019 duties, judged as they stood at the end of 2019)
    shown = [f for f in result.findings if f.status is not Status.NOT_APPLICABLE]
    assert len(shown) <= 90
