"""Mutation evidence: changing a threshold, a department or a quote of a bundled plug-in is caught.

Each mutation is made in memory (``model_copy``) on the installed plug-in's rules; the
unmutated rules must pass the same check, so the failure is the mutation's doing.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from xfrules.check import check_rules, numbers_in
from xfrules.obligations import Obligation
from xfrules.registry import JurisdictionRules, Registry, load_registry
from xfrules.scenarios import iter_scenarios, run_scenario

REGISTRY = load_registry()
BUNDLED = [pytest.param(r, id=r.code) for r in REGISTRY.jurisdictions.values() if r.obligations]


def _replace(rules: JurisdictionRules, old: Obligation, new: Obligation) -> JurisdictionRules:
    return dataclasses.replace(
        rules, obligations=tuple(new if o.id == old.id else o for o in rules.obligations)
    )


def _errors(rules: JurisdictionRules, subject: str) -> set[str]:
    return {p.code for p in check_rules(rules) if p.severity == "error" and p.subject == subject}


@pytest.mark.parametrize("rules", BUNDLED)
def test_mutating_a_threshold_value_is_caught(rules: JurisdictionRules) -> None:
    stated = [
        (ob, i, th)
        for ob in rules.obligations
        for i, th in enumerate(getattr(ob, "thresholds", ()))
        if th.quote and th.value in numbers_in(th.quote)
    ]
    assert stated, f"{rules.code}: no threshold quotes its number"
    ob, i, th = stated[0]
    assert "threshold-quote" not in _errors(rules, ob.id)
    bumped = th.model_copy(update={"value": th.value * Decimal("1.1")})
    thresholds = list(ob.thresholds)  # type: ignore[union-attr]
    thresholds[i] = bumped
    mutated = _replace(rules, ob, ob.model_copy(update={"thresholds": tuple(thresholds)}))
    assert "threshold-quote" in _errors(mutated, ob.id)


@pytest.mark.parametrize("rules", BUNDLED)
def test_mutating_a_department_is_caught(rules: JurisdictionRules) -> None:
    ob = next((o for o in rules.obligations if o.departments), None)
    assert ob is not None, f"{rules.code}: no obligation names a department"
    assert "unknown-department" not in _errors(rules, ob.id)
    role = "lead" if ob.lead else "responsible"
    names: tuple[str, ...] = getattr(ob, role)
    wrong = names[0] + "（改）"
    mutated = _replace(rules, ob, ob.model_copy(update={role: (wrong, *names[1:])}))
    assert "unknown-department" in _errors(mutated, ob.id)


@pytest.mark.parametrize("rules", BUNDLED)
def test_mutating_a_quote_is_caught(rules: JurisdictionRules) -> None:
    ob = rules.obligations[0]
    assert "quote-not-verbatim" not in _errors(rules, ob.id)
    quote = ob.source.quote
    # Change one character in the middle: the quote is no longer verbatim.
    middle = len(quote) // 2
    changed = quote[:middle] + ("甲" if quote[middle] != "甲" else "乙") + quote[middle + 1 :]
    source = ob.source.model_copy(update={"quote": changed})
    mutated = _replace(rules, ob, ob.model_copy(update={"source": source}))
    assert "quote-not-verbatim" in _errors(mutated, ob.id)


def test_mutating_suzhous_canteen_share_fails_its_scenarios() -> None:
    """The scenario runner catches a threshold change the quote check also sees (0.10 → 0.09)."""
    rules = REGISTRY.jurisdictions["suzhou"]  # bundled: always installed here
    ob = next(o for o in rules.obligations if o.id == "suzhou.canteen_national_poverty_share")
    scenarios = [
        s
        for s in iter_scenarios(list(rules.scenario_paths))
        if any(e.obligation == ob.id for e in s.expect)
    ]
    assert scenarios
    registry = Registry({"suzhou": rules})
    assert all(run_scenario(s, registry) == [] for s in scenarios)
    th = ob.thresholds[0]  # type: ignore[union-attr]
    lowered = ob.model_copy(
        update={"thresholds": (th.model_copy(update={"value": Decimal("0.09")}),)}
    )
    mutated = Registry({"suzhou": _replace(rules, ob, lowered)})
    failures = [f for s in scenarios for f in run_scenario(s, mutated)]
    assert failures and any("status expected 'non_compliant'" in f for f in failures), failures
