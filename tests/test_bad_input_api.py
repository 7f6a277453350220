"""Bad input through the Python API: InputError with the message the CLI prints, never a
TypeError from deep inside; a unit no installed plug-in evaluates is an error, and a plug-in
that failed to load is named as failed, with its error (issue 15)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

import xfrules
from xfrules.cli import main
from xfrules.entities import Unit
from xfrules.errors import InputError, PluginError
from xfrules.facts import Facts
from xfrules.registry import Registry, load_registry
from xfrules.rulebook import prepare

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

UNIT = Unit(id="u1", name="某局", kind="budget_unit", jurisdiction="suzhou")
FACTS = Facts(units=(UNIT,))


@pytest.mark.parametrize("as_of", ["2020-12-31", datetime(2020, 12, 31), None, 20201231])
def test_evaluate_refuses_a_date_that_is_not_one(as_of: object) -> None:
    with pytest.raises(InputError, match=r"field 'as_of': must be a datetime\.date"):
        xfrules.evaluate(FACTS, as_of)  # type: ignore[arg-type]


def test_the_batch_backend_and_the_monitor_refuse_it_too(tmp_path: Path) -> None:
    from xfrules.batch import evaluate_ledgers
    from xfrules.monitor import Monitor

    ledger = tmp_path / "l.csv"
    ledger.write_text("买方,金额,交易时间\nu1,1,2020-05-01\n", "utf-8")
    with pytest.raises(InputError, match="'as_of'"):
        evaluate_ledgers(prepare(FACTS), [ledger], "2020-12-31")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'start'"):
        Monitor.from_registry(FACTS, start="2020-05-01")  # type: ignore[arg-type]


def test_a_unit_of_a_misspelt_jurisdiction_is_an_error() -> None:
    facts = Facts(units=(UNIT, UNIT.model_copy(update={"id": "u2", "jurisdiction": "suzhuo"})))
    with pytest.raises(InputError) as caught:
        xfrules.evaluate(facts, date(2020, 12, 31))
    (problem,) = caught.value.problems
    assert (problem.record, problem.field) == ("unit u2", "jurisdiction")
    assert "'suzhuo' is not installed" in problem.message
    assert "did you mean 'suzhou'?" in problem.message


def test_explicit_rules_may_leave_units_out() -> None:
    """Rules given explicitly are the caller's choice: units of other jurisdictions are not
    evaluated, as before."""
    registry = load_registry()
    facts = Facts(units=(UNIT.model_copy(update={"jurisdiction": "elsewhere"}),))
    result = xfrules.evaluate(
        facts, date(2020, 12, 31), obligations=registry.obligations, rules=registry
    )
    assert result.findings == ()


def _broken(name: str) -> Registry:
    """The installed registry with plug-in ``name`` failed to load."""
    installed = load_registry()
    return Registry(
        {c: r for c, r in installed.jurisdictions.items() if c != name},
        [PluginError(name, "failed to load (ImportError: no module named xfrules_zz)")],
    )


def test_a_failed_plugin_is_reported_failed_not_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import xfrules.registry

    broken = _broken("suzhou")
    # The commands import the loader when they run, so it is replaced where it lives.
    monkeypatch.setattr(xfrules.registry, "load_registry", lambda *a, **k: broken)
    facts = tmp_path / "f.yaml"
    facts.write_text(
        "units:\n  - {id: u1, name: 某局, kind: budget_unit, jurisdiction: suzhou}\n", "utf-8"
    )
    assert main(["evaluate", str(facts), "--as-of", "2020-12-31"]) == 2
    err = capsys.readouterr().err
    assert "plug-in 'suzhou': failed to load (ImportError" in err  # the warning, as before
    assert "unit u1, field 'jurisdiction': jurisdiction 'suzhou': its plug-in failed to load" in err
    assert "not installed" not in err
    assert main(["check", "--facts", str(facts)]) == 1
    out = capsys.readouterr().out
    assert "its plug-in failed to load" in out and "ImportError" in out


def test_an_unknown_jurisdiction_lists_plugins_that_failed() -> None:
    why = _broken("zz").jurisdiction_problem("zhejiang")
    assert why is not None and "not installed" in str(why)
    assert "plug-in 'zz': failed to load" in str(why)
