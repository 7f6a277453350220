"""One-line mutations of a plug-in's rules, for ``xfrules mutate`` (see :mod:`xfrules.mutation`).

Each :class:`Mutant` changes one thing of one obligation, in memory, the way a slip of an
author's hand would: flip a modality, drop a duty, bind a wrong department or drop one, bind a
participant, swap lead and responsible, double a threshold, make a comparator strict, drop
``approximate`` or double or halve its tolerance, bind a wrong unit kind or widen ``applies_to``, shift ``valid_from`` or
``valid_to`` by a month, change a period's frequency, due day or end, read a baseline or a
dated threshold a year off, double one unit's allocated share; drop a requirement
(``requires``) or an exclusion (``excluded_departments``), bind unnamed departments
(``named_departments_only``); drop a measure's filter or flip its scope; read another key the
plug-in uses — a metric, report key or region set. A mutant that the model
refuses (a fixed period ending before it starts…) is not a mutant: it is left out. What the
loader derives from an obligation (the ``collective_kinds`` of the collective names it binds)
is derived again for the mutant, as loading its YAML would.

An author records a mutant that changes nothing the document decides — an *equivalent*
mutant — in the plug-in's ``mutants.yaml``::

    equivalent:
      - obligation: suzhou.canteen_share
        mutation: widen-applies-to          # an operator below
        detail: "+ city"                    # optional: that mutant only (default: all of them)
        reason: the city as a whole holds no canteen; binding it changes no finding

``xfrules mutate`` then lists it with its reason instead of failing on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .kinds.base import DEFAULT_TOLERANCE, BaselineRef, ObservationMeasure, TransactionMeasure
from .obligations import Obligation, obligation_adapter
from .periods import shift_years
from .registry import JurisdictionRules, with_collective_kinds

__all__ = ["OPERATORS", "EquivalentMutant", "Mutant", "mutants"]


@dataclass(frozen=True)
class Mutant:
    """One change of one obligation: ``operator`` (its kind) and ``detail`` (what changed)."""

    obligation: str
    operator: str
    detail: str
    replacement: Obligation | None  # None: the obligation is dropped

    @property
    def label(self) -> str:
        return f"{self.operator}: {self.detail}"

    def apply(self, rules: JurisdictionRules) -> JurisdictionRules:
        obligations = tuple(
            (self.replacement if o.id == self.obligation else o)
            for o in rules.obligations
            if o.id != self.obligation or self.replacement is not None
        )
        return dataclasses.replace(rules, obligations=obligations)  # type: ignore[arg-type]


class EquivalentMutant(BaseModel):
    """A mutant its author judged equivalent: it changes nothing the document decides."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    obligation: str = Field(min_length=1)
    mutation: str = Field(description="The operator (flip-modality, drop-duty…).")
    detail: str | None = Field(default=None, description="Only the mutant with this detail.")
    reason: str = Field(min_length=10)

    def covers(self, mutant: Mutant) -> bool:
        return (
            self.obligation == mutant.obligation
            and self.mutation == mutant.operator
            and (self.detail is None or self.detail == mutant.detail)
        )


def _valid(ob: Obligation, **update: Any) -> Obligation | None:
    """``ob`` with ``update``, validated as a plug-in's file would be (None: refused)."""
    data = ob.model_dump()
    data.update({k: v for k, v in update.items() if k in data})  # a field of this kind only
    try:
        return obligation_adapter.validate_python(data)
    except ValidationError:
        return None


Operator = Callable[[Obligation, JurisdictionRules], Iterator[tuple[str, Obligation | None]]]


def _flip_modality(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    flipped = {"mandatory": "encouraged", "encouraged": "mandatory", "aspirational": "mandatory"}
    yield f"{ob.modality} → {flipped[ob.modality]}", _valid(ob, modality=flipped[ob.modality])


def _drop_duty(ob: Obligation, rules: JurisdictionRules) -> Iterator[tuple[str, Obligation | None]]:
    yield "the obligation deleted", None


def _others(ob: Obligation, rules: JurisdictionRules) -> list[str]:
    taken = {*ob.departments, *ob.participants}
    canonical = {d.name for name in taken if (d := rules.department(name)) is not None}
    return [d.name for d in rules.departments if d.name not in canonical | taken]


def _wrong_department(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    others = _others(ob, rules)
    for role in ("lead", "responsible"):
        names: tuple[str, ...] = getattr(ob, role)
        if names and others:
            swapped = (others[0], *names[1:])
            yield f"{role} {names[0]} → {others[0]}", _valid(ob, **{role: swapped})
            return
    if others:  # binds nobody: bind somebody
        yield f"responsible + {others[0]}", _valid(ob, responsible=(others[0],))


def _drop_department(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    for role in ("lead", "responsible"):
        names: tuple[str, ...] = getattr(ob, role)
        if names:
            yield f"{role} − {names[-1]}", _valid(ob, **{role: names[:-1]})
            return


def _bind_participant(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    if ob.participants:
        first = ob.participants[0]
        yield (
            f"participant {first} → responsible",
            _valid(ob, participants=ob.participants[1:], responsible=(*ob.responsible, first)),
        )


def _swap_roles(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    if ob.lead or ob.responsible:
        yield "lead ⇄ responsible", _valid(ob, lead=ob.responsible, responsible=ob.lead)


def _thresholds(ob: Obligation) -> list[dict[str, Any]]:
    return [th.model_dump() for th in getattr(ob, "thresholds", ())]


def _double_threshold(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    ths = _thresholds(ob)
    if not ths:
        return
    th = ths[0]
    doubled = th["value"] * 2 if th["value"] else Decimal(1)
    detail = f"thresholds[0] {th['value'].normalize():f} → {doubled.normalize():f}"
    th["value"] = doubled
    if th["upper"] is not None:
        th["upper"] = max(th["upper"] * 2, doubled)
    yield detail, _valid(ob, thresholds=ths, allocations=())


def _strict_comparator(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    ths = _thresholds(ob)
    for i, th in enumerate(ths):
        strict = {">=": ">", "<=": "<", "between": ">"}.get(th["comparator"])
        if strict is not None:
            detail = f"thresholds[{i}] {th['comparator']} → {strict}"
            th["comparator"], th["upper"] = strict, None
            yield detail, _valid(ob, thresholds=ths)
            return


def _drop_approximate(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    ths = _thresholds(ob)
    for i, th in enumerate(ths):
        if th["approximate"]:
            th["approximate"], th["tolerance"] = False, None
            yield f"thresholds[{i}] approximate → exact", _valid(ob, thresholds=ths)
            return


def _shift_tolerance(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    """An approximate number's tolerance (its own, else the default) doubled and halved: the
    document says only 约/左右, so the tolerance is the author's decision, and a scenario at
    each side of its bound is what pins it."""
    for i, th in enumerate(_thresholds(ob)):
        if not th["approximate"]:
            continue
        current = DEFAULT_TOLERANCE if th["tolerance"] is None else th["tolerance"]
        for shifted in (current * 2, current / 2):
            ths = _thresholds(ob)
            ths[i]["tolerance"] = shifted
            detail = f"thresholds[{i}] tolerance {current.normalize():f} → {shifted.normalize():f}"
            yield detail, _valid(ob, thresholds=ths)


def _other_kinds(ob: Obligation, rules: JurisdictionRules) -> list[str]:
    return [k for k in rules.jurisdiction.unit_kinds if k not in ob.applies_to]


def _wrong_unit_kind(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    others = _other_kinds(ob, rules)
    if others:
        kinds = (others[0], *ob.applies_to[1:])
        yield (
            f"applies_to {ob.applies_to[0]} → {others[0]}",
            _valid(ob, applies_to=kinds, allocated_kinds=()),
        )


def _widen(ob: Obligation, rules: JurisdictionRules) -> Iterator[tuple[str, Obligation | None]]:
    others = _other_kinds(ob, rules)
    if others:
        yield f"+ {others[0]}", _valid(ob, applies_to=(*ob.applies_to, others[0]))


def _shift_dates(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    # A month: most policies run a year or less, so a year would leave no validity at all.
    later = ob.valid_from + timedelta(days=30)
    yield f"valid_from {ob.valid_from} → {later}", _valid(ob, valid_from=later)
    if ob.valid_to is not None:
        earlier = ob.valid_to - timedelta(days=30)
        yield f"valid_to {ob.valid_to} → {earlier}", _valid(ob, valid_to=earlier)


def _shift_baseline(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    # The reference year read one year off (2019年度 encoded as 2018): the slip of a copied duty.
    for name in type(ob).model_fields:
        ref = getattr(ob, name)
        if isinstance(ref, BaselineRef):
            start, end = shift_years(ref.start, -1), shift_years(ref.end, -1)
            moved = {**ref.model_dump(), "start": start, "end": end}
            yield f"{name} {ref.start}..{ref.end} → {start}..{end}", _valid(ob, **{name: moved})


def _shift_threshold_dates(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    # A dated target (2019年…, 2020年…) put in force a year off.
    ths = _thresholds(ob)
    for i, th in enumerate(ths):
        for end in ("effective_from", "effective_to"):
            day = th[end]
            if day is not None:
                moved = [dict(t) for t in ths]
                moved[i][end] = shift_years(day, -1)
                detail = f"thresholds[{i}].{end} {day} → {moved[i][end]}"
                yield detail, _valid(ob, thresholds=moved)


def _double_allocation(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    # One unit's share copied wrong: its figure doubled (the total's check sees the sum).
    allocations = [a.model_dump() for a in getattr(ob, "allocations", ())]
    for i, share in enumerate(allocations):
        if share["value"] is not None:
            changed = [dict(a) for a in allocations]
            changed[i]["value"] = share["value"] * 2
            who = share["unit"] or share["region_code"]
            detail = f"allocations[{i}] ({who}) {share['value'].normalize():f} → ×2"
            yield detail, _valid(ob, allocations=changed)
            return


def _change_period(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    p = ob.period.model_dump()
    f = p["frequency"]
    if f == "annual":
        yield (
            "annual → monthly (due on the 28th)",
            _valid(ob, period={**p, "frequency": "monthly", "due_day": 28}),
        )
    elif f == "monthly":
        day = p["due_day"] - 1 if p["due_day"] > 1 else 2
        yield f"due_day {p['due_day']} → {day}", _valid(ob, period={**p, "due_day": day})
    elif f == "fixed":
        end: date = p["end"]
        earlier = end - timedelta(days=30)
        due = p["due"] - timedelta(days=30) if p["due"] else None
        yield f"period end {end} → {earlier}", _valid(ob, period={**p, "end": earlier, "due": due})
    else:
        after = p["days_after"] + 7
        yield (
            f"days_after {p['days_after']} → {after}",
            _valid(ob, period={**p, "days_after": after}),
        )


def _drop_requirement(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    for need in ob.requires:
        yield f"requires − {need}", _valid(ob, requires=tuple(r for r in ob.requires if r != need))


def _drop_exclusion(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    for name in ob.excluded_departments:
        kept = tuple(n for n in ob.excluded_departments if n != name)
        yield f"excluded_departments − {name}", _valid(ob, excluded_departments=kept)


def _bind_unnamed(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    # The author forgot that only the named departments are bound (各有关部门 read as 各部门).
    # Kinds a collective name binds as a whole (各镇) are bound either way: when every kind is,
    # the flag changes nothing.
    if ob.named_departments_only and set(ob.applies_to) - set(ob.collective_kinds):
        yield (
            "named_departments_only → false",
            _valid(ob, named_departments_only=False, collective_kinds=()),
        )


_FILTERS = ("origin_sets", "categories", "channels", "seller_kinds")
Measured = TransactionMeasure | ObservationMeasure


def _measures(ob: Obligation) -> Iterator[tuple[str, Measured]]:
    for name in type(ob).model_fields:
        value = getattr(ob, name)
        if isinstance(value, TransactionMeasure | ObservationMeasure):
            yield name, value


def _with_measure(ob: Obligation, name: str, measure: Measured, **change: Any) -> Obligation | None:
    return _valid(ob, **{name: {**measure.model_dump(), **change}})


def _drop_filter(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    for name, measure in _measures(ob):
        for flt in _FILTERS:
            values: tuple[str, ...] = getattr(measure, flt, ())
            if values:
                detail = f"{name}.{flt} {list(values)} → []"
                yield detail, _with_measure(ob, name, measure, **{flt: ()})


def _flip_scope(
    ob: Obligation, rules: JurisdictionRules
) -> Iterator[tuple[str, Obligation | None]]:
    flipped = {"subtree": "unit", "unit": "subtree"}
    for name, measure in _measures(ob):
        scope = flipped[measure.scope]
        yield (
            f"{name}.scope {measure.scope} → {scope}",
            _with_measure(ob, name, measure, scope=scope),
        )
    own = getattr(ob, "scope", None)  # a kind that reads its metrics by its own scope (rates)
    if own in flipped:
        yield f"scope {own} → {flipped[own]}", _valid(ob, scope=flipped[own])


# Where an obligation names a key of the plug-in's facts, by family: the metric an observation
# carries, the report key a submission carries, a region set's name.
_KEY_FIELDS = {
    "evidence": "report",
    "report": "report",
    "numerator_metric": "metric",
    "denominator_metric": "metric",
    "target_set": "region set",
}


def _keys(ob: Obligation) -> Iterator[tuple[str, str, str, Any]]:
    """(path, family, key, how to put another key there) for each key ``ob`` reads (a
    growth's baseline names the measure's own metric, which it does not read again)."""
    reads = ob.reads()
    read = {"metric": reads.metrics, "report": reads.reports, "region set": ob.region_sets_read()}
    for path, family, key, put in _named_keys(ob):
        if key in read[family]:
            yield path, family, key, put


def _named_keys(ob: Obligation) -> Iterator[tuple[str, str, str, Any]]:
    for name in type(ob).model_fields:
        value = getattr(ob, name)
        family = _KEY_FIELDS.get(name)
        if family and isinstance(value, str):
            yield name, family, value, (lambda v, n=name: _valid(ob, **{n: v}))
        elif isinstance(value, ObservationMeasure):
            yield (
                f"{name}.metric",
                "metric",
                value.metric,
                (lambda v, n=name, m=value: _with_measure(ob, n, m, metric=v)),
            )
        elif isinstance(value, TransactionMeasure) and value.origin_sets:
            yield (
                f"{name}.origin_sets[0]",
                "region set",
                value.origin_sets[0],
                (
                    lambda v, n=name, m=value: _with_measure(
                        ob, n, m, origin_sets=(v, *m.origin_sets[1:])
                    )
                ),
            )
        elif isinstance(value, BaselineRef):
            yield (
                f"{name}.metric",
                "metric",
                value.metric,
                (lambda v, n=name, b=value: _valid(ob, **{n: {**b.model_dump(), "metric": v}})),
            )


def _other_key(ob: Obligation, rules: JurisdictionRules) -> Iterator[tuple[str, Obligation | None]]:
    # The realistic slip is a key the plug-in really uses, copied from the duty beside it:
    # a made-up key would only test that something reads the key at all.
    known: dict[str, list[str]] = {"region set": [s.name for s in rules.region_sets]}
    for other in rules.obligations:
        for _, family, key, _put in _keys(other):
            known.setdefault(family, []).append(key)
    for path, family, key, put in _keys(ob):
        own = {k for _, f, k, _put in _named_keys(ob) if f == family}
        own |= set(getattr(getattr(ob, path.split(".")[0], None), "origin_sets", ()))
        others = sorted({k for k in known.get(family, ()) if k not in own})
        if others:
            yield f"{path} {key} → {others[0]}", put(others[0])


OPERATORS: dict[str, Operator] = {
    "flip-modality": _flip_modality,
    "drop-duty": _drop_duty,
    "wrong-department": _wrong_department,
    "drop-department": _drop_department,
    "bind-participant": _bind_participant,
    "swap-lead-responsible": _swap_roles,
    "double-threshold": _double_threshold,
    "strict-comparator": _strict_comparator,
    "drop-approximate": _drop_approximate,
    "shift-tolerance": _shift_tolerance,
    "wrong-unit-kind": _wrong_unit_kind,
    "widen-applies-to": _widen,
    "shift-date": _shift_dates,
    "change-period": _change_period,
    "shift-baseline": _shift_baseline,
    "shift-threshold-date": _shift_threshold_dates,
    "double-allocation": _double_allocation,
    "drop-requirement": _drop_requirement,
    "drop-exclusion": _drop_exclusion,
    "bind-unnamed": _bind_unnamed,
    "drop-filter": _drop_filter,
    "flip-scope": _flip_scope,
    "other-key": _other_key,
}


def mutants(
    rules: JurisdictionRules,
    obligations: set[str] | None = None,
    operators: set[str] | None = None,
) -> list[Mutant]:
    """Every mutant of ``rules`` (of the given obligations and operators), in a fixed order."""
    out = []
    for ob in rules.obligations:
        if obligations is not None and ob.id not in obligations:
            continue
        for name, operator in OPERATORS.items():
            if operators is not None and name not in operators:
                continue
            for detail, replacement in operator(ob, rules):
                if replacement is None and name != "drop-duty":
                    continue  # the model refuses it: no plug-in could ship it
                if replacement is not None:
                    # What loading derives from the parties is derived again (a dropped 各区
                    # no longer binds every district).
                    replacement = with_collective_kinds(replacement, rules.departments)
                if replacement is not None and replacement == ob:
                    continue
                out.append(Mutant(ob.id, name, detail, replacement))
    return out
