"""Every installed plug-in's YAML scenarios, each as its own test."""

from __future__ import annotations

import pytest

from xfrules.registry import load_registry
from xfrules.scenarios import iter_scenarios, run_scenario

_REGISTRY = load_registry()
_SCENARIOS = [
    pytest.param(rules.code, s, id=f"{rules.code}:{s.id}")
    for rules in _REGISTRY.jurisdictions.values()
    for s in iter_scenarios(list(rules.scenario_paths))
]


def test_there_are_scenarios() -> None:
    assert len(_SCENARIOS) >= 2, "bundled plug-ins ship scenario files"


@pytest.mark.parametrize(("code", "scenario"), _SCENARIOS)
def test_scenario(code: str, scenario: object) -> None:
    failures = run_scenario(
        scenario, _REGISTRY.select([code]) if scenario.jurisdictions is None else _REGISTRY
    )  # type: ignore[arg-type]
    assert not failures, "\n".join(failures)
