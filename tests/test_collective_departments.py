"""Collective department names (各镇, 各区人民政府) stand for every unit of a kind: a task naming
one binds each such unit, without the unit carrying the name in its department field."""

from __future__ import annotations

import dataclasses
from datetime import date

from xfrules.check import check_rules
from xfrules.entities import Department, Unit
from xfrules.evaluator import binding_problem, evaluate
from xfrules.facts import parse_facts
from xfrules.findings import Status
from xfrules.registry import load_registry


def _rules(code: str):  # type: ignore[no-untyped-def]
    return load_registry().jurisdictions[code]


def test_every_town_is_bound_by_the_tasks_naming_each_town() -> None:
    rules = _rules("datonghu")
    town = Unit(id="bzz", name="北洲子镇", kind="town", jurisdiction="datonghu")  # no department
    union = Unit(id="u", name="某镇机关工会", kind="union", jurisdiction="datonghu")
    naming_towns = [
        o for o in rules.obligations if "各镇" in o.departments and "town" in o.applies_to
    ]
    naming_unions = [
        o
        for o in rules.obligations
        if "全区各级工会组织" in o.departments and "union" in o.applies_to
    ]
    assert len(naming_towns) >= 20 and naming_unions
    for ob in naming_towns:
        assert "town" in ob.collective_kinds
        assert binding_problem(ob, town) is None, ob.id
    for ob in naming_unions:
        assert binding_problem(ob, union) is None, ob.id
    # A task that names neither the union's department nor all unions leaves it alone.
    other = next(
        o
        for o in rules.obligations
        if o.named_departments_only
        and "union" in o.applies_to
        and o.id not in {n.id for n in naming_unions}
    )
    assert "本任务未点名部门" in (binding_problem(other, union) or "")


def test_every_district_government_is_bound_in_tianjin() -> None:
    facts = parse_facts(
        {
            "units": [
                {
                    "id": "hp",
                    "name": "和平区",
                    "kind": "district",
                    "jurisdiction": "tianjin",
                    "region_code": "120101",
                }
            ]
        }
    )
    registry = load_registry().select(["tianjin"])
    findings = {
        f.obligation_id: f for f in evaluate(facts, date(2019, 12, 31), rules=registry).findings
    }
    membership = findings["tianjin.working_group_membership"]
    assert membership.status is not Status.NOT_APPLICABLE
    assert "各区人民政府" in membership.responsible


def test_covered_kinds_come_from_the_departments_when_the_plugin_loads() -> None:
    from xfrules.registry import with_collective_kinds

    rules = _rules("tianjin")
    ob = next(o for o in rules.obligations if "各区人民政府" in o.departments)
    bare = ob.model_copy(update={"collective_kinds": ()})
    departments = [d.model_copy(update={"covers_kinds": ()}) for d in rules.departments]
    assert with_collective_kinds(bare, departments).collective_kinds == ()
    covering = [
        d.model_copy(update={"covers_kinds": ("district",)}) if d.name == "各区人民政府" else d
        for d in departments
    ]
    assert with_collective_kinds(bare, covering).collective_kinds == ("district",)
    # An alias naming the collective (各区) covers the same kinds.
    aliased = bare.model_copy(update={"responsible": ("各区",), "lead": ()})
    assert with_collective_kinds(aliased, covering).collective_kinds == ("district",)


def test_check_refuses_a_covered_kind_no_obligation_applies_to() -> None:
    rules = _rules("datonghu")
    bogus = Department(jurisdiction="datonghu", name="各村", covers_kinds=("hamlet",))
    broken = dataclasses.replace(rules, departments=(*rules.departments, bogus))
    problems = [p for p in check_rules(broken) if p.severity == "error"]
    assert any("hamlet" in str(p) and "各村" in str(p) for p in problems), problems
    assert not [str(p) for p in check_rules(rules) if p.severity == "error"]
