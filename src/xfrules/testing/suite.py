"""Everything a plug-in's test suite needs, in one import::

    from xfrules.testing.suite import *  # noqa: F403

brings the property suite (:mod:`xfrules.testing.properties`), every YAML scenario the
plug-in ships, and ``xfrules check`` as a test. The pytest plug-in parametrizes them over
the jurisdictions named by ``xfrules_plugin`` (ini), ``--xfrules-plugin`` or
``$XFRULES_PLUGIN``; all installed jurisdictions when none is named.
"""

from __future__ import annotations

from ..check import check_rules, find_shared_sources
from ..registry import JurisdictionRules
from .properties import (
    test_after_the_validity_the_last_period_stands,
    test_before_the_deadline_nothing_is_missed,
    test_before_the_validity_nothing_applies,
    test_exactly_at_an_inclusive_threshold_is_compliant,
    test_more_qualifying_facts_never_hurt,
    test_rollups_are_sums_of_their_parts,
    test_same_facts_in_any_order_same_findings,
    test_splitting_a_purchase_changes_nothing,
    test_unbound_units_are_not_applicable,
)
from .pytest_plugin import ScenarioCase

__all__ = [
    "test_after_the_validity_the_last_period_stands",
    "test_before_the_deadline_nothing_is_missed",
    "test_before_the_validity_nothing_applies",
    "test_exactly_at_an_inclusive_threshold_is_compliant",
    "test_more_qualifying_facts_never_hurt",
    "test_rollups_are_sums_of_their_parts",
    "test_rules_are_consistent",
    "test_same_facts_in_any_order_same_findings",
    "test_scenario",
    "test_splitting_a_purchase_changes_nothing",
    "test_unbound_units_are_not_applicable",
]


def test_rules_are_consistent(xfrules_rules: JurisdictionRules) -> None:
    """``xfrules check`` finds no error in the plug-in."""
    problems = check_rules(xfrules_rules, shared_sources=find_shared_sources())
    errors = [str(p) for p in problems if p.severity == "error"]
    assert not errors, "\n".join(errors)


def test_scenario(xfrules_scenario: ScenarioCase) -> None:
    """One YAML scenario of the plug-in gives the findings it expects."""
    failures = xfrules_scenario.run()
    assert not failures, "\n".join(failures)
