"""The property suite over every installed plug-in's obligations, and ``xfrules check`` on each.

The suite lives in :mod:`xfrules.testing.properties` so plug-in authors run the same
properties; the kit's pytest plug-in parametrizes it over the installed jurisdictions.
Scenarios run in tests/test_scenarios.py.
"""

from __future__ import annotations

from xfrules.testing.properties import (
    test_before_the_deadline_nothing_is_missed,
    test_exactly_at_an_inclusive_threshold_is_compliant,
    test_more_qualifying_facts_never_hurt,
    test_outside_the_validity_nothing_applies,
    test_rollups_are_sums_of_their_parts,
    test_same_facts_in_any_order_same_findings,
    test_splitting_a_purchase_changes_nothing,
    test_unbound_units_are_not_applicable,
)
from xfrules.testing.suite import test_rules_are_consistent

__all__ = [
    "test_before_the_deadline_nothing_is_missed",
    "test_exactly_at_an_inclusive_threshold_is_compliant",
    "test_more_qualifying_facts_never_hurt",
    "test_outside_the_validity_nothing_applies",
    "test_rollups_are_sums_of_their_parts",
    "test_rules_are_consistent",
    "test_same_facts_in_any_order_same_findings",
    "test_splitting_a_purchase_changes_nothing",
    "test_unbound_units_are_not_applicable",
]
