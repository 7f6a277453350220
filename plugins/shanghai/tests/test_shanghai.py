"""The shanghai plug-in is complete and faithful to 沪府办发〔2019〕12号, and its decisions hold."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xfrules.evaluator import evaluate_one
from xfrules.facts import FactIndex, parse_facts
from xfrules.findings import Finding, Status
from xfrules.obligations import Obligation, Qualitative
from xfrules.registry import JurisdictionRules, load_registry
from xfrules.scenarios import load_scenarios
from xfrules.values import parse_date, parse_decimal

PLUGIN_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = PLUGIN_ROOT / "src" / "xfrules_shanghai"
README = (PLUGIN_ROOT / "README.md").read_text(encoding="utf-8")

_REGISTRY = load_registry()


@pytest.fixture(scope="module")
def rules() -> JurisdictionRules:
    assert not [e for e in _REGISTRY.errors if "shanghai" in str(e)], _REGISTRY.errors
    return _REGISTRY.jurisdictions["shanghai"]


@pytest.fixture(scope="module")
def text(rules: JurisdictionRules) -> str:
    assert rules.document is not None
    return rules.document.text


@pytest.fixture(scope="module")
def flat(text: str) -> str:
    """The document with the received file's line breaks (and page-break indents) removed."""
    return re.sub(r"\n+[ \u3000]*", "", text)


def by_id(rules: JurisdictionRules) -> dict[str, Obligation]:
    return {ob.id: ob for ob in rules.obligations}


CN = "一二三四五六七八九十"


def _task_numbers(flat: str) -> list[str]:
    return re.findall(r"\((十[一二三四五六七八九]?|[一二三四五六七八九])\)", flat)


def _responsible_lists(flat: str) -> dict[str, list[str]]:
    """Task number (一…十六) → the names in its (责任单位:…) parenthetical, as written."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(
        r"\((十[一二三四五六七八九]?|[一二三四五六七八九])\)(.*?)\(责任单位:(.*?)\)", flat
    ):
        out[m.group(1)] = [n for n in re.split(r"[、,]", m.group(3)) if n]
    return out


def _clause_for_task(rules: JurisdictionRules, number: str) -> str:
    ids = [c.id for c in rules.clauses if c.id.endswith(f"（{number}）")]
    assert len(ids) == 1, (number, ids)
    return ids[0]


# ---------------------------------------------------------------- faithfulness


def test_source_is_the_shared_file_byte_for_byte(xfrules_shared_sources: Path) -> None:
    shipped = (PACKAGE / "source.txt").read_bytes()
    assert shipped == (xfrules_shared_sources / "shanghai.txt").read_bytes()


def test_every_quote_is_verbatim(rules: JurisdictionRules, text: str) -> None:
    missing = [ob.id for ob in rules.obligations if ob.source.quote not in text]
    missing += [
        f"{ob.id}: {t.quote}"
        for ob in rules.obligations
        for t in getattr(ob, "thresholds", ())
        if t.quote is None or t.quote not in text
    ]
    missing += [
        s.name for s in rules.region_sets if not s.source_quote or s.source_quote not in text
    ]
    assert not missing


def test_document_identity(rules: JurisdictionRules, flat: str) -> None:
    j = rules.jurisdiction
    assert j.document_number == "沪府办发〔2019〕12号"
    assert "沪府办发〔２０１９〕１２号" in flat.replace(" ", "")
    assert j.document_title in flat
    assert {ob.source.document for ob in rules.obligations} == {j.document_number}


def test_validity_starts_on_the_documents_date(rules: JurisdictionRules, flat: str) -> None:
    signed = re.search(r"(２０１９年５月２７日)\(此件公开发布\)", flat)
    assert signed is not None
    start = parse_date(signed.group(1))
    assert start == date(2019, 5, 27) == rules.jurisdiction.issued
    assert {(ob.valid_from, ob.valid_to) for ob in rules.obligations} == {
        (start, date(2020, 12, 31))
    }


def test_every_department_named_in_a_task_is_declared_and_bound(
    rules: JurisdictionRules, flat: str
) -> None:
    lists = _responsible_lists(flat)
    assert sorted(lists, key=_task_numbers(flat).index) == _task_numbers(flat)  # all sixteen found
    assert len(lists) == 16
    for number, names in lists.items():
        clause = _clause_for_task(rules, number)
        obs = [ob for ob in rules.obligations if ob.source.clause == clause]
        named = {d for ob in obs for d in ob.departments}
        assert set(names) == named, (clause, set(names) ^ named)
        for name in names:
            assert rules.department(name) is not None, name


def test_document_names_no_lead_department(rules: JurisdictionRules, text: str) -> None:
    assert "牵头" not in text
    assert all(ob.lead == () for ob in rules.obligations)
    assert all(ob.responsible for ob in rules.obligations)


def test_every_task_binds_all_its_responsible_units(rules: JurisdictionRules, flat: str) -> None:
    for number, names in _responsible_lists(flat).items():
        clause = _clause_for_task(rules, number)
        duties = [
            ob
            for ob in rules.obligations
            if ob.source.clause == clause and ob.id.startswith("shanghai.task")
        ]
        kinds = {k for ob in duties for k in ob.applies_to}
        municipal = [
            n
            for n in names
            if n.startswith(("市", "团市委"))
            and n != "市政府驻外办事处"
            and not n.endswith("成员单位")
        ]
        if municipal:
            dept = [
                ob
                for ob in duties
                if ob.applies_to == ("department",) and ob.named_departments_only
            ]
            assert dept, clause
            assert set(municipal) <= set(dept[0].departments)
        assert ("各区" in names) == ("district" in kinds), clause
        assert ("各前方工作机构" in names) == ("front_office" in kinds), clause
        if "市对口支援与合作交流工作领导小组成员单位" in names:
            assert "work_group" in kinds
        if "市政府驻外办事处" in names:
            assert any(
                ob.named_departments_only and "市政府驻外办事处" in ob.departments for ob in duties
            )
        assert all(isinstance(ob, Qualitative) and ob.evidence for ob in duties)


def test_clauses_are_every_numbered_part(rules: JurisdictionRules, text: str) -> None:
    # Sections start a line of the received file ("三、拓宽…"); tasks are numbered (一)…(十六) within them.
    heading = re.compile(r"^([一二三四五六])、", re.MULTILINE)
    sections = heading.findall(text)
    assert sections == list("一二三四五六")
    bodies = [re.sub(r"\n+[ \u3000]*", "", b) for b in heading.split(text)[2::2]]
    expected: list[str] = []
    for sec, body in zip(sections, bodies, strict=True):
        expected += [f"{sec}（{n}）" for n in _task_numbers(body)]
    assert len(expected) == 16
    ids = [c.id for c in rules.clauses]
    assert len(ids) == len(set(ids))
    assert set(ids) == {"序言", "落款", *sections, *expected}
    encoded = {c.id for c in rules.clauses if c.disposition == "encoded"}
    assert encoded == set(expected)
    used = {ob.source.clause for ob in rules.obligations}
    assert used == encoded
    assert all(c.reason for c in rules.clauses if c.disposition == "not_checkable")


# ---------------------------------------------------------------- numbers as written


def _fw(text: str) -> str:
    return text.translate({ord("０") + i: str(i) for i in range(10)})


def test_every_number_of_the_document_is_a_threshold(rules: JurisdictionRules, flat: str) -> None:
    body = flat[flat.index("一、明确总体要求") : flat.index("２０１９年５月２７日(此件")]
    stated = set(re.findall(r"[０-９]+(?:－[０-９]+)?[万]?[个种人亩]", body))
    assert stated == {"２－３个", "２万亩", "１００个", "１００种", "３０万人"}
    quoted = " ".join(
        t.quote or "" for ob in rules.obligations for t in getattr(ob, "thresholds", ())
    )
    flat_quotes = re.sub(r"\n+[ \u3000]*", "", quoted)
    for number in stated:
        assert number in flat_quotes, number


@pytest.mark.parametrize(
    ("oid", "comparator", "value", "upper", "unit", "written"),
    [
        ("shanghai.municipal_display_platforms", "between", "2", "3", "个", "２－３个"),
        ("shanghai.demonstration_bases_area", ">=", "20000", None, "亩", "２万亩"),
        ("shanghai.baicao_villages", ">=", "100", None, "个", "１００个"),
        ("shanghai.baixian_baipin_products", ">=", "100", None, "种", "１００种"),
        ("shanghai.labour_cooperation_employment", ">=", "300000", None, "人", "３０万人"),
    ],
)
def test_thresholds_read_exactly_as_written(
    rules: JurisdictionRules,
    oid: str,
    comparator: str,
    value: str,
    upper: str | None,
    unit: str,
    written: str,
) -> None:
    ob = by_id(rules)[oid]
    (th,) = ob.thresholds  # type: ignore[union-attr]
    assert (th.comparator, th.value, th.upper, th.unit) == (
        comparator,
        Decimal(value),
        None if upper is None else Decimal(upper),
        unit,
    )
    assert isinstance(th.value, Decimal)
    # The written number parses to the same value (fullwidth digits, 万), range bounds included.
    assert th.quote is not None and written in re.sub(r"\n+", "", th.quote)
    bounds = written.rstrip(unit).split("－")
    assert parse_decimal(_fw(bounds[0])) == th.value
    if upper is not None:
        assert parse_decimal(_fw(bounds[1])) == th.upper


def test_modality_and_approximation_follow_the_wording(rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        quote = ob.source.quote
        if "力争" in quote:
            assert ob.modality == "aspirational", ob.id
        elif quote.startswith("鼓励") or "可" in quote.replace("可持续", ""):
            assert ob.modality == "encouraged", ob.id
        th_quotes = "".join(t.quote or "" for t in getattr(ob, "thresholds", ()))
        assert ob.approximate == any(w in th_quotes.replace("\n", "") for w in ("左右", "约")), (
            ob.id
        )
    decided = by_id(rules)
    assert decided["shanghai.labour_cooperation_employment"].modality == "aspirational"
    assert decided["shanghai.baicao_villages"].modality == "mandatory"
    assert (
        decided["shanghai.baidian_community_stores"].modality == "mandatory"
    )  # 推进 is a directive
    assert not decided["shanghai.baidian_community_stores"].approximate  # 百 = 100


def test_ruoganqe_is_a_floor_of_two(rules: JurisdictionRules) -> None:
    ob = by_id(rules)["shanghai.district_display_platforms"]
    (th,) = ob.thresholds  # type: ignore[union-attr]
    assert (th.comparator, th.value, ob.approximate) == (">=", Decimal(2), False)
    assert ob.measure.scope == "subtree"  # type: ignore[union-attr]


def test_every_decision_is_written_in_notes_and_readme(rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        assert ob.notes.strip(), ob.id
        if not ob.id.startswith("shanghai.task"):
            assert f"`{ob.id}`" in README or f"**`{ob.id}`**" in README, ob.id
    for ob in rules.obligations:
        metric = getattr(getattr(ob, "measure", None), "metric", None)
        if metric:
            assert f"`{metric}`" in README, metric
        if isinstance(ob, Qualitative) and not ob.id.startswith("shanghai.task"):
            assert f"`{ob.evidence}`" in README, ob.evidence


# ---------------------------------------------------------------- behaviour of the decisions

CITY = {"id": "sh", "name": "上海市", "kind": "city", "jurisdiction": "shanghai"}


def _finding(
    rules: JurisdictionRules, oid: str, facts: dict[str, Any], as_of: date, unit: str = "sh"
) -> Finding:
    parsed = parse_facts(facts)
    sets = {(s.jurisdiction, s.name): s.codes for s in rules.region_sets}
    u = next(x for x in parsed.units if x.id == unit)
    return evaluate_one(by_id(rules)[oid], u, as_of, FactIndex(parsed), sets)


def _counted(metric: str, n: int) -> dict[str, Any]:
    return {
        "units": [CITY],
        "observations": [
            {
                "unit": "sh",
                "metric": metric,
                "period_start": "2020-01-01",
                "period_end": "2020-01-31",
                "value": "1",
                "subject": f"s{i}",
            }
            for i in range(n)
        ],
    }


def test_about_100_baicao_villages_is_judged_within_its_tolerance(
    rules: JurisdictionRules,
) -> None:
    f = _finding(
        rules, "shanghai.baicao_villages", _counted("baicao_villages_built", 88), date(2020, 12, 31)
    )
    assert (f.status, f.shortfall, f.approximate, f.modality) == (
        Status.NON_COMPLIANT,
        Decimal(2),
        True,
        "mandatory",
    )
    assert (f.stated_value, f.tolerance, f.required) == (100, Decimal("0.10"), 90)
    assert f.source.clause == "四（七）" and "百草村" in f.source.quote


def test_labour_target_is_aspirational_and_exact_in_findings(rules: JurisdictionRules) -> None:
    facts = {
        "units": [CITY],
        "observations": [
            {
                "unit": "sh",
                "metric": "labour_cooperation_employed_persons",
                "period_start": "2019-06-01",
                "period_end": "2020-12-31",
                "value": "３０万",
            }
        ],
    }
    f = _finding(rules, "shanghai.labour_cooperation_employment", facts, date(2020, 12, 31))
    assert (f.status, f.measured, f.modality, f.approximate) == (
        Status.COMPLIANT,
        Decimal(300000),
        "aspirational",
        False,
    )


@pytest.mark.parametrize(
    ("count", "status", "shortfall"),
    [
        (1, Status.NON_COMPLIANT, 1),
        (2, Status.COMPLIANT, 0),
        (3, Status.COMPLIANT, 0),
        (4, Status.COMPLIANT, 0),  # a range binds by its lower bound: more is no breach
    ],
)
def test_two_to_three_municipal_platforms_is_a_range(
    rules: JurisdictionRules, count: int, status: Status, shortfall: int
) -> None:
    f = _finding(
        rules,
        "shanghai.municipal_display_platforms",
        _counted("municipal_display_platforms", count),
        date(2020, 12, 31),
    )
    assert (f.status, f.shortfall) == (status, Decimal(shortfall))


def test_ledger_binds_the_named_departments_and_districts_only(rules: JurisdictionRules) -> None:
    units = [
        CITY,
        {
            "id": "cz",
            "name": "市财政局",
            "kind": "department",
            "jurisdiction": "shanghai",
            "department": "市财政局",
        },
        {
            "id": "jw",
            "name": "市教委",
            "kind": "department",
            "jurisdiction": "shanghai",
            "department": "市教委",
        },
        {"id": "d", "name": "浦东新区", "kind": "district", "jurisdiction": "shanghai"},
    ]
    facts = {
        "units": units,
        "submissions": [
            {
                "unit": "cz",
                "report": "consumption_poverty_ledger",
                "period_start": "2020-01-01",
                "period_end": "2020-12-31",
                "delivered": "2020-12-15",
            }
        ],
    }
    as_of = date(2020, 12, 31)
    assert (
        _finding(rules, "shanghai.ledger.departments", facts, as_of, "cz").status
        == Status.COMPLIANT
    )
    assert (
        _finding(rules, "shanghai.ledger.departments", facts, as_of, "jw").status
        == Status.NOT_APPLICABLE
    )
    assert (
        _finding(rules, "shanghai.ledger.districts", facts, as_of, "d").status
        == Status.INSUFFICIENT_EVIDENCE
    )
    assert (
        _finding(rules, "shanghai.ledger.districts", facts, as_of, "cz").status
        == Status.NOT_APPLICABLE
    )


# ---------------------------------------------------------------- scenarios cover the boundaries


def _scenario_expectations() -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / "scenarios").glob("*.yaml")):
        for sc in load_scenarios(path):
            for exp in sc.expect:
                seen.setdefault(exp.obligation, set()).add(exp.status)
    return seen


def test_every_quantified_obligation_has_boundary_scenarios(rules: JurisdictionRules) -> None:
    seen = _scenario_expectations()
    for ob in rules.obligations:
        if not hasattr(ob, "thresholds"):
            continue
        assert {"compliant", "non_compliant", "not_applicable", "not_yet_due"} <= seen.get(
            ob.id, set()
        ), ob.id


def test_the_ledger_and_each_kind_of_task_binding_have_scenarios() -> None:
    seen = _scenario_expectations()
    for oid in (
        "shanghai.ledger.departments",
        "shanghai.ledger.districts",
        "shanghai.task03_long_term_mechanism.group_and_front_offices",
        "shanghai.task04_supply_chain.districts",
        "shanghai.task10_culture.departments",
    ):
        assert "compliant" in seen.get(oid, set()) and len(seen[oid]) >= 2, oid
