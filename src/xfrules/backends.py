"""Backends: where a prepared rulebook meets ledger files.

A backend reads the ledgers by the ledger rules (:mod:`xfrules.ledger.rules`) and evaluates
the rulebook's units on the purchases it accepts; every backend gives the same
:class:`LedgerResult`, with the same findings (the differential tests hold them equal).

- ``memory`` (:class:`xfrules.ledger.evaluate.MemoryBackend`): the importer streams the rows
  into transactions, then the evaluator runs on them; the reference.
- ``duckdb`` (:class:`xfrules.batch.DuckDBBackend`): DuckDB reads and aggregates the files;
  only the sums per unit come back to Python. For ledgers larger than memory.

``xfrules ledger evaluate`` and ``xfrules report`` pick one by name (:func:`backend`).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from .errors import Problem
    from .evaluator import Periods
    from .findings import Evaluation
    from .ledger.mapping import LedgerMapping
    from .rulebook import Rulebook

__all__ = ["BACKENDS", "KEPT_PROBLEMS", "Backend", "LedgerResult", "backend"]

# Problems a backend keeps in memory (a ledger may reject millions of rows: they are listed in
# the rejected-rows file as they are read, not held).
KEPT_PROBLEMS = 1000


@dataclass
class LedgerResult:
    """Findings on ledgers, and what was read: rows read, accepted and rejected (blank rows
    are not rows), purchases dated after as_of (accepted, not counted), and the problems of
    the rejected rows as far as the backend lists them: the first :data:`KEPT_PROBLEMS`
    (every rejected row goes to ``rejects``), ``problem_count`` in all."""

    evaluation: Evaluation
    rows_read: int
    accepted: int
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def rejected(self) -> int:
        return self.rows_read - self.accepted

    @property
    def transactions_after_as_of(self) -> int:
        return self.evaluation.transactions_after_as_of


class Backend(Protocol):
    """Evaluates a prepared rulebook's units on the purchases in ledger files."""

    name: str

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
        """Findings as of ``as_of``; ``rejects`` receives every rejected row (masked, with
        file, row, column and reason: :class:`xfrules.ledger.importer.RejectWriter`)."""
        ...


# name -> "module:class"; imported when asked for, so naming a backend loads nothing heavy.
BACKENDS = {
    "duckdb": "xfrules.batch:DuckDBBackend",
    "memory": "xfrules.ledger.evaluate:MemoryBackend",
}


def backend(name: str, **options: Any) -> Backend:
    """The backend called ``name`` (a key of :data:`BACKENDS`), made with ``options``."""
    module, cls = BACKENDS[name].split(":")
    made: Backend = getattr(importlib.import_module(module), cls)(**options)
    return made
