"""The evaluator's speed-ups change no answer and leave the interpreter as they found it."""

from __future__ import annotations

import gc
from datetime import date, timedelta
from pathlib import Path

import pytest

from xfrules.entities import Unit
from xfrules.errors import InputError
from xfrules.evaluator import (
    EvaluationCache,
    binding_problem,
    evaluate,
    evaluate_one,
    judged_days,
)
from xfrules.facts import FactIndex, Facts, load_facts
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


def test_a_cache_gives_no_stale_entry_to_another_obligation_of_the_same_id() -> None:
    """A mutant or an edited rule keeps its id: the cache plans and binds it afresh."""
    registry = load_registry()
    ob = next(o for o in registry.obligations if o.period.frequency == "annual" and o.applies_to)
    unit = Unit(id="u", name="单位", kind=ob.applies_to[0], jurisdiction=ob.jurisdiction)
    edited = ob.model_copy(
        update={"valid_from": ob.valid_from + timedelta(days=1), "applies_to": ("nobody",)}
    )
    cache = EvaluationCache()
    assert cache.plan(ob, ob.valid_from).not_in_force is None
    assert cache.binding_problem(ob, unit) is None
    assert cache.plan(edited, ob.valid_from).not_in_force is not None
    assert cache.binding_problem(edited, unit) is not None
    assert cache.binding_problem(ob, unit) is None


def test_bulk_library_calls_pause_the_collector_and_resume_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """load_facts and evaluate run with the collector off and give it back on, also on error."""
    import xfrules.evaluator
    import xfrules.facts

    seen: dict[str, bool] = {}

    def spy(module: object, name: str) -> None:
        real = getattr(module, name)

        def spied(*args: object, **kwargs: object) -> object:
            seen[name] = gc.isenabled()
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, spied)

    spy(xfrules.facts, "_read_document")
    spy(xfrules.evaluator, "prepare")
    assert gc.isenabled()
    facts = load_facts(SAMPLE)
    assert len(evaluate(facts, date(2020, 12, 31))) > 0
    assert seen == {"_read_document": False, "prepare": False} and gc.isenabled()

    broken = tmp_path / "broken.yaml"
    broken.write_text("units: [{id: u}]\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_facts(broken)
    assert gc.isenabled()


def test_an_application_that_turned_the_collector_off_keeps_it_off() -> None:
    facts = load_facts(SAMPLE)
    gc.disable()
    try:
        evaluate(facts, date(2020, 12, 31))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_left_alone_keeps_library_calls_off_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An application that must keep collecting says so; then nothing touches the collector."""
    import xfrules

    facts = load_facts(SAMPLE)
    touched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: touched.append("disable"))
    monkeypatch.setattr(gc, "enable", lambda: touched.append("enable"))
    monkeypatch.setattr(gc, "freeze", lambda: touched.append("freeze"))
    with xfrules.collector_left_alone():
        assert len(evaluate(facts, date(2020, 12, 31))) > 0
        load_facts(SAMPLE)
    assert touched == []
    evaluate(facts, date(2020, 12, 31))  # outside the block, pausing again (the spies leave
    # the collector on, so the nested evaluate_rulebook pauses too)
    assert touched[0] == "disable" and touched[-1] == "enable"
    assert touched.count("disable") == touched.count("enable")


def test_the_command_line_pauses_the_collector_for_a_bounded_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`xfrules evaluate` owns its process: the collector is off while it runs, on after."""
    from xfrules import cli
    from xfrules.commands import evaluate as evaluate_command

    seen: list[bool] = []
    real = evaluate_command.run

    def spy(args: object) -> int:
        seen.append(gc.isenabled())
        return real(args)  # type: ignore[arg-type]

    monkeypatch.setattr(evaluate_command, "run", spy)
    code = cli.main(["evaluate", str(SAMPLE), "--as-of", "2020-12-31", "--exit-zero"])
    assert (code, seen, gc.isenabled()) == (0, [False], True)


def test_the_collector_comes_back_when_a_command_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from xfrules import cli
    from xfrules.commands import evaluate as evaluate_command

    def broken(args: object) -> int:
        assert not gc.isenabled()
        raise RuntimeError("measurer failed")

    monkeypatch.setattr(evaluate_command, "run", broken)
    assert cli.main(["evaluate", str(SAMPLE), "--as-of", "2020-12-31"]) == cli.EXIT_INTERNAL
    assert gc.isenabled()


def test_the_duckdb_batch_pauses_the_collector_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    import xfrules.batch.backend
    from xfrules.batch import evaluate_ledgers

    seen: list[bool] = []
    real = xfrules.batch.backend.open_ledger

    def spied(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(xfrules.batch.backend, "open_ledger", spied)
    unit = Unit(id="u1", name="某局", kind="budget_unit", jurisdiction="suzhou")
    ledger = tmp_path / "l.csv"
    ledger.write_text("买方,金额,交易时间\nu1,1,2020-05-01\n", "utf-8")
    result = evaluate_ledgers(prepare(Facts(units=(unit,))), [ledger], date(2020, 12, 31))
    assert result.rows_read == 1 and seen == [False] and gc.isenabled()
