"""The evaluator builds findings without validation (Finding.trusted): each must be exactly
what validation would give, on every bundled scenario."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date
from decimal import Decimal

import pytest

from xfrules.evaluator import evaluate
from xfrules.facts import parse_facts
from xfrules.findings import Deferred, Finding, Status, same_explanation
from xfrules.i18n import current_lang, use_lang
from xfrules.registry import load_registry
from xfrules.scenarios import iter_scenarios
from xfrules.testing.properties import assert_finding_valid

BUNDLED = ("datonghu", "shaanxi", "shanghai", "suzhou", "tianjin")


@pytest.mark.parametrize("code", BUNDLED)
def test_every_scenario_finding_is_valid(code: str) -> None:
    registry = load_registry()
    rules = registry.jurisdictions[code]
    statuses: set[Status] = set()
    for scenario in iter_scenarios(list(rules.scenario_paths)):
        facts = parse_facts(scenario.facts, source=scenario.id)
        reg = registry.select(scenario.jurisdictions)
        for finding in evaluate(facts, scenario.as_of, rules=reg).findings:
            assert_finding_valid(finding)
            statuses.add(finding.status)
    # Every construction path of the evaluator was exercised.
    assert {Status.COMPLIANT, Status.NON_COMPLIANT, Status.NOT_APPLICABLE} <= statuses


def _fields(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "unit_id": "u",
        "unit_name": "单位",
        "unit_kind": "budget_unit",
        "obligation_id": "x.y",
        "jurisdiction": "x",
        "kind": "amount_target",
        "title": "t",
        "modality": "mandatory",
        "approximate": False,
        "status": Status.COMPLIANT,
        "as_of": date(2020, 12, 31),
        "measured": Decimal("5"),
        "explanation": "e",
        "source": {"document": "d", "clause": "c", "quote": "条款原文"},
    }
    base.update(changes)
    return base


def test_trusted_equals_validated_when_the_values_are_right() -> None:
    fields = _fields()
    validated = Finding.model_validate(fields)
    trusted = Finding.trusted(**{**fields, "source": validated.source})
    assert trusted == validated
    assert trusted.to_record() == validated.to_record()
    assert trusted.required is None and trusted.lead == ()  # defaults filled in
    assert_finding_valid(trusted)


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")  # the wrong types, on purpose
@pytest.mark.parametrize(
    "change",
    [
        {"measured": 5},  # an int where a Decimal belongs
        {"status": "compliant"},  # a str where the enum belongs
        {"lead": ["市财政局"]},  # a list where a tuple belongs
        {"as_of": "2020-12-31"},  # text where a date belongs
    ],
)
def test_the_check_catches_a_wrongly_typed_trusted_finding(change: dict[str, object]) -> None:
    validated = Finding.model_validate(_fields())
    bad = Finding.trusted(**{**_fields(**change), "source": validated.source})
    with pytest.raises(AssertionError):
        assert_finding_valid(bad)


def test_a_trusted_finding_is_a_frozen_finding() -> None:
    """Built through slot stores and a class assignment: still exactly a Finding, and frozen."""
    validated = Finding.model_validate(_fields())
    trusted = Finding.trusted(**{**_fields(), "source": validated.source})
    assert type(trusted) is Finding
    with pytest.raises(dataclasses.FrozenInstanceError):
        trusted.status = Status.NON_COMPLIANT  # type: ignore[misc]
    assert dataclasses.replace(trusted, status=Status.NON_COMPLIANT).status is Status.NON_COMPLIANT
    assert trusted.status is Status.COMPLIANT


def test_a_trusted_finding_refuses_missing_and_unknown_fields() -> None:
    source = Finding.model_validate(_fields()).source
    fields = {**_fields(), "source": source}
    del fields["unit_id"]
    with pytest.raises(TypeError, match="unit_id"):
        Finding.trusted(**fields)
    with pytest.raises(TypeError, match="colour"):
        Finding.trusted(**{**_fields(), "source": source, "colour": "red"})
    template = Finding.template(**{k: v for k, v in _fields().items() if k != "unit_id"})
    with pytest.raises(TypeError, match="unit_id"):
        Finding.trusted_from({**template, "source": source})


def test_a_deferred_explanation_is_written_once_on_first_read() -> None:
    """Explanations are written when read (a large run prints few of them), once, in the
    language current when the finding was made."""
    calls: list[str] = []

    def render() -> str:
        calls.append(current_lang())
        return "实际 5 元" if current_lang() == "zh" else "measured 5 元"

    source = Finding.model_validate(_fields()).source
    with use_lang("en"):
        deferred = Finding.trusted(
            **{**_fields(), "source": source, "explanation": Deferred(render)}
        )
    assert calls == []  # nothing written yet
    plain = Finding.trusted(**{**_fields(), "source": source, "explanation": "measured 5 元"})
    assert deferred == plain and hash(deferred) == hash(plain)
    assert deferred.explanation == "measured 5 元"
    assert deferred.to_record()["explanation"] == "measured 5 元"
    assert pickle.loads(pickle.dumps(deferred)).explanation == "measured 5 元"
    assert calls == ["en"]  # written once, in the language of its making


def test_same_explanation_compares_deferred_words_without_writing_equal_ones() -> None:
    calls: list[tuple[object, ...]] = []

    def render(amount: Decimal, tally: dict[str, int]) -> str:
        calls.append((amount, tally["counted"]))
        return f"实际 {amount:.2f} 元，计入 {tally['counted']} 笔"

    source = Finding.model_validate(_fields()).source

    def finding(amount: str, counted: int) -> Finding:
        words = Deferred(render, Decimal(amount), {"counted": counted})
        return Finding.trusted(**{**_fields(), "source": source, "explanation": words})

    assert same_explanation(finding("5", 1), finding("5", 1))
    assert calls == []  # equal function and values: the same words, none written
    assert same_explanation(finding("5", 1), finding("5.00", 1))  # other values, same words
    assert not same_explanation(finding("5", 1), finding("5", 2))
    assert calls  # the unequal ones were written to be compared
