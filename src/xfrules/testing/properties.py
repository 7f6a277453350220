"""The property suite: invariants every obligation of every plug-in must keep.

Each ``test_*`` function here takes ``xfrules_obligation`` (a ``(rules, obligation)``
pair) or ``xfrules_rules``; the pytest plug-in :mod:`xfrules.testing.pytest_plugin`
parametrizes them over the configured jurisdictions. A plug-in author gets them with one
line in a test module (see ``docs/guide.md``)::

    from xfrules.testing.suite import *  # noqa: F403

The properties (see the evaluator's docstring for the semantics they pin down):

- the same facts in any order give the same findings;
- splitting a purchase in two with the same total changes nothing;
- more qualifying facts never turn a floor compliant→non-compliant (nor a ceiling back);
- measured exactly at an inclusive bound is compliant; one step short is a miss whose
  shortfall is ``required − measured``; shortfall ≥ 0 always, 0 exactly when compliant;
- roll-ups are the sums of their parts;
- a unit the obligation does not bind is not_applicable whatever the facts;
- before the deadline: not_yet_due, or compliant when a cumulative floor is met early;
- outside the validity: not_applicable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ..entities import Transaction, Unit
from ..evaluator import evaluate
from ..facts import Facts
from ..findings import Evaluation, Finding, Status
from ..obligations import (
    Decomposable,
    Obligation,
    ObservationMeasure,
    Thresholded,
    TransactionMeasure,
)
from ..registry import JurisdictionRules
from .strategies import (
    NOTHING,
    FactsBuilder,
    Setting,
    base_window,
    before_due_dates,
    bound_unit,
    contribute,
    effective_threshold,
    horizon,
    judged_dates,
    obligation_settings,
    region_codes,
    supply_inputs,
    transactions,
)

__all__ = [
    "assert_finding_consistent",
    "assert_finding_valid",
    "finding_for",
    "judge",
    "test_after_the_validity_the_last_period_stands",
    "test_before_the_deadline_nothing_is_missed",
    "test_before_the_validity_nothing_applies",
    "test_exactly_at_an_inclusive_threshold_is_compliant",
    "test_more_qualifying_facts_never_hurt",
    "test_rollups_are_sums_of_their_parts",
    "test_same_facts_in_any_order_same_findings",
    "test_splitting_a_purchase_changes_nothing",
    "test_unbound_units_are_not_applicable",
]

Case = tuple[JurisdictionRules, Obligation]
F = TypeVar("F", bound=Callable[..., Any])

MAX_COUNT = 300
_ONE_TO_THREE = st.integers(1, 3)  # boundary tests build one fact per counted thing


def applies_when(predicate: Callable[[Obligation, JurisdictionRules], bool]) -> Callable[[F], F]:
    """Parametrize the test only with obligations ``predicate`` accepts."""

    def mark(func: F) -> F:
        func.xfrules_filter = predicate  # type: ignore[attr-defined]
        return func

    return mark


def region_sets_of(rules: JurisdictionRules) -> dict[tuple[str, str], frozenset[str]]:
    return {(rules.code, s.name): s.codes for s in rules.region_sets}


def evaluation(
    rules: JurisdictionRules,
    facts: Facts,
    as_of: date,
    obligations: list[Obligation] | None = None,
) -> Evaluation:
    return evaluate(
        facts,
        as_of,
        obligations=list(rules.obligations) if obligations is None else obligations,
        region_sets=region_sets_of(rules),
        periods="current",  # the properties are about the period judged as of the date
    )


def finding_for(
    s: Setting, facts: Facts | None = None, as_of: date | None = None
) -> Finding | None:
    """The finding for the setting's unit and obligation, None when the evaluator gives none
    (a unit of another jurisdiction); checked for consistency."""
    ev = evaluation(s.rules, s.facts if facts is None else facts, as_of or s.as_of, [s.obligation])
    finding = next((f for f in ev.findings if f.unit_id == s.unit.id), None)
    if finding is not None:
        assert_finding_consistent(finding)
    return finding


def judge(s: Setting, facts: Facts | None = None, as_of: date | None = None) -> Finding:
    """The finding for the setting's unit and obligation (checked for consistency)."""
    finding = finding_for(s, facts, as_of)
    assert finding is not None, f"no finding for {s.unit.id} / {s.obligation.id}"
    return finding


def assert_finding_consistent(f: Finding) -> None:
    """Shortfall ≥ 0, 0 exactly when compliant; a floor's shortfall is required − measured;
    and the finding is valid (:func:`assert_finding_valid`)."""
    assert_finding_valid(f)
    for value in (f.measured, f.required, f.shortfall):
        assert value is None or isinstance(value, Decimal), f"{f.obligation_id}: not a Decimal"
    if f.shortfall is not None:
        assert f.shortfall >= 0, f"{f.obligation_id}: negative shortfall {f.shortfall}"
    if f.status is Status.COMPLIANT and f.shortfall is not None:
        assert f.shortfall == 0, f"{f.obligation_id}: compliant with shortfall {f.shortfall}"
    if f.status is Status.NON_COMPLIANT:
        assert f.shortfall is not None and f.shortfall > 0, f"{f.obligation_id}: a miss of 0"
        if f.comparator == ">=" and f.required is not None and f.measured is not None:
            assert f.shortfall == max(Decimal(0), f.required - f.measured), (
                f"{f.obligation_id}: shortfall {f.shortfall} ≠ {f.required} − {f.measured}"
            )
    if f.status in (Status.NOT_APPLICABLE, Status.NOT_YET_DUE):
        assert not f.shortfall, f"{f.obligation_id}: {f.status} with a shortfall"


def assert_finding_valid(f: Finding) -> None:
    """Validating the finding (which the evaluator builds without validation,
    :meth:`Finding.trusted`) gives it back unchanged, field by field and type by type."""
    validated = Finding.model_validate(f.model_dump())
    assert validated == f, f"{f.obligation_id}: not a valid Finding"
    for name in Finding.model_fields:
        kinds = type(getattr(validated, name)), type(getattr(f, name))
        assert kinds[0] is kinds[1], f"{f.obligation_id}: {name} is a {kinds[1]}, not {kinds[0]}"


def _measure(ob: Obligation) -> TransactionMeasure | ObservationMeasure | None:
    return ob.raised_by().measure


def _counted(ob: Obligation) -> bool:
    return ob.raised_by().counted


def _threshold_at(ob: Obligation, s: Setting) -> Any:
    return ob.threshold_for(s.window.start) if hasattr(ob, "threshold_for") else None


# --------------------------------------------------------------------------- determinism


@given(data=st.data())
def test_same_facts_in_any_order_same_findings(
    xfrules_obligation: Case, data: st.DataObject
) -> None:
    rules, ob = xfrules_obligation
    s = data.draw(obligation_settings(rules, ob), label="setting")
    first = judge(s)
    again = judge(s)
    shuffled = Facts(
        units=tuple(data.draw(st.permutations(s.facts.units))),
        transactions=tuple(data.draw(st.permutations(s.facts.transactions))),
        observations=tuple(data.draw(st.permutations(s.facts.observations))),
        submissions=tuple(data.draw(st.permutations(s.facts.submissions))),
        region_sets=s.facts.region_sets,
    )
    assert first == again
    assert judge(s, shuffled) == first


@applies_when(lambda ob, rules: not (_counted(ob) and isinstance(_measure(ob), TransactionMeasure)))
@given(data=st.data())
def test_splitting_a_purchase_changes_nothing(
    xfrules_obligation: Case, data: st.DataObject
) -> None:
    rules, ob = xfrules_obligation
    s = data.draw(obligation_settings(rules, ob, noise=_ONE_TO_THREE), label="setting")
    splittable = [t for t in s.facts.transactions if t.amount >= Decimal("0.02")]
    assume(splittable)
    tx: Transaction = data.draw(st.sampled_from(splittable), label="split")
    cents = int(tx.amount * 100)
    part = Decimal(data.draw(st.integers(1, cents - 1), label="first part")).scaleb(-2)
    # Valid purchases: the quantity's share exact to the thousandth, the halves summing to it.
    qpart = (tx.quantity * part / tx.amount).quantize(Decimal("0.001"))
    halves = (
        tx.model_copy(update={"id": tx.id + "-a", "amount": part, "quantity": qpart}),
        tx.model_copy(
            update={"id": tx.id + "-b", "amount": tx.amount - part, "quantity": tx.quantity - qpart}
        ),
    )
    # Read items are equal to, not the same objects as, the facts' (xfrules.purchases).
    rest = tuple(t for t in s.facts.transactions if t != tx)
    split = s.facts.with_(transactions=rest + halves)
    before, after = judge(s), judge(s, split)
    assert after.status == before.status
    assert after.shortfall == before.shortfall
    assert after.measured == before.measured


# --------------------------------------------------------------------------- monotonicity


def _monotone(ob: Obligation, rules: JurisdictionRules) -> bool:
    raised = ob.raised_by()
    if raised.report is not None:
        return True
    comparators = {t.comparator for t in getattr(ob, "thresholds", ())}
    return "between" not in comparators and raised.measure is not None


@applies_when(_monotone)
@given(data=st.data())
def test_more_qualifying_facts_never_hurt(xfrules_obligation: Case, data: st.DataObject) -> None:
    """A floor met stays met; a ceiling missed stays missed."""
    rules, ob = xfrules_obligation
    s = data.draw(obligation_settings(rules, ob), label="setting")
    before = judge(s)
    b = FactsBuilder(
        rules,
        list(s.facts.units),
        list(s.facts.transactions),
        list(s.facts.observations),
        list(s.facts.submissions),
        {e.name: {r.code for r in e.regions} for e in s.facts.region_sets},
        _next=10_000,
    )
    contribute(data.draw, b, ob, s.unit, s.window)
    after = judge(s, b.build())
    threshold = _threshold_at(ob, s)
    if threshold is None or threshold.is_floor:
        if before.status is Status.COMPLIANT:
            assert after.status is Status.COMPLIANT, after.explanation
    elif before.status is Status.NON_COMPLIANT:
        assert after.status is Status.NON_COMPLIANT, after.explanation


# --------------------------------------------------------------------------- boundaries


def _boundary_ok(ob: Obligation, rules: JurisdictionRules) -> bool:
    thresholds = getattr(ob, "thresholds", ())
    inclusive = any(t.comparator in (">=", "<=", "between") for t in thresholds)
    if not inclusive or not judged_dates(ob):
        return False
    if not isinstance(ob, Thresholded) or ob.raised_by().measure is None:
        return False
    if _counted(ob) and any(n.previous for n in ob.needs()):
        return False  # a growth of a count: the previous period is listed thing by thing
    if _counted(ob):
        return all(
            t.value <= MAX_COUNT and t.value == t.value.to_integral_value() for t in thresholds
        )
    m = _measure(ob)
    return not (
        isinstance(m, TransactionMeasure) and m.origin_sets and not _origins_possible(m, rules)
    )


def _origins_possible(m: TransactionMeasure, rules: JurisdictionRules) -> bool:
    sets = [rules.region_set(n) for n in m.origin_sets]
    return any(s is not None and (s.regions or s.extensible) for s in sets)


@applies_when(_boundary_ok)
@given(data=st.data())
def test_exactly_at_an_inclusive_threshold_is_compliant(
    xfrules_obligation: Case, data: st.DataObject
) -> None:
    rules, ob = xfrules_obligation
    day = data.draw(st.sampled_from(judged_dates(ob)), label="as_of")
    unit = bound_unit(ob)
    s = data.draw(
        obligation_settings(
            rules, ob, as_of=st.just(day), qualifying=st.just(0), noise=st.just(0), unit=unit
        ),
        label="setting",
    )
    threshold = _threshold_at(ob, s)
    assume(threshold is not None and threshold.comparator in (">=", "<=", "between"))
    threshold = effective_threshold(ob, s.unit, threshold)
    bound = data.draw(
        st.sampled_from(
            [threshold.value] + ([threshold.upper] if threshold.upper is not None else [])
        ),
        label="bound",
    )
    exact = _facts_measuring(data, s, bound)
    at = judge(s, exact)
    assert at.status is Status.COMPLIANT, f"{ob.id}: measured at the bound: {at.explanation}"
    assert at.shortfall == 0
    if threshold.comparator == ">=" and bound > 0:
        step = Decimal(1) if _counted(ob) else Decimal("0.01")
        below = _facts_measuring(data, s, max(Decimal(0), bound - step))
        miss = judge(s, below)
        assert miss.status is Status.NON_COMPLIANT, f"{ob.id}: one step short: {miss.explanation}"
        assert miss.required is not None and miss.measured is not None
        assert miss.shortfall == miss.required - miss.measured


def _facts_measuring(data: st.DataObject, s: Setting, target: Decimal) -> Facts:
    """Facts on which the obligation measures ``target`` (a ratio, per-head amount… or total)."""
    ob, unit = s.obligation, s.unit
    b = FactsBuilder(s.rules, list(s.facts.units))
    inputs = supply_inputs(data.draw, b, ob, unit, s.window)
    value = ob.measured_value(target, inputs)
    if _counted(ob):
        for i in range(int(value)):
            contribute(
                data.draw, b, ob, unit, s.window, Decimal(1), subject=_distinct_code(b, ob, i)
            )
    elif value > 0:
        contribute(data.draw, b, ob, unit, s.window, value)
    return b.build()


def _distinct_code(b: FactsBuilder, ob: Obligation, i: int) -> str:
    """The i-th distinct region that counts for ``ob`` (villages inside a counted county)."""
    m = _measure(ob)
    county = "520602"
    if isinstance(m, TransactionMeasure) and m.origin_sets:
        codes = [c for n in m.origin_sets for c in b.set_codes(n)]
        if not codes:
            name = next(n for n in m.origin_sets if (rs := b.rules.region_set(n)) and rs.extensible)
            b.extensions.setdefault(name, set()).add(county)
            codes = [county]
        county = codes[0]
    elif (target := ob.raised_by().subjects_in) is not None:
        # Coverage counts the set's entries reached: the i-th subject is the i-th entry
        # (a county of its own added to an extensible set when the set is short).
        codes = list(b.set_codes(target))
        if i < len(codes):
            return codes[i]
        county = f"52{1 + i // 99:02d}{1 + i % 99:02d}"
        b.extensions.setdefault(target, set()).add(county)
        return county
    return f"{county[:6]}{1 + i // 999:03d}{1 + i % 999:03d}"


# --------------------------------------------------------------------------- roll-ups


@given(data=st.data())
def test_rollups_are_sums_of_their_parts(
    xfrules_rules: JurisdictionRules, data: st.DataObject
) -> None:
    rules = xfrules_rules
    if not rules.obligations:
        pytest.skip(f"{rules.code} declares no obligations")
    kinds = sorted({k for ob in rules.obligations for k in ob.applies_to})
    departments: list[str | None] = [None, *(d.name for d in rules.departments)]
    units = [
        Unit(
            id=f"r{i}",
            name=f"单位{i}",
            kind=data.draw(st.sampled_from(kinds)),
            jurisdiction=rules.code,
            department=data.draw(st.sampled_from(departments)),
            attributes={"members": Decimal(data.draw(st.integers(1, 300)))},
        )
        for i in range(data.draw(st.integers(1, 4), label="units"))
    ]
    b = FactsBuilder(rules, units)
    as_of = data.draw(
        st.sampled_from(sorted({horizon(ob) for ob in rules.obligations})), label="as_of"
    )
    for _ in range(data.draw(st.integers(0, 6), label="facts")):
        ob = data.draw(st.sampled_from(rules.obligations))
        unit = data.draw(st.sampled_from(units))
        contribute(data.draw, b, ob, unit, base_window(ob, _window(ob, as_of)))
        contribute(data.draw, b, ob, unit, _window(ob, as_of))
    ev = evaluation(rules, b.build(), as_of)
    assert len(ev.findings) == len(units) * len(rules.obligations)
    for f in ev.findings:
        assert_finding_consistent(f)
    for groups in (ev.by_unit(), ev.by_jurisdiction()):
        assert sum(g.total for g in groups.values()) == len(ev.findings)
        assert sum(g.mandatory_breaches for g in groups.values()) == sum(
            f.is_mandatory_breach for f in ev.findings
        )
        totals: Counter[str] = Counter()
        for g in groups.values():
            totals.update(g.counts)
        assert totals == Counter(f.status.value for f in ev.findings)
        for unit_name in {f.measure_unit for f in ev.findings if f.measure_unit}:
            expected = sum(
                (
                    f.shortfall
                    for f in ev.findings
                    if f.status is Status.NON_COMPLIANT
                    and f.shortfall
                    and f.measure_unit == unit_name
                ),
                Decimal(0),
            )
            got = sum((g.shortfall.get(unit_name, Decimal(0)) for g in groups.values()), Decimal(0))
            assert got == expected
    for name, group in ev.by_department().items():
        assert group.total == sum(1 for f in ev.findings if name in f.lead + f.responsible)


def _window(ob: Obligation, as_of: date) -> Any:
    from ..evaluator import last_day_in_force
    from ..periods import window_for

    return window_for(ob, last_day_in_force(ob, as_of))


# --------------------------------------------------------------------------- applicability and time


@given(data=st.data())
def test_unbound_units_are_not_applicable(xfrules_obligation: Case, data: st.DataObject) -> None:
    rules, ob = xfrules_obligation
    s = data.draw(obligation_settings(rules, ob), label="setting")
    other_kinds = [
        *sorted(set(rules.jurisdiction.unit_kinds) - set(ob.applies_to)),
        "xfrules_other_kind",
    ]
    how = data.draw(st.sampled_from(["kind", "jurisdiction"]), label="unbound by")
    if how == "kind":
        stranger = s.unit.model_copy(update={"kind": data.draw(st.sampled_from(other_kinds))})
    else:
        stranger = s.unit.model_copy(update={"jurisdiction": "xfrules_elsewhere"})
    facts = s.facts.model_copy(update={"units": (stranger, *s.facts.units[1:])})
    finding = finding_for(s, facts)
    if finding is None:  # another jurisdiction's rules are not even listed for the unit
        assert how == "jurisdiction"
        return
    assert finding.status is Status.NOT_APPLICABLE, finding.explanation
    assert finding.shortfall is None


def _has_time_before_due(ob: Obligation, rules: JurisdictionRules) -> bool:
    day, days = ob.valid_from, 0
    while day <= horizon(ob) and days < 400:
        if ob.judged_as_one_period and ob.period.frequency == "monthly":
            return before_due_dates(ob) is not NOTHING
        if day < _window(ob, day).due:
            return True
        day, days = day + timedelta(days=1), days + 1
    return False


@applies_when(_has_time_before_due)
@given(data=st.data())
def test_before_the_deadline_nothing_is_missed(
    xfrules_obligation: Case, data: st.DataObject
) -> None:
    """Before the period is due: not_yet_due, or compliant when a cumulative floor is met early."""
    rules, ob = xfrules_obligation
    s = data.draw(obligation_settings(rules, ob, as_of=before_due_dates(ob)), label="setting")
    finding = judge(s)
    allowed = {Status.NOT_YET_DUE, Status.COMPLIANT}
    needs_inputs = bool(ob.needs())
    if needs_inputs or (isinstance(ob, Decomposable) and ob.allocated_kinds):
        allowed.add(Status.INSUFFICIENT_EVIDENCE)  # an input it needs may be missing
    assert finding.status in allowed, (
        f"{ob.id} on {s.as_of}: {finding.status}: {finding.explanation}"
    )
    if finding.status is Status.COMPLIANT and isinstance(ob, Thresholded):
        threshold = _threshold_at(ob, s)
        assert threshold is not None and threshold.is_floor and ob.cumulative, (
            f"{ob.id}: compliant before the due date, but not a cumulative floor"
        )


@given(data=st.data())
def test_before_the_validity_nothing_applies(xfrules_obligation: Case, data: st.DataObject) -> None:
    rules, ob = xfrules_obligation
    s = data.draw(obligation_settings(rules, ob), label="setting")
    before = data.draw(
        st.dates(ob.valid_from - timedelta(days=800), ob.valid_from - timedelta(days=1)),
        label="before",
    )
    finding = judge(s, as_of=before)
    assert finding.status is Status.NOT_APPLICABLE, finding.explanation


@given(data=st.data())
def test_after_the_validity_the_last_period_stands(
    xfrules_obligation: Case, data: st.DataObject
) -> None:
    """After ``valid_to`` the last period is judged as it stood: a later audit date changes
    nothing but the date (a miss does not vanish when the obligation ends)."""
    rules, ob = xfrules_obligation
    if ob.valid_to is None:
        pytest.skip(f"{ob.id} is in force until replaced: no period comes after it")
    s = data.draw(obligation_settings(rules, ob), label="setting")
    settled = max(ob.valid_to, _window(ob, ob.valid_to).due) + timedelta(days=1)
    first = data.draw(st.dates(settled, settled + timedelta(days=400)), label="audited on")
    later = first + timedelta(days=data.draw(st.integers(1, 800), label="days later"))
    a, b = judge(s, as_of=first), judge(s, as_of=later)
    assert a.model_dump(exclude={"as_of"}) == b.model_dump(exclude={"as_of"})


# Re-exported for authors who write their own properties.
__all__ += ["region_codes", "transactions"]
