"""Boundary scenario skeletons for ``xfrules scenarios suggest``: per obligation, the cases a
reviewer should see decided — at the threshold, one step short, no evidence, before and after
the validity, a unit of a kind the duty does not bind, a department it does not name, a unit
lacking what it requires, the purchases of a subordinate unit, a purchase outside its filters,
an approximate target at its tolerance.

The facts of each case are built from the obligation's own encoding (its measure, baseline,
head count, allocations, period); the expectations are what the evaluator says about them
*today*. A skeleton therefore encodes the current reading, not a check of it: it passes when
run unchanged, and it is the author who reads each case against the document, corrects the
expectations the text decides otherwise, and commits the file — after which a change to the
rules that changes one of these verdicts fails a scenario.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import yaml

from .evaluator import evaluate
from .facts import parse_facts
from .findings import Finding
from .obligations import (
    DEFAULT_TOLERANCE,
    Allocation,
    Obligation,
    ObservationMeasure,
    Threshold,
    TransactionMeasure,
)
from .periods import Window, shift_years, window_for
from .regions import PROVINCE_PREFIXES, region_keys
from .registry import JurisdictionRules, Registry

__all__ = ["HEADER", "skeleton_file", "skeletons"]

HEADER = """\
# Scenario skeletons for {what}, written by `xfrules scenarios suggest` from the
# rules as they are encoded today. Every expectation below is the CURRENT reading — what
# the evaluator says now — not a check of it: read each case against the document, correct
# what the text decides otherwise (and the rule with it), then commit the file under the
# plug-in's scenarios/. From then on a change of the rules that changes a verdict fails it.
"""

_BASELINE = Decimal(1_000_000)  # a baseline, previous-year value: round, so shares are exact
_HEADCOUNT = Decimal(100)
_DENOMINATOR = Decimal(1000)
_COUNTY = "520602"
_COUNTED = ("count", "distinct_origins", "distinct_subjects")
_MAX_COUNTED = 300  # a count target above this is left to the author (too many facts)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass
class _Facts:
    """Facts under construction, as the facts file writes them."""

    rules: JurisdictionRules
    units: list[dict[str, Any]]
    transactions: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, list[str]] = field(default_factory=dict)
    n: int = 0

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def set_codes(self, name: str) -> list[str]:
        rs = self.rules.region_set(name)
        shipped = sorted(rs.codes) if rs is not None else []
        return shipped + [c for c in self.extensions.get(name, []) if c not in shipped]

    def extend(self, name: str, code: str) -> None:
        codes = self.extensions.setdefault(name, [])
        if code not in codes:
            codes.append(code)

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"units": self.units}
        for key in ("transactions", "observations", "submissions"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.extensions:
            out["region_sets"] = [
                {
                    "jurisdiction": self.rules.code,
                    "name": name,
                    "provenance": "scenario skeleton: a deployment's list",
                    "regions": [{"code": c, "name": c} for c in codes],
                }
                for name, codes in sorted(self.extensions.items())
            ]
        return out


def _unit(ob: Obligation, rules: JurisdictionRules, kind: str | None = None) -> dict[str, Any]:
    unit: dict[str, Any] = {
        "id": "u1",
        "name": "测试单位",
        "kind": kind or ob.applies_to[0],
        "jurisdiction": rules.code,
    }
    if ob.named_departments_only and ob.departments:
        unit["department"] = ob.departments[0]
    heads = {n.attribute: _plain(_HEADCOUNT) for n in ob.needs() if n.attribute}
    if heads:
        unit["attributes"] = heads
    allocations = getattr(ob, "allocations", ())
    if allocations and unit["kind"] in getattr(ob, "allocated_kinds", ()):
        first = allocations[0]
        if first.unit:
            unit["id"] = first.unit
        else:
            unit["region_code"] = first.region_code
    return unit


def _counted(ob: Obligation) -> bool:
    return ob.raised_by().counted


def _origin(b: _Facts, measure: TransactionMeasure, i: int = 0) -> str:
    county = _COUNTY
    if measure.origin_sets:
        # From the first set named: a case then fails when that set is read wrong, even if a
        # later one is shipped and the first is left to the deployment (an empty 甘肃 list).
        codes = b.set_codes(measure.origin_sets[0])
        if not codes:
            county = _county_within(b.rules, measure.origin_sets[0])
            b.extend(measure.origin_sets[0], county)
            codes = [county]
        county = codes[0]
        if i == 0:
            return county
    return f"{county[:6]}{1 + i // 999:03d}{1 + i % 999:03d}"


def _county_within(rules: JurisdictionRules, name: str) -> str:
    """A county code a deployment may add to the empty set ``name``: inside the province or
    prefecture its document places it (``within``), else the default county."""
    rs = rules.region_set(name)
    if rs is None or not rs.within:
        return _COUNTY
    code = rs.within[0].code
    if code.endswith("0000"):
        return code[:2] + "0102"
    return code[:4] + "02" if code.endswith("00") else code


def _subject(b: _Facts, ob: Obligation, i: int) -> str:
    target = ob.raised_by().subjects_in
    if target:
        codes = b.set_codes(target)
        if i < len(codes):
            return codes[i]
        code = f"52{1 + i // 99:02d}{1 + i % 99:02d}"
        b.extend(target, code)
        return code
    return f"subject-{i + 1}"


def _contribute(b: _Facts, ob: Obligation, unit: str, w: Window, day: date, value: Decimal) -> None:
    """Facts that raise ``ob``'s measured value for ``unit`` by ``value`` in window ``w``."""
    measure = ob.raised_by().measure
    counted = _counted(ob)
    times = int(value) if counted else 1
    for i in range(times):
        amount = Decimal(1) if counted else value
        if isinstance(measure, ObservationMeasure):
            each = (
                max(Decimal(1), measure.subject_floor or Decimal(0))
                if measure.aggregate == "distinct_subjects"
                else amount
            )
            b.observations.append(
                _observation(unit, measure.metric, day, each, subject=_subject(b, ob, i))
            )
        elif isinstance(measure, TransactionMeasure):
            b.transactions.append(
                {
                    "id": b.next_id("t"),
                    "buyer": unit,
                    "amount": _plain(amount),
                    "quantity": _plain(amount),
                    "date": day.isoformat(),
                    "origin_region": _origin(b, measure, i if counted else 0),
                    "category": (measure.categories or ("agricultural",))[0],
                    **({"channel": measure.channels[0]} if measure.channels else {}),
                    **({"seller_kind": measure.seller_kinds[0]} if measure.seller_kinds else {}),
                }
            )


def _observation(
    unit: str, metric: str, day: date, value: Decimal, subject: str | None = None
) -> dict[str, Any]:
    record = {
        "unit": unit,
        "metric": metric,
        "period_start": day.isoformat(),
        "period_end": day.isoformat(),
        "value": _plain(value),
    }
    if subject is not None:
        record["subject"] = subject
    return record


def _evidence(b: _Facts, ob: Obligation, unit: str, w: Window) -> None:
    raised = ob.raised_by()
    record: dict[str, Any] = {
        "unit": unit,
        "report": raised.report,
        "period_start": w.start.isoformat(),
        "period_end": w.end.isoformat(),
        "delivered": w.due.isoformat(),
    }
    if raised.attachments:
        record["attachments"] = list(raised.attachments)
    b.submissions.append(record)


def _inputs(
    b: _Facts, ob: Obligation, unit: str, w: Window, day: date, holder: str | None = None
) -> dict[str, Decimal]:
    """The facts besides the measured value that the duty needs (``ob.needs()``: a baseline,
    the previous period, a denominator, a head count); returns the values chosen. The
    previous period's facts are ``holder``'s (the unit whose facts are measured)."""
    chosen: dict[str, Decimal] = {}
    for need in ob.needs():
        if need.attribute:
            chosen[need.name] = _HEADCOUNT  # the unit's attribute (see _unit)
        elif need.previous:
            previous = _HEADCOUNT if _counted(ob) else _BASELINE  # counts listed one by one
            base = ob.reference_window(w)
            assert base is not None, f"{ob.id} needs a previous period but names none"
            earlier = max(base.start, min(base.end, shift_years(day, -1)))
            _contribute(b, ob, holder or unit, base, earlier, previous)
            chosen[need.name] = previous
        elif need.metric:
            value = _BASELINE if need.start else _DENOMINATOR
            b.observations.append(
                {
                    "unit": unit,
                    "metric": need.metric,
                    "period_start": (need.start or day).isoformat(),
                    "period_end": (need.end or day).isoformat(),
                    "value": _plain(value),
                }
            )
            chosen[need.name] = value
    return chosen


def _step(ob: Obligation) -> Decimal:
    """The smallest change of the facts' total: a thing counted, or a cent."""
    return ob.raised_by().step


@dataclass(frozen=True)
class _Case:
    name: str
    as_of: date
    facts: dict[str, Any]
    unit: str


def _window(ob: Obligation, threshold: Threshold | None) -> tuple[Window, date]:
    """The first period the threshold is in force, and the first day of it the duty binds."""
    start = ob.valid_from
    if threshold is not None and threshold.effective_from and threshold.effective_from > start:
        start = threshold.effective_from
    w = window_for(ob, start)
    return w, max(w.start, ob.valid_from)


def _case(
    rules: JurisdictionRules,
    ob: Obligation,
    name: str,
    w: Window,
    day: date,
    target: Decimal | None,
    *,
    shift: Decimal = Decimal(0),
    kind: str | None = None,
    as_of: date | None = None,
    unit_changes: dict[str, Any] | None = None,
    by_child: bool = False,
) -> _Case:
    """A unit (of ``kind``, with ``unit_changes``) whose facts make ``ob`` measure ``target``
    in window ``w``, the facts' total moved by ``shift`` (one cent short of 10% of the
    baseline); no measured facts when ``target`` is None. ``by_child``: the measured facts are
    a subordinate unit's (its other inputs stay the unit's own)."""
    unit = {**_unit(ob, rules, kind), **(unit_changes or {})}
    b = _Facts(rules, [unit])
    holder = unit["id"]
    if by_child:
        holder = "u1-child"
        b.units.append({**unit, "id": holder, "name": "测试下属单位", "parent": unit["id"]})
        b.units[-1].pop("attributes", None)
    if ob.raised_by().report is not None:
        if target:
            _evidence(b, ob, holder, w)
    elif target is not None:
        total = ob.measured_value(target, _inputs(b, ob, unit["id"], w, day, holder)) + shift
        if total > 0:
            _contribute(b, ob, holder, w, day, total)
    return _Case(name, as_of or max(w.due, day), b.record(), unit["id"])


def _allocated(ob: Obligation, value: Decimal) -> Decimal | None:
    """The unit's share when the first bound kind must have an allocation (None: no share)."""
    allocations: tuple[Allocation, ...] = getattr(ob, "allocations", ())
    if allocations and ob.applies_to[0] in getattr(ob, "allocated_kinds", ()):
        return allocations[0].value
    return value


def _threshold_cases(rules: JurisdictionRules, ob: Obligation) -> Iterable[_Case]:
    thresholds: tuple[Threshold, ...] = getattr(ob, "thresholds", ())
    for i, th in enumerate(thresholds):
        w, day = _window(ob, th)
        label = f" (thresholds[{i}])" if len(thresholds) > 1 else ""
        value = _allocated(ob, th.value)
        if value is None:
            continue
        if _counted(ob) and (value > _MAX_COUNTED or value != value.to_integral_value()):
            continue
        bound = f"{th.comparator} {_plain(value)}"
        ceiling = th.comparator in ("<=", "<")
        if th.approximate:
            tolerance = DEFAULT_TOLERANCE if th.tolerance is None else th.tolerance
            name = f"at the stated number{label} ({bound}, approximate)"
            yield _case(rules, ob, name, w, day, value)
            value = th.model_copy(update={"value": value}).with_tolerance(tolerance).value
            if _counted(ob):
                value = value.to_integral_value(
                    rounding="ROUND_FLOOR" if ceiling else "ROUND_CEILING"
                )
            yield _case(rules, ob, f"at its tolerance{label} ({_plain(value)})", w, day, value)
        else:
            yield _case(rules, ob, f"exactly at the threshold{label} ({bound})", w, day, value)
        step = _step(ob)
        what = "one step over" if ceiling else "one step short"
        shift = step if ceiling else -step
        yield _case(rules, ob, f"{what}{label}", w, day, value, shift=shift)


def _common_cases(rules: JurisdictionRules, ob: Obligation) -> Iterable[_Case]:
    thresholds: tuple[Threshold, ...] = getattr(ob, "thresholds", ())
    first = thresholds[0] if thresholds else None
    w, day = _window(ob, first)
    met = _allocated(ob, first.value if first is not None else Decimal(1))
    if met is not None and _counted(ob) and met > _MAX_COUNTED:
        met = None  # too many things to list: the author writes this case
    if ob.raised_by().report is not None:
        yield _case(rules, ob, "evidence delivered on its due date", w, day, Decimal(1))
    yield _case(rules, ob, "no evidence at all", w, day, None)
    yield _case(
        rules, ob, "the day before the validity", w, day, met,
        as_of=ob.valid_from - timedelta(days=1),
    )  # fmt: skip
    if ob.valid_to is not None:
        last = window_for(ob, ob.valid_to)
        after = max(ob.valid_to, last.due) + timedelta(days=30)
        name = "after the validity: the last period stands"
        yield _case(rules, ob, name, last, max(last.start, ob.valid_from), met, as_of=after)
    other = next(
        (k for k in rules.jurisdiction.unit_kinds if k not in ob.applies_to), "not_bound_kind"
    )
    name = f"a unit of a kind it does not bind ({other})"
    yield _case(rules, ob, name, w, day, met, kind=other)
    yield from _party_cases(rules, ob, w, day, met)
    yield from _measure_cases(rules, ob, w, day, met)


def _party_cases(
    rules: JurisdictionRules, ob: Obligation, w: Window, day: date, met: Decimal | None
) -> Iterable[_Case]:
    """Units the duty's kinds would bind but its parties or requirements leave out."""
    # A kind a collective name binds as a whole (各镇) is bound whatever its department.
    by_name = [k for k in ob.applies_to if k not in ob.collective_kinds]
    if ob.named_departments_only and ob.departments and by_name:
        named = {*ob.departments, *ob.participants}
        other = next((d.name for d in rules.departments if d.name not in named), None)
        if other is not None:
            name = f"a department it does not name ({other})"
            changes = {"department": other}
            yield _case(rules, ob, name, w, day, met, kind=by_name[0], unit_changes=changes)
    for excluded in ob.excluded_departments:
        name = f"a unit of a department it leaves out ({excluded})"
        yield _case(rules, ob, name, w, day, met, unit_changes={"department": excluded})
    for need in ob.requires:
        name = f"a unit that lacks what it requires ({need})"
        yield _case(rules, ob, name, w, day, met, unit_changes={"lacks": [need]})


def _measure_cases(
    rules: JurisdictionRules, ob: Obligation, w: Window, day: date, met: Decimal | None
) -> Iterable[_Case]:
    """Whose facts the measure reads: a subordinate's (its scope), one outside its filters."""
    raised = ob.raised_by()
    measure = raised.measure
    if met is None or measure is None or raised.report is not None:
        return
    # Facts that meet the duty (one step past a strict bound), so that whether they count
    # shows in the verdict.
    thresholds: tuple[Threshold, ...] = getattr(ob, "thresholds", ())
    strict = {">": raised.step, "<": -raised.step}
    shift = strict.get(thresholds[0].comparator, Decimal(0)) if thresholds else Decimal(0)
    name = f"the facts of a subordinate unit ({measure.scope})"
    yield _case(rules, ob, name, w, day, met, shift=shift, by_child=True)
    if not isinstance(measure, TransactionMeasure):
        return
    outside = _outside(rules, measure) if measure.origin_sets else None
    if outside is not None or any((measure.categories, measure.channels, measure.seller_kinds)):
        case = _case(rules, ob, "a purchase outside its filters", w, day, met)
        for purchase in case.facts.get("transactions", ()):
            if outside is not None:
                purchase["origin_region"] = outside
            if measure.categories:
                purchase["category"] = "not_" + measure.categories[0]
            if measure.channels:
                purchase["channel"] = "not_" + measure.channels[0]
            if measure.seller_kinds:
                purchase["seller_kind"] = "not_" + measure.seller_kinds[0]
        yield case


def _outside(rules: JurisdictionRules, measure: TransactionMeasure) -> str | None:
    """A county code in none of the measure's origin sets (None: they cover every province)."""
    inside = {c for n in measure.origin_sets if (rs := rules.region_set(n)) for c in rs.codes}
    # A county of a real province (the facts loader refuses unknown prefixes), none of whose
    # levels — province, prefecture, county — an origin set lists.
    return next(
        (
            code
            for prefix in sorted(PROVINCE_PREFIXES)
            for code in (f"{prefix}0101",)
            if not region_keys(code) & inside
        ),
        None,
    )


_COMPARED = ("measured", "required", "shortfall", "measure_unit")
# Who is bound and how: stated where the duty binds the unit, so that a reading of the text
# (a modality, a party) is pinned by the scenarios like a verdict, not only by check.
_BINDING = ("lead", "responsible", "participants")


def _expect(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "unit": finding.unit_id,
        "obligation": finding.obligation_id,
        "status": finding.status.value,
    }
    for name in _COMPARED:
        value = getattr(finding, name)
        if value is not None:
            out[name] = _plain(value) if isinstance(value, Decimal) else value
    if finding.status.value != "not_applicable":
        out["modality"] = finding.modality
        out.update({name: list(getattr(finding, name)) for name in _BINDING})
    return out


def skeletons(rules: JurisdictionRules, ob: Obligation) -> list[dict[str, Any]]:
    """The scenarios of one obligation, with the expectations the evaluator gives today."""
    registry = Registry({rules.code: rules})
    out = []
    seen: set[str] = set()
    for case in [*_threshold_cases(rules, ob), *_common_cases(rules, ob)]:
        if case.name in seen:
            continue
        seen.add(case.name)
        facts = parse_facts(case.facts, source=case.name)
        evaluation = evaluate(facts, case.as_of, rules=registry, obligations=[ob])
        # The current period's finding: the last of the unit's (as the scenario runner reads
        # an expectation that names no period).
        finding = None
        for f in evaluation.findings:
            if f.unit_id == case.unit and f.obligation_id == ob.id:
                finding = f
        if finding is None:  # pragma: no cover - the unit is always of the jurisdiction
            continue
        out.append(
            {
                "name": f"{ob.id}: {case.name}",
                "as_of": case.as_of.isoformat(),
                "facts": case.facts,
                "expect": [_expect(finding)],
            }
        )
    return out


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Numbers and dates written as strings stay strings ("100000", "2020-12-31"): the strict
    # loader reads them as the facts file does.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def skeleton_file(rules: JurisdictionRules, obligations: Iterable[Obligation]) -> str:
    """The scenario file (YAML, with its header) of the skeletons of ``obligations``."""
    obs = list(obligations)
    scenarios = [s for ob in obs for s in skeletons(rules, ob)]
    what = obs[0].id if len(obs) == 1 else f"{len(obs)} obligations of {rules.code}"
    body = yaml.dump(
        {"scenarios": scenarios},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return HEADER.format(what=what) + body
