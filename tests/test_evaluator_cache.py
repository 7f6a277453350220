"""The evaluator's speed-ups change no answer and leave the interpreter as they found it."""

from __future__ import annotations

import gc
from datetime import date, timedelta
from pathlib import Path

import pytest

from xfrules.evaluator import (
    EvaluationCache,
    binding_problem,
    evaluate,
    evaluate_one,
    evaluate_rulebook,
    judged_days,
)
from xfrules.facts import FactIndex, load_facts
from xfrules.registry import load_registry
from xfrules.rulebook import prepare

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-facts.yaml"


@pytest.mark.parametrize("as_of", [date(2019, 12, 31), date(2020, 9, 30), date(2020, 12, 31)])
def test_cached_evaluation_equals_one_by_one_without_cache(as_of: date) -> None:
    registry = load_registry()
    facts = load_facts(SAMPLE)
    rules = prepare(facts, registry)
    # evaluate() leaves out purchases dated after as_of: so does the index here.
    index = FactIndex(
        rules.facts.with_(transactions=[t for t in facts.transactions if t.date <= as_of])
    )
    batch = evaluate(facts, as_of, rules=registry).findings
    single = []
    for unit in sorted(rules.units, key=lambda u: u.id):
        for ob in rules.obligations_of(unit.jurisdiction):
            if binding_problem(ob, unit) is not None or as_of < ob.valid_from:
                # a duty that does not apply does so once, whatever its periods
                single.append(evaluate_one(ob, unit, as_of, index, rules.region_sets))
                continue
            for on in judged_days(ob, as_of):
                single.append(evaluate_one(ob, unit, as_of, index, rules.region_sets, on=on))
    assert list(batch) == single
    assert len({f.status for f in single}) >= 3  # a mix, not one path


def test_a_cache_keeps_dates_apart() -> None:
    registry = load_registry()
    ob = next(o for o in registry.obligations if o.period.frequency == "annual")
    cache = EvaluationCache()
    before = ob.valid_from - timedelta(days=1)
    first = cache.plan(ob, before)
    second = cache.plan(ob, ob.valid_from)
    assert first.not_in_force is not None and second.not_in_force is None
    assert cache.plan(ob, before) is first


def test_the_collector_is_paused_only_while_findings_are_made() -> None:
    facts = load_facts(SAMPLE)
    assert gc.isenabled()
    evaluate(facts, date(2020, 12, 31))
    assert gc.isenabled()
    gc.disable()
    try:
        evaluate(facts, date(2020, 12, 31))
        assert not gc.isenabled()  # an application that turned it off keeps it off
    finally:
        gc.enable()


def test_the_collector_comes_back_when_evaluation_fails() -> None:
    facts = load_facts(SAMPLE)

    def broken(*args: object) -> object:
        assert not gc.isenabled()  # paused while findings are made
        raise RuntimeError("measurer failed")

    with pytest.raises(RuntimeError, match="measurer failed"):
        evaluate_rulebook(prepare(facts), date(2020, 12, 31), transaction_measurer=broken)  # type: ignore[arg-type]
    assert gc.isenabled()
