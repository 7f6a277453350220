"""The suzhou plug-in is complete and faithful to 苏府办〔2020〕77号, and its decisions hold.

Generic checks (quotes verbatim, source identical, departments declared, clauses covered)
are repeated here so the plug-in can be tested on its own; the rest reads the document
itself — its parentheses of 负责 bodies, its numbered items, its percentages — and checks
the encoding against it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib import metadata, resources
from pathlib import Path

import pytest

from xfrules import (
    BaselineShare,
    Facts,
    Finding,
    GrowthRate,
    Qualitative,
    Unit,
    evaluate,
    load_registry,
    parse_facts,
)
from xfrules.findings import Status
from xfrules.registry import JurisdictionRules

PACKAGE = "xfrules_suzhou"
PLUGIN_DIR = Path(__file__).resolve().parents[1]
REGISTRY = load_registry()
RULES: JurisdictionRules = REGISTRY.jurisdictions["suzhou"]
TEXT: str = RULES.document.text if RULES.document else ""
OBLIGATIONS = {ob.id: ob for ob in RULES.obligations}

CHINESE_DIGITS = "一二三四五六七八九十"
# Bodies named only as issuer or addressee of the notice: declared, bound by nothing.
NOT_BOUND = {"苏州市人民政府办公室", "太仓港口管委会"}


# --------------------------------------------------------------------------- the document


def _sections() -> dict[str, str]:
    """The text of every numbered part: 一 … 四 and 三（一）… 四（三）, keyed by clause id."""
    tops = [(m.group(1), m.start()) for m in re.finditer(r"^([一二三四])、", TEXT, re.M)]
    out: dict[str, str] = {}
    for i, (num, start) in enumerate(tops):
        end = tops[i + 1][1] if i + 1 < len(tops) else len(TEXT)
        body = TEXT[start:end]
        out[num] = body
        items = list(re.finditer(rf"^[（(]([{CHINESE_DIGITS}]+)[）)]", body, re.M))
        for j, m in enumerate(items):
            item_end = items[j + 1].start() if j + 1 < len(items) else len(body)
            out[f"{num}（{m.group(1)}）"] = body[m.start() : item_end]
    return out


SECTIONS = _sections()


def _responsible_parenthesis(body: str) -> str | None:
    """The last parenthesis of a task that ends in 负责 (the document breaks it across lines)."""
    found = re.findall(r"[（(]([^（()）]*?)负\s*责[）)]", body, re.S)
    return found[-1] if found else None


def _names_in(parenthesis: str) -> tuple[list[str], list[str]]:
    """Split a 负责 list into declared names (longest match first) and unknown chunks."""
    names = sorted(
        {n for d in RULES.departments for n in (d.name, *d.aliases)}, key=len, reverse=True
    )
    separators = "、，,和等 \n"
    found: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(parenthesis):
        if parenthesis[i] in separators:
            i += 1
            continue
        match = next((n for n in names if parenthesis.startswith(n, i)), None)
        if match is None:
            j = i
            while j < len(parenthesis) and parenthesis[j] not in separators:
                j += 1
            unknown.append(parenthesis[i:j])
            i = j
        else:
            found.append(match)
            i += len(match)
    return found, unknown


def _canonical(name: str) -> str:
    dept = RULES.department(name)
    assert dept is not None, name
    return dept.name


TASKS = [c for c in SECTIONS if "（" in c]


# --------------------------------------------------------------------------- packaging


def test_entry_point_and_registry() -> None:
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="xfrules")}
    assert eps.get("suzhou") == "xfrules_suzhou:plugin"
    assert not [e for e in REGISTRY.errors if "suzhou" in str(e)]
    assert RULES.jurisdiction.document_number == "苏府办〔2020〕77号"
    assert RULES.jurisdiction.issued == date(2020, 3, 17)


def test_shipped_source_is_byte_identical(xfrules_shared_sources: Path) -> None:
    folder = xfrules_shared_sources
    shipped = (resources.files(PACKAGE) / "source.txt").read_bytes()
    assert shipped == (folder / "suzhou.txt").read_bytes()


def test_quotes_are_verbatim() -> None:
    bad = [ob.id for ob in RULES.obligations if ob.source.quote not in TEXT]
    bad += [
        f"{ob.id}: {t.quote}"
        for ob in RULES.obligations
        for t in getattr(ob, "thresholds", ())
        if t.quote is None or t.quote not in TEXT
    ]
    bad += [s.name for s in RULES.region_sets if s.source_quote and s.source_quote not in TEXT]
    assert not bad


def test_every_named_department_is_declared_and_bound() -> None:
    unknown = sorted(
        {d for ob in RULES.obligations for d in ob.departments if RULES.department(d) is None}
    )
    assert not unknown
    bound = {d for ob in RULES.obligations for d in ob.departments}
    unbound = {d.name for d in RULES.departments} - bound - NOT_BOUND
    assert not unbound, f"declared but bound by no obligation: {sorted(unbound)}"
    for name in NOT_BOUND:
        assert name in TEXT


# --------------------------------------------------------------------------- completeness


def test_every_numbered_part_of_the_document_is_a_clause() -> None:
    declared = {c.id for c in RULES.clauses}
    assert set(SECTIONS) <= declared, sorted(set(SECTIONS) - declared)
    assert len(TASKS) == 11  # 三（一）…（八）, 四（一）…（三）
    extra = declared - set(SECTIONS) - {"序言"}
    assert not extra, extra


def test_every_clause_is_encoded_or_explained() -> None:
    cited = {ob.source.clause for ob in RULES.obligations}
    declared = {c.id: c for c in RULES.clauses}
    assert cited <= set(declared), cited - set(declared)
    for clause in declared.values():
        if clause.disposition == "encoded":
            assert clause.id in cited, f"{clause.id} marked encoded but nothing cites it"
        else:
            assert clause.reason, clause.id
            assert clause.id not in cited, clause.id
    # every task of 三 and 四 binds someone
    assert all(declared[t].disposition == "encoded" for t in TASKS)


@pytest.mark.parametrize("clause", TASKS)
def test_task_binds_every_body_its_parenthesis_names(clause: str) -> None:
    parenthesis = _responsible_parenthesis(SECTIONS[clause])
    assert parenthesis is not None, f"{clause} has no 负责 parenthesis"
    found, unknown = _names_in(parenthesis)
    assert not unknown, f"{clause}: undeclared bodies {unknown}"
    named = {_canonical(n) for n in found}
    citing = [ob for ob in RULES.obligations if ob.source.clause == clause]
    bound = {d for ob in citing for d in ob.departments}
    assert named <= bound, f"{clause}: named but not bound: {sorted(named - bound)}"
    kinds = {k for ob in citing for k in ob.applies_to}
    if "各市、区人民政府" in named:
        assert "district" in kinds
    if "各前方工作组" in named:
        assert "work_group" in kinds
    if "苏州市各预算单位" in named:
        assert "budget_unit" in kinds
    # and nothing is bound that neither the parenthesis nor the clause's own text names
    district_groups = {"各市、区人民政府", "苏州工业园区管委会", "苏州高新区管委会"}
    for extra in bound - named:
        if extra in district_groups and "各地各部门" in SECTIONS[clause]:
            continue  # 各地 are the district-level governments
        dept = RULES.department(extra)
        assert dept is not None
        assert any(n in SECTIONS[clause] for n in (dept.name, *dept.aliases)), (clause, extra)


def test_percentages_of_the_document_are_thresholds() -> None:
    percents = re.findall(r"(\d+)%", TEXT)
    assert sorted(percents) == ["10", "25", "5"]
    ratios = {
        t.value
        for ob in RULES.obligations
        for t in getattr(ob, "thresholds", ())
        if t.unit == "ratio" and ob.source.quote != "加大旅游推介频率"  # growth > 0 (README D11)
    }
    assert {Decimal(p) / 100 for p in percents} == ratios


def test_no_target_is_approximate_because_the_document_has_none() -> None:
    for marker in ("左右", "力争", "几个"):
        assert marker not in TEXT
    assert re.findall(r"约", TEXT) == ["约"]  # only in 制约
    assert "制约" in TEXT
    assert not [ob.id for ob in RULES.obligations if ob.approximate]


def test_validity_is_the_plan_year() -> None:
    for ob in RULES.obligations:
        assert ob.valid_from == date(2020, 3, 17), ob.id
        assert ob.valid_to == date(2020, 12, 31), ob.id
        if "扶贫日" in ob.source.quote:  # README D9: 1-31 October around 10-17
            assert (ob.period.frequency, ob.period.day) == ("around_day", "10-17"), ob.id
            assert (ob.period.days_before, ob.period.days_after) == (16, 14), ob.id
        else:
            assert ob.period.frequency == "annual", ob.id


# --------------------------------------------------------------------------- regions


def test_paired_counties_match_the_preamble() -> None:
    paired = RULES.region_set("paired_counties")
    assert paired is not None and paired.expected_size == 13
    codes = [r.code for r in paired.regions]
    assert len(set(codes)) == 13
    tongren = [c for c in codes if c.startswith("5206")]  # 贵州省铜仁市
    assert len(tongren) == 10 and "贵州铜仁10个县区" in TEXT
    by_name = {r.name: r.code for r in paired.regions}
    for name, code in (("周至县", "610124"), ("林周县", "540121"), ("阿图什市", "653001")):
        assert name in TEXT
        assert by_name[name] == code


def test_national_poverty_counties_are_supplied_by_the_deployment() -> None:
    national = RULES.region_set("national_poverty_counties")
    assert national is not None
    assert national.extensible and national.provenance
    assert national.expected_size is None  # the document states no count


# --------------------------------------------------------------------------- decisions


def test_ten_percent_counts_paired_purchases_and_five_percent_only_those() -> None:
    ten = OBLIGATIONS["suzhou.canteen_national_poverty_share"]
    five = OBLIGATIONS["suzhou.canteen_paired_county_share"]
    assert isinstance(ten, BaselineShare) and isinstance(five, BaselineShare)
    assert set(ten.measure.origin_sets) == {"national_poverty_counties", "paired_counties"}  # type: ignore[union-attr]
    assert five.measure.origin_sets == ("paired_counties",)  # type: ignore[union-attr]
    for ob in (ten, five):
        assert ob.applies_to == ("budget_unit",)
        assert (ob.baseline.metric, ob.baseline.start, ob.baseline.end) == (
            "canteen_agri_procurement_total",
            date(2019, 1, 1),
            date(2019, 12, 31),
        )
        assert ob.thresholds[0].comparator == ">="  # 不得低于 is inclusive


def _facts(*, baseline: str | None, purchases: list[tuple[str, str]]) -> Facts:
    doc: dict[str, list[dict[str, object]]] = {
        "units": [{"id": "u", "name": "单位", "kind": "budget_unit", "jurisdiction": "suzhou"}],
        "transactions": [
            {
                "id": f"t{i}",
                "buyer": "u",
                "amount": amount,
                "date": "2020-06-01",
                "origin_region": origin,
                "category": "agricultural",
            }
            for i, (origin, amount) in enumerate(purchases)
        ],
        "observations": []
        if baseline is None
        else [
            {
                "unit": "u",
                "metric": "canteen_agri_procurement_total",
                "period_start": "2019-01-01",
                "period_end": "2019-12-31",
                "value": baseline,
            }
        ],
    }
    return parse_facts(doc)


def _finding(facts: Facts, obligation: str, as_of: date = date(2020, 12, 31)) -> Finding:
    ev = evaluate(
        facts,
        as_of,
        obligations=[OBLIGATIONS[obligation]],
        region_sets={k: s.codes for k, s in REGISTRY.region_sets().items()},
    )
    (finding,) = ev.findings
    return finding


@pytest.mark.parametrize(
    "code",
    [
        "520602",
        "520603",
        "520621",
        "520622",
        "520623",
        "520624",
        "520625",
        "520626",
        "520627",
        "520628",
        "610124",
        "540121",
        "653001",
    ],
)
def test_each_paired_county_counts_toward_both_shares(code: str) -> None:
    facts = _facts(baseline="200000", purchases=[(code, "20000")])
    for ob in ("suzhou.canteen_national_poverty_share", "suzhou.canteen_paired_county_share"):
        f = _finding(facts, ob)
        assert f.status is Status.COMPLIANT, (ob, f.explanation)
        assert f.measured == Decimal("20000")


def test_a_town_code_inside_a_paired_county_counts() -> None:
    # 9-digit statistical codes of towns fall inside their county (520621 江口县)
    facts = _facts(baseline="1000000", purchases=[("520621100", "100000")])
    f = _finding(facts, "suzhou.canteen_national_poverty_share")
    assert f.status is Status.COMPLIANT


def test_missing_baseline_is_insufficient_evidence_and_names_the_metric() -> None:
    facts = _facts(baseline=None, purchases=[("520621", "100000")])
    f = _finding(facts, "suzhou.canteen_national_poverty_share")
    assert f.status is Status.INSUFFICIENT_EVIDENCE
    assert "canteen_agri_procurement_total" in f.explanation
    assert f.shortfall is None


def test_shortfall_is_exact_decimal() -> None:
    facts = _facts(baseline="333333.33", purchases=[("520621", "33333.33")])
    f = _finding(facts, "suzhou.canteen_national_poverty_share")
    # 10% of 333,333.33 is 33,333.333; the purchase misses it by 0.003
    assert f.required == Decimal("33333.333")
    assert f.shortfall == Decimal("0.003")


def test_growth_binds_the_city_only() -> None:
    growth = OBLIGATIONS["suzhou.paired_agri_sales_growth"]
    assert isinstance(growth, GrowthRate)
    assert growth.applies_to == ("city",)
    assert growth.thresholds[0].value == Decimal("0.25")
    assert growth.measure.scope == "unit"
    assert growth.baseline is not None and growth.baseline.start == date(2019, 1, 1)
    assert not growth.departments  # 二 names no department
    quarter = [
        ob for ob in RULES.obligations if isinstance(ob, GrowthRate) and ob.thresholds[0].value
    ]
    assert quarter == [growth]


def test_every_declared_department_as_a_unit_is_bound_by_something() -> None:
    """A unit for each municipal body, of the kind it would be, meets at least one duty."""
    kinds = {"市总工会": "union", "苏州农发集团": "enterprise", "邮政苏州分公司": "enterprise"}
    groups = {
        "各市、区人民政府": "district",
        "苏州工业园区管委会": "district",
        "苏州高新区管委会": "district",
        "各前方工作组": "work_group",
        "苏州市各预算单位": "budget_unit",
        "市对口支援工作领导协调小组成员单位": "department",
    }
    units = []
    for i, d in enumerate(RULES.departments):
        if d.name in NOT_BOUND:
            continue
        kind = groups.get(d.name) or kinds.get(d.name, "department")
        units.append(
            Unit(
                id=f"u{i}",
                name=d.name,
                kind=kind,
                jurisdiction="suzhou",
                department=None if d.name in groups else d.name,
            )
        )
    ev = evaluate(
        Facts(units=tuple(units)),
        date(2020, 6, 30),
        obligations=RULES.obligations,
        region_sets={k: s.codes for k, s in REGISTRY.region_sets().items()},
    )
    bound_units = {f.unit_id for f in ev.findings if f.status is not Status.NOT_APPLICABLE}
    assert {u.id for u in units} == bound_units


def test_qualitative_duties_have_distinct_evidence_per_duty() -> None:
    quals = [ob for ob in RULES.obligations if isinstance(ob, Qualitative)]
    by_evidence: dict[str, set[str]] = {}
    for ob in quals:
        by_evidence.setdefault(ob.evidence, set()).add(ob.source.quote)
    # one evidence key never stands for two different duties
    assert all(len(q) == 1 for q in by_evidence.values()), by_evidence


# --------------------------------------------------------------------------- documentation


def _facts_keys() -> set[str]:
    keys: set[str] = set()
    for ob in RULES.obligations:
        measure = getattr(ob, "measure", None)
        if measure is not None and getattr(measure, "metric", None):
            keys.add(measure.metric)
        baseline = getattr(ob, "baseline", None)
        if baseline is not None:
            keys.add(baseline.metric)
        if isinstance(ob, Qualitative):
            keys.add(ob.evidence)
    return keys


def test_readme_documents_every_fact_obligation_and_region_set() -> None:
    readme = (PLUGIN_DIR / "README.md").read_text(encoding="utf-8")
    missing = [k for k in sorted(_facts_keys()) if f"`{k}`" not in readme]
    missing += [ob for ob in sorted(OBLIGATIONS) if f"`{ob}`" not in readme]
    missing += [s.name for s in RULES.region_sets if f"`{s.name}`" not in readme]
    missing += [k for k in RULES.jurisdiction.unit_kinds if f"`{k}`" not in readme]
    assert not missing, missing


def test_decisions_are_written_in_the_obligation_notes() -> None:
    expected = {
        "suzhou.canteen_national_poverty_share": (
            "insufficient_evidence",
            "paired counties",
            "D2",
            "D13",
        ),
        "suzhou.paired_agri_sales_growth": ("city", "inclusive", "D5"),
        "suzhou.poverty_day_activities_departments": ("17 October", "1–31 October", "倡议"),
        "suzhou.paired_county_reward_fund": ("paired_county", "D14"),
        "suzhou.canteen_paired_county_share": ("优先", "10%", "canteen"),
        "suzhou.tourism_promotion_growth_departments": ("加大", "2019", "D11"),
        "suzhou.circulation_channels_departments": ("Kept id", "D15"),
        "suzhou.service_capacity_departments": ("Kept id", "D15"),
        "suzhou.supply_level_departments": ("Kept id", "D15"),
        "suzhou.leisure_tourism_departments": ("Kept id", "D15"),
        "suzhou.travel_agencies_programme_departments": ("百家（名）旅游社（导游）",),
        "suzhou.demonstration_departments": ("3710", "328", "31"),
        "suzhou.statistics_bulletin_departments": ("定期",),
    }
    for name, words in expected.items():
        missing = [w for w in words if w not in OBLIGATIONS[name].notes]
        assert not missing, (name, missing)
    # every other obligation carries the plan-year default
    assert all(ob.notes for ob in RULES.obligations)
