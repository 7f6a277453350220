"""Evaluate ledgers in memory: import every row, then the ordinary evaluator."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..evaluator import Periods, RegionSets, evaluate
from ..facts import Facts
from ..findings import Evaluation
from ..obligations import Obligation
from .importer import ImportResult, import_ledgers
from .mapping import LedgerMapping
from .rules import refuse_facts_transactions

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["evaluate_ledgers_in_memory"]


def evaluate_ledgers_in_memory(
    facts: Facts,
    ledgers: Sequence[str | Path],
    as_of: date,
    *,
    mapping: LedgerMapping | None = None,
    obligations: Iterable[Obligation] | None = None,
    region_sets: RegionSets | None = None,
    registry: Registry | None = None,
    rejects: TextIO | None = None,
    progress: bool | None = None,
    periods: Periods = "recent",
) -> tuple[Evaluation, ImportResult]:
    """The reference path the DuckDB backend is tested against."""
    refuse_facts_transactions(facts)
    result = import_ledgers(ledgers, mapping, units=facts.units, rejects=rejects, progress=progress)
    evaluation = evaluate(
        None,
        facts.with_(transactions=result.transactions),
        as_of,
        obligations=obligations,
        region_sets=region_sets,
        registry=registry,
        periods=periods,
    )
    return evaluation, result
