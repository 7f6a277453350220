"""What the kinds share to judge a unit: the judging context, measures, the outcome a kind
computes, and the words of an explanation.

The engine (:mod:`xfrules.evaluator`) decides whether an obligation binds a unit and which
period is judged; a kind (:mod:`xfrules.kinds`) computes what it measures in a
:class:`Judging` and returns a finding — a thresholded kind an :class:`Outcome` that
:meth:`~xfrules.kinds.thresholded.Thresholded.assess` turns into one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from ..entities import Unit
from ..filters import PurchaseFilter, origin_matches
from ..findings import Finding
from ..periods import Window
from ..regions import most_specific_entry
from ..values import CENT, money
from .base import Measure, ObligationBase, ObservationMeasure, Threshold, TransactionMeasure

if TYPE_CHECKING:
    from ..facts import FactIndex

__all__ = [
    "ZERO",
    "Judging",
    "Outcome",
    "Plan",
    "RegionSets",
    "TransactionMeasurer",
    "compare_text",
    "fmt",
    "fmt_against",
    "measure_unit_of",
    "measure_value",
    "scaled",
    "scaled_outcome",
    "strict_gap",
    "unlisted_sets",
]

ZERO = Decimal(0)

# (jurisdiction, set name) -> region codes; a code matches at every level (xfrules.regions).
RegionSets = Mapping[tuple[str, str], frozenset[str]]


@dataclass(slots=True)  # not frozen: made once per finding, and frozen init costs 1 µs more
class Outcome:
    """What a kind's semantics computed; the shared code turns it into a status."""

    measured: Decimal | None
    required: Decimal | None
    threshold: Threshold | None
    explanation: str
    measure_unit: str | None
    satisfied: bool | None = None  # None: judge by threshold.satisfied(measured)
    missing: str | None = None  # insufficient evidence, with the reason
    cumulative: bool = True  # may be judged compliant before the due date
    # Insufficient evidence unless the bound is met anyway: part of what counts could not be
    # recognised (a region set still empty), so a miss may be made-up but a pass is a pass.
    incomplete: Callable[[], str | None] | None = None  # asked only for a miss
    unbound: str | None = None  # the deployment says the duty does not bind this unit

    @classmethod
    def lacking(
        cls, threshold: Threshold, unit: str | None, why: str, measured: Decimal | None = None
    ) -> Outcome:
        """Insufficient evidence: an input the arithmetic needs is missing (``why``); what
        could be measured is kept."""
        return cls(measured, None, threshold, "", unit, missing=why)


def measure_value(
    measure: Measure,
    jurisdiction: str,
    unit_id: str,
    index: FactIndex,
    start: date,
    end: date,
    region_sets: RegionSets,
    *,
    only_in: frozenset[str] | None = None,
) -> Decimal:
    """The value of ``measure`` for a unit over [start, end]."""
    scope = index.scope(unit_id, measure.scope == "subtree")
    if isinstance(measure, ObservationMeasure):
        observations = list(index.observations(scope, measure.metric, start, end))
        if measure.aggregate == "distinct_subjects":
            per_subject: dict[str, Decimal] = {}
            for o in observations:
                if o.subject is not None:
                    per_subject[o.subject] = per_subject.get(o.subject, ZERO) + o.value
            floor = measure.subject_floor
            subjects = {
                s for s, v in per_subject.items() if (v >= floor if floor is not None else v > 0)
            }
            if only_in is not None:
                # Coverage counts the set's entries reached, not subjects: two halls in two
                # districts of 西安 (610102, 610103) cover one city of {西安, 宝鸡}, not two.
                covered = {most_specific_entry(s, only_in) for s in subjects}
                return Decimal(len(covered - {None}))
            return Decimal(len(subjects))
        return sum((o.value for o in observations), ZERO)
    counts = PurchaseFilter.of(measure, jurisdiction, start, end, region_sets).matches
    total = ZERO
    origins: set[str] = set()
    for tx in index.transactions(scope, start, end):
        if not counts(tx):
            continue
        if measure.aggregate == "amount":
            total += tx.amount
        elif measure.aggregate == "quantity":
            total += tx.quantity
        elif measure.aggregate == "count":
            total += 1
        elif tx.origin_region and (only_in is None or origin_matches(tx.origin_region, only_in)):
            origins.add(tx.origin_region)
    return Decimal(len(origins)) if measure.aggregate == "distinct_origins" else total


def fmt(value: Decimal, unit: str) -> str:
    if unit == "ratio":
        percent = (value * 100).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
        return f"{percent:f}%"
    if unit == "元":
        return f"{money(value):,} 元"
    return f"{value.normalize():f} {unit}"


def fmt_against(value: Decimal, bound: Decimal, unit: str) -> str:
    """``value`` as :func:`_fmt` shows it, with more decimals when rounding would make it read
    as the bound it differs from (97.999% is not "98%" beside a 98% floor it misses)."""
    text = fmt(value, unit)
    if value == bound or text != fmt(bound, unit) or unit not in ("ratio", "元"):
        return text
    exact = value * 100 if unit == "ratio" else value
    return f"{exact.normalize():f}%" if unit == "ratio" else f"{exact:,f} 元"


def compare_text(measured: Decimal, threshold: Threshold, required: Decimal, unit: str) -> str:
    verb = "meets" if threshold.satisfied(measured) else "does not meet"
    if threshold.comparator == "between" and threshold.upper is not None:
        bound = (
            f"{fmt(threshold.value, unit)}–{fmt(threshold.upper, unit)} "
            "(a range: its lower bound binds)"
        )
        above = (
            f"; above the upper bound {fmt(threshold.upper, unit)}, which is no breach"
            if measured > threshold.upper
            else ""
        )
    else:
        bound, above = f"{threshold.comparator} {fmt(required, unit)}", ""
    return f"measured {fmt_against(measured, required, unit)} {verb} required {bound}{above}"


def scaled(threshold: Threshold, factor: Decimal) -> Threshold:
    """The threshold with its bound(s) multiplied (share × baseline, amount × head count)."""
    update: dict[str, Decimal | str] = {"value": threshold.value * factor, "unit": "元"}
    if threshold.upper is not None:
        update["upper"] = threshold.upper * factor
    return threshold.model_copy(update=update)


class TransactionMeasurer(Protocol):
    """Computes a transaction measure elsewhere (e.g. in DuckDB) exactly as ``measure_value`` would."""

    def __call__(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> Decimal: ...


@dataclass(slots=True)
class Judging:
    """One unit, bound and in force, to judge for one period: what a kind's
    :meth:`~xfrules.kinds.base.ObligationBase.assess` reads."""

    ob: ObligationBase
    unit: Unit
    as_of: date
    on: date  # a day of the period judged
    index: FactIndex
    region_sets: RegionSets
    plan: Plan
    transaction_measurer: TransactionMeasurer | None = None

    @property
    def who(self) -> dict[str, Any]:
        """The finding fields that name the unit."""
        return {"unit_id": self.unit.id, "unit_name": self.unit.name, "unit_kind": self.unit.kind}

    def finding(self, **values: Any) -> Finding:
        """A finding of this unit with the obligation's fields (and the window's, if any)."""
        return Finding.trusted_from(self.plan.window_template, **self.who, **values)

    def measure(
        self, measure: Measure, window: Window, only_in: frozenset[str] | None = None
    ) -> Decimal:
        """The value of ``measure`` for the unit over ``window``."""
        if self.transaction_measurer is not None and isinstance(measure, TransactionMeasure):
            return self.transaction_measurer(
                measure, self.ob.jurisdiction, self.unit.id, window.start, window.end, only_in
            )
        return measure_value(
            measure,
            self.ob.jurisdiction,
            self.unit.id,
            self.index,
            window.start,
            window.end,
            self.region_sets,
            only_in=only_in,
        )


def unlisted_sets(j: Judging, measure: Measure, w: Window, measured: Decimal) -> str | None:
    """Why the measure may be short of what truly counts: purchases from regions outside the
    listed sets, while a set the measure reads lists no region yet (国家级贫困县 named by the
    document, listed by the deployment). None when nothing is unrecognised."""
    if not isinstance(measure, TransactionMeasure):
        return None
    empty = [n for n in measure.origin_sets if not j.region_sets.get((j.ob.jurisdiction, n))]
    if not empty:
        return None
    anywhere = j.measure(_from_anywhere(measure), w)
    if anywhere == measured:
        return None
    return (
        f"purchases from other regions ({fmt(anywhere - measured, measure_unit_of(measure))}) "
        f"may count, but region set {', '.join(map(repr, empty))} lists no regions yet: "
        "the deployment adds them (facts file region_sets)"
    )


@functools.lru_cache(maxsize=1024)
def _from_anywhere(measure: TransactionMeasure) -> TransactionMeasure:
    """``measure`` with no origin filter (one object per measure, so backends memoise it)."""
    return measure.model_copy(update={"origin_sets": ()})


def measure_unit_of(measure: TransactionMeasure) -> str:
    """What a purchase measure counts in."""
    return {"amount": "元", "quantity": "units", "count": "purchases"}.get(
        measure.aggregate, "regions"
    )


def scaled_outcome(measured: Decimal, threshold: Threshold, how: str) -> Outcome:
    """A purchase sum against a threshold scaled to 元 (a share of a baseline, × heads)."""
    return Outcome(
        measured,
        threshold.value,
        threshold,
        compare_text(measured, threshold, threshold.value, "元") + how,
        "元",
    )


def strict_gap(threshold: Threshold, measured: Decimal) -> Decimal:
    gap = threshold.gap(measured)
    if gap == 0 and not threshold.satisfied(measured):
        # Equal to a strict bound: the miss is one cent, or one unit of the last digit.
        last_digit = Decimal(1).scaleb(min(int(measured.as_tuple().exponent), 0))
        gap = min(CENT, last_digit) if threshold.unit == "元" else last_digit
    return gap


@dataclass(frozen=True)
class Plan:
    """What an obligation means on a date whatever the unit: computed once, not per unit."""

    base: dict[str, Any]  # the obligation's fields of every finding
    not_in_force: str | None
    window: Window | None
    window_fields: dict[str, Any]
    threshold: Threshold | None
    tolerance_note: str = ""

    @functools.cached_property
    def template(self) -> dict[str, Any]:
        """``base`` as a :meth:`Finding.template` (defaults filled in)."""
        return Finding.template(**self.base)

    @functools.cached_property
    def window_template(self) -> dict[str, Any]:
        """``template`` with the window's fields."""
        return {**self.template, **self.window_fields}
