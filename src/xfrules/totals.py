"""Purchase measures for every unit at once: each filter and window totalled in one pass over
the purchases, then rolled up the unit tree — what the DuckDB backend does in SQL, in memory.

Asking :func:`~xfrules.kinds.judging.measure_value` unit by unit re-walks a district's whole
subtree for every district and every measure: the cost grew with units × subtree size. Here
the first question about a (measure, window) computes the answer for every unit — one pass
over the purchases, one walk up each buyer's ancestors — and every later question is a look-up.
The numbers are :func:`measure_value`'s (tests/test_totals.py holds them equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .filters import PurchaseFilter, origin_matches
from .kinds.base import TransactionMeasure

if TYPE_CHECKING:
    from .facts import FactIndex

__all__ = ["PurchaseTotals"]

_ZERO = Decimal(0)


class PurchaseTotals:
    """A :class:`~xfrules.kinds.judging.TransactionMeasurer` answering from per-unit totals
    computed once per (measure, jurisdiction, window, coverage set)."""

    def __init__(
        self, index: FactIndex, region_sets: Mapping[tuple[str, str], frozenset[str]]
    ) -> None:
        self.index = index
        self.region_sets = region_sets
        self._totals: dict[tuple[Any, ...], dict[str, Decimal]] = {}
        self._chains: dict[str, tuple[str, ...]] = {}

    def __call__(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> Decimal:
        key = (measure, jurisdiction, start, end, only_in)
        totals = self._totals.get(key)
        if totals is None:
            totals = self._totals[key] = self._compute(measure, jurisdiction, start, end, only_in)
        return totals.get(unit_id, _ZERO)

    def _chain(self, unit_id: str) -> tuple[str, ...]:
        """The unit and its ancestors (cycle-safe: a unit counts once)."""
        chain = self._chains.get(unit_id)
        if chain is None:
            out: list[str] = []
            seen: set[str] = set()
            current: str | None = unit_id
            while current is not None and current not in seen:
                seen.add(current)
                out.append(current)
                unit = self.index.units.get(current)
                current = unit.parent if unit is not None else None
            chain = self._chains[unit_id] = tuple(out)
        return chain

    def _compute(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> dict[str, Decimal]:
        counts = PurchaseFilter.of(measure, jurisdiction, start, end, self.region_sets).matches
        aggregate = measure.aggregate
        own: dict[str, Decimal] = {}
        origins: dict[str, set[str]] = {}
        for buyer, purchases in self.index.transactions_by_buyer.items():
            total = _ZERO
            matched = False
            seen: set[str] = set()
            for tx in purchases:
                if not counts(tx):
                    continue
                matched = True
                if aggregate == "amount":
                    total += tx.amount
                elif aggregate == "quantity":
                    total += tx.quantity
                elif aggregate == "count":
                    total += 1
                elif tx.origin_region and (
                    only_in is None or origin_matches(tx.origin_region, only_in)
                ):
                    seen.add(tx.origin_region)
            if aggregate == "distinct_origins":
                if seen:
                    origins[buyer] = seen
            elif matched:  # kept even at 0.00: the sum's places are the purchases'
                own[buyer] = total
        subtree = measure.scope == "subtree"
        if aggregate == "distinct_origins":
            reached: dict[str, set[str]] = {}
            for buyer, codes in origins.items():
                for unit in self._chain(buyer) if subtree else (buyer,):
                    reached.setdefault(unit, set()).update(codes)
            return {unit: Decimal(len(codes)) for unit, codes in reached.items()}
        if not subtree:
            return own
        rolled: dict[str, Decimal] = {}
        for buyer, total in own.items():
            for unit in self._chain(buyer):
                rolled[unit] = rolled.get(unit, _ZERO) + total
        return rolled
