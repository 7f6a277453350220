"""Purchase measures for every unit at once: each filter and window totalled in one pass over
the purchases, then rolled up the unit tree — what the DuckDB backend does in SQL, in memory.

Asking :func:`~xfrules.kinds.judging.measure_value` unit by unit re-walks a district's whole
subtree for every district and every measure: the cost grew with units × subtree size. Here
the first question about a (measure, window) computes the answer for every unit — one pass
over the purchases, one walk up each buyer's ancestors — and every later question is a look-up.
The numbers are :func:`measure_value`'s (tests/test_totals.py holds them equal).

Sums and counts of purchases come from one table per (filters, window): every unit's purchases
in the window by their fate — counted, or the first filter they fail — so that a measure and
the accounting of a finding that misses it (what was counted, what was not and why) share a
single pass, where the accounting asked for one measure per filter stage before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .filters import PurchaseFilter, origin_matches
from .kinds.base import TransactionMeasure
from .kinds.judging import REASONS, Tally, purchase_fate
from .periods import Window

if TYPE_CHECKING:
    from .facts import FactIndex

__all__ = ["PurchaseTotals"]

_ZERO = Decimal(0)
# What a fate table sums beside the number of purchases: the amount (also for a count, which
# needs none) or the quantity.
_SUMMED = {"count": "amount", "amount": "amount", "quantity": "quantity"}

# Fate -> (unit -> number of purchases, unit -> their sum): flat mappings of strings to numbers,
# which the garbage collector does not track (a list per unit and fate was most of its work).
_Fates = dict[str, tuple[dict[str, int], dict[str, Decimal]]]


class PurchaseTotals:
    """A :class:`~xfrules.kinds.judging.TransactionMeasurer` answering from per-unit totals
    computed once per (measure, jurisdiction, window, coverage set)."""

    def __init__(
        self, index: FactIndex, region_sets: Mapping[tuple[str, str], frozenset[str]]
    ) -> None:
        self.index = index
        self.region_sets = region_sets
        self._totals: dict[tuple[Any, ...], dict[str, Decimal]] = {}
        self._fates: dict[tuple[Any, ...], _Fates] = {}
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
        if measure.aggregate in _SUMMED:
            table = self._fate_table(measure, jurisdiction, start, end)
            if "counted" not in table:
                return _ZERO
            counts, sums = table["counted"]
            if measure.aggregate == "count":
                return Decimal(counts.get(unit_id, 0))
            return sums.get(unit_id, _ZERO)
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

    def tally(
        self, measure: TransactionMeasure, jurisdiction: str, unit_id: str, w: Window, last: date
    ) -> Tally:
        """The unit's purchases up to ``last`` by what became of them, as
        :func:`~xfrules.kinds.judging.staged_tally` computes it from measures: ``counted`` and
        the reasons of :data:`~xfrules.kinds.judging.REASONS`, each (number, sum of the
        measure's aggregate) — from two tables, not one measure per filter stage."""
        counting = measure.aggregate not in ("amount", "quantity")
        out: Tally = {r: (_ZERO, _ZERO) for r in (*REASONS, "counted")}
        n_window, sum_window = 0, _ZERO
        # Up to ``last`` (as staged_tally): a purchase dated later is in neither table.
        end = min(w.end, last)
        for fate, (counts, sums) in self._fate_table(measure, jurisdiction, w.start, end).items():
            n = counts.get(unit_id, 0)
            if n:
                total = Decimal(n) if counting else sums[unit_id]
                out[fate] = (Decimal(n), total)
                n_window += n
                sum_window += total
        # As the stages compute it: every purchase up to ``last``, less those in the window.
        everything = _EVERYTHING[measure.scope, _SUMMED[measure.aggregate]]
        ever = self._fate_table(everything, jurisdiction, _EVER, last).get("counted")
        n_ever, sum_ever = 0, _ZERO
        if ever is not None:  # no filter: every purchase in the window is counted
            n_ever = ever[0].get(unit_id, 0)
            sum_ever = Decimal(n_ever) if counting else ever[1].get(unit_id, _ZERO)
        out["period"] = (Decimal(n_ever - n_window), sum_ever - sum_window)
        return out

    def _fate_table(
        self, measure: TransactionMeasure, jurisdiction: str, start: date, end: date
    ) -> _Fates:
        """Every unit's purchases dated in [start, end] by fate (:func:`purchase_fate`):
        their number and sum, rolled up the tree for a subtree measure (from the same pass
        over the purchases as the unit's own)."""
        summed = _SUMMED[measure.aggregate]
        key = (
            measure.origin_sets,
            measure.categories,
            measure.channels,
            measure.seller_kinds,
            summed,
            jurisdiction,
            start,
            end,
        )
        own = self._fates.get(key)
        if own is None:
            own = self._fates[key] = self._compute_fates(measure, jurisdiction, start, end)
        if measure.scope != "subtree":
            return own
        rolled = self._fates.get((*key, "subtree"))
        if rolled is None:
            rolled = self._fates[(*key, "subtree")] = self._roll_up(own)
        return rolled

    def _compute_fates(
        self, measure: TransactionMeasure, jurisdiction: str, start: date, end: date
    ) -> _Fates:
        """Each buyer's own purchases in [start, end] by fate."""
        flt = PurchaseFilter.of(measure, jurisdiction, start, end, self.region_sets)
        quantity = _SUMMED[measure.aggregate] == "quantity"
        table: _Fates = {}
        if flt.origins is None and not (flt.categories or flt.channels or flt.seller_kinds):
            # No filter: every purchase in the window is counted (the accounting's first stage).
            counts: dict[str, int] = {}
            sums: dict[str, Decimal] = {}
            for buyer, purchases in self.index.transactions_by_buyer.items():
                n, total = 0, _ZERO
                for tx in purchases:
                    if start <= tx.date <= end:
                        n += 1
                        total += tx.quantity if quantity else tx.amount
                if n:
                    counts[buyer], sums[buyer] = n, total
            return {"counted": (counts, sums)} if counts else {}
        # Inside the window a purchase's fate depends on these four fields only: a ledger has
        # few combinations of them, so each is judged once.
        targets: dict[tuple[str | None, ...], tuple[dict[str, int], dict[str, Decimal]]] = {}
        for buyer, purchases in self.index.transactions_by_buyer.items():
            for tx in purchases:
                if not start <= tx.date <= end:
                    continue
                profile = (tx.origin_region, tx.category, tx.channel, tx.seller_kind)
                target = targets.get(profile)
                if target is None:
                    target = targets[profile] = table.setdefault(purchase_fate(tx, flt), ({}, {}))
                counts, sums = target
                counts[buyer] = counts.get(buyer, 0) + 1
                # From 0 as measure_value sums: the places of the sum are the purchases'.
                sums[buyer] = sums.get(buyer, _ZERO) + (tx.quantity if quantity else tx.amount)
        return table

    def _roll_up(self, own: _Fates) -> _Fates:
        """``own`` with each unit's purchases added to all its ancestors'."""
        rolled: _Fates = {}
        for fate, (counts, sums) in own.items():
            up_counts: dict[str, int] = {}
            up_sums: dict[str, Decimal] = {}
            for buyer, n in counts.items():
                total = sums[buyer]
                for unit in self._chain(buyer):
                    up_counts[unit] = up_counts.get(unit, 0) + n
                    up_sums[unit] = up_sums.get(unit, _ZERO) + total
            rolled[fate] = (up_counts, up_sums)
        return rolled


_EVER = date(1, 1, 1)
# The measure that counts every purchase, by scope and what it sums.
_EVERYTHING = {
    (scope, summed): TransactionMeasure(scope=scope, aggregate=summed)
    for scope in ("unit", "subtree")
    for summed in ("amount", "quantity")
}
