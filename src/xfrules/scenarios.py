"""Scenario tests as data: YAML files of (facts, as-of date, expected findings).

A scenario file looks like::

    scenarios:
      - name: exactly at the 10% threshold
        as_of: 2020-12-31
        facts: {units: [...], transactions: [...], observations: [...]}
        expect:
          - unit: u1
            obligation: suzhou.canteen_national_poverty_share
            status: compliant
            shortfall: "0"            # optional: measured, required, shortfall

Only the fields an expectation names are compared; Decimals compare by value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .evaluator import evaluate
from .facts import parse_facts
from .registry import Registry
from .values import parse_date, parse_decimal
from .yamlio import load_yaml

__all__ = ["Scenario", "iter_scenarios", "load_scenarios", "run_scenario"]

_COMPARED = ("status", "measured", "required", "shortfall", "measure_unit")


@dataclass(frozen=True)
class Scenario:
    name: str
    file: Path
    as_of: date
    facts: dict[str, Any]
    expect: list[dict[str, Any]]
    jurisdictions: tuple[str, ...] | None = None

    @property
    def id(self) -> str:
        return f"{self.file.stem}::{self.name}"


def load_scenarios(path: Path) -> list[Scenario]:
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    items = data.get("scenarios", []) if isinstance(data, dict) else []
    if not items:
        raise InputError([Problem(str(path), "", "scenarios", "no scenarios in file")])
    out = []
    for i, item in enumerate(items):
        try:
            out.append(
                Scenario(
                    name=str(item["name"]),
                    file=path,
                    as_of=parse_date(str(item["as_of"])),
                    facts=item.get("facts") or {},
                    expect=list(item["expect"]),
                    jurisdictions=tuple(item["jurisdictions"])
                    if item.get("jurisdictions")
                    else None,
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                [Problem(str(path), f"scenarios[{i}]", str(exc), "malformed scenario")]
            ) from exc
    return out


def iter_scenarios(paths: list[Path]) -> Iterator[Scenario]:
    for path in paths:
        files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            yield from load_scenarios(file)


def _same(expected: Any, actual: Any) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(actual, Decimal):
        return parse_decimal(str(expected)) == actual
    return str(expected) == str(actual)


def run_scenario(scenario: Scenario, registry: Registry) -> list[str]:
    """Evaluate a scenario; return one message per mismatch (empty when it passes)."""
    reg = registry.select(scenario.jurisdictions)
    facts = parse_facts(scenario.facts, source=scenario.id)
    evaluation = evaluate(None, facts, scenario.as_of, registry=reg)
    index = {(f.unit_id, f.obligation_id): f for f in evaluation.findings}
    failures = []
    for exp in scenario.expect:
        key = (str(exp["unit"]), str(exp["obligation"]))
        finding = index.get(key)
        if finding is None:
            failures.append(f"{scenario.id}: no finding for unit {key[0]!r}, obligation {key[1]!r}")
            continue
        for name in _COMPARED:
            if name in exp and not _same(exp[name], getattr(finding, name)):
                failures.append(
                    f"{scenario.id}: {key[0]} / {key[1]}: {name} expected {exp[name]!r}, "
                    f"got {getattr(finding, name)!s} ({finding.explanation})"
                )
    return failures
