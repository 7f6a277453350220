"""Rule mutation testing: does the kit notice when the rules stop saying what the document says?

:func:`run_mutation` applies every one-line mutant of :mod:`xfrules.mutants` to a plug-in's
rules in memory and asks the kit about each:

1. ``xfrules check`` — killed when the mutant has an error (subject, code) more often than the
   unmutated rules (errors the rules already have do not count). A mutant that makes a waiver
   unused is killed too (``waiver-unused`` is an error): it drops a reading the author recorded;
2. the plug-in's shipped YAML scenarios — killed when an expectation about the mutated
   obligation that the unmutated rules meet fails (a dropped duty fails every expectation
   naming it). Only the mutated obligation is evaluated: findings of one obligation do not
   depend on the others;
3. with ``properties``, a quick subset of the property suite (:mod:`xfrules.testing.properties`,
   five derandomized examples each) on the mutated obligation of a mutant that survived 1 and 2
   (it needs the test extras: hypothesis and pytest).

A surviving mutant is a change of the rules nothing in the kit notices: either the plug-in
needs a scenario (``xfrules scenarios suggest`` writes the skeletons) or a check, or the
mutant changes nothing the document decides and is recorded as equivalent, with a reason, in
``mutants.yaml``. Mutants are run in worker processes (``jobs``) forked from the caller.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .check import check_rules
from .i18n import t
from .mutants import EquivalentMutant, Mutant, mutants
from .obligations import Obligation
from .registry import JurisdictionRules, Registry
from .scenarios import Scenario, iter_scenarios, run_scenario

__all__ = ["MutantResult", "MutationReport", "run_mutation"]


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    killed_by: str | None  # "check: <code>" or "scenario: <id>"; None: survived
    equivalent: str | None = None  # the reason, when recorded as equivalent

    @property
    def unexplained(self) -> bool:
        return self.killed_by is None and self.equivalent is None


@dataclass
class MutationReport:
    code: str
    results: list[MutantResult] = field(default_factory=list)
    scenarios: int = 0
    baseline_failures: list[str] = field(default_factory=list)  # the rules fail these already
    stale_equivalents: list[EquivalentMutant] = field(default_factory=list)

    @property
    def survivors(self) -> list[MutantResult]:
        return [r for r in self.results if r.killed_by is None]

    @property
    def unexplained(self) -> list[MutantResult]:
        return [r for r in self.results if r.unexplained]

    def killed(self, layer: str) -> int:
        return sum(1 for r in self.results if (r.killed_by or "").startswith(layer))

    def by_operator(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {}
        for r in self.results:
            state = "killed" if r.killed_by else "equivalent" if r.equivalent else "survived"
            out.setdefault(r.mutant.operator, Counter())[state] += 1
        return out


@dataclass(frozen=True)
class _Setup:
    rules: JurisdictionRules
    others: dict[str, JurisdictionRules]
    base_errors: Counter[tuple[str, str]]
    scenarios: dict[str, list[Scenario]]  # obligation id → scenarios its rules pass
    mutants: list[Mutant]
    properties: bool = False


def _errors(rules: JurisdictionRules) -> Counter[tuple[str, str]]:
    return Counter((p.subject, p.code) for p in check_rules(rules) if p.severity == "error")


# The facts sections that settle named obligations (rulebook.with_deployment), each entry
# naming its duty in ``obligation``.
_DEPLOYMENT_SECTIONS = ("allocations", "tolerances", "parties")


def _about(scenario: Scenario, obligation: str) -> Scenario:
    """The scenario's expectations about ``obligation`` alone, with the deployment's entries
    for its other duties left out: the duty is evaluated alone, and an allocation, tolerance
    or party naming a duty not loaded would be refused as naming no obligation."""
    expect = tuple(e for e in scenario.expect if e.obligation == obligation)
    facts = dict(scenario.facts)
    for section in _DEPLOYMENT_SECTIONS:
        entries = facts.get(section)
        if isinstance(entries, list):
            facts[section] = [
                e
                for e in entries
                if not isinstance(e, dict) or e.get("obligation") in (None, obligation)
            ]
    return dataclasses.replace(scenario, expect=expect, facts=facts)


def _failures(
    scenario: Scenario,
    rules: JurisdictionRules,
    others: dict[str, JurisdictionRules],
    obligation: str,
    replacement: Obligation | None,
) -> list[str]:
    """The failures of ``scenario``'s expectations about ``obligation``, evaluated alone."""
    alone = dataclasses.replace(
        rules, obligations=(replacement,) if replacement is not None else ()
    )
    scope = {rules.code: alone}
    for code in scenario.jurisdictions or ():
        if code != rules.code and code in others:
            scope[code] = others[code]
    return run_scenario(_about(scenario, obligation), Registry(scope))


def _judge(setup: _Setup, mutant: Mutant) -> str | None:
    mutated = mutant.apply(setup.rules)
    grown = _errors(mutated) - setup.base_errors
    if grown:
        subject, code = sorted(grown)[0]
        return f"check: {code} ({subject})"
    for scenario in setup.scenarios.get(mutant.obligation, []):
        if _failures(scenario, setup.rules, setup.others, mutant.obligation, mutant.replacement):
            return f"scenario: {scenario.id}"
    if setup.properties and mutant.replacement is not None:
        # A property the unmutated obligation already fails says nothing about the mutant.
        already = _baseline_properties(setup, mutant.obligation)
        failing = _property_failures(mutated, mutant.replacement, first=True, skip=already)
        if failing:
            return f"property: {sorted(failing)[0]}"
    return None


_BASELINE_PROPERTIES: dict[str, set[str]] = {}  # per process: obligation → properties it fails


def _baseline_properties(setup: _Setup, obligation: str) -> set[str]:
    if obligation not in _BASELINE_PROPERTIES:
        ob = next(o for o in setup.rules.obligations if o.id == obligation)
        _BASELINE_PROPERTIES[obligation] = _property_failures(setup.rules, ob, first=False)
    return _BASELINE_PROPERTIES[obligation]


# A quick subset: the properties about a single obligation that a one-line change can break.
QUICK_PROPERTIES = (
    "test_exactly_at_an_inclusive_threshold_is_compliant",
    "test_unbound_units_are_not_applicable",
    "test_before_the_validity_nothing_applies",
    "test_before_the_deadline_nothing_is_missed",
    "test_after_the_validity_the_last_period_stands",
)


def _property_failures(
    rules: JurisdictionRules, ob: Obligation, *, first: bool, skip: set[str] | None = None
) -> set[str]:
    """The quick properties ``ob`` fails but those of ``skip`` (``first``: stop at the first
    failure). A property
    fails on an assertion (or an error xfrules raises); hypothesis' own complaints (nothing to
    draw, a health check) say nothing about the rules and count as passing."""
    import pytest
    from hypothesis import HealthCheck, Verbosity, settings
    from hypothesis.errors import HypothesisException

    from .errors import XfrulesError
    from .testing import properties

    # Loaded, not decorated: a test function takes one settings decorator in its life.
    settings.register_profile(
        "xfrules-mutate",
        max_examples=5,
        derandomize=True,
        deadline=None,
        database=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    settings.load_profile("xfrules-mutate")
    failing: set[str] = set()
    for name in QUICK_PROPERTIES:
        if skip is not None and name.removeprefix("test_") in skip:
            continue
        test = getattr(properties, name)
        keep = getattr(test, "xfrules_filter", None)
        if keep is not None and not keep(ob, rules):
            continue
        try:
            test(xfrules_obligation=(rules, ob))
        except (pytest.skip.Exception, HypothesisException):
            continue
        except (AssertionError, XfrulesError):
            failing.add(name.removeprefix("test_"))
            if first:
                break
    return failing


_SETUP: _Setup | None = None  # the worker processes' copy, inherited when they fork


def _judge_many(indexes: Sequence[int]) -> list[tuple[int, str | None]]:
    assert _SETUP is not None
    return [(i, _judge(_SETUP, _SETUP.mutants[i])) for i in indexes]


def _judge_all(setup: _Setup, jobs: int) -> list[str | None]:
    n = len(setup.mutants)
    if jobs <= 1 or n < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_judge(setup, m) for m in setup.mutants]
    global _SETUP
    _SETUP = setup
    try:
        chunks = [list(range(i, n, jobs * 4)) for i in range(jobs * 4)]
        context = multiprocessing.get_context("fork")
        verdicts: list[str | None] = [None] * n
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for done in pool.map(_judge_many, [c for c in chunks if c]):
                for i, verdict in done:
                    verdicts[i] = verdict
        return verdicts
    finally:
        _SETUP = None


def run_mutation(
    rules: JurisdictionRules,
    *,
    equivalents: Sequence[EquivalentMutant] = (),
    others: dict[str, JurisdictionRules] | None = None,
    obligations: set[str] | None = None,
    operators: set[str] | None = None,
    jobs: int | None = None,
    properties: bool = False,
    progress: Callable[[str], Any] | None = None,
) -> MutationReport:
    """Every mutant of ``rules`` judged by check and the plug-in's scenarios (module docstring).

    ``others``: installed rules of other jurisdictions, for scenarios that span several.
    """
    others = others or {}
    report = MutationReport(rules.code)
    scenarios: dict[str, list[Scenario]] = {}
    for scenario in iter_scenarios(list(rules.scenario_paths)):
        report.scenarios += 1
        for obligation in dict.fromkeys(e.obligation for e in scenario.expect):
            ob = next((o for o in rules.obligations if o.id == obligation), None)
            if ob is None:
                continue
            failed = _failures(scenario, rules, others, obligation, ob)
            if failed:
                report.baseline_failures.extend(failed)
                continue
            scenarios.setdefault(obligation, []).append(scenario)
    found = mutants(rules, obligations, operators)
    if progress is not None:
        progress(t("mutate.progress", code=rules.code, n=len(found), scenarios=report.scenarios))
    setup = _Setup(rules, others, _errors(rules), scenarios, found, properties)
    verdicts = _judge_all(setup, jobs or os.cpu_count() or 1)
    used: set[EquivalentMutant] = set()
    for mutant, verdict in zip(found, verdicts, strict=True):
        reason = None
        if verdict is None:
            match = next((e for e in equivalents if e.covers(mutant)), None)
            if match is not None:
                used.add(match)
                reason = match.reason
        report.results.append(MutantResult(mutant, verdict, reason))
    if obligations is None and operators is None:
        report.stale_equivalents = [e for e in equivalents if e not in used]
    return report
