"""Evaluate ledgers in memory: import every row, then the ordinary evaluator."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..backends import KEPT_PROBLEMS, LedgerResult
from ..evaluator import Periods, evaluate_rulebook
from ..facts import Facts
from ..findings import Evaluation
from ..obligations import Obligation
from ..purchases import PurchasesBuilder
from ..rulebook import RegionSets, Rulebook, prepare
from .importer import ImportResult, import_ledgers, stream_ledgers
from .mapping import LedgerMapping
from .rules import refuse_facts_transactions

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["MemoryBackend", "evaluate_ledgers_in_memory"]


@dataclass
class MemoryBackend:
    """The :class:`xfrules.backends.Backend` in memory: the importer, then the evaluator —
    the reference the other backends are tested against. Every accepted purchase is held
    in columns (:class:`xfrules.purchases.Purchases`) while the evaluator runs."""

    name: str = "memory"

    def evaluate(
        self,
        rules: Rulebook,
        ledgers: Sequence[str | Path],
        as_of: date,
        *,
        mapping: LedgerMapping | None = None,
        periods: Periods = "recent",
        rejects: TextIO | None = None,
        progress: bool | None = None,
    ) -> LedgerResult:
        facts = rules.facts
        refuse_facts_transactions(facts)
        # Held as columns (xfrules.purchases), not a model each: ~50 bytes a purchase.
        kept = PurchasesBuilder(compact_ids=True)
        imported = stream_ledgers(
            ledgers,
            mapping,
            units=facts.units,
            rejects=rejects,
            progress=progress,
            accept=kept.add_purchase,
            keep_problems=KEPT_PROBLEMS,
        )
        with_purchases = rules.with_facts(facts.with_(transactions=kept.build()))
        evaluation = evaluate_rulebook(with_purchases, as_of, periods=periods)
        return LedgerResult(
            evaluation,
            imported.rows_read,
            imported.accepted,
            imported.problems,
            imported.problem_count,
        )


def evaluate_ledgers_in_memory(
    rules: Rulebook | Facts,
    ledgers: Sequence[str | Path],
    as_of: date,
    *,
    mapping: LedgerMapping | None = None,
    rejects: TextIO | None = None,
    progress: bool | None = None,
    periods: Periods = "recent",
    obligations: Iterable[Obligation] | None = None,
    region_sets: RegionSets | None = None,
    registry: Registry | None = None,
) -> tuple[Evaluation, ImportResult]:
    """The reference path the DuckDB backend is tested against: the importer, then the
    evaluator. Given facts instead of a rulebook, they are prepared first (as
    :func:`xfrules.batch.evaluate_ledgers` does)."""
    if isinstance(rules, Facts):
        rules = prepare(rules, registry, obligations=obligations, region_sets=region_sets)
    facts = rules.facts
    refuse_facts_transactions(facts)
    result = import_ledgers(ledgers, mapping, units=facts.units, rejects=rejects, progress=progress)
    with_purchases = rules.with_facts(facts.with_(transactions=result.transactions))
    return evaluate_rulebook(with_purchases, as_of, periods=periods), result
