"""Hypothesis strategies for xfrules: money, dates, region codes, units, transactions, and
facts that satisfy (or contribute to) a given obligation.

``st.from_type`` cannot build the constrained Decimal fields of the entities, so every
strategy here is explicit: money is a whole number of cents, dates are bounded.

The obligation-aware part reads the obligation's measure: a purchase that counts comes
from a region of one of its ``origin_sets`` (added to an extensible set through the facts
file when the set ships empty), carries one of its ``categories``, ``channels`` and
``seller_kinds``, and falls inside the period; an observation names its metric; baselines,
head counts, previous-year values and denominators are supplied so nothing is missing.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from ..entities import Observation, Region, Submission, Transaction, Unit
from ..facts import Facts, RegionSetExtension
from ..obligations import (
    DEFAULT_TOLERANCE,
    Obligation,
    ObservationMeasure,
    Threshold,
    TransactionMeasure,
    region_sets_read,
)
from ..periods import Window, month_due, months_between, shift_years, window_for
from ..registry import JurisdictionRules

__all__ = [
    "COUNTY_CODES",
    "FactsBuilder",
    "Setting",
    "base_window",
    "before_due_dates",
    "contribute",
    "dates",
    "effective_threshold",
    "judged_dates",
    "money",
    "obligation_settings",
    "region_codes",
    "transactions",
    "units",
    "validity_dates",
]

# Real county-level codes (GB/T 2260) used when an obligation does not restrict origins.
COUNTY_CODES = (
    "520602",
    "520621",
    "610124",
    "540121",
    "653001",
    "130123",
    "420528",
    "433002",
    "450326",
    "622421",
)
# What the helpers take to draw a value: ``st.DrawFn`` or ``st.DataObject.draw``.
Draw = Callable[[st.SearchStrategy[Any]], Any]
_ZERO_TO_THREE = st.integers(0, 3)

CATEGORIES = ("agricultural", "processed", "service", "handicraft")
CHANNELS = ("canteen", "online", "counter", "union_welfare")
SELLER_KINDS = ("household", "cooperative", "enterprise")


@lru_cache(maxsize=256)
def money(
    min_value: Decimal | int = 0, max_value: Decimal | int = 10_000_000
) -> st.SearchStrategy[Decimal]:
    """Exact amounts in 元 with two decimals (whole cents), never float."""
    lo = int(Decimal(min_value) * 100)
    hi = int(Decimal(max_value) * 100)
    return st.integers(lo, hi).map(lambda cents: Decimal(cents).scaleb(-2))


@lru_cache(maxsize=1024)
def dates(
    min_value: date = date(2018, 1, 1), max_value: date = date(2022, 12, 31)
) -> st.SearchStrategy[date]:
    """Dates in a closed range (strategies are cached: building one is not free)."""
    return st.dates(min_value=min_value, max_value=max_value)


@lru_cache(maxsize=1024)
def _one_of(items: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(items)


def one_of(items: Sequence[Any]) -> st.SearchStrategy[Any]:
    """``st.sampled_from`` cached by its (hashable) items."""
    return _one_of(tuple(items))


def region_codes(extra: Sequence[str] = ()) -> st.SearchStrategy[str]:
    """County codes, and towns/villages (9/12 digits) inside them."""
    return _region_codes(tuple(sorted({*COUNTY_CODES, *extra})))


@lru_cache(maxsize=64)
def _region_codes(counties: tuple[str, ...]) -> st.SearchStrategy[str]:
    county = st.sampled_from(counties)
    village = st.tuples(county, st.integers(1, 999), st.integers(1, 999)).map(
        lambda t: f"{t[0]}{t[1]:03d}{t[2]:03d}"
    )
    return st.one_of(county, village)


def units(
    jurisdiction: str, kinds: Sequence[str], *, id_prefix: str = "u", attributes: Sequence[str] = ()
) -> st.SearchStrategy[Unit]:
    """Units of ``jurisdiction`` with one of ``kinds`` and whole-number ``attributes``."""
    return st.builds(
        lambda n, kind, values: Unit(
            id=f"{id_prefix}{n}",
            name=f"单位{n}",
            kind=kind,
            jurisdiction=jurisdiction,
            attributes=dict(zip(attributes, values, strict=True)),
        ),
        st.integers(0, 999),
        st.sampled_from(list(kinds)),
        st.lists(
            st.integers(1, 500).map(Decimal), min_size=len(attributes), max_size=len(attributes)
        ),
    )


def transactions(
    buyers: Sequence[str], start: date = date(2018, 1, 1), end: date = date(2022, 12, 31)
) -> st.SearchStrategy[Transaction]:
    """Any purchase by one of ``buyers`` (ids are made unique by the caller)."""
    return _transactions(tuple(buyers), start, end)


@lru_cache(maxsize=64)
def _transactions(
    buyers: tuple[str, ...], start: date, end: date
) -> st.SearchStrategy[Transaction]:
    return st.builds(
        lambda buyer, amount, day, origin, category, channel, seller_kind: Transaction(
            id="tx",
            buyer=buyer,
            amount=amount,
            quantity=Decimal(1),
            date=day,
            origin_region=origin,
            category=category,
            channel=channel,
            seller_kind=seller_kind,
        ),
        st.sampled_from(list(buyers)),
        money(0, 100_000),
        dates(start, end),
        st.none() | region_codes(),
        st.none() | st.sampled_from(CATEGORIES),
        st.none() | st.sampled_from(CHANNELS),
        st.none() | st.sampled_from(SELLER_KINDS),
    )


# --------------------------------------------------------------------------- building facts


@dataclass
class FactsBuilder:
    """Facts under construction: unique ids, region-set extensions, one place to build."""

    rules: JurisdictionRules
    units: list[Unit] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    extensions: dict[str, set[str]] = field(default_factory=dict)
    _next: int = 0

    def new_id(self, prefix: str) -> str:
        self._next += 1
        return f"{prefix}{self._next}"

    def set_codes(self, name: str) -> list[str]:
        rs = self.rules.region_set(name)
        shipped = sorted(rs.codes) if rs is not None else []
        return shipped + sorted(self.extensions.get(name, set()) - set(shipped))

    def origin_for(self, measure: TransactionMeasure, draw: Draw) -> str | None:
        """A region whose purchases count for ``measure`` (extending an empty extensible set)."""
        if not measure.origin_sets:
            return str(draw(region_codes()))
        usable = [n for n in measure.origin_sets if self.set_codes(n)]
        if usable:
            return str(draw(one_of(self.set_codes(draw(one_of(usable))))))
        for name in measure.origin_sets:
            rs = self.rules.region_set(name)
            if rs is not None and rs.extensible:
                code = str(draw(one_of(COUNTY_CODES)))
                self.extensions.setdefault(name, set()).add(code)
                return code
        return str(draw(region_codes()))  # nothing can qualify: any origin

    def build(self) -> Facts:
        for ob in self.rules.obligations:
            for name in region_sets_read(ob):
                rs = self.rules.region_set(name)
                if rs is not None and rs.extensible and not self.set_codes(name):
                    # As a deployment does: it lists the regions a document names without
                    # listing them (an empty shipped set is insufficient evidence, not a
                    # setting to test).
                    self.extensions.setdefault(name, set()).add("520602")
        return Facts(
            units=tuple(self.units),
            transactions=tuple(self.transactions),
            observations=tuple(self.observations),
            submissions=tuple(self.submissions),
            region_sets=tuple(
                RegionSetExtension(
                    jurisdiction=self.rules.code,
                    name=name,
                    regions=tuple(Region(code=c, name=c) for c in sorted(codes)),
                )
                for name, codes in sorted(self.extensions.items())
            ),
        )


def _day_in(draw: Draw, w: Window) -> date:
    day: date = draw(dates(w.start, w.end))
    return day


def contribute(
    draw: Draw,
    b: FactsBuilder,
    ob: Obligation,
    unit: Unit,
    w: Window,
    value: Decimal | None = None,
    subject: str | None = None,
) -> None:
    """Add one fact that raises ``ob``'s measured value for ``unit`` in window ``w`` (what
    :meth:`~xfrules.kinds.base.ObligationBase.raised_by` names).

    ``value`` is the amount (or quantity / observed value) added; a counted measure
    (count, distinct origins or subjects) goes up by one, with ``subject`` as the
    distinct thing when given.
    """
    raised = ob.raised_by()
    if raised.report is not None:
        b.submissions.append(
            Submission(
                unit=unit.id,
                report=raised.report,
                period_start=w.start,
                period_end=w.end,
                delivered=draw(dates(w.start, w.due)) if w.start <= w.due else w.due,
                attachments=raised.attachments,
            )
        )
        return
    amount = value if value is not None else draw(money(Decimal("0.01"), 1_000_000))
    measure = raised.measure
    if isinstance(measure, ObservationMeasure):
        targets = b.set_codes(raised.subjects_in) if raised.subjects_in else []
        code = subject or draw(region_codes(targets))
        if measure.aggregate == "distinct_subjects" and subject is None:
            code = draw(one_of(targets)) if targets else code
        b.observations.append(
            _observation(
                unit.id,
                measure.metric,
                _day_in(draw, w),
                amount
                if measure.aggregate == "sum"
                else max(Decimal(1), measure.subject_floor or Decimal(0)),
                subject=code,
            )
        )
        return
    if isinstance(measure, TransactionMeasure):
        origin = subject or b.origin_for(measure, draw)
        b.transactions.append(
            Transaction(
                id=b.new_id("q"),
                buyer=unit.id,
                amount=amount,
                quantity=amount,
                date=_day_in(draw, w),
                origin_region=origin,
                category=draw(one_of(measure.categories or CATEGORIES)),
                channel=draw(one_of(measure.channels)) if measure.channels else None,
                seller_kind=draw(one_of(measure.seller_kinds)) if measure.seller_kinds else None,
            )
        )


def _observation(
    unit: str, metric: str, day: date, value: Decimal, subject: str | None = None
) -> Observation:
    return Observation(
        unit=unit, metric=metric, period_start=day, period_end=day, value=value, subject=subject
    )


def base_window(ob: Obligation, w: Window) -> Window:
    """The reference window of a change (a growth rate's baseline, or the same period a year
    earlier); for other duties, the same period a year earlier."""
    reference = ob.reference_window(w)
    if reference is not None:
        return reference
    return Window(shift_years(w.start, -1), shift_years(w.end, -1), shift_years(w.end, -1))


def supply_inputs(
    draw: Draw, b: FactsBuilder, ob: Obligation, unit: Unit, w: Window
) -> dict[str, Decimal]:
    """Everything the arithmetic needs besides the measured value (``ob.needs()``); returns
    what was chosen, by name."""
    chosen: dict[str, Decimal] = {}
    for need in ob.needs():
        if need.attribute is not None:
            chosen[need.name] = unit.attributes.get(need.attribute, Decimal(0))
        elif need.previous:
            previous = _whole_fen_base(draw(money(1, 1_000_000)), ob)
            contribute(draw, b, ob, unit, base_window(ob, w), previous)
            chosen[need.name] = previous
        elif need.metric is not None and need.start is not None and need.end is not None:
            base = _whole_fen_base(draw(money(1, 10_000_000)), ob)
            b.observations.append(
                Observation(
                    unit=unit.id,
                    metric=need.metric,
                    period_start=need.start,
                    period_end=need.end,
                    value=base,
                )
            )
            chosen[need.name] = base
        elif need.metric is not None:
            den = Decimal(draw(st.integers(1, 10_000)))
            b.observations.append(_observation(unit.id, need.metric, _day_in(draw, w), den))
            chosen[need.name] = den
    return chosen


def _whole_fen_base(amount: Decimal, ob: Obligation) -> Decimal:
    """``amount`` rounded up to a multiple of the step that keeps ``amount`` times any of the
    obligation's ratios in whole fen: a purchase is exact to 0.01 元 (a facts file refuses
    12.001), so the purchases meeting a share of the baseline exactly must be too."""
    places = max(
        (
            -int(v.as_tuple().exponent)
            for t in getattr(ob, "thresholds", ())
            for v in (t.value, t.upper)
            if v is not None and v.is_finite()
        ),
        default=0,
    )
    step = Decimal(1).scaleb(max(places - 2, -2))
    return max(step, -(-amount // step) * step)


# --------------------------------------------------------------------------- dates of an obligation

NOTHING: st.SearchStrategy[date] = st.nothing()


def horizon(ob: Obligation) -> date:
    """The last day worth drawing: ``valid_to``, or three years on for a duty in force until
    replaced."""
    return ob.valid_to or shift_years(ob.valid_from, 3)


def validity_dates(ob: Obligation) -> st.SearchStrategy[date]:
    return st.dates(ob.valid_from, horizon(ob))


def _judged_monthly(ob: Obligation) -> bool:
    """Judged over all its months at once (monthly reports): due month by month."""
    return ob.judged_as_one_period and ob.period.frequency == "monthly"


def _first_due(ob: Obligation) -> date:
    year, month = next(months_between(ob.valid_from, horizon(ob)))
    return month_due(ob.period, year, month)


def judged_dates(ob: Obligation) -> list[date]:
    """Dates in the validity on which the period being measured is already due."""
    out: set[date] = set()
    last = horizon(ob)
    candidates: set[date] = {last}
    p = ob.period
    if p.frequency == "fixed" and p.end is not None:
        candidates.add(p.due or p.end + timedelta(days=p.grace_days))
    for year in range(ob.valid_from.year, last.year + 1):
        candidates.add(date(year, 12, 31) + timedelta(days=p.grace_days))
        if p.frequency == "monthly":
            for month in range(1, 13):
                candidates.add(date(year, month, calendar.monthrange(year, month)[1]))
                if p.due_day:
                    candidates.add(
                        date(year, month, min(p.due_day, calendar.monthrange(year, month)[1]))
                    )
    for day in candidates:
        if not ob.valid_from <= day <= last:
            continue
        due = _first_due(ob) if _judged_monthly(ob) else window_for(ob, day).due
        if due <= day:
            out.add(day)
    return sorted(out)


def before_due_dates(ob: Obligation) -> st.SearchStrategy[date]:
    """Dates in the validity before the measured period (the first report) is due."""
    if _judged_monthly(ob):
        first = _first_due(ob)
        until = min(horizon(ob), first - timedelta(days=1))
        if until < ob.valid_from:
            return NOTHING
        return st.dates(ob.valid_from, until)
    return validity_dates(ob).filter(lambda d: d < window_for(ob, d).due)


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Setting:
    """One unit bound by ``obligation``, facts about it and others, and a date to judge on."""

    rules: JurisdictionRules
    obligation: Obligation
    unit: Unit
    facts: Facts
    as_of: date
    window: Window
    inputs: dict[str, Decimal]

    def with_facts(self, facts: Facts) -> Setting:
        return Setting(
            self.rules, self.obligation, self.unit, facts, self.as_of, self.window, self.inputs
        )


def bound_unit(ob: Obligation, *, uid: str = "prop-unit", kind: str | None = None) -> Unit:
    """A unit ``ob`` binds (its department named when the obligation binds named ones only)."""
    attributes = {n.attribute: Decimal(120) for n in ob.needs() if n.attribute is not None}
    kind = kind or ob.applies_to[0]
    region_code = None
    allocations = getattr(ob, "allocations", ())
    if allocations and kind in getattr(ob, "allocated_kinds", ()):
        # A kind that must have an allocation gets the first one (by unit id or region).
        uid = allocations[0].unit or uid
        region_code = allocations[0].region_code
    return Unit(
        id=uid,
        name="测试单位",
        kind=kind,
        jurisdiction=ob.jurisdiction,
        region_code=region_code,
        department=ob.departments[0] if ob.departments else None,
        attributes=attributes,
    )


def effective_threshold(ob: Obligation, unit: Unit, threshold: Threshold) -> Threshold:
    """The threshold ``unit`` is held to: its allocated share of a decomposed target, if any;
    an approximate number (100左右) lowered by its tolerance."""
    if threshold.approximate:
        tolerance = DEFAULT_TOLERANCE if threshold.tolerance is None else threshold.tolerance
        threshold = threshold.with_tolerance(tolerance)
    for alloc in getattr(ob, "allocations", ()):
        if alloc.unit == unit.id or (alloc.region_code and alloc.region_code == unit.region_code):
            if threshold.comparator == "between":
                return threshold.model_copy(
                    update={"value": alloc.value, "upper": None, "comparator": ">="}
                )
            return threshold.model_copy(update={"value": alloc.value})
    return threshold


@st.composite
def obligation_settings(
    draw: st.DrawFn,
    rules: JurisdictionRules,
    ob: Obligation,
    *,
    as_of: st.SearchStrategy[date] | None = None,
    qualifying: st.SearchStrategy[int] = _ZERO_TO_THREE,
    noise: st.SearchStrategy[int] = _ZERO_TO_THREE,
    unit: Unit | None = None,
) -> Setting:
    """A unit ``ob`` binds, with qualifying facts, unrelated noise and a date in the validity."""
    day = draw(as_of if as_of is not None else dates(ob.valid_from, horizon(ob)))
    if unit is None:
        heads = Decimal(draw(st.integers(1, 500)))
        unit = bound_unit(ob, kind=draw(one_of(ob.applies_to)))
        attributes = {n.attribute: heads for n in ob.needs() if n.attribute is not None}
        if attributes:
            unit = unit.model_copy(update={"attributes": attributes})
    other = Unit(id="prop-other", name="其他单位", kind=unit.kind, jurisdiction=unit.jurisdiction)
    b = FactsBuilder(rules, units=[unit, other])
    w = window_for(ob, day)
    if _judged_monthly(ob):
        w = Window(
            date(day.year, day.month, 1),
            window_for(ob, day).end,
            month_due(ob.period, day.year, day.month),
        )
    inputs = supply_inputs(draw, b, ob, unit, w)
    for _ in range(draw(qualifying)):
        contribute(draw, b, ob, unit, w)
    noisy = transactions([unit.id, other.id])
    for _ in range(draw(noise)):
        b.transactions.append(draw(noisy).model_copy(update={"id": b.new_id("n")}))
    return Setting(rules, ob, unit, b.build(), day, w, inputs)


def shuffled(draw: Draw, items: Sequence[Any]) -> list[Any]:
    return list(draw(st.permutations(list(items))))
