"""The evaluator: one finding per (unit, obligation, period reported) as of a date.

This module holds the obligation semantics in one place; the batch (DuckDB) backend
and the live monitor must agree with it and are tested against it.

Decisions that apply to every jurisdiction:

- An obligation binds a unit when the unit is of the obligation's jurisdiction and
  of one of its ``applies_to`` kinds (and, with ``named_departments_only``, when the
  unit's department is one the obligation names). Otherwise: ``not_applicable``.
- Before ``valid_from`` the obligation is not yet in force: ``not_applicable``. After
  ``valid_to`` its last period is still judged, as it stood: an audit in January asks
  whether last year's target was met, and a miss must not vanish when the year ends.
- Before the period's due date a floor on a cumulative quantity that is already met
  is ``compliant`` (met early); anything else is ``not_yet_due``.
- A recurring duty is reported for its current period and, while that period is open, the
  last closed one (:func:`judged_days`), so a yearly verdict does not vanish on 1 January.
- An approximate number (约/左右) is met within its tolerance (10% unless the plug-in or the
  deployment says otherwise); a range (２－３个) binds by its lower bound; a participant
  (参与/配合) is shown, never bound; 力争 (aspirational) and encouraged misses are never breaches.
- Missing inputs the arithmetic needs (no baseline, no head count, zero denominator,
  no evidence for a qualitative duty, a coverage target set still empty) give
  ``insufficient_evidence``, never a guess.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .collector import collector_paused
from .entities import Transaction, Unit
from .errors import InputError, Problem
from .facts import FactIndex, Facts
from .filters import PurchaseFilter, origin_matches
from .findings import Evaluation, Finding, Status
from .obligations import (
    DEFAULT_TOLERANCE,
    Allocation,
    AmountTarget,
    BaselineShare,
    CountTarget,
    Coverage,
    GrowthRate,
    Measure,
    Obligation,
    ObservationMeasure,
    PerCapita,
    Qualitative,
    Rate,
    Reporting,
    Threshold,
    TransactionMeasure,
)
from .periods import Window, month_due, months_between, shift_years, window_for
from .regions import most_specific_entry
from .rulebook import RegionSets, Rulebook, prepare

if TYPE_CHECKING:
    from .registry import Registry
from .values import CENT, money

__all__ = [
    "EvaluationCache",
    "Periods",
    "RegionSets",
    "TransactionMeasurer",
    "binding_problem",
    "check_date_argument",
    "evaluate",
    "evaluate_one",
    "evaluate_rulebook",
    "judged_days",
    "measure_value",
]

ZERO = Decimal(0)


@dataclass(slots=True)  # not frozen: made once per finding, and frozen init costs 1 µs more
class _Outcome:
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
    ) -> _Outcome:
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


def _fmt(value: Decimal, unit: str) -> str:
    if unit == "ratio":
        percent = (value * 100).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
        return f"{percent:f}%"
    if unit == "元":
        return f"{money(value):,} 元"
    return f"{value.normalize():f} {unit}"


def _fmt_against(value: Decimal, bound: Decimal, unit: str) -> str:
    """``value`` as :func:`_fmt` shows it, with more decimals when rounding would make it read
    as the bound it differs from (97.999% is not "98%" beside a 98% floor it misses)."""
    text = _fmt(value, unit)
    if value == bound or text != _fmt(bound, unit) or unit not in ("ratio", "元"):
        return text
    exact = value * 100 if unit == "ratio" else value
    return f"{exact.normalize():f}%" if unit == "ratio" else f"{exact:,f} 元"


def _compare_text(measured: Decimal, threshold: Threshold, required: Decimal, unit: str) -> str:
    verb = "meets" if threshold.satisfied(measured) else "does not meet"
    if threshold.comparator == "between" and threshold.upper is not None:
        bound = (
            f"{_fmt(threshold.value, unit)}–{_fmt(threshold.upper, unit)} "
            "(a range: its lower bound binds)"
        )
        above = (
            f"; above the upper bound {_fmt(threshold.upper, unit)}, which is no breach"
            if measured > threshold.upper
            else ""
        )
    else:
        bound, above = f"{threshold.comparator} {_fmt(required, unit)}", ""
    return f"measured {_fmt_against(measured, required, unit)} {verb} required {bound}{above}"


def _scaled(threshold: Threshold, factor: Decimal) -> Threshold:
    """The threshold with its bound(s) multiplied (share × baseline, amount × head count)."""
    update: dict[str, Decimal | str] = {"value": threshold.value * factor, "unit": "元"}
    if threshold.upper is not None:
        update["upper"] = threshold.upper * factor
    return threshold.model_copy(update=update)


def _allocated(
    ob: AmountTarget | CountTarget, unit: Unit, threshold: Threshold
) -> tuple[Threshold, Allocation] | None:
    """The unit's share of a decomposed target (a floor of the allocated value), if it has one."""
    for alloc in ob.allocations:
        if alloc.is_for(unit):
            if alloc.value is None:
                return threshold, alloc
            share = threshold.model_copy(
                update={"value": alloc.value, "upper": None, "comparator": ">="}
                if threshold.comparator == "between"
                else {"value": alloc.value}
            )
            return share, alloc
    return None


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


class _Context:
    def __init__(
        self,
        index: FactIndex,
        region_sets: RegionSets,
        transaction_measurer: TransactionMeasurer | None = None,
    ) -> None:
        self.index = index
        self.region_sets = region_sets
        self.transaction_measurer = transaction_measurer

    def measure(
        self,
        ob: Obligation,
        measure: Measure,
        unit: Unit,
        window: Window,
        only_in: frozenset[str] | None = None,
    ) -> Decimal:
        if self.transaction_measurer is not None and isinstance(measure, TransactionMeasure):
            return self.transaction_measurer(
                measure, ob.jurisdiction, unit.id, window.start, window.end, only_in
            )
        return measure_value(
            measure,
            ob.jurisdiction,
            unit.id,
            self.index,
            window.start,
            window.end,
            self.region_sets,
            only_in=only_in,
        )


def _unlisted_sets(
    ob: Obligation, measure: Measure, unit: Unit, w: Window, ctx: _Context, measured: Decimal
) -> str | None:
    """Why the measure may be short of what truly counts: purchases from regions outside the
    listed sets, while a set the measure reads lists no region yet (国家级贫困县 named by the
    document, listed by the deployment). None when nothing is unrecognised."""
    if not isinstance(measure, TransactionMeasure):
        return None
    empty = [n for n in measure.origin_sets if not ctx.region_sets.get((ob.jurisdiction, n))]
    if not empty:
        return None
    anywhere = ctx.measure(ob, _from_anywhere(measure), unit, w)
    if anywhere == measured:
        return None
    return (
        f"purchases from other regions ({_fmt(anywhere - measured, measure_unit_of(measure))}) "
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


def _amount_or_count(
    ob: AmountTarget | CountTarget, unit: Unit, w: Window, ctx: _Context, th: Threshold
) -> _Outcome:
    allocated = _allocated(ob, unit, th)
    measured = ctx.measure(ob, ob.measure, unit, w)
    if allocated is None and unit.kind in ob.allocated_kinds:
        return _Outcome.lacking(
            th,
            th.unit,
            f"no allocation of this target for {unit.name}: the document does not split it "
            "and the facts file gives no share (allocations)",
            measured,
        )
    if allocated is not None and allocated[1].value is None:
        basis = allocated[1].document
        return _Outcome(
            measured,
            None,
            th,
            "",
            th.unit,
            unbound=f"no share of this target is allocated to {unit.name}"
            + (f" (per {basis})" if basis else ""),
        )
    threshold = allocated[0] if allocated else th
    note = ""
    if allocated:
        basis = allocated[1].document
        note = f" (the unit's allocated share{f', per {basis}' if basis else ''})"
    return _Outcome(
        measured,
        threshold.value,
        threshold,
        _compare_text(measured, threshold, threshold.value, threshold.unit) + note,
        threshold.unit,
        incomplete=lambda: _unlisted_sets(ob, ob.measure, unit, w, ctx, measured),
    )


def _baseline_share(
    ob: BaselineShare, unit: Unit, w: Window, ctx: _Context, th: Threshold
) -> _Outcome:
    ref = ob.baseline
    observed = list(ctx.index.observations([unit.id], ref.metric, ref.start, ref.end))
    measured = ctx.measure(ob, ob.measure, unit, w)
    if not observed:
        return _Outcome.lacking(
            th, "元", f"no baseline {ref.metric!r} for {ref.start}..{ref.end}", measured
        )
    baseline = sum((o.value for o in observed), ZERO)
    threshold = _scaled(th, baseline)
    share = f"{_fmt(measured / baseline, 'ratio')} of" if baseline else "against"
    out = _scaled_outcome(
        measured,
        threshold,
        f" ({_fmt(th.value, 'ratio')} of baseline {_fmt(baseline, '元')}; purchases are {share} baseline)",
    )
    out.incomplete = lambda: _unlisted_sets(ob, ob.measure, unit, w, ctx, measured)
    return out


def _scaled_outcome(measured: Decimal, threshold: Threshold, how: str) -> _Outcome:
    """A purchase sum against a threshold scaled to 元 (a share of a baseline, × heads)."""
    return _Outcome(
        measured,
        threshold.value,
        threshold,
        _compare_text(measured, threshold, threshold.value, "元") + how,
        "元",
    )


def _per_capita(ob: PerCapita, unit: Unit, w: Window, ctx: _Context, th: Threshold) -> _Outcome:
    heads = unit.attributes.get(ob.headcount_attribute)
    measured = ctx.measure(ob, ob.measure, unit, w)
    if heads is None:
        return _Outcome.lacking(
            th, "元", f"unit has no {ob.headcount_attribute!r} attribute", measured
        )
    threshold = _scaled(th, heads)
    out = _scaled_outcome(
        measured,
        threshold,
        f" ({_fmt(th.value, '元')} × {heads.normalize():f} {ob.headcount_attribute})",
    )
    out.incomplete = lambda: _unlisted_sets(ob, ob.measure, unit, w, ctx, measured)
    return out


def _growth(ob: GrowthRate, unit: Unit, w: Window, ctx: _Context, th: Threshold) -> _Outcome:
    if ob.baseline is not None:
        base_window = Window(ob.baseline.start, ob.baseline.end, ob.baseline.end)
    else:
        base_window = Window(
            shift_years(w.start, -1), shift_years(w.end, -1), shift_years(w.end, -1)
        )
    previous = ctx.measure(ob, ob.measure, unit, base_window)
    current = ctx.measure(ob, ob.measure, unit, w)
    if previous <= 0:
        return _Outcome.lacking(
            th,
            ob.measure_unit,
            f"no positive reference value for {base_window.start}..{base_window.end}",
            current,
        )
    required = previous * (1 + th.value)
    of = ob.measure_unit
    threshold = th.model_copy(update={"value": required, "unit": of, "upper": None})
    growth = (current - previous) / previous
    return _Outcome(
        current,
        required,
        threshold,
        f"grew {_fmt_against(growth, th.value, 'ratio')} from {_fmt(previous, of)} to "
        f"{_fmt_against(current, required, of)}; "
        f"required growth {th.comparator} {_fmt(th.value, 'ratio')} "
        f"({th.comparator} {_fmt(required, of)})",
        of,
        incomplete=lambda: _unlisted_sets(ob, ob.measure, unit, w, ctx, current),
    )


def _rate(ob: Rate, unit: Unit, w: Window, ctx: _Context, th: Threshold) -> _Outcome:
    scope = ctx.index.scope(unit.id, ob.scope == "subtree")
    num = sum(
        (o.value for o in ctx.index.observations(scope, ob.numerator_metric, w.start, w.end)), ZERO
    )
    den = sum(
        (o.value for o in ctx.index.observations(scope, ob.denominator_metric, w.start, w.end)),
        ZERO,
    )
    if den <= 0:
        return _Outcome.lacking(th, "ratio", f"no {ob.denominator_metric!r} observed")
    measured = num / den
    return _Outcome(
        measured,
        th.value,
        th,
        _compare_text(measured, th, th.value, "ratio")
        + f" ({num.normalize():f}/{den.normalize():f})",
        "ratio",
        cumulative=False,
    )


def _coverage(ob: Coverage, unit: Unit, w: Window, ctx: _Context, th: Threshold) -> _Outcome:
    only_in = ctx.region_sets.get((ob.jurisdiction, ob.target_set)) if ob.target_set else None
    if ob.target_set and not only_in:
        # The regions to cover are not known yet (a set the document names without listing
        # it, filled by the deployment): counting nothing there would be a made-up miss.
        return _Outcome.lacking(
            th,
            th.unit,
            f"region set {ob.target_set!r} lists no regions yet: the deployment "
            "adds them (facts file region_sets)",
        )
    measured = ctx.measure(ob, ob.measure, unit, w, only_in=only_in)
    return _Outcome(
        measured,
        th.value,
        th,
        _compare_text(measured, th, th.value, th.unit),
        th.unit,
        incomplete=lambda: _unlisted_sets(ob, ob.measure, unit, w, ctx, measured),
    )


_THRESHOLDED: dict[type, Callable[..., _Outcome]] = {
    AmountTarget: _amount_or_count,
    CountTarget: _amount_or_count,
    BaselineShare: _baseline_share,
    PerCapita: _per_capita,
    GrowthRate: _growth,
    Rate: _rate,
    Coverage: _coverage,
}


def _strict_gap(threshold: Threshold, measured: Decimal) -> Decimal:
    gap = threshold.gap(measured)
    if gap == 0 and not threshold.satisfied(measured):
        # Equal to a strict bound: the miss is one cent, or one unit of the last digit.
        last_digit = Decimal(1).scaleb(min(int(measured.as_tuple().exponent), 0))
        gap = min(CENT, last_digit) if threshold.unit == "元" else last_digit
    return gap


def binding_problem(ob: Obligation, unit: Unit) -> str | None:
    """Why ``ob`` does not bind ``unit`` whatever the date, or None when it does."""
    if unit.jurisdiction != ob.jurisdiction:
        return f"unit belongs to {unit.jurisdiction!r}, obligation to {ob.jurisdiction!r}"
    if unit.kind not in ob.applies_to:
        return f"applies to {', '.join(ob.applies_to)}, not to a {unit.kind}"
    if (
        ob.named_departments_only
        and unit.department not in ob.departments
        and unit.kind not in ob.collective_kinds
    ):
        if unit.department in ob.participants:
            return (
                f"department {unit.department!r} takes part (参与/配合) and is not judged; "
                f"the duty binds {', '.join(ob.departments)}"
            )
        return f"department {unit.department!r} is not named by this task"
    lacking = [need for need in ob.requires if need in unit.lacks]
    if lacking:
        return f"the duty requires a {', '.join(lacking)}, which the facts say the unit lacks"
    return None


def _reporting(
    ob: Reporting, unit: Unit, as_of: date, on: date, ctx: _Context, base: dict[str, Any]
) -> Finding:
    submissions = [s for s in ctx.index.submissions(unit.id, ob.report) if s.delivered <= as_of]
    if ob.period.frequency != "monthly":
        w = window_for(ob, on)
        periods = [(w.start, w.end, w.due)]
    else:
        periods = []
        for year, month in months_between(ob.valid_from, min(as_of, ob.last_day)):
            start = date(year, month, 1)
            end = date(year, month, calendar.monthrange(year, month)[1])
            periods.append((start, end, month_due(ob.period, year, month)))
    due_periods = [p for p in periods if p[2] <= as_of]
    late: list[str] = []
    for start, end, due in due_periods:
        # A report counts for a period it covers, delivered by the due date — and not before
        # the period began: a report sent in April says nothing of May to December.
        on_time = [
            s
            for s in submissions
            if s.period_start <= end
            and s.period_end >= start
            and start <= s.delivered <= due
            and set(ob.required_attachments) <= set(s.attachments)
        ]
        if not on_time:
            late.append(f"{start:%Y-%m}" if ob.period.frequency == "monthly" else f"{start}..{end}")
    first, last = periods[0], periods[-1]
    if not due_periods:
        nxt = min(p[2] for p in periods)
        return Finding.trusted(
            **base,
            status=Status.NOT_YET_DUE,
            period_start=first[0],
            period_end=last[1],
            due=nxt,
            measure_unit="次",
            comparator=">=",
            explanation=f"first report due {nxt}",
        )
    required = Decimal(len(due_periods))
    measured = required - len(late)
    status = Status.COMPLIANT if not late else Status.NON_COMPLIANT
    attach = f" with {', '.join(ob.required_attachments)}" if ob.required_attachments else ""
    text = f"{measured}/{required} reports{attach} delivered on time" + (
        f"; missing or late: {', '.join(late)}" if late else ""
    )
    return Finding.trusted(
        **base,
        status=status,
        period_start=first[0],
        period_end=due_periods[-1][1],
        due=due_periods[-1][2],
        measured=measured,
        required=required,
        shortfall=Decimal(len(late)),
        measure_unit="次",
        comparator=">=",
        explanation=text,
    )


def _qualitative(
    ob: Qualitative, unit: Unit, as_of: date, on: date, ctx: _Context, base: dict[str, Any]
) -> Finding:
    w = window_for(ob, on)
    evidence = [
        s
        for s in ctx.index.submissions(unit.id, ob.evidence)
        if s.delivered <= as_of and s.period_start <= w.end and s.period_end >= w.start
    ]
    common = {
        "period_start": w.start,
        "period_end": w.end,
        "due": w.due,
        "measure_unit": "件",
        "comparator": ">=",
        "required": Decimal(1),
        "measured": Decimal(len(evidence)),
    }
    if evidence:
        return Finding.trusted(
            **base,
            **common,
            status=Status.COMPLIANT,
            shortfall=Decimal(0),
            explanation=f"evidence {ob.evidence!r} delivered {min(s.delivered for s in evidence)}",
        )
    if as_of < w.due:
        return Finding.trusted(
            **base,
            **common,
            status=Status.NOT_YET_DUE,
            shortfall=None,
            explanation=f"no evidence {ob.evidence!r} yet; due {w.due}",
        )
    return Finding.trusted(
        **base,
        **common,
        status=Status.INSUFFICIENT_EVIDENCE,
        shortfall=None,
        explanation=f"no evidence {ob.evidence!r} delivered for {w.start}..{w.end}; "
        "a qualitative duty is judged on evidence only",
    )


@dataclass(frozen=True)
class _Plan:
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


class EvaluationCache:
    """Memo of what does not depend on the unit: each obligation's window, threshold and
    finding fields on a date, and whether it binds a unit of a given kind and department.

    Pass one to :func:`evaluate_one` when evaluating many units (``evaluate`` does); the
    findings are the same with or without it. Obligations are keyed by identity and kept
    alive here, so a cache must not outlive a change of the obligations it has seen.
    """

    def __init__(self) -> None:
        self._plans: dict[tuple[int, date, date | None], tuple[Obligation, _Plan]] = {}
        self._binding: dict[tuple[int, str, str, str | None, tuple[str, ...]], str | None] = {}

    def plan(self, ob: Obligation, as_of: date, on: date | None = None) -> _Plan:
        key = (id(ob), as_of, on)
        hit = self._plans.get(key)
        if hit is not None and hit[0] is ob:
            return hit[1]
        plan = _plan(ob, as_of, on)
        self._plans[key] = (ob, plan)
        return plan

    def binding_problem(self, ob: Obligation, unit: Unit) -> str | None:
        key = (id(ob), unit.jurisdiction, unit.kind, unit.department, unit.lacks)
        try:
            return self._binding[key]
        except KeyError:
            # The obligation is kept alive by the plan cache of the same evaluation.
            why = self._binding[key] = binding_problem(ob, unit)
            return why


def last_day_in_force(ob: Obligation, as_of: date) -> date:
    """The day whose period is judged as of ``as_of``: after the obligation ends, its last."""
    return min(as_of, ob.last_day)


Periods = Literal["current", "recent", "all"]


def _previous_day(ob: Obligation, w: Window) -> date:
    """A day of the period before window ``w`` (for around_day, last year's window)."""
    if ob.period.frequency == "around_day":
        return date(w.start.year - 1, 12, 31)
    return w.start - timedelta(days=1)


def judged_days(ob: Obligation, as_of: date, periods: Periods = "recent") -> list[date]:
    """One day of each period of ``ob`` to report as of ``as_of``, oldest first.

    ``current``: the period judged as of ``as_of`` (after the obligation ends, its last).
    ``recent`` (the default of :func:`evaluate`): that period and, while it is still open,
    the one before it — a yearly duty judged in 2020 keeps its 2019 verdict visible instead of
    switching to an empty 2020. ``all``: every period from ``valid_from`` on. A fixed window
    and a monthly report (judged over all its months at once) have one period.
    """
    current = last_day_in_force(ob, as_of)
    if (
        as_of < ob.valid_from
        or periods == "current"
        or ob.period.frequency == "fixed"
        or (isinstance(ob, Reporting) and ob.period.frequency == "monthly")
    ):
        return [current]
    days = [current]
    w = window_for(ob, current)
    while True:
        if periods == "recent" and (len(days) == 2 or as_of > w.end):
            break
        day = _previous_day(ob, w)
        if day < ob.valid_from:
            break
        days.append(day)
        w = window_for(ob, day)
    return days[::-1]


def _plan(ob: Obligation, as_of: date, on: date | None = None) -> _Plan:
    base = {
        "obligation_id": ob.id,
        "jurisdiction": ob.jurisdiction,
        "kind": ob.kind,
        "title": ob.title,
        "modality": ob.modality,
        "approximate": ob.approximate,
        "as_of": as_of,
        "lead": ob.lead,
        "responsible": ob.responsible,
        "participants": ob.participants,
        "source": ob.source,
    }
    if as_of < ob.valid_from:
        why = f"not in force on {as_of} (valid {ob.valid_from}..{ob.valid_to or 'until replaced'})"
        return _Plan(base, why, None, {}, None)
    if isinstance(ob, Reporting | Qualitative):
        return _Plan(base, None, None, {}, None)
    w = window_for(ob, last_day_in_force(ob, as_of) if on is None else on)
    fields: dict[str, Any] = {"period_start": w.start, "period_end": w.end, "due": w.due}
    threshold = ob.threshold_for(w.start)
    if threshold is not None and threshold.approximate:
        # 100左右: judged against the bound the tolerance gives (the document's number and
        # the tolerance travel with the finding).
        tolerance = DEFAULT_TOLERANCE if threshold.tolerance is None else threshold.tolerance
        fields.update(stated_value=threshold.value, tolerance=tolerance)
        note = (
            f" (the document's number is approximate: {_fmt(threshold.value, threshold.unit)}"
            f" 约/左右, judged with a {_fmt(tolerance, 'ratio')} tolerance)"
        )
        threshold = threshold.with_tolerance(tolerance)
        return _Plan(base, None, w, fields, threshold, note)
    return _Plan(base, None, w, fields, threshold)


def evaluate_one(
    ob: Obligation,
    unit: Unit,
    as_of: date,
    index: FactIndex,
    region_sets: RegionSets,
    *,
    transaction_measurer: TransactionMeasurer | None = None,
    cache: EvaluationCache | None = None,
    on: date | None = None,
) -> Finding:
    """The finding for one unit and one obligation as of ``as_of``.

    ``on`` picks the period judged (the one containing that day, see :func:`judged_days`);
    by default the period current as of ``as_of``. ``transaction_measurer`` lets a backend
    that holds the transactions (DuckDB) supply transaction measures; everything else is
    decided here. ``cache`` saves recomputing the unit-independent parts across many calls.
    """
    if cache is None:
        cache = EvaluationCache()
    plan = cache.plan(ob, as_of, on)
    who = {"unit_id": unit.id, "unit_name": unit.name, "unit_kind": unit.kind}
    why_not = cache.binding_problem(ob, unit) or plan.not_in_force
    if why_not is not None:
        return Finding.trusted_from(
            plan.template, **who, status=Status.NOT_APPLICABLE, explanation=why_not
        )
    ctx = _Context(index, region_sets, transaction_measurer)
    day = last_day_in_force(ob, as_of) if on is None else on
    if isinstance(ob, Reporting):
        return _reporting(ob, unit, as_of, day, ctx, {**who, **plan.base})
    if isinstance(ob, Qualitative):
        return _qualitative(ob, unit, as_of, day, ctx, {**who, **plan.base})
    w, threshold = plan.window, plan.threshold
    assert w is not None
    template = plan.window_template
    if threshold is None:
        return Finding.trusted_from(
            template,
            **who,
            status=Status.NOT_APPLICABLE,
            explanation=f"no threshold in force for the period starting {w.start}",
        )
    out = _THRESHOLDED[type(ob)](ob, unit, w, ctx, threshold)
    if out.unbound is not None:
        return Finding.trusted_from(
            template, **who, status=Status.NOT_APPLICABLE, explanation=out.unbound
        )
    if out.missing is not None:
        return Finding.trusted_from(
            template,
            **who,
            status=Status.INSUFFICIENT_EVIDENCE,
            comparator=threshold.comparator,
            measure_unit=out.measure_unit,
            measured=out.measured,
            explanation=f"insufficient evidence: {out.missing}"
            + (
                ""
                if out.measured is None
                else f" (measured so far: {_fmt(out.measured, out.measure_unit or '')})"
            ),
        )
    assert out.measured is not None and out.threshold is not None
    satisfied = out.threshold.satisfied(out.measured) if out.satisfied is None else out.satisfied
    out.explanation += plan.tolerance_note
    unlisted = (
        out.incomplete()
        if out.incomplete is not None and not satisfied and as_of >= w.due
        else None
    )
    if unlisted is not None:
        return Finding.trusted_from(
            template,
            **who,
            status=Status.INSUFFICIENT_EVIDENCE,
            comparator=out.threshold.comparator,
            measure_unit=out.measure_unit,
            measured=out.measured,
            required=out.required,
            explanation=f"insufficient evidence: {unlisted}; {out.explanation}",
        )
    if as_of < w.due and not (satisfied and out.cumulative and out.threshold.is_floor):
        status, shortfall = Status.NOT_YET_DUE, None
        explanation = f"due {w.due}; so far {out.explanation}"
    elif satisfied:
        status, shortfall = Status.COMPLIANT, ZERO
        explanation = out.explanation + (" (met before the due date)" if as_of < w.due else "")
    else:
        status, shortfall = Status.NON_COMPLIANT, _strict_gap(out.threshold, out.measured)
        explanation = out.explanation
    return Finding.trusted_from(
        template,
        **who,
        measured=out.measured,
        required=out.required,
        required_upper=out.threshold.upper,
        comparator=out.threshold.comparator,
        measure_unit=out.measure_unit,
        status=status,
        shortfall=shortfall,
        explanation=explanation,
    )


def evaluate_rulebook(
    rules: Rulebook,
    as_of: date,
    *,
    periods: Periods = "recent",
    transaction_measurer: TransactionMeasurer | None = None,
) -> Evaluation:
    """Evaluate every unit of a prepared rulebook against every obligation of its
    jurisdiction as of ``as_of``: the engine every backend runs.

    One finding per (unit, obligation, period) where the obligation is of the unit's
    jurisdiction: another jurisdiction's rules never bind a unit, and listing them as
    not_applicable would bury the findings that matter. ``periods`` says which periods of a
    recurring obligation are reported (:func:`judged_days`): by default the current one and,
    while it is open, the last closed one. ``transaction_measurer`` lets a backend that
    holds the purchases (DuckDB) measure them. Sorted by unit, obligation and period.
    """
    check_date_argument(as_of)
    facts = rules.facts
    # A purchase counts from its date on: one dated after as_of is left out (and counted,
    # for the output to say so) rather than counted in what was bought "so far".
    later: list[Transaction] = []
    if any(tx.date > as_of for tx in facts.transactions):
        first = {tx.id: tx for tx in reversed(facts.transactions)}  # the first of an id counts
        later = [tx for tx in first.values() if tx.date > as_of]
        facts = facts.with_(
            transactions=[tx for tx in facts.transactions if first[tx.id].date <= as_of]
        )
    index = FactIndex(facts)
    units = sorted(rules.units, key=lambda u: u.id)
    by_jurisdiction: dict[str, list[tuple[Obligation, list[date]]]] = {}
    for ob in rules.obligations:
        by_jurisdiction.setdefault(ob.jurisdiction, []).append(
            (ob, judged_days(ob, as_of, periods))
        )
    cache = EvaluationCache()
    with collector_paused():
        findings = tuple(
            evaluate_one(
                ob,
                unit,
                as_of,
                index,
                rules.region_sets,
                transaction_measurer=transaction_measurer,
                cache=cache,
                on=on,
            )
            for unit in units
            for ob, days in by_jurisdiction.get(unit.jurisdiction, ())
            for on in days
        )
    return Evaluation(as_of=as_of, findings=findings, transactions_after_as_of=len(later))


def evaluate(
    facts: Facts,
    as_of: date,
    *,
    rules: Registry | None = None,
    obligations: Iterable[Obligation] | None = None,
    region_sets: RegionSets | None = None,
    periods: Periods = "recent",
) -> Evaluation:
    """Evaluate the units of ``facts`` as of ``as_of``: :func:`~xfrules.rulebook.prepare`
    then :func:`evaluate_rulebook`.

    ``rules`` are the plug-ins to evaluate against (a :class:`~xfrules.registry.Registry`,
    e.g. ``load_registry().select(["suzhou"])``); without it, the installed plug-ins are
    loaded, and a unit of a jurisdiction none of them provides is an :class:`InputError`.
    ``obligations`` and ``region_sets`` give rules defined outside a plug-in instead.
    """
    check_date_argument(as_of)
    if rules is None and obligations is None:
        from .registry import load_registry

        rules = load_registry()
        _check_jurisdictions(rules, facts)
    rulebook = prepare(facts, rules, obligations=obligations, region_sets=region_sets)
    return evaluate_rulebook(rulebook, as_of, periods=periods)


def check_date_argument(value: object, name: str = "as_of") -> None:
    """An API's date argument must be a date: a string (or a datetime) compared with dates
    fails deep inside with a TypeError. Raises InputError naming the argument."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InputError(
            [
                Problem(
                    "",
                    "",
                    name,
                    f"must be a datetime.date, got {type(value).__name__} {value!r} "
                    "(xfrules.values.parse_date reads 2020-12-31 or 2020年12月31日)",
                )
            ]
        )


def _check_jurisdictions(reg: Registry, facts: Facts) -> None:
    """A unit of a jurisdiction no installed plug-in provides (misspelt, not installed, or
    whose plug-in failed to load) would get no finding at all: bad input, not silence."""
    problems = [
        Problem(facts.source or "<facts>", f"unit {u.id}", "jurisdiction", why)
        for u in facts.units
        if (why := reg.jurisdiction_problem(u.jurisdiction)) is not None
    ]
    if problems:
        raise InputError(problems)
