"""Scenario tests as data: YAML files of (facts, as-of date, expected findings).

A scenario file looks like::

    fixtures:                         # optional: anchors the scenarios alias (never read)
      units: &units [...]
    scenarios:
      - name: exactly at the 10% threshold
        as_of: 2020-12-31
        facts: {units: *units, transactions: [...], observations: [...]}
        expect:
          - unit: u1
            obligation: suzhou.canteen_national_poverty_share
            status: compliant         # required in every expectation
            shortfall: "0"            # optional: measured, required, shortfall, measure_unit,
                                      # modality, lead, responsible, participants, breach, period

The file is read strictly, because a scenario is a regression net and a hole in it passes
silently: a misspelt key (``stauts``, ``shortfal``) is an error naming the file and line,
every expectation states a status, an expectation naming a unit the scenario does not define
is an error, and one naming an obligation that is not installed fails the scenario. The other
fields compare only when given; Decimals compare by value.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .errors import InputError, Problem
from .evaluator import evaluate
from .facts import parse_facts
from .findings import Finding, Status
from .i18n import Msg, t
from .kinds.base import Modality
from .registry import Registry
from .values import parse_date, parse_decimal
from .yamlio import compose, line_of, load_yaml

__all__ = [
    "Expectation",
    "Scenario",
    "iter_scenarios",
    "load_scenarios",
    "run_scenario",
]


def _figure(value: Any) -> Any:
    return None if value is None else parse_decimal(value)


def _day(value: Any) -> Any:
    return parse_date(value) if isinstance(value, str) else value


_Figure = Annotated[Decimal | None, BeforeValidator(_figure)]
_Day = Annotated[date, BeforeValidator(_day)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expectation(_Strict):
    """One expected finding: its status always, other fields when given."""

    unit: str = Field(min_length=1)
    obligation: str = Field(min_length=1)
    status: Status
    measured: _Figure = None
    required: _Figure = None
    shortfall: _Figure = None
    measure_unit: str | None = None
    modality: Modality | None = None
    lead: tuple[str, ...] | None = None
    responsible: tuple[str, ...] | None = None
    participants: tuple[str, ...] | None = None
    breach: bool | None = Field(
        default=None, description="Whether the finding is a mandatory breach (fails the run)."
    )
    period: _Day | None = Field(
        default=None,
        description="The start of the period the expectation is about; by default the "
        "current one (an evaluation also reports the last closed period of a recurring duty).",
    )

    def compared(self) -> Iterator[str]:
        """The finding fields this expectation states (status first)."""
        yield "status"
        yield from (
            name
            for name in (
                "measured",
                "required",
                "shortfall",
                "measure_unit",
                "modality",
                "lead",
                "responsible",
                "participants",
                "breach",
            )
            if name in self.model_fields_set
        )


class _ScenarioModel(_Strict):
    name: str = Field(min_length=1)
    as_of: _Day
    facts: dict[str, Any] = Field(default_factory=dict)
    expect: list[Expectation] = Field(min_length=1)
    jurisdictions: tuple[str, ...] | None = None


class _ScenarioFile(_Strict):
    scenarios: list[_ScenarioModel] = Field(min_length=1)
    fixtures: Any = Field(
        default=None, description="Anchors the scenarios alias (long fact lists); not read."
    )


@dataclass(frozen=True)
class Scenario:
    name: str
    file: Path
    as_of: date
    facts: dict[str, Any]
    expect: tuple[Expectation, ...]
    jurisdictions: tuple[str, ...] | None = None
    line: int | None = None

    @property
    def id(self) -> str:
        return f"{self.file.stem}::{self.name}"


def _where(path: Path, line: int | None) -> str:
    """The file and line, in the current language (a Problem's file: the line is found first)."""
    return t("problem.sep").join((str(path), t("at.line", n=line))) if line else str(path)


def _problems(path: Path, text: str, exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        label = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
        message: str | Msg = error["msg"]  # pydantic's words, as plug-in authors know them
        if error["type"] == "extra_forbidden":
            message = Msg(
                "scenario.unknown_key", key=loc[-1], hint=_suggest(str(loc[-1]), _allowed(loc))
            )
        problems.append(Problem(_where(path, line_of(text, loc)), label, "", message))
    return problems


def _allowed(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where ``loc`` points (its parent model's fields)."""
    depth = sum(1 for p in loc[:-1] if isinstance(p, str))
    model: type[BaseModel] = (_ScenarioFile, _ScenarioModel, Expectation)[min(depth, 2)]
    return list(model.model_fields)


def _suggest(word: str, known: list[str]) -> Msg:
    close = difflib.get_close_matches(word, known, n=1)
    if close:
        return Msg("scenario.did_you_mean", close=close[0])
    return Msg("scenario.expected", known=", ".join(known))


def load_scenarios(path: Path) -> list[Scenario]:
    """The scenarios of one file; an :class:`InputError` naming file and line for any mistake."""
    text = path.read_text(encoding="utf-8")
    data = load_yaml(text, str(path))
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), "", "scenarios", Msg("scenario.none"))])
    try:
        parsed = _ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(_problems(path, text, exc)) from exc
    problems = []
    seen: set[str] = set()
    out = []
    tree = compose(text)  # once: every scenario's line is looked up in it
    for i, item in enumerate(parsed.scenarios):
        line = line_of(tree, ("scenarios", i))
        if item.name in seen:
            problems.append(
                Problem(_where(path, line), f"scenarios[{i}]", "name", Msg("scenario.duplicate"))
            )
        seen.add(item.name)
        units = item.facts.get("units") or []
        defined = {str(u.get("id")) for u in units if isinstance(u, dict)}
        for j, exp in enumerate(item.expect):
            if exp.unit not in defined:
                problems.append(
                    Problem(
                        _where(path, line_of(tree, ("scenarios", i, "expect", j, "unit"))),
                        f"scenarios[{i}].expect[{j}]",
                        "unit",
                        Msg(
                            "scenario.unknown_unit",
                            unit=exp.unit,
                            units=", ".join(sorted(defined)) or Msg("rules.none"),
                        ),
                    )
                )
        out.append(
            Scenario(
                item.name,
                path,
                item.as_of,
                item.facts,
                tuple(item.expect),
                item.jurisdictions,
                line,
            )
        )
    if problems:
        raise InputError(problems)
    return out


def iter_scenarios(paths: list[Path]) -> Iterator[Scenario]:
    for path in paths:
        files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            yield from load_scenarios(file)


def _same(expected: Any, actual: Any) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        return expected == actual
    if isinstance(expected, tuple | bool):
        return bool(expected == actual)
    return str(expected) == str(actual)


def _shown(value: Any) -> str:
    """A value in a failure message: numbers bare, words quoted (``'non_compliant'``)."""
    if value is None or isinstance(value, Decimal | bool):
        return str(value)
    if isinstance(value, tuple):
        return repr(list(value))
    return repr(str(value))


def run_scenario(scenario: Scenario, registry: Registry) -> list[str]:
    """Evaluate a scenario; return one message per mismatch (empty when it passes)."""
    reg = registry.select(scenario.jurisdictions)
    facts = parse_facts(scenario.facts, source=scenario.id)
    evaluation = evaluate(facts, scenario.as_of, rules=reg)
    # Findings are sorted by period: the last one of a pair is the current period's.
    index: dict[tuple[str, str], Finding] = {}
    by_period: dict[tuple[str, str, date | None], Finding] = {}
    for f in evaluation.findings:
        index[f.unit_id, f.obligation_id] = f
        by_period[f.unit_id, f.obligation_id, f.period_start] = f
    known = {ob.id for ob in reg.obligations}
    failures = []
    for exp in scenario.expect:
        key = (exp.unit, exp.obligation)
        finding = index.get(key)
        if finding is not None and exp.period is not None:
            finding = by_period.get((*key, exp.period))
            if finding is None:
                starts = sorted(
                    str(f.period_start)
                    for f in evaluation.findings
                    if (f.unit_id, f.obligation_id) == key
                )
                failures.append(
                    f"{scenario.id}: {exp.unit} / {exp.obligation}: no finding for the period "
                    f"starting {exp.period} (periods reported: {', '.join(starts)})"
                )
                continue
        if finding is None:
            why = (
                f"no obligation {exp.obligation!r} is installed"
                + _suggest(exp.obligation, sorted(known)).english()  # the runner speaks English
                if exp.obligation not in known
                else f"no finding for unit {exp.unit!r}, obligation {exp.obligation!r} "
                "(the obligation is of another jurisdiction than the unit)"
            )
            failures.append(f"{scenario.id}: {why}")
            continue
        for name in exp.compared():
            expected = getattr(exp, name)
            actual = finding.is_mandatory_breach if name == "breach" else getattr(finding, name)
            if not _same(expected, actual):
                failures.append(
                    f"{scenario.id}: {exp.unit} / {exp.obligation}: {name} expected "
                    f"{_shown(expected)}, got {_shown(actual)} ({finding.explanation})"
                )
    return failures
