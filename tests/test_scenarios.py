"""Every bundled plug-in ships YAML scenarios (tests/test_properties.py runs them)."""

from __future__ import annotations

import pytest

from xfrules.registry import load_registry
from xfrules.scenarios import iter_scenarios

BUNDLED = ("datonghu", "shaanxi", "shanghai", "suzhou", "tianjin")


@pytest.mark.parametrize("code", BUNDLED)
def test_plugin_ships_boundary_scenarios(code: str) -> None:
    rules = load_registry().jurisdictions[code]
    scenarios = list(iter_scenarios(list(rules.scenario_paths)))
    assert len(scenarios) >= 20, f"{code} ships {len(scenarios)} scenarios"
    expected = {e.status for s in scenarios for e in s.expect}
    assert {"compliant", "non_compliant", "not_applicable", "not_yet_due"} <= expected
