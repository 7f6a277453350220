"""Tests of the tianjin plug-in's decisions (README, "Decisions"), read against the document.

Where a test can derive the answer from the document's words (who a parenthesis binds, which
clause a quote sits in, which words set a modality or a recurrence), it does, so a wrong
encoding fails here instead of restating the YAML.
"""

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
    parse_facts,
)
from xfrules.obligations import (
    GrowthRate,
    Obligation,
    ObservationMeasure,
    Qualitative,
    TransactionMeasure,
)
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
TOTAL = "tianjin.annual_consumption_total"
SHARE_DOC = "津消扶组〔2019〕1号（示例）"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry().select(["tianjin"])


@pytest.fixture(scope="module")
def rules(registry: Registry) -> JurisdictionRules:
    return registry.jurisdictions["tianjin"]


@pytest.fixture(scope="module")
def text(rules: JurisdictionRules) -> str:
    assert rules.document is not None
    return rules.document.text


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


def test_every_quote_is_verbatim_and_unique(rules: JurisdictionRules, text: str) -> None:
    for ob in rules.obligations:
        assert ob.source.quote in text, ob.id
        assert ob.source.document == rules.jurisdiction.document_number
        for th in getattr(ob, "thresholds", ()):
            assert th.quote is not None and th.quote in text, ob.id
    for region_set in rules.region_sets:
        assert region_set.source_quote and region_set.source_quote in text, region_set.name
    # One duty, one quote: two obligations quoting the same words would be one duty twice.
    quotes = [ob.source.quote for ob in rules.obligations]
    assert len(quotes) == len(set(quotes))


def _clause_starts(rules: JurisdictionRules, text: str) -> list[tuple[int, str]]:
    """Where each declared clause's heading stands in the document, in document order."""
    starts, pos = [], 0
    for clause in rules.clauses:
        at = text.find(clause.heading, pos)
        if at >= 0:
            starts.append((at, clause.id))
            pos = at + len(clause.heading)
    return starts


def test_each_quote_lies_in_the_clause_it_cites(rules: JurisdictionRules, text: str) -> None:
    starts = _clause_starts(rules, text)
    assert len(starts) >= 30  # every heading but the notice's is found, in order
    for ob in rules.obligations:
        at = text.index(ob.source.quote)
        clause = max((s for s in starts if s[0] <= at), key=lambda s: s[0])[1]
        assert clause == ob.source.clause, ob.id


def test_no_duty_quotes_a_heading(rules: JurisdictionRules) -> None:
    """A task's heading is not a duty: every quote is the duty's own words."""
    headings = [c.heading for c in rules.clauses]
    for ob in rules.obligations:
        assert not any(h in ob.source.quote for h in headings), ob.id


def test_departments_are_named_in_the_document_and_resolve(
    rules: JurisdictionRules, text: str
) -> None:
    for dept in rules.departments:
        for name in (dept.name, *dept.aliases):
            assert name in text, name
    declared = {d.name for d in rules.departments}
    for ob in rules.obligations:
        for name in (*ob.departments, *ob.participants):
            assert name in declared, (ob.id, name)


def test_unit_kinds_are_declared(rules: JurisdictionRules) -> None:
    kinds = set(rules.jurisdiction.unit_kinds)
    for ob in rules.obligations:
        assert set(ob.applies_to) <= kinds, ob.id


# --------------------------------------------------------------------------- who is bound (D2)
_PARENTHESIS = re.compile(r"[（(]([^（）()]*(?:负责|配合)|市人社局)[）)]")


def _parenthesis_after(text: str, quote: str) -> tuple[set[str], set[str]] | None:
    """(负责, 配合) names of the parenthesis closing ``quote``'s sentences, if any before the
    next numbered item."""
    plain = text.replace("**", "")
    at = plain.index(quote.replace("**", "")) + len(quote)
    match = _PARENTHESIS.search(plain, at)
    next_item = re.compile(r"\n\s*(?:\d\.|#|（[一二三四五六七八九十]）|[一二三]是)").search(
        plain, at
    )
    if match is None or (next_item is not None and next_item.start() < match.start()):
        return None
    lead: set[str] = set()
    participants: set[str] = set()
    pending: list[str] = []
    for part in re.split(r"[，,]", match.group(1)):
        names = [
            n.strip()
            for n in re.split("、", re.sub(r"(等部门|等按职责分工)?(负责|配合)$", "", part))
        ]
        pending.extend(n for n in names if n)
        if part.endswith("配合"):
            participants.update(pending)
            pending = []
        elif part.endswith("负责") or part == "市人社局":
            lead.update(pending)
            pending = []
    return lead, participants


def _canonical(rules: JurisdictionRules, names: set[str]) -> set[str]:
    out = set()
    for name in names:
        dept = rules.department(name)
        assert dept is not None, name
        out.add(dept.name)
    return out


def _sentence(text: str, quote: str) -> str:
    at = text.index(quote)
    start = max(text.rfind(c, 0, at) for c in "。：\n") + 1
    end = min(i for i in (text.find("。", at + len(quote)), len(text)) if i >= 0)
    return text[start:end]


def test_the_parenthesis_binds_its_duties_and_配合_only_takes_part(
    rules: JurisdictionRules, text: str
) -> None:
    """负责 → responsible (bound), 配合 → participants (never bound), for every duty the
    parenthesis closes; a party bound besides is one the duty's own sentence names; nothing
    in the tasks is 牵头, so no task has a lead."""
    closed = 0
    for ob in rules.obligations:
        found = _parenthesis_after(text, ob.source.quote)
        if found is None:
            assert ob.source.clause.startswith(("一", "三")), ob.id  # only the tasks have them
            continue
        closed += 1
        responsible, participants = (_canonical(rules, names) for names in found)
        assert not ob.lead, ob.id
        assert set(ob.participants) == participants, ob.id
        assert not set(ob.departments) & participants, ob.id
        sentence = _sentence(text, ob.source.quote)
        named_here = {
            name
            for name in ob.responsible
            if any(n in sentence for n in (name, *rules.department(name).aliases))  # type: ignore[union-attr]
        }
        if ob.source.clause == "二（一）":  # 按职责分工负责: districts and departments apart
            assert set(ob.responsible) <= responsible | named_here and ob.responsible, ob.id
        else:
            assert responsible <= set(ob.responsible), ob.id
            assert set(ob.responsible) - responsible <= named_here, ob.id
    assert closed >= 60


def test_parties_outside_the_tasks_are_named_by_their_own_sentence(
    rules: JurisdictionRules, text: str
) -> None:
    members = _ob(rules, "working_group_membership")
    for ob in rules.obligations:
        if not ob.source.clause.startswith("三") or not ob.named_departments_only:
            continue
        sentence = _sentence(text, ob.source.quote)
        if "各成员单位" in sentence:  # 三二是: the members 三一是 lists
            assert ob.responsible == members.responsible, ob.id
            continue
        for name in ob.departments:
            dept = rules.department(name)
            assert dept is not None
            assert any(n in sentence for n in (dept.name, *dept.aliases)), (ob.id, name)


def test_working_group_members_are_the_list_of_三一是(rules: JurisdictionRules) -> None:
    est = _ob(rules, "working_group_established")
    members = _ob(rules, "working_group_membership")
    assert est.lead == ("市商务局",) and not est.responsible  # 市商务局为牵头部门
    listed = [*members.source.quote.split("等市级机关及")[0].split("、"), "各前方工作机构"]
    assert [rules.department(n).name for n in listed] == list(members.responsible)  # type: ignore[union-attr]
    assert len(members.responsible) == 12 and "市商务局" not in members.departments


def test_enterprises_and_tourists_are_never_bound(rules: JurisdictionRules) -> None:
    """The plan is addressed to government bodies (各成员单位、各区、各相关单位、各前方工作机构)."""
    assert not [ob.id for ob in rules.obligations if "enterprise" in ob.applies_to]


# --------------------------------------------------------------------------- modality (D9)
_ENCOURAGING = re.compile(r"鼓励|支持|探索|引导|倡议|倡导|可(?!操作|持续)")


def test_modality_follows_the_duty_words(rules: JurisdictionRules) -> None:
    policy_that_supports = {"tianjin.gansu_restaurants"}  # 制定政策支持…: the policy supports
    for ob in rules.obligations:
        quote = ob.source.quote
        if "努力" in quote:
            expected = "aspirational"
        elif _ENCOURAGING.search(quote) and ob.id not in policy_that_supports:
            expected = "encouraged"
        else:
            expected = "mandatory"
        assert ob.modality == expected, ob.id
    assert _ob(rules, "cold_chain_logistics").modality == "encouraged"  # 探索建立…
    assert _ob(rules, "gansu_restaurants").modality == "mandatory"


def test_soft_duties_are_never_a_mandatory_breach(registry: Registry) -> None:
    facts = parse_facts(
        {
            "units": [
                {"id": "tj", "name": "天津市", "kind": "city", "jurisdiction": "tianjin"},
                {
                    "id": "gsl",
                    "name": "工商联",
                    "kind": "department",
                    "department": "市工商联",
                    "jurisdiction": "tianjin",
                },
            ]
        }
    )
    ev = evaluate(facts, END_2019, rules=registry)
    grade = _finding(ev, "tj", "national_excellent_grade")
    assert grade.modality == "aspirational" and not grade.is_mandatory_breach
    cold = _finding(ev, "gsl", "cold_chain_logistics")
    assert cold.modality == "encouraged" and cold.status is Status.INSUFFICIENT_EVIDENCE
    assert not cold.is_mandatory_breach


def test_no_number_is_approximate_and_一批_is_judged_on_evidence(rules: JurisdictionRules) -> None:
    # The document has no 约 / 左右 / 力争; 一批 states no number.
    assert not any(o.approximate for o in rules.obligations)
    batch = [o for o in rules.obligations if "一批" in o.source.quote]
    assert {o.id for o in batch} == {
        "tianjin.production_bases",
        "tianjin.tourism_destination_promotion",
    }
    assert all(isinstance(o, Qualitative) for o in batch)


def test_扩大_of_a_measured_quantity_is_growth_above_zero(rules: JurisdictionRules) -> None:
    growth = [o for o in rules.obligations if isinstance(o, GrowthRate)]
    assert {o.id for o in growth} == {
        "tianjin.districts_organise_consumption",
        "tianjin.wholesale_sales_growth",
    }
    for ob in growth:
        assert "扩大" in ob.source.quote
        (th,) = ob.thresholds
        assert th.comparator == ">" and th.value == 0 and ob.baseline is None, ob.id


# --------------------------------------------------------------------------- periods (D1, D8)
def test_validity_follows_the_time_words(rules: JurisdictionRules) -> None:
    shares_sentence_with_meinian = {"tianjin.coop_matchmaking_events"}
    for ob in rules.obligations:
        assert ob.valid_from == date(2019, 1, 1), ob.id
        recurring = (
            any(w in ob.source.quote for w in RECURRING_WORDS)
            or ob.id in shares_sentence_with_meinian
        )
        assert ob.valid_to == (END_2020 if recurring else END_2019), ob.id
        assert ob.period.frequency in ("annual", "around_day"), ob.id


def test_国家扶贫日_duties_are_judged_on_its_october(rules: JurisdictionRules, text: str) -> None:
    around = [o for o in rules.obligations if o.period.frequency == "around_day"]
    assert {o.id for o in around} == {
        "tianjin.poverty_day_consumption_event",
        "tianjin.poverty_day_publicity",
    }
    from xfrules.periods import window_for

    for ob in around:
        assert "扶贫日" in ob.source.quote and ob.period.day == "10-17"
        w = window_for(ob, END_2019)
        assert (w.start, w.end, w.due) == (
            date(2019, 10, 1),
            date(2019, 10, 31),
            date(2019, 10, 31),
        )
    assert "10.17" in text


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


def test_two_trips_written_in_chinese(rules: JurisdictionRules) -> None:
    ob = _ob(rules, "coop_trips_to_assisted_areas")
    assert isinstance(ob, CountTarget)
    assert ob.thresholds[0].quote == "每年至少两次"
    assert ob.thresholds[0].value == 2 and ob.thresholds[0].unit == "次"


def test_demonstration_enterprises_floor_is_the_sales_figure_in_the_clause(
    rules: JurisdictionRules,
) -> None:
    ob = _ob(rules, "demonstration_enterprises")
    assert isinstance(ob, CountTarget) and isinstance(ob.measure, ObservationMeasure)
    assert ob.measure.aggregate == "distinct_subjects" and ob.measure.scope == "subtree"
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


def test_people_versus_person_times(rules: JurisdictionRules) -> None:
    persons = _ob(rules, "station_staff_trained_persons")
    times = _ob(rules, "ecommerce_staff_training_attendances")
    assert isinstance(persons, CountTarget) and isinstance(times, CountTarget)
    assert "1000 人以上" in persons.source.quote and persons.thresholds[0].unit == "人"
    assert "1000人次以上" in times.source.quote and times.thresholds[0].unit == "人次"
    assert isinstance(persons.measure, ObservationMeasure)
    assert isinstance(times.measure, ObservationMeasure)
    assert persons.measure.metric == times.measure.metric
    assert (persons.measure.aggregate, times.measure.aggregate) == ("distinct_subjects", "sum")


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
    assert persons.status is Status.NON_COMPLIANT and persons.shortfall == 1
    assert persons.measure_unit == "人"
    times = _finding(ev, "swj", "ecommerce_staff_training_attendances")
    assert times.status is Status.COMPLIANT and times.measured == 1000
    assert times.measure_unit == "人次"


# --------------------------------------------------------------------------- regions (D12)
def test_assisted_county_sets_against_the_document(rules: JurisdictionRules, text: str) -> None:
    scope = _sentence(text, "消费扶贫的范围是")  # 一（三）: the places and their counts
    stated = {}
    for name in PROVINCE_SETS:
        region_set = rules.region_set(name)
        assert region_set is not None and region_set.source_quote, name
        assert region_set.source_quote in scope, name
        (count,) = re.findall(r"\d+", region_set.source_quote)
        stated[name] = int(count)
    assert stated == {name: count for name, (count, _) in PROVINCE_SETS.items()}
    assert sum(stated.values()) == 50 and "共计 50 县（市、区）" in text
    seen: set[str] = set()
    for name, (count, prefix) in PROVINCE_SETS.items():
        region_set = rules.region_set(name)
        assert region_set is not None and region_set.extensible, name
        assert region_set.expected_size in (count, None) and str(count) in region_set.title
        assert all(code.startswith(prefix) and len(code) == 6 for code in region_set.codes), name
        assert not seen & region_set.codes
        seen |= region_set.codes
    # 甘肃: named, not listed, not attested → empty; the others are complete.
    gansu = rules.region_set("gansu_counties")
    assert gansu is not None and not gansu.regions and gansu.expected_size is None
    for name in PROVINCE_SETS.keys() - {"gansu_counties"}:
        region_set = rules.region_set(name)
        assert region_set is not None and len(region_set.regions) == region_set.expected_size
    assert len(seen) == 16


def test_consumption_measures_use_all_five_province_sets(rules: JurisdictionRules) -> None:
    for name in ("annual_consumption_total", "districts_organise_consumption"):
        ob = _ob(rules, name)
        measure = getattr(ob, "measure", None)
        assert isinstance(measure, TransactionMeasure)
        assert set(measure.origin_sets) == set(PROVINCE_SETS)
        assert not measure.categories  # goods, 劳务服务 and tourism all count (一（三）)


# --------------------------------------------------------------------------- district shares (D4)
def test_the_plugin_invents_no_district_share(rules: JurisdictionRules) -> None:
    ob = _ob(rules, "annual_consumption_total")
    assert isinstance(ob, AmountTarget)
    assert ob.allocations == () and ob.allocated_kinds == ("district",)
    (th,) = ob.thresholds
    assert th.value == Decimal("1100000000")
    districts = rules.region_set("tianjin_districts")
    assert districts is not None and districts.codes == DISTRICT_CODES


def _city_with_districts(short_by: Decimal, *, shares: bool = True) -> Facts:
    """The 16 districts, each buying exactly an (invented) equal share, the first short."""
    share = Decimal("68750000")
    units = [{"id": "tj", "name": "天津市", "kind": "city", "jurisdiction": "tianjin"}]
    txs, allocations = [], []
    for i, code in enumerate(sorted(DISTRICT_CODES)):
        units.append(
            {
                "id": f"d{code}",
                "name": code,
                "kind": "district",
                "jurisdiction": "tianjin",
                "region_code": code,
                "parent": "tj",
                "department": "各区人民政府",
            }
        )
        amount = share - (short_by if i == 0 else 0)
        txs.append(
            {
                "id": f"t{code}",
                "buyer": f"d{code}",
                "amount": str(amount),
                "date": "2019-06-01",
                "origin_region": "130821",
            }
        )
        allocations.append(
            {
                "obligation": TOTAL,
                "region_code": code,
                "name": code,
                "value": str(share),
                "document": SHARE_DOC,
            }
        )
    doc = {"units": units, "transactions": txs, "allocations": allocations if shares else []}
    return parse_facts(doc)


def test_without_shares_every_district_lacks_evidence_naming_the_allocation(
    registry: Registry,
) -> None:
    ev = evaluate(_city_with_districts(Decimal(0), shares=False), END_2019, rules=registry)
    totals = [f for f in ev.findings if f.obligation_id == TOTAL]
    districts = [f for f in totals if f.unit_kind == "district"]
    assert len(districts) == 16
    for f in districts:
        assert f.status is Status.INSUFFICIENT_EVIDENCE, f.explanation
        assert "没有此目标的分解数" in f.explanation and f.required is None and f.shortfall is None
        assert f.measured == Decimal("68750000")  # what was measured is kept
    assert _finding(ev, "tj", "annual_consumption_total").status is Status.COMPLIANT


def test_a_deployment_share_shortfall_rolls_up_to_the_city(registry: Registry) -> None:
    ev = evaluate(_city_with_districts(Decimal("0.01")), END_2019, rules=registry)
    first = f"d{min(DISTRICT_CODES)}"
    short = _finding(ev, first, "annual_consumption_total")
    assert short.shortfall == Decimal("0.01") and SHARE_DOC in short.explanation
    city = _finding(ev, "tj", "annual_consumption_total")
    assert city.status is Status.NON_COMPLIANT and city.shortfall == Decimal("0.01")
    totals = Evaluation(
        as_of=ev.as_of, judged=tuple(f for f in ev.findings if f.obligation_id == TOTAL)
    )
    rollup = totals.by_jurisdiction()["tianjin"]
    assert rollup.counts["non_compliant"] == 2 and rollup.counts["compliant"] == 15
    assert rollup.shortfall["元"] == Decimal("0.02")


def test_a_gansu_county_counts_once_the_deployment_lists_it(registry: Registry) -> None:
    units = [Unit(id="tj", name="天津市", kind="city", jurisdiction="tianjin")]
    tx = Transaction(
        id="t1",
        buyer="tj",
        amount=Decimal("1100000000"),
        date=date(2019, 6, 1),
        origin_region="620121",
    )
    unlisted = evaluate(Facts(units=tuple(units), transactions=(tx,)), END_2019, rules=registry)
    finding = _finding(unlisted, "tj", "annual_consumption_total")
    assert finding.status is Status.INSUFFICIENT_EVIDENCE
    assert "gansu_counties" in finding.explanation
    listed = parse_facts(
        {
            "units": [{"id": "tj", "name": "天津市", "kind": "city", "jurisdiction": "tianjin"}],
            "transactions": [
                {
                    "id": "t1",
                    "buyer": "tj",
                    "amount": "11亿",
                    "date": "2019-06-01",
                    "origin_region": "620121",
                }
            ],
            "region_sets": [
                {
                    "jurisdiction": "tianjin",
                    "name": "gansu_counties",
                    "regions": [{"code": "620121", "name": "永登县"}],
                }
            ],
        }
    )
    counted = evaluate(listed, END_2019, rules=registry)
    assert _finding(counted, "tj", "annual_consumption_total").status is Status.COMPLIANT


# --------------------------------------------------------------------------- scenarios can fail
def test_scenarios_fail_on_a_wrong_expectation(
    rules: JurisdictionRules, registry: Registry
) -> None:
    scenarios = list(iter_scenarios(list(rules.scenario_paths)))
    assert len(scenarios) >= 50
    target = next(s for s in scenarios if s.name.startswith("city one cent below"))
    assert run_scenario(target, registry) == []
    wrong = tuple(e.model_copy(update={"shortfall": Decimal("0.02")}) for e in target.expect)
    assert run_scenario(replace(target, expect=wrong), registry)
