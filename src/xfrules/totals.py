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

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from itertools import compress
from operator import add
from typing import TYPE_CHECKING, Any

from .filters import PurchaseFilter, origin_matches
from .kinds.base import TransactionMeasure
from .kinds.judging import REASONS, Tally, purchase_fate
from .periods import Window
from .purchases import Profile, exact

if TYPE_CHECKING:
    from .facts import FactIndex

__all__ = ["LaterTally", "PurchaseTotals"]

_ZERO = Decimal(0)
_NOTHING = (_ZERO, _ZERO)
# What a fate table sums beside the number of purchases: the amount (also for a count, which
# needs none) or the quantity.
_SUMMED = {"count": "amount", "amount": "amount", "quantity": "quantity"}

# Fate -> (unit -> number of purchases, unit -> their sum): flat mappings of strings to numbers,
# which the garbage collector does not track (a list per unit and fate was most of its work).
_Fate = tuple[dict[str, int], dict[str, Decimal]]
_Fates = dict[str, _Fate]
# The same before the sums are Decimals: unit -> number, whole sum at the column's scale, and
# the exponent its purchases were written with (0 at most).
_Raw = tuple[dict[str, int], dict[str, int], dict[str, int]]
_NO_FATE: _Fate = ({}, {})


class PurchaseTotals:
    """A :class:`~xfrules.kinds.judging.TransactionMeasurer` answering from per-unit totals
    computed once per (measure, jurisdiction, window, coverage set)."""

    def __init__(
        self, index: FactIndex, region_sets: Mapping[tuple[str, str], frozenset[str]]
    ) -> None:
        self.index = index
        self.region_sets = region_sets
        self._totals: dict[tuple[Any, ...], dict[str, Decimal]] = {}
        self._raw_fates: dict[tuple[Any, ...], dict[str, _Raw]] = {}
        self._fates: dict[tuple[Any, ...], _Fate] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._above: dict[str, tuple[str, ...]] = {}
        self._counted: dict[
            tuple[int, str, date, date],
            tuple[TransactionMeasure, dict[str, int], dict[str, Decimal]],
        ] = {}
        days = index.purchases.day
        self._latest = date.fromordinal(max(days)) if days else date.min  # the last purchase's

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
            # Asked once per finding: the counted entry found by the measure's identity (a
            # model hashes field by field); the measure is kept, so its id is not reused.
            key = (id(measure), jurisdiction, start, end)
            hit = self._counted.get(key)
            if hit is None or hit[0] is not measure:
                counts, sums = self._counted_fate(measure, jurisdiction, start, end)
                hit = self._counted[key] = (measure, counts, sums)
            if measure.aggregate == "count":
                return Decimal(hit[1].get(unit_id, 0))
            return hit[2].get(unit_id, _ZERO)
        asked = (measure, jurisdiction, start, end, only_in)
        totals = self._totals.get(asked)
        if totals is None:
            totals = self._totals[asked] = self._compute(measure, jurisdiction, start, end, only_in)
        return totals.get(unit_id, _ZERO)

    def _chain(self, unit_id: str) -> tuple[str, ...]:
        """The unit and its ancestors (cycle-safe: a unit counts once)."""
        chain = self._chains.get(unit_id)
        if chain is not None:
            return chain
        out: list[str] = []
        seen: set[str] = set()
        current: str | None = unit_id
        while current is not None and current not in seen:
            known = self._chains.get(current)
            if known is not None and seen.isdisjoint(known):
                # The rest of the walk is that chain: none of its units is met twice. Its
                # siblings' parent is found once, not walked up again for each of them.
                out.extend(known)
                break
            seen.add(current)
            out.append(current)
            unit = self.index.units.get(current)
            current = unit.parent if unit is not None else None
        else:
            if current is None:  # walked to the root: each unit's chain is the rest of it
                for k in range(1, len(out)):
                    self._chains.setdefault(out[k], tuple(out[k:]))
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
        # Only distinct_origins is not a fate table's (the others are summed there).
        flt = PurchaseFilter.of(measure, jurisdiction, start, end, self.region_sets)
        purchases = self.index.purchases
        names = purchases.buyer_names
        # Inside the window whether a purchase counts, and its origin, are its profile's.
        origin_of: dict[int, str] = {}
        for k, kind in enumerate(purchases.profiles):
            origin = kind[0]
            if (
                origin
                and flt.matches(_Stand(kind, start))
                and (only_in is None or origin_matches(origin, only_in))
            ):
                origin_of[k] = origin
        origins: dict[str, set[str]] = {}
        lo, hi = start.toordinal(), end.toordinal()
        for b, day, k in zip(purchases.buyer, purchases.day, purchases.profile, strict=True):
            if lo <= day <= hi and (code := origin_of.get(k)):
                origins.setdefault(names[b], set()).add(code)
        subtree = measure.scope == "subtree"
        reached: dict[str, set[str]] = {}
        for buyer, codes in origins.items():
            for unit in self._chain(buyer) if subtree else (buyer,):
                reached.setdefault(unit, set()).update(codes)
        return {unit: Decimal(len(codes)) for unit, codes in reached.items()}

    def tally(
        self, measure: TransactionMeasure, jurisdiction: str, unit_id: str, w: Window, last: date
    ) -> Tally:
        """The unit's purchases up to ``last`` by what became of them, as
        :func:`~xfrules.kinds.judging.staged_tally` computes it from measures: ``counted`` and
        the reasons of :data:`~xfrules.kinds.judging.REASONS`, each (number, sum of the
        measure's aggregate) — from two tables, not one measure per filter stage."""
        counting = measure.aggregate not in ("amount", "quantity")
        # One shared (0, 0) for the empty reasons: a tally is kept by each finding not met,
        # and seven new tuples each were objects the collector walked at every collection.
        out: dict[str, tuple[Decimal, Decimal]] = dict.fromkeys((*REASONS, "counted"), _NOTHING)
        n_window, sum_window = 0, _ZERO
        # Up to ``last`` (as staged_tally): a purchase dated later is in neither table. When
        # none is (the evaluator cuts the facts at the as-of date), the window's own table —
        # the one the measure read — serves, with no pass of its own.
        end = w.end if last >= self._latest else min(w.end, last)
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

    def tally_later(
        self, measure: TransactionMeasure, jurisdiction: str, unit_id: str, w: Window, last: date
    ) -> LaterTally:
        """:meth:`tally`, computed when first read (:class:`LaterTally`)."""
        return LaterTally(self, measure, jurisdiction, unit_id, w, last)

    def _fate_table(
        self, measure: TransactionMeasure, jurisdiction: str, start: date, end: date
    ) -> _Fates:
        """Every unit's purchases dated in [start, end] by fate (:func:`purchase_fate`):
        their number and sum, rolled up the tree for a subtree measure (from the same pass
        over the purchases as the unit's own)."""
        key, raw = self._raw(measure, jurisdiction, start, end)
        return {fate: self._fate(key, raw, fate, measure.scope) for fate in raw}

    def _counted_fate(
        self, measure: TransactionMeasure, jurisdiction: str, start: date, end: date
    ) -> _Fate:
        """The ``counted`` entry of :meth:`_fate_table` alone: what a measure reads. The
        other fates are for the accounting of a finding not met, read when its explanation
        is: their sums are made Decimals, and rolled up, only then."""
        key, raw = self._raw(measure, jurisdiction, start, end)
        return self._fate(key, raw, "counted", measure.scope) if "counted" in raw else _NO_FATE

    def _raw(
        self, measure: TransactionMeasure, jurisdiction: str, start: date, end: date
    ) -> tuple[tuple[Any, ...], dict[str, _Raw]]:
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
        raw = self._raw_fates.get(key)
        if raw is None:
            raw = self._raw_fates[key] = self._compute_fates(measure, jurisdiction, start, end)
        return key, raw

    def _fate(self, key: tuple[Any, ...], raw: dict[str, _Raw], fate: str, scope: str) -> _Fate:
        """One fate of a table: its numbers and Decimal sums, rolled up for a subtree."""
        made = self._fates.get((*key, fate, scope))
        if made is None:
            numbers, wholes, places = raw[fate]
            if scope == "subtree":
                numbers, wholes, places = self._roll_up(numbers, wholes, places)
            purchases = self.index.purchases
            scale = purchases.quantity_scale if key[4] == "quantity" else purchases.amount_scale
            sums = {name: exact(w, scale, places[name]) for name, w in wholes.items()}
            made = self._fates[(*key, fate, scope)] = (numbers, sums)
        return made

    def _compute_fates(
        self, measure: TransactionMeasure, jurisdiction: str, start: date, end: date
    ) -> dict[str, _Raw]:
        """Each buyer's own purchases in [start, end] by fate."""
        flt = PurchaseFilter.of(measure, jurisdiction, start, end, self.region_sets)
        quantity = _SUMMED[measure.aggregate] == "quantity"
        purchases = self.index.purchases
        values = purchases.quantity if quantity else purchases.amount
        slot = 5 if quantity else 4  # the value's exponent in a profile
        # Inside the window a purchase's fate depends on its profile only (origin, category,
        # channel, seller kind): a ledger has few, each judged once. Sums are whole fen (or
        # thousandths) per (fate, exponent as written) — a sum's places are its purchases'.
        bucket_of: list[int] = []
        keys: list[tuple[str, int]] = []
        index: dict[tuple[str, int], int] = {}
        for kind in purchases.profiles:
            exponent = kind[slot]
            assert isinstance(exponent, int)
            key = (purchase_fate(_Stand(kind, start), flt), exponent)
            k = index.get(key)
            if k is None:
                k = index[key] = len(keys)
                keys.append(key)
            bucket_of.append(k)
        # One slot per (bucket, buyer) — bucket × buyers + buyer — made, and counted, in C
        # loops (map, compress, Counter): only the sums are added up in Python.
        n = len(purchases.buyer_names)
        offset = [k * n for k in bucket_of]
        slots: Iterable[int] = map(add, map(offset.__getitem__, purchases.profile), purchases.buyer)
        summed: Iterable[int] = values
        lo, hi = start.toordinal(), end.toordinal()
        days = purchases.day
        if days and not lo <= min(days) <= max(days) <= hi:  # only those dated in the window
            inside = [lo <= day <= hi for day in days]
            slots, summed = compress(slots, inside), compress(values, inside)
        slots = list(slots)
        counted = Counter(slots)
        wholes_of = dict.fromkeys(counted, 0)
        for slot, value in zip(slots, summed, strict=True):
            wholes_of[slot] += value
        # Per fate and buyer: the number, the whole sum and its exponent (0 at most: sums
        # start from Decimal 0) — in dicts of ints, which the collector does not track.
        names = purchases.buyer_names
        merged: dict[str, tuple[dict[str, int], dict[str, int], dict[str, int]]] = {}
        into = [
            (merged.setdefault(fate, ({}, {}, {})), min(0, exponent)) for fate, exponent in keys
        ]
        for slot, n_b in counted.items():
            k, b = divmod(slot, n)
            (numbers, wholes, places), exponent = into[k]
            name = names[b]
            if name in numbers:
                numbers[name] += n_b
                wholes[name] += wholes_of[slot]
                places[name] = min(places[name], exponent)
            else:
                numbers[name], wholes[name], places[name] = n_b, wholes_of[slot], exponent
        return {fate: entry for fate, entry in merged.items() if entry[0]}

    def _roll_up(
        self, numbers: dict[str, int], wholes: dict[str, int], places: dict[str, int]
    ) -> _Raw:
        """One fate with each unit's purchases added to all its ancestors'. Buyers under the
        same ancestors (the budget units of one district) are summed first, then added to
        each ancestor once; in whole numbers and the least exponent, as Decimal sums give."""
        n_under: dict[tuple[str, ...], int] = {}
        w_under: dict[tuple[str, ...], int] = {}
        p_under: dict[tuple[str, ...], int] = {}
        above = self._above
        for buyer, n in numbers.items():
            up = above.get(buyer)
            if up is None:
                up = above[buyer] = self._chain(buyer)[1:]
            if not up:
                continue
            if up in n_under:
                n_under[up] += n
                w_under[up] += wholes[buyer]
                p_under[up] = min(p_under[up], places[buyer])
            else:
                n_under[up], w_under[up], p_under[up] = n, wholes[buyer], places[buyer]
        up_n, up_w, up_p = dict(numbers), dict(wholes), dict(places)
        for up, n in n_under.items():
            w, p = w_under[up], p_under[up]
            for unit in up:
                if unit in up_n:
                    up_n[unit] += n
                    up_w[unit] += w
                    up_p[unit] = min(up_p[unit], p)
                else:
                    up_n[unit], up_w[unit], up_p[unit] = n, w, p
        return up_n, up_w, up_p


class LaterTally(Mapping[str, tuple[Decimal, Decimal]]):
    """A unit's :meth:`PurchaseTotals.tally`, computed when first read and kept.

    The evaluator keeps a tally in the accounting of every finding not met, which is read
    only when that finding's explanation is written: most of a province's never are. The
    totals answer from the index's columns held in memory, which nothing closes, so asking
    later gives what asking at once gave — without the per-finding look-ups, and without the
    pass over every purchase up to the as-of date (the "period" reason) unless one is read.
    Equal to the tally itself; pickled as it."""

    __slots__ = ("_jurisdiction", "_last", "_made", "_measure", "_totals", "_unit_id", "_window")

    def __init__(
        self,
        totals: PurchaseTotals,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        w: Window,
        last: date,
    ) -> None:
        self._totals: PurchaseTotals | None = totals
        self._measure, self._jurisdiction, self._unit_id = measure, jurisdiction, unit_id
        self._window, self._last = w, last
        self._made: Tally | None = None

    def _tally(self) -> Tally:
        made = self._made
        if made is None:
            assert self._totals is not None
            made = self._made = self._totals.tally(
                self._measure, self._jurisdiction, self._unit_id, self._window, self._last
            )
            self._totals = None  # the totals are no longer needed by this tally
        return made

    def __getitem__(self, fate: str) -> tuple[Decimal, Decimal]:
        return self._tally()[fate]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tally())

    def __len__(self) -> int:
        return len(self._tally())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LaterTally):
            other = other._tally()
        return self._tally() == other

    __hash__ = None  # type: ignore[assignment]  # as the dict it stands for

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (self._tally(),))

    def __repr__(self) -> str:
        return repr(self._tally())


class _Stand:
    """A purchase of a profile dated ``day``: what a filter asks of one inside its window."""

    __slots__ = ("category", "channel", "date", "origin_region", "seller_kind")

    def __init__(self, profile: Profile, day: date) -> None:
        self.origin_region, self.category, self.channel, self.seller_kind = profile[:4]
        self.date = day


_EVER = date(1, 1, 1)
# The measure that counts every purchase, by scope and what it sums.
_EVERYTHING = {
    (scope, summed): TransactionMeasure(scope=scope, aggregate=summed)
    for scope in ("unit", "subtree")
    for summed in ("amount", "quantity")
}
