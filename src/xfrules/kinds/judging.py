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
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

from ..bulk import constructed
from ..entities import Transaction, Unit, bound_name
from ..filters import Filtered, PurchaseFilter, origin_matches
from ..findings import Deferred, Finding
from ..i18n import t
from ..periods import Window
from ..regions import most_specific_entry
from ..values import CENT, money
from .base import Measure, ObligationBase, ObservationMeasure, Threshold, TransactionMeasure

if TYPE_CHECKING:
    from ..facts import FactIndex

__all__ = [
    "ZERO",
    "FateTally",
    "Judging",
    "Outcome",
    "Plan",
    "RegionSets",
    "TransactionMeasurer",
    "accounting",
    "bound_text",
    "compare_text",
    "fmt",
    "fmt_against",
    "measure_unit_of",
    "measure_value",
    "purchase_fate",
    "reason_text",
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
    # Words, or what writes them when the finding's explanation is first read (formatting
    # values only: see findings.Deferred).
    explanation: str | Deferred
    measure_unit: str | None
    satisfied: bool | None = None  # None: judge by threshold.satisfied(measured)
    missing: str | None = None  # insufficient evidence, with the reason
    # Insufficient evidence unless the bound is met anyway: part of what counts could not be
    # recognised (a region set still empty), so a miss may be made-up but a pass is a pass.
    incomplete: Callable[[], str | None] | None = None  # asked only for a miss
    unbound: str | None = None  # the deployment says the duty does not bind this unit
    # What was counted and what was not (:func:`accounting`): asked only for a finding that is
    # not met (a miss, insufficient evidence, not yet due), where it says why.
    accounting: Callable[[], str | Deferred] | None = None

    @classmethod
    def lacking(
        cls,
        threshold: Threshold,
        unit: str | None,
        why: str,
        measured: Decimal | None = None,
        accounting: Callable[[], str | Deferred] | None = None,
    ) -> Outcome:
        """Insufficient evidence: an input the arithmetic needs is missing (``why``); what
        could be measured is kept, and ``accounting`` says what it counted."""
        return cls(measured, None, threshold, "", unit, missing=why, accounting=accounting)


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


def bound_text(comparator: str, value: str, upper: str | None = None) -> str:
    """The rule applied, in words: an inclusive floor says so (不低于…含本数), a range that its
    lower bound binds."""
    if comparator == "between" and upper is not None:
        return t("cmp.between", lo=value, hi=upper)
    return t(f"cmp.{comparator}", v=value)


def compare_text(
    measured: Decimal,
    threshold: Threshold,
    required: Decimal,
    unit: str,
    after: str | Deferred = "",
) -> str:
    verb = t("why.meets") if threshold.satisfied(measured) else t("why.misses")
    above = ""
    if threshold.comparator == "between" and threshold.upper is not None:
        bound = bound_text("between", fmt(threshold.value, unit), fmt(threshold.upper, unit))
        if measured > threshold.upper:
            above = t("why.above_range", upper=fmt(threshold.upper, unit))
    else:
        bound = bound_text(threshold.comparator, fmt(required, unit))
    return t(
        "why.compare",
        measured=fmt_against(measured, required, unit),
        verb=verb,
        bound=bound,
        above=above,
    ) + written(after)


def scaled(threshold: Threshold, factor: Decimal) -> Threshold:
    """The threshold with its bound(s) multiplied (share × baseline, amount × head count):
    what ``model_copy(update=...)`` makes, made directly — one per finding of a share, and the
    copies share one fields-set (a frozen model never changes it) instead of a set each."""
    values = dict(threshold.__dict__)
    values["value"] = threshold.value * factor
    values["unit"] = "元"
    if threshold.upper is not None:
        values["upper"] = threshold.upper * factor
    key = (frozenset(threshold.model_fields_set), threshold.upper is not None)
    fields = _SCALED_FIELDS.get(key)
    if fields is None:
        fields = _SCALED_FIELDS[key] = {*key[0], "value", "unit", *(["upper"] if key[1] else [])}
    made: Threshold = constructed(Threshold, values, fields)
    return made


_SCALED_FIELDS: dict[tuple[frozenset[str], bool], set[str]] = {}


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
        unit = self.unit  # the fields of ``who``, without making its dict per finding
        return Finding.trusted_from(
            self.plan.window_template,
            unit_id=unit.id,
            unit_name=unit.name,
            unit_kind=unit.kind,
            **values,
        )

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
    document, listed by the deployment). None when nothing is unrecognised.

    A set whose document bounds it (``within``: 甘肃34县 lie in 甘肃) may miss only purchases
    from inside its bound; one from elsewhere certainly does not count.
    """
    if not isinstance(measure, TransactionMeasure):
        return None
    empty = [n for n in measure.origin_sets if not j.region_sets.get((j.ob.jurisdiction, n))]
    if not empty:
        return None
    bounds = [bound_name(n) for n in empty]
    bounded = all((j.ob.jurisdiction, b) in j.region_sets for b in bounds)
    possible = j.measure(_possibly_counted(measure, tuple(bounds) if bounded else None), w)
    if possible == measured:
        return None
    where = (
        t("why.unlisted.inside", codes=", ".join(_bound_codes(j, bounds)))
        if bounded
        else t("why.unlisted.other")
    )
    return t(
        "why.unlisted",
        where=where,
        amount=fmt(possible - measured, measure_unit_of(measure)),
        sets=", ".join(map(repr, empty)),
    )


def _bound_codes(j: Judging, bounds: list[str]) -> list[str]:
    return sorted({c for b in bounds for c in j.region_sets[(j.ob.jurisdiction, b)]})


@functools.lru_cache(maxsize=1024)
def _possibly_counted(
    measure: TransactionMeasure, bounds: tuple[str, ...] | None
) -> TransactionMeasure:
    """``measure`` with its empty sets replaced by their bounds (``bounds``: the listed sets
    are kept), or with no origin filter (None). One object per argument pair, so backends
    memoise it."""
    if bounds is None:
        return measure.model_copy(update={"origin_sets": ()})
    return measure.model_copy(update={"origin_sets": (*measure.origin_sets, *bounds)})


def measure_unit_of(measure: TransactionMeasure) -> str:
    """What a purchase measure counts in."""
    return {"amount": "元", "quantity": "units", "count": "purchases"}.get(
        measure.aggregate, "regions"
    )


def scaled_outcome(
    measured: Decimal,
    threshold: Threshold,
    how: str | Deferred,
    *,
    incomplete: Callable[[], str | None] | None = None,
    accounting: Callable[[], str | Deferred] | None = None,
) -> Outcome:
    """A purchase sum against a threshold scaled to 元 (a share of a baseline, × heads)."""
    return Outcome(
        measured,
        threshold.value,
        threshold,
        Deferred(compare_text, measured, threshold, threshold.value, "元", how),
        "元",
        incomplete=incomplete,
        accounting=accounting,
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
    # What a kind computes once per plan rather than once per unit (a qualitative duty's
    # window, and the finding of every unit that lacks its evidence).
    memo: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def template(self) -> dict[str, Any]:
        """``base`` as a :meth:`Finding.template` (defaults filled in)."""
        return Finding.template(**self.base)

    @functools.cached_property
    def window_template(self) -> dict[str, Any]:
        """``template`` with the window's fields."""
        return {**self.template, **self.window_fields}


# The filters of a purchase measure, in the order a purchase not counted is said to fail them
# (the first it fails is its reason): the period, then these.
_FILTERS = ("categories", "channels", "seller_kinds", "origin_sets")
REASONS = ("period", "category", "channel", "seller_kind", "origin")
_EVER = date(1, 1, 1)

# What became of a unit's purchases: ``counted`` and each of REASONS -> (number, sum).
Tally = Mapping[str, tuple[Decimal, Decimal]]


_STAGES: dict[tuple[int, int, str], tuple[TransactionMeasure, TransactionMeasure]] = {}


def _stage(measure: TransactionMeasure, kept: int, aggregate: str) -> TransactionMeasure:
    """``measure`` with only its first ``kept`` filters (of :data:`_FILTERS`), summing
    ``aggregate``: one object per stage, so that backends memoise it. Memoised by the
    measure object's identity (a pydantic model hashes field by field: the live monitor
    asks for eight stages per re-evaluation); the measure is kept in the value, so its id
    is not reused while the key exists."""
    key = (id(measure), kept, aggregate)
    hit = _STAGES.get(key)
    if hit is not None:
        return hit[1]
    update: dict[str, object] = {f: () for f in _FILTERS[kept:]}
    update["aggregate"] = aggregate
    staged = measure.model_copy(update=update)
    if len(_STAGES) >= 4096:  # bounded, as the lru_cache it replaces
        _STAGES.clear()
    _STAGES[key] = (measure, staged)
    return staged


def _tally(j: Judging, measure: TransactionMeasure, w: Window) -> Tally:
    """The unit's purchases up to the as-of date by what became of them: ``counted`` or the
    first reason (of :data:`REASONS`) they were not — as (number, sum of the measure's
    aggregate). From the measurer's tally or its measures when a backend holds the purchases,
    in one pass over them otherwise."""
    # Up to the period's end: a purchase after it belongs to later periods, and a period's
    # verdict (its explanation too) stands when judged again after it ended.
    last = min(w.end, j.as_of)
    measurer = j.transaction_measurer
    if measurer is not None:
        # A measurer may tally in one go what the stages ask of it measure by measure
        # (xfrules.totals.PurchaseTotals.tally; tests/test_totals.py holds the two equal).
        # An in-memory measurer may tally when the explanation is read instead
        # (xfrules.totals.LaterTally: most findings' explanations never are).
        tally: Callable[..., Tally] | None = getattr(measurer, "tally_later", None) or getattr(
            measurer, "tally", None
        )
        if tally is not None:
            return tally(measure, j.ob.jurisdiction, j.unit.id, w, last)
        return staged_tally(measurer, measure, j.ob.jurisdiction, j.unit.id, w, last)
    fates = FateTally(measure, j.ob.jurisdiction, w, last, j.region_sets)
    for tx in j.index.transactions(
        j.index.scope(j.unit.id, measure.scope == "subtree"), _EVER, last
    ):
        fates.take(tx)
    return fates.tally()


class FateTally:
    """A unit's purchases up to ``last`` by what became of them under a measure's filters
    over a window — ``counted`` or the first reason of :data:`REASONS` — each as (number,
    sum of the measure's aggregate). Filled purchase by purchase: in one pass by
    :func:`_tally`, kept current by the live monitor."""

    __slots__ = ("buckets", "filter", "last", "value")

    def __init__(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        w: Window,
        last: date,
        region_sets: RegionSets,
    ) -> None:
        self.filter = PurchaseFilter.of(measure, jurisdiction, w.start, w.end, region_sets)
        # What a purchase adds: its amount, its quantity, or 1.
        self.value = measure.aggregate if measure.aggregate in ("amount", "quantity") else "count"
        self.last = last
        # Each bucket an immutable pair, replaced as purchases come: a tally read (a finding
        # re-evaluated, whose accounting keeps it) is then a shallow copy, not new pairs.
        self.buckets: dict[str, tuple[Decimal, Decimal]] = dict.fromkeys(
            (*REASONS, "counted"), (ZERO, ZERO)
        )

    def take(self, tx: Transaction) -> None:
        """Count a purchase of the unit's scope (one dated after ``last`` is not)."""
        if tx.date > self.last:
            return
        fate = purchase_fate(tx, self.filter)
        n, total = self.buckets[fate]
        self.buckets[fate] = (
            n + 1,
            total
            + (
                tx.amount
                if self.value == "amount"
                else tx.quantity
                if self.value == "quantity"
                else 1
            ),
        )

    def tally(self) -> Tally:
        return dict(self.buckets)


def staged_tally(
    measurer: TransactionMeasurer,
    measure: TransactionMeasure,
    jurisdiction: str,
    unit_id: str,
    w: Window,
    last: date,
) -> Tally:
    """:func:`_tally` through a measurer's measures: each stage adds the next filter the
    measure has, and the differences between stages are the reasons."""
    value = measure.aggregate if measure.aggregate in ("amount", "quantity") else "count"
    ever = Window(_EVER, last, last)
    # The window up to ``last`` too: a purchase dated after it is in no stage, so the
    # "period" difference (purchases before the window) is never negative, whether or not
    # the measurer itself stops at the as-of date.
    known = Window(w.start, min(w.end, last), w.due)
    kept = [0, 0] + [i + 1 for i, f in enumerate(_FILTERS) if getattr(measure, f)]
    reasons = ["period"] + [REASONS[i] for i in kept[2:]]
    wins = [ever] + [known] * (len(kept) - 1)

    def measured(k: int, aggregate: str, win: Window) -> Decimal:
        return measurer(
            _stage(measure, k, aggregate), jurisdiction, unit_id, win.start, win.end, None
        )

    sums = [
        (measured(k, "count", win), measured(k, value, win))
        for k, win in zip(kept, wins, strict=True)
    ]
    out = {r: (ZERO, ZERO) for r in REASONS}
    for i, reason in enumerate(reasons):
        out[reason] = (sums[i][0] - sums[i + 1][0], sums[i][1] - sums[i + 1][1])
    out["counted"] = sums[-1]
    return out


def purchase_fate(tx: Filtered, flt: PurchaseFilter) -> str:
    """``counted``, or the first reason (of :data:`REASONS`) ``tx`` is not counted by ``flt``."""
    if not flt.start <= tx.date <= flt.end:
        return "period"
    if flt.categories and tx.category not in flt.categories:
        return "category"
    if flt.channels and tx.channel not in flt.channels:
        return "channel"
    if flt.seller_kinds and tx.seller_kind not in flt.seller_kinds:
        return "seller_kind"
    if flt.origins is not None and not origin_matches(tx.origin_region, flt.origins):
        return "origin"
    return "counted"


def accounting(j: Judging, measure: Measure, w: Window) -> str | Deferred:
    """What was counted and what was not, and why, with numbers and sums (``；计入 3 笔，共
    6,500.00 元；未计入：类别不计入（须为 agricultural）2 笔（13,234.50 元）``); empty for a
    measure that is not a sum or count of purchases. Tallied now when the purchases are
    another's to read (a measurer over a connection closed later), when the explanation is
    read from totals held in memory (``tally_later``); written when it is read."""
    if not isinstance(measure, TransactionMeasure) or measure.aggregate == "distinct_origins":
        return ""
    return Deferred(_accounting_text, measure, w, _tally(j, measure, w))


def written(text: str | Deferred) -> str:
    """``text``, written now if it was deferred (in the language already current: a part of
    an explanation being written)."""
    return text if isinstance(text, str) else text.render(*text.args)


def _accounting_text(measure: TransactionMeasure, w: Window, tally: Tally) -> str:
    unit = measure_unit_of(measure) if measure.aggregate != "count" else "purchases"

    def shown(total: Decimal) -> str:
        return fmt(total, unit) if unit in ("元", "units") else f"{total.normalize():f}"

    n, total = tally["counted"]
    parts = [t("why.counted", n=n.normalize(), sum=shown(total))]
    missed = []
    for reason in REASONS:
        count, amount = tally[reason]
        if count:
            missed.append(
                t("why.reason", reason=reason_text(reason, measure, w), n=count, sum=shown(amount))
            )
    if missed:
        parts.append(t("why.not_counted", parts=t("why.not_counted.sep").join(missed)))
    return t("headline.sep") + t("headline.sep").join(parts)


def reason_text(reason: str, measure: TransactionMeasure, w: Window) -> str:
    """Why a purchase was not counted, in words (``类别不计入（须为 agricultural）``)."""
    if reason == "period":
        return t("why.reason.period", start=w.start, end=w.end)
    if reason == "origin":
        return t("why.reason.origin", sets="、".join(measure.origin_sets))
    values = getattr(
        measure, {"category": "categories", "channel": "channels"}.get(reason, "seller_kinds")
    )
    return t(f"why.reason.{reason}", values="、".join(values))
