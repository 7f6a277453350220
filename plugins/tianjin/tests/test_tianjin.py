"""Tests of the tianjin plug-in's data and of the decisions its README documents."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xfrules import (
    AmountTarget,
    CountTarget,
    Evaluation,
    Facts,
    Observation,
    Status,
    Transaction,
    Unit,
    evaluate,
)
from xfrules.obligations import Obligation, ObservationMeasure, TransactionMeasure
from xfrules.registry import JurisdictionRules, Registry, load_registry
from xfrules.scenarios import iter_scenarios, run_scenario
from xfrules.values import parse_decimal

SHARED_SOURCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "sources" / "tianjin.txt"
PROVINCE_SETS = {
    # set name: (count the document states, GB/T 2260 prefix of the prefecture or province)
    "gansu_counties": (34, "62"),
    "chengde_counties": (5, "1308"),
    "hotan_counties": (3, "6532"),
    "qamdo_counties": (4, "5403"),
    "huangnan_counties": (4, "6323"),
}
DISTRICT_CODES = {f"1201{n:02d}" for n in (1, 2, 3, 4, 5, 6, *range(10, 20))}
RECURRING_WORDS = ("每年", "常年", "常态化", "定期")
END_2019, END_2020 = date(2019, 12, 31), date(2020, 12, 31)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry().select(["tianjin"])


@pytest.fixture(scope="module")
def rules(registry: Registry) -> JurisdictionRules:
    return registry.jurisdictions["tianjin"]


def _ob(rules: JurisdictionRules, name: str) -> Obligation:
    return next(o for o in rules.obligations if o.id == f"tianjin.{name}")


def _finding(evaluation: Evaluation, unit: str, name: str):  # type: ignore[no-untyped-def]
    return next(
        f for f in evaluation.findings if f.unit_id == unit and f.obligation_id == f"tianjin.{name}"
    )


# --------------------------------------------------------------------------- the document
def test_shipped_source_is_byte_identical(rules: JurisdictionRules) -> None:
    import xfrules_tianjin

    shipped = Path(xfrules_tianjin.__file__).with_name("source.txt").read_bytes()
    if SHARED_SOURCE.is_file():  # in the project tree (not in an installed sdist)
        assert shipped == SHARED_SOURCE.read_bytes()
    assert rules.document is not None
    assert rules.document.text.encode("utf-8") == shipped
    assert rules.jurisdiction.document_number in rules.document.text


def test_every_quote_is_verbatim(rules: JurisdictionRules) -> None:
    assert rules.document is not None
    text = rules.document.text
    for ob in rules.obligations:
        assert ob.source.quote in text, ob.id
        assert ob.source.document == rules.jurisdiction.document_number
        for th in getattr(ob, "thresholds", ()):
            assert th.quote is not None and th.quote in text, ob.id
    for region_set in rules.region_sets:
        assert region_set.source_quote and region_set.source_quote in text, region_set.name


def test_departments_are_named_in_the_document_and_resolve(rules: JurisdictionRules) -> None:
    assert rules.document is not None
    for dept in rules.departments:
        for name in (dept.name, *dept.aliases):
            assert name in rules.document.text, name
    declared = {d.name for d in rules.departments}
    for ob in rules.obligations:
        for name in ob.departments:
            # Obligations use canonical names, so named_departments_only matches unit.department.
            assert name in declared, (ob.id, name)


def test_every_responsible_parenthesis_names_declared_departments(rules: JurisdictionRules) -> None:
    assert rules.document is not None
    groups = [
        g
        for g in re.findall(r"[（(]([^（）()]*)[）)]", rules.document.text.replace("**", ""))
        if g.endswith(("负责", "配合")) or g == "市人社局"
    ]
    assert len(groups) >= 30
    names = set()
    for group in groups:
        for part in re.split(r"[、，,]", group):
            names.add(re.sub(r"(等按职责分工负责|等部门配合|负责|配合)$", "", part.strip()))
    assert {"市财政局", "市国资委", "16 个区人民政府", "市人社局", "市科技局"} <= names
    for name in names:
        assert rules.department(name) is not None, name


def test_clauses_cover_the_document(rules: JurisdictionRules) -> None:
    ids = [c.id for c in rules.clauses]
    assert len(ids) == len(set(ids))
    expected = {
        "一",
        "一（一）",
        "一（二）",
        "一（三）",
        "二",
        "二（一）",
        "二（二）",
        "二（三）",
        "二（四）",
        "三",
        "三一是",
        "三二是",
        "三三是",
    }
    expected |= {f"二（一）{i}" for i in range(1, 6)} | {f"二（二）{i}" for i in range(1, 6)}
    expected |= {f"二（三）{i}" for i in range(1, 4)} | {f"二（四）{i}" for i in range(1, 5)}
    assert expected <= set(ids)
    encoded = {o.source.clause for o in rules.obligations}
    assert encoded <= set(ids)
    for clause in rules.clauses:
        if clause.disposition == "encoded":
            assert clause.id in encoded, clause.id
        else:
            assert clause.reason and clause.id not in encoded, clause.id


def test_unit_kinds_are_declared(rules: JurisdictionRules) -> None:
    kinds = set(rules.jurisdiction.unit_kinds)
    for ob in rules.obligations:
        assert set(ob.applies_to) <= kinds, ob.id


# --------------------------------------------------------------------------- numbers as written
_NUMBER_IN_QUOTE = re.compile(r"(\d+)\s*(亿|万)?")


@pytest.mark.parametrize(
    "name",
    [
        "annual_consumption_total",
        "love_counters_goal",
        "ecommerce_stations_goal",
        "station_staff_trained_persons",
        "poor_labour_employed_in_tianjin",
        "demonstration_enterprises",
        "love_counters_commerce",
        "coop_matchmaking_events",
        "jinqiahui_free_booth",
        "ecommerce_stations_commerce",
        "ecommerce_staff_training_attendances",
    ],
)
def test_threshold_is_the_number_in_its_quote(rules: JurisdictionRules, name: str) -> None:
    ob = _ob(rules, name)
    assert isinstance(ob, AmountTarget | CountTarget)
    (th,) = ob.thresholds
    assert th.quote is not None
    matches = _NUMBER_IN_QUOTE.findall(th.quote)
    assert len(matches) == 1, th.quote
    digits, multiplier = matches[0]
    assert parse_decimal(digits + multiplier) == th.value
    assert th.comparator == ">="  # 以上 / 不少于 / 至少 / a target count: inclusive floors


def test_demonstration_enterprises_floor_is_the_sales_figure_in_the_clause(
    rules: JurisdictionRules,
) -> None:
    ob = _ob(rules, "demonstration_enterprises")
    assert isinstance(ob, CountTarget) and isinstance(ob.measure, ObservationMeasure)
    assert ob.measure.aggregate == "distinct_subjects" and ob.measure.scope == "subtree"
    # 年销售额达 1000 万元以上: the per-enterprise floor comes from the clause, not the 10 家 threshold.
    (figure,) = re.findall(r"年销售额达\s*(\d+)\s*万元以上", ob.source.quote)
    assert ob.measure.subject_floor == parse_decimal(figure + "万") == Decimal("10000000")
    assert ob.thresholds[0].value == 10 and ob.thresholds[0].unit == "家"


def _enterprise_sales(values: list[str]) -> Facts:
    units = (
        Unit(
            id="swj",
            name="天津市商务局",
            kind="department",
            department="市商务局",
            jurisdiction="tianjin",
        ),
    )
    obs = tuple(
        Observation(
            unit="swj",
            metric="assisted_area_product_sales",
            subject=f"e{i:02d}",
            period_start=date(2019, 1, 1),
            period_end=date(2019, 12, 31),
            value=parse_decimal(v),
        )
        for i, v in enumerate(values)
    )
    return Facts(units=units, observations=obs)


@pytest.mark.parametrize(
    ("values", "status", "measured"),
    [
        (["10000000"] * 10, Status.COMPLIANT, 10),
        (["10000000"] * 9 + ["9999999.99"], Status.NON_COMPLIANT, 9),
        (["1000万元"] * 9 + ["1亿元", "9999999.99"], Status.COMPLIANT, 10),
        (["9999999.99"] * 20, Status.NON_COMPLIANT, 0),
    ],
)
def test_only_enterprises_reaching_ten_million_count(
    registry: Registry, values: list[str], status: Status, measured: int
) -> None:
    ev = evaluate(_enterprise_sales(values), END_2019, rules=registry)
    finding = _finding(ev, "swj", "demonstration_enterprises")
    assert finding.status is status and finding.measured == measured
    assert finding.shortfall == max(0, 10 - measured)


def test_two_trips_written_in_chinese(rules: JurisdictionRules) -> None:
    ob = _ob(rules, "coop_trips_to_assisted_areas")
    assert isinstance(ob, CountTarget)
    assert ob.thresholds[0].quote == "每年至少两次"
    assert ob.thresholds[0].value == 2 and ob.thresholds[0].unit == "次"


def test_people_versus_person_times(rules: JurisdictionRules) -> None:
    persons = _ob(rules, "station_staff_trained_persons")
    times = _ob(rules, "ecommerce_staff_training_attendances")
    assert isinstance(persons, CountTarget) and isinstance(times, CountTarget)
    assert "1000 人以上" in persons.source.quote and persons.thresholds[0].unit == "人"
    assert "1000人次以上" in times.source.quote and times.thresholds[0].unit == "人次"
    assert isinstance(persons.measure, ObservationMeasure) and isinstance(
        times.measure, ObservationMeasure
    )
    assert persons.measure.metric == times.measure.metric
    assert (persons.measure.aggregate, times.measure.aggregate) == ("distinct_subjects", "sum")


# --------------------------------------------------------------------------- modality, validity
def test_modality_follows_the_wording(rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        soft = (
            ob.source.quote.startswith(("鼓励", "支持"))
            or ob.id == "tianjin.national_excellent_grade"
        )
        assert (ob.modality == "encouraged") == soft, ob.id
    # 一批 states no number: judged on evidence, nothing approximate to measure against
    assert not any(o.approximate for o in rules.obligations)


def test_validity_follows_the_time_words(rules: JurisdictionRules) -> None:
    shares_sentence_with_meinian = {"tianjin.coop_matchmaking_events"}
    for ob in rules.obligations:
        assert ob.valid_from == date(2019, 1, 1), ob.id
        recurring = (
            any(w in ob.source.quote for w in RECURRING_WORDS)
            or ob.id in shares_sentence_with_meinian
        )
        assert ob.valid_to == (END_2020 if recurring else END_2019), ob.id


def test_lead_and_cooperating_departments(rules: JurisdictionRules) -> None:
    ob = _ob(rules, "canteen_direct_supply")
    assert ob.lead == ("市级机关工委", "市总工会") and ob.responsible == ("市财政局",)
    ob = _ob(rules, "demonstration_enterprises")
    assert ob.lead == ("市商务局",) and ob.responsible == ("市国资委",)
    # （市人社局） without 负责 is read as 负责.
    assert _ob(rules, "poor_skills_training").lead == ("市人力社保局",)
    # (市商务局负责) at the end of 二（二）5 covers the station and training targets before it.
    assert _ob(rules, "ecommerce_stations_commerce").lead == ("市商务局",)


def test_working_group_lead_and_members(rules: JurisdictionRules) -> None:
    est = _ob(rules, "working_group_established")
    members = _ob(rules, "working_group_membership")
    assert est.lead == ("市商务局",) and est.responsible == ()
    assert members.lead == ("市商务局",)
    listed = [*members.source.quote.split("等市级机关及")[0].split("、"), "各前方工作机构"]
    resolved = []
    for name in listed:
        dept = rules.department(name)
        assert dept is not None, name
        resolved.append(dept.name)
    assert resolved == list(members.responsible)
    assert len(members.responsible) == 12


# --------------------------------------------------------------------------- regions
def test_assisted_county_sets_match_the_document_counts(rules: JurisdictionRules) -> None:
    seen: set[str] = set()
    for name, (count, prefix) in PROVINCE_SETS.items():
        region_set = rules.region_set(name)
        assert region_set is not None, name
        assert region_set.expected_size == count == len(region_set.regions) == len(region_set.codes)
        assert all(code.startswith(prefix) and len(code) == 6 for code in region_set.codes), name
        assert region_set.extensible and "verif" in region_set.provenance.lower()
        assert not seen & region_set.codes
        seen |= region_set.codes
    assert len(seen) == 50
    assert rules.document is not None and "共计 50 县（市、区）" in rules.document.text


def test_consumption_measures_use_all_five_province_sets(rules: JurisdictionRules) -> None:
    for name in ("annual_consumption_total",):
        ob = _ob(rules, name)
        assert isinstance(ob, AmountTarget) and isinstance(ob.measure, TransactionMeasure)
        assert set(ob.measure.origin_sets) == set(PROVINCE_SETS)
        assert not ob.measure.categories  # goods, 劳务服务 and tourism all count (一（三）)


# --------------------------------------------------------------------------- district targets
def test_district_allocations_sum_to_the_city_total(rules: JurisdictionRules) -> None:
    ob = _ob(rules, "annual_consumption_total")
    assert isinstance(ob, AmountTarget)
    (th,) = ob.thresholds
    assert th.value == Decimal("1100000000")
    assert (th.effective_from, th.effective_to) == (date(2019, 1, 1), END_2019)
    codes = [a.region_code for a in ob.allocations]
    assert len(codes) == 16 and set(codes) == DISTRICT_CODES
    districts = rules.region_set("tianjin_districts")
    assert districts is not None and districts.codes == DISTRICT_CODES
    assert sum((a.value for a in ob.allocations), Decimal(0)) == th.value
    names = {r.code: r.name for r in districts.regions}
    assert all(names[a.region_code] == a.name for a in ob.allocations if a.region_code)


def _city_with_districts(short_by: Decimal, surplus_in: str | None = None) -> Facts:
    ob_share = Decimal("68750000")
    units = [
        Unit(id="tj", name="天津市", kind="city", jurisdiction="tianjin", region_code="120000")
    ]
    txs = []
    for i, code in enumerate(sorted(DISTRICT_CODES)):
        units.append(
            Unit(
                id=f"d{code}",
                name=code,
                kind="district",
                jurisdiction="tianjin",
                region_code=code,
                parent="tj",
                department="各区人民政府",
            )
        )
        amount = ob_share - (short_by if i == 0 else 0) + (short_by if code == surplus_in else 0)
        txs.append(
            Transaction(
                id=f"t{code}",
                buyer=f"d{code}",
                amount=amount,
                date=date(2019, 6, 1),
                origin_region="623001",
            )
        )
    return Facts(units=tuple(units), transactions=tuple(txs))


def test_district_shortfall_rolls_up_to_the_city(registry: Registry) -> None:
    facts = _city_with_districts(Decimal("0.01"))
    ev = evaluate(facts, END_2019, rules=registry)
    first = f"d{min(DISTRICT_CODES)}"
    assert _finding(ev, first, "annual_consumption_total").shortfall == Decimal("0.01")
    city = _finding(ev, "tj", "annual_consumption_total")
    assert city.status is Status.NON_COMPLIANT and city.shortfall == Decimal("0.01")
    assert city.measured == Decimal("1099999999.99")
    totals = [f for f in ev.findings if f.obligation_id == "tianjin.annual_consumption_total"]
    assert sum(f.status is Status.COMPLIANT for f in totals) == 15
    # Through the roll-up: the district's and the city's misses both count, in 元.
    only_total = Evaluation(as_of=ev.as_of, findings=tuple(totals))
    rollup = only_total.by_jurisdiction()["tianjin"]
    assert rollup.counts["non_compliant"] == 2 and rollup.counts["compliant"] == 15
    assert rollup.shortfall["元"] == Decimal("0.02")
    assert rollup.mandatory_breaches == 2


def test_district_surplus_offsets_at_city_level_only(registry: Registry) -> None:
    facts = _city_with_districts(Decimal("100"), surplus_in=max(DISTRICT_CODES))
    ev = evaluate(facts, END_2019, rules=registry)
    assert _finding(ev, "tj", "annual_consumption_total").status is Status.COMPLIANT
    assert _finding(ev, f"d{min(DISTRICT_CODES)}", "annual_consumption_total").shortfall == Decimal(
        "100"
    )


def test_district_without_an_allocation_is_not_held_to_the_city_total(
    rules: JurisdictionRules, registry: Registry
) -> None:
    ob = _ob(rules, "annual_consumption_total")
    assert isinstance(ob, AmountTarget) and ob.allocated_kinds == ("district",)
    base = _city_with_districts(Decimal(0))
    stray = Unit(
        id="dx",
        name="某区",
        kind="district",
        jurisdiction="tianjin",
        parent="tj",
        department="各区人民政府",
    )
    facts = Facts(units=(*base.units, stray), transactions=base.transactions)
    ev = evaluate(facts, END_2019, rules=registry)
    finding = _finding(ev, "dx", "annual_consumption_total")
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert finding.shortfall is None and finding.required is None
    totals = Evaluation(
        as_of=ev.as_of,
        findings=tuple(
            f for f in ev.findings if f.obligation_id == "tianjin.annual_consumption_total"
        ),
    )
    rollup = totals.by_jurisdiction()["tianjin"]
    assert rollup.counts["compliant"] == 17 and rollup.counts["insufficient_evidence"] == 1
    assert not rollup.shortfall.get("元")  # no 11亿元 shortfall charged to the stray district


# --------------------------------------------------------------------------- training: 人 vs 人次
def _training(persons: int, extra_attendances: int) -> Facts:
    units = (
        Unit(id="tj", name="天津市", kind="city", jurisdiction="tianjin", region_code="120000"),
        Unit(
            id="swj",
            name="天津市商务局",
            kind="department",
            department="市商务局",
            jurisdiction="tianjin",
            parent="tj",
        ),
    )
    obs = [
        Observation(
            unit="swj",
            metric="ecommerce_staff_training",
            subject=f"trainee-{i:04d}",
            period_start=date(2019, 5, 1),
            period_end=date(2019, 5, 31),
            value=Decimal(1 + (extra_attendances if i == 0 else 0)),
        )
        for i in range(persons)
    ]
    return Facts(units=units, observations=tuple(obs))


def test_thousand_distinct_trainees_meet_both_readings(registry: Registry) -> None:
    ev = evaluate(_training(1000, 0), END_2019, rules=registry)
    assert _finding(ev, "tj", "station_staff_trained_persons").status is Status.COMPLIANT
    assert _finding(ev, "swj", "ecommerce_staff_training_attendances").status is Status.COMPLIANT


def test_999_people_with_1000_attendances_miss_the_persons_goal_by_one(registry: Registry) -> None:
    ev = evaluate(_training(999, 1), END_2019, rules=registry)
    persons = _finding(ev, "tj", "station_staff_trained_persons")
    assert (
        persons.status is Status.NON_COMPLIANT
        and persons.shortfall == 1
        and persons.measure_unit == "人"
    )
    times = _finding(ev, "swj", "ecommerce_staff_training_attendances")
    assert (
        times.status is Status.COMPLIANT and times.measured == 1000 and times.measure_unit == "人次"
    )


# --------------------------------------------------------------------------- scenarios can fail
def test_scenarios_fail_on_a_wrong_expectation(
    rules: JurisdictionRules, registry: Registry
) -> None:
    scenarios = list(iter_scenarios(list(rules.scenario_paths)))
    assert len(scenarios) >= 25
    target = next(s for s in scenarios if s.name.startswith("city one cent below"))
    assert run_scenario(target, registry) == []
    wrong = tuple(e.model_copy(update={"shortfall": Decimal("0.02")}) for e in target.expect)
    assert run_scenario(replace(target, expect=wrong), registry)
