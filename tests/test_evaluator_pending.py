"""A transaction measurer still computing its figures (MeasurePending) changes no finding:
evaluate() makes the findings that need no figure first, waits once, then makes the rest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xfrules.evaluator import MeasurePending, evaluate, measure_value, region_sets_for
from xfrules.facts import FactIndex, load_facts
from xfrules.obligations import TransactionMeasure
from xfrules.registry import load_registry

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-facts.yaml"
AS_OF = date(2020, 12, 31)


class LateMeasurer:
    """Answers as measure_value would, but only after wait(); records what was asked when."""

    def __init__(self, index: FactIndex, sets: dict[tuple[str, str], frozenset[str]]) -> None:
        self.index, self.sets = index, sets
        self.ready = False
        self.waits = 0
        self.pending_calls = 0
        self.answered = 0

    def __call__(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> Decimal:
        if not self.ready:
            self.pending_calls += 1
            raise MeasurePending
        self.answered += 1
        return measure_value(
            measure, jurisdiction, unit_id, self.index, start, end, self.sets, only_in=only_in
        )

    def wait(self) -> None:
        self.waits += 1
        self.ready = True


def test_pending_figures_give_the_same_findings_in_the_same_order() -> None:
    registry = load_registry()
    facts = load_facts(SAMPLE)
    sets = region_sets_for({k: s.codes for k, s in registry.region_sets().items()}, facts)
    late = LateMeasurer(FactIndex(facts), sets)
    expected = evaluate(None, facts, AS_OF, registry=registry).findings
    got = evaluate(None, facts, AS_OF, registry=registry, transaction_measurer=late).findings
    assert got == expected
    assert late.waits == 1
    # Pairs that ask for figures were set aside without asking, and answered after the wait.
    assert late.pending_calls == 0
    assert 0 < late.answered < len(expected)


def test_a_measurer_that_never_waits_is_refused_clearly() -> None:
    facts = load_facts(SAMPLE)

    def never(*args: object) -> Decimal:
        raise MeasurePending

    with pytest.raises(TypeError, match="no wait"):
        evaluate(None, facts, AS_OF, transaction_measurer=never)


def test_what_computing_the_figures_raised_reaches_the_caller() -> None:
    facts = load_facts(SAMPLE)

    class Failing:
        def __call__(self, *args: object) -> Decimal:
            raise MeasurePending

        def wait(self) -> None:
            raise RuntimeError("the scan failed")

    with pytest.raises(RuntimeError, match="the scan failed"):
        evaluate(None, facts, AS_OF, transaction_measurer=Failing())
