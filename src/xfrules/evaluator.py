"""The evaluator: one finding per (unit, obligation, period reported) as of a date.

This module is the engine every backend runs: whether an obligation binds a unit, which periods
are reported, and the unit-independent part of each obligation's judgement (its plan), computed
once. What each kind measures and how it judges is the kind's own (:mod:`xfrules.kinds`); the
batch (DuckDB) backend and the live monitor run this engine and are tested against it.

Decisions that apply to every jurisdiction:

- An obligation binds a unit when the unit is of the obligation's jurisdiction and
  of one of its ``applies_to`` kinds (and, with ``named_departments_only``, when the
  unit's department is one the obligation names), its department is not one the obligation
  leaves out (``excluded_departments``), and the unit does not lack what the duty requires.
  Otherwise: ``not_applicable``.
- Before ``valid_from`` the obligation is not yet in force: ``not_applicable``. After
  ``valid_to`` its last period is still judged, as it stood: an audit in January asks
  whether last year's target was met, and a miss must not vanish when the year ends.
- A recurring duty is reported for its current period and, while that period is open, the
  last closed one (:func:`judged_days`), so a yearly verdict does not vanish on 1 January.
- Before the period's due date a floor on a cumulative quantity that is already met
  is ``compliant`` (met early); anything else is ``not_yet_due``.
- An approximate number (约/左右) is met within its tolerance (10% unless the plug-in or the
  deployment says otherwise); a range (２－３个) binds by its lower bound; a participant
  (参与/配合) is shown, never bound; 力争 (aspirational) and encouraged misses are never breaches.
- Missing inputs the arithmetic needs (no baseline, no head count, zero denominator,
  no evidence for a qualitative duty, a region set still empty) give
  ``insufficient_evidence``, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from .collector import runs_as_bulk_work
from .entities import Unit
from .errors import InputError, Problem
from .facts import FactIndex, Facts
from .findings import Absent, Evaluation, Finding, Status
from .i18n import Lang, Msg, t, use_lang
from .kinds import Thresholded
from .kinds.judging import Judging, Plan, RegionSets, TransactionMeasurer, measure_value
from .obligations import Obligation
from .periods import Window, window_for
from .purchases import Purchases
from .rulebook import Rulebook, prepare
from .totals import PurchaseTotals

if TYPE_CHECKING:
    from .registry import Registry

_Entries = tuple[tuple[dict[str, Any], str], ...]
# The obligations binding a pattern of units, each with its judged days and their plans.
_Bound = list[tuple[Obligation, list[tuple[date, Plan]]]]

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
    "last_day_in_force",
    "measure_value",
]


def binding_problem(ob: Obligation, unit: Unit) -> str | None:
    """Why ``ob`` does not bind ``unit`` whatever the date, or None when it does."""
    if unit.jurisdiction != ob.jurisdiction:
        return t("why.other_jurisdiction", unit=unit.jurisdiction, ob=ob.jurisdiction)
    if unit.kind not in ob.applies_to:
        return t("why.applies_to", kinds=", ".join(ob.applies_to), kind=unit.kind)
    if (
        ob.named_departments_only
        and unit.department not in ob.departments
        and unit.kind not in ob.collective_kinds
    ):
        if unit.department in ob.participants:
            return t("why.participant", department=unit.department, bound=", ".join(ob.departments))
        return t("why.not_named", department=unit.department)
    if unit.department is not None and unit.department in ob.excluded_departments:
        return t("why.excluded", department=unit.department)
    lacking = [need for need in ob.requires if need in unit.lacks]
    if lacking:
        return t("why.lacks", needs=", ".join(lacking))
    return ob.exemption(unit)


class EvaluationCache:
    """Memo of what does not depend on the unit: each obligation's window, threshold and
    finding fields on a date, and whether it binds a unit of a given kind and department.

    Pass one to :func:`evaluate_one` when evaluating many units (``evaluate`` does); the
    findings are the same with or without it. Entries are keyed by the obligation's id in
    its jurisdiction and hold the obligation they were made from: another obligation of the
    same id (a mutant, an edited rulebook) is planned afresh, never given a stale entry.
    """

    def __init__(self) -> None:
        self._plans: dict[tuple[str, str, date, date | None], tuple[Obligation, Plan]] = {}
        self._binding: dict[
            tuple[str, str, str, str, str | None, tuple[str, ...]], tuple[Obligation, str | None]
        ] = {}

    def plan(self, ob: Obligation, as_of: date, on: date | None = None) -> Plan:
        key = (ob.jurisdiction, ob.id, as_of, on)
        hit = self._plans.get(key)
        if hit is not None and hit[0] is ob:
            return hit[1]
        plan = _plan(ob, as_of, on)
        self._plans[key] = (ob, plan)
        return plan

    def binding_problem(self, ob: Obligation, unit: Unit) -> str | None:
        key = (ob.jurisdiction, ob.id, unit.jurisdiction, unit.kind, unit.department, unit.lacks)
        hit = self._binding.get(key)
        if hit is not None and hit[0] is ob:
            return hit[1]
        why = binding_problem(ob, unit)
        self._binding[key] = (ob, why)
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
    if as_of < ob.valid_from or periods == "current" or ob.judged_as_one_period:
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


def _plan(ob: Obligation, as_of: date, on: date | None = None) -> Plan:
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
        end = ob.valid_to or t("why.until_replaced")
        why = t("why.not_in_force", as_of=as_of, start=ob.valid_from, end=end)
        return Plan(base, why, None, {}, None)
    if not isinstance(ob, Thresholded):
        return Plan(base, None, None, {}, None)
    window, fields, threshold, note = ob.window_plan(
        last_day_in_force(ob, as_of) if on is None else on
    )
    return Plan(base, None, window, fields, threshold, note)


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
    why_not = cache.binding_problem(ob, unit) or plan.not_in_force
    if why_not is not None:
        return Finding.trusted_from(
            plan.template,
            unit_id=unit.id,
            unit_name=unit.name,
            unit_kind=unit.kind,
            status=Status.NOT_APPLICABLE,
            explanation=why_not,
        )
    day = last_day_in_force(ob, as_of) if on is None else on
    judging = Judging(ob, unit, as_of, day, index, region_sets, plan, transaction_measurer)
    return ob.assess(judging)


@runs_as_bulk_work
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
    # From the columns: no purchase is made a model here.
    later = 0
    purchases = Purchases.of(facts.transactions)
    kept = purchases.dated_until(as_of)
    if kept is not purchases:
        first = purchases.first_of_each_id()  # the first of an id counts
        kept = first.dated_until(as_of)
        later = len(first) - len(kept)
        facts = facts.with_(transactions=kept)
    index = FactIndex(facts)
    if transaction_measurer is None:
        transaction_measurer = PurchaseTotals(index, rules.region_sets)
    units = sorted(rules.units, key=lambda u: u.id)
    by_jurisdiction: dict[str, list[tuple[Obligation, list[date]]]] = {}
    for ob in rules.obligations:
        by_jurisdiction.setdefault(ob.jurisdiction, []).append(
            (ob, judged_days(ob, as_of, periods))
        )
    cache = EvaluationCache()
    # Units of one binding pattern share which obligations bind them, with each judged
    # period's plan (so a bound pair goes straight to its kind), and the not-applicable
    # findings of the others (kept unmade: most pairs of a province do not apply).
    patterns: dict[tuple[Any, ...], tuple[_Bound, _Entries]] = {}
    judged: list[Finding] = []
    absent: list[Absent] = []
    region_sets = rules.region_sets
    for unit in units:
        key = (unit.jurisdiction, unit.kind, unit.department, unit.lacks)
        pattern = patterns.get(key)
        if pattern is None:
            bound: _Bound = []
            entries: list[tuple[dict[str, Any], str]] = []
            for ob, days in by_jurisdiction.get(unit.jurisdiction, ()):
                plan = cache.plan(ob, as_of)
                why = cache.binding_problem(ob, unit) or plan.not_in_force
                if why is None:
                    bound.append((ob, [(on, cache.plan(ob, as_of, on)) for on in days]))
                else:
                    entries.append((plan.template, why))
            pattern = patterns[key] = (bound, tuple(entries))
        absent.append(Absent(unit.id, unit.name, unit.kind, pattern[1]))
        # What evaluate_one does for a bound, in-force pair, without asking again.
        judged.extend(
            ob.assess(Judging(ob, unit, as_of, on, index, region_sets, plan, transaction_measurer))
            for ob, plans in pattern[0]
            for on, plan in plans
        )
    return Evaluation(as_of, tuple(judged), later, tuple(absent))


@runs_as_bulk_work
def evaluate(
    facts: Facts,
    as_of: date,
    *,
    rules: Registry | None = None,
    obligations: Iterable[Obligation] | None = None,
    region_sets: RegionSets | None = None,
    periods: Periods = "recent",
    lang: Lang | None = None,
) -> Evaluation:
    """Evaluate the units of ``facts`` as of ``as_of``: :func:`~xfrules.rulebook.prepare`
    then :func:`evaluate_rulebook`.

    Explanations are in ``lang`` (``"zh"``, the default, or ``"en"``; None: the current
    language of :func:`xfrules.i18n.use_lang`).

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
    with use_lang(lang):
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
                    Msg("api.not_a_date", type=type(value).__name__, value=value),
                )
            ]
        )


def _check_jurisdictions(reg: Registry, facts: Facts) -> None:
    """A unit of a jurisdiction no installed plug-in provides (misspelt, not installed, or
    whose plug-in failed to load) would get no finding at all: bad input, not silence."""
    problems = [
        Problem(facts.source or "<facts>", Msg("at.unit", id=u.id), "jurisdiction", why)
        for u in facts.units
        if (why := reg.jurisdiction_problem(u.jurisdiction)) is not None
    ]
    if problems:
        raise InputError(problems)
