"""Running transaction measures for the live monitor, fed to the evaluator through its
``transaction_measurer`` seam.

``evaluate_one`` asks for a transaction measure of a unit over a window; summing the unit's
purchases for every such question makes each event cost O(purchases so far). Here each
question asked once becomes an *entry* (measure, jurisdiction, unit, window, ``only_in``)
whose value is computed once from the index and then kept current as purchases arrive:
a purchase updates only the entries whose scope holds its buyer, whose window holds its
date and whose filters it passes.

Exactness: whether a purchase counts for a measure is asked of the evaluator's own
``measure_value`` over an index of just that purchase (memoised by the fields the filters
read), so the filters (origin sets and their code[:6] match, categories, channels,
seller kinds, ``only_in``) are the evaluator's, not a copy. Sums add the same Decimals
``measure_value`` adds; distinct origins keep the set of origins itself, so they are exact
too. Entries also record which findings read them, so the monitor re-evaluates after a
purchase only the findings whose measure value it changed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ..entities import Transaction
from ..evaluator import RegionSets, measure_value
from ..facts import FactIndex
from ..kinds.judging import FateTally, Tally
from ..obligations import TransactionMeasure
from ..periods import Window

__all__ = ["OnePurchase", "RunningMeasurer", "TallyEntry"]

ZERO = Decimal(0)


class OnePurchase(FactIndex):
    """A fact index holding one buyer's given purchases and nothing else."""

    def __init__(self, buyer: str, purchases: list[Transaction]) -> None:  # no Facts model
        self.units = {}
        self.children = {}
        self.transactions_by_buyer = {buyer: purchases}
        self.observations_by_unit = {}
        self.submissions_by_unit = {}


class Entry:
    """One measure of one unit over one window, kept current."""

    __slots__ = ("aggregate", "dependents", "end", "key", "origins", "passes", "start", "total")

    def __init__(
        self,
        key: tuple[Any, ...],
        passes: dict[tuple[Any, ...], bool],
        aggregate: str,
        start: date,
        end: date,
    ) -> None:
        self.key = key  # (measure, jurisdiction, only_in): what decides the filters
        self.passes = passes  # the filters' verdicts by purchase fields, shared per key
        self.aggregate = aggregate
        self.start = start
        self.end = end
        self.total = ZERO
        self.origins: set[str] = set()
        self.dependents: set[tuple[str, int]] = set()  # findings whose last evaluation read this

    @property
    def value(self) -> Decimal:
        if self.aggregate == "distinct_origins":
            return Decimal(len(self.origins))
        return self.total

    def take(self, tx: Transaction) -> bool:
        """Add a purchase that passes the filters; return whether the value changed."""
        aggregate = self.aggregate
        if aggregate == "amount":
            self.total += tx.amount
        elif aggregate == "quantity":
            self.total += tx.quantity
        elif aggregate == "count":
            self.total += 1
        else:
            assert tx.origin_region  # the evaluator's filter for distinct origins ensures it
            if tx.origin_region in self.origins:
                return False
            self.origins.add(tx.origin_region)
        # A sum changes even by 0.00 (its exponent may), so the finding is re-evaluated.
        return True


class TallyEntry(FateTally):
    """A :class:`~xfrules.kinds.judging.FateTally` of one unit, kept current, with the
    findings that read it: the accounting of a finding not met, in one look-up instead of
    two per filter stage."""

    __slots__ = ("dependents",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.dependents: set[tuple[str, int]] = set()

    def changed_by(self, tx: Transaction) -> bool:
        """Count a purchase of the unit's scope; return whether the findings reading the
        tally must be asked again — always: one dated after ``last`` is not counted, but the
        clock has passed ``last`` (the index holds nothing dated after it), so the finding
        now reads a later tally."""
        self.take(tx)
        return True


class RunningMeasurer:
    """A ``TransactionMeasurer`` over a growing index: call :meth:`add` for every purchase
    added to the index (after adding it), and read :meth:`__call__`'s answers as
    ``measure_value``'s over that index."""

    def __init__(self, index: FactIndex, region_sets: RegionSets) -> None:
        self.index = index
        self.region_sets = region_sets
        self._entries: dict[tuple[Any, ...], Entry] = {}
        # The same entries by the measure object's identity: a pydantic model hashes and
        # compares field by field, which was a fifth of re-evaluating a finding. The
        # measure is kept in the value, so its id cannot be reused while the key exists.
        self._by_identity: dict[tuple[Any, ...], tuple[TransactionMeasure, Entry]] = {}
        self._by_buyer: dict[str, list[Entry]] = {}
        # Each measure (by value: equal measures count the same purchases) and its probe.
        self._probes: dict[TransactionMeasure, TransactionMeasure] = {}
        self._passes: dict[tuple[Any, ...], dict[tuple[Any, ...], bool]] = {}
        self._tallies: dict[tuple[Any, ...], TallyEntry] = {}
        self._tallies_by_buyer: dict[str, list[TallyEntry]] = {}
        # when a list: entries read are appended
        self.reads: list[Entry | TallyEntry] | None = None

    def __call__(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> Decimal:
        fast = (id(measure), jurisdiction, unit_id, start, end, only_in)
        hit = self._by_identity.get(fast)
        if hit is not None:
            entry = hit[1]
        else:
            shared = self._entries.get((measure, jurisdiction, unit_id, start, end, only_in))
            entry = shared or self._create(measure, jurisdiction, unit_id, start, end, only_in)
            self._by_identity[fast] = (measure, entry)
        if self.reads is not None:
            self.reads.append(entry)
        return entry.value

    def tally(
        self, measure: TransactionMeasure, jurisdiction: str, unit_id: str, w: Window, last: date
    ) -> Tally:
        """The unit's purchases up to ``last`` by fate under ``measure``'s filters over ``w``,
        as :func:`~xfrules.kinds.judging.staged_tally` computes it from measures (the index
        holds no purchase dated after the clock, so none after ``last`` inside ``w``)."""
        key = (measure, jurisdiction, unit_id, w.start, w.end, last)
        entry = self._tallies.get(key)
        if entry is None:
            entry = self._tallies[key] = TallyEntry(
                measure, jurisdiction, w, last, self.region_sets
            )
            scope = self.index.scope(unit_id, measure.scope == "subtree")
            for tx in self.index.transactions(scope, date.min, last):
                entry.take(tx)
            for buyer in scope:
                self._tallies_by_buyer.setdefault(buyer, []).append(entry)
        if self.reads is not None:
            self.reads.append(entry)
        return entry.tally()

    def add(self, tx: Transaction) -> list[Entry | TallyEntry]:
        """Count a purchase just added to the index; return the entries whose value changed."""
        changed: list[Entry | TallyEntry] = [
            entry for entry in self._tallies_by_buyer.get(tx.buyer, ()) if entry.changed_by(tx)
        ]
        day = tx.date
        fields = _filtered_fields(tx)
        for entry in self._by_buyer.get(tx.buyer, ()):
            if not entry.start <= day <= entry.end:
                continue
            passes = entry.passes.get(fields)
            if passes is None:
                passes = self._passes_filters(entry, tx)
            if passes and entry.take(tx):
                changed.append(entry)
        return changed

    def entries(self) -> int:
        return len(self._entries)

    def _create(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> Entry:
        if measure not in self._probes:
            # The probe asks the evaluator whether one purchase counts (as a count, so that
            # a purchase of 0.00 counts too).
            probe = (
                measure
                if measure.aggregate == "distinct_origins"
                else measure.model_copy(update={"aggregate": "count"})
            )
            self._probes[measure] = probe.model_copy(update={"scope": "unit"})
        key = (measure, jurisdiction, only_in)
        entry = Entry(key, self._passes.setdefault(key, {}), measure.aggregate, start, end)
        scope = self.index.scope(unit_id, measure.scope == "subtree")
        for tx in self.index.transactions(scope, start, end):
            if self._passes_filters(entry, tx):
                entry.take(tx)
        self._entries[(measure, jurisdiction, unit_id, start, end, only_in)] = entry
        for buyer in scope:
            self._by_buyer.setdefault(buyer, []).append(entry)
        return entry

    def _passes_filters(self, entry: Entry, tx: Transaction) -> bool:
        fields = _filtered_fields(tx)
        passes = entry.passes.get(fields)
        if passes is None:
            measure, jurisdiction, only_in = entry.key
            probe = self._probes[measure]
            passes = entry.passes[fields] = bool(
                measure_value(
                    probe,
                    jurisdiction,
                    tx.buyer,
                    OnePurchase(tx.buyer, [tx]),
                    date.min,
                    date.max,
                    self.region_sets,
                    only_in=only_in,
                )
            )
        return passes


def _filtered_fields(tx: Transaction) -> tuple[Any, ...]:
    """What the evaluator's filters read of a purchase (besides its date, checked against
    the window): its verdict for a measure is memoised by these."""
    return (tx.origin_region, tx.category, tx.channel, tx.seller_kind)
