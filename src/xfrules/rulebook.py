"""The prepared rulebook: a deployment's rules settled once, before anything is evaluated.

The plug-ins give obligations, region sets and department names; a deployment's facts file
adds to them — its allocations and tolerances, its region-set extensions, its units with
departments written by an alias. :func:`prepare` settles all of that in one place, once, and
the result is what every backend evaluates against: the evaluator, the DuckDB backend and the
live monitor accept a :class:`Rulebook` and nothing else, so none of them can forget a step.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .entities import Unit, bound_name
from .errors import InputError, Problem
from .facts import Facts
from .i18n import Msg
from .obligations import Allocation, Decomposable, Obligation, Thresholded, region_sets_read
from .regions import region_keys

if TYPE_CHECKING:
    from .registry import Registry

__all__ = [
    "RegionSets",
    "Rulebook",
    "canonical_department",
    "prepare",
    "region_sets_for",
    "with_deployment",
]

# (jurisdiction, set name) -> region codes; a code matches at every level (xfrules.regions).
RegionSets = Mapping[tuple[str, str], frozenset[str]]


@dataclass(frozen=True)
class Rulebook:
    """Obligations, region sets and units of one deployment, prepared by :func:`prepare`.

    ``obligations`` are sorted by id, with the facts' allocations and tolerances applied;
    ``region_sets`` are the plug-ins' extended by the facts; ``facts`` holds the units with
    their departments resolved to the names the documents declare.
    """

    obligations: tuple[Obligation, ...]
    region_sets: RegionSets
    facts: Facts
    registry: Registry | None = None

    @property
    def units(self) -> tuple[Unit, ...]:
        return self.facts.units

    def obligations_of(self, jurisdiction: str) -> tuple[Obligation, ...]:
        """The obligations of one jurisdiction, sorted by id."""
        return tuple(ob for ob in self.obligations if ob.jurisdiction == jurisdiction)

    def with_facts(self, facts: Facts) -> Rulebook:
        """The same rules over other facts of the same deployment (a ledger's purchases);
        the units must be the prepared ones."""
        return Rulebook(self.obligations, self.region_sets, facts, self.registry)


def prepare(
    facts: Facts,
    registry: Registry | None = None,
    *,
    obligations: Iterable[Obligation] | None = None,
    region_sets: RegionSets | None = None,
) -> Rulebook:
    """Settle a deployment: ``registry``'s rules (or the given ``obligations`` and
    ``region_sets``, for rules defined outside a plug-in) with the facts file's allocations,
    tolerances and region-set extensions, and its units' departments resolved.

    With neither a registry nor obligations, the installed plug-ins are loaded. Raises
    :class:`InputError` for a deployment entry that names something the rules do not have.
    """
    if obligations is None or region_sets is None:
        if registry is None:
            from .registry import load_registry

            registry = load_registry()
        if obligations is None:
            obligations = registry.obligations
        if region_sets is None:
            region_sets = registry.region_codes()
    open_list = None if registry is None else functools.partial(_names_open_list, registry)
    settled = sorted(with_deployment(obligations, facts, open_list), key=lambda o: o.id)
    sets = region_sets_for(region_sets, facts, settled)
    units = tuple(canonical_department(u, registry) for u in facts.units)
    if any(a is not b for a, b in zip(units, facts.units, strict=True)):
        facts = facts.model_copy(update={"units": units})
    return Rulebook(tuple(settled), sets, facts, registry)


def region_sets_for(
    registry_sets: Mapping[tuple[str, str], frozenset[str]],
    facts: Facts,
    obligations: Iterable[Obligation] | None = None,
) -> dict[tuple[str, str], frozenset[str]]:
    """Plug-in region sets extended by the facts file's ``region_sets`` entries.

    With ``obligations``, an extension naming a set that neither the rules ship nor those
    obligations read (rules defined outside a plug-in may leave their sets to the facts file)
    is an :class:`InputError`: a misspelt name would otherwise extend nothing, silently.
    Extensions for a jurisdiction no given obligation belongs to (left out with ``-j``) are
    not checked.
    """
    if obligations is not None and facts.region_sets:
        obs = list(obligations)
        evaluated = {ob.jurisdiction for ob in obs}
        # (a set's ``within`` bound is no set a deployment extends: its name has a colon)
        known = {k for k in registry_sets if ":" not in k[1]} | {
            (ob.jurisdiction, name) for ob in obs for name in region_sets_read(ob)
        }
        problems = [
            Problem(
                facts.source or "<facts>",
                f"region_sets[{i}]",
                "name",
                Msg(
                    "rules.no_region_set",
                    jurisdiction=ext.jurisdiction,
                    name=ext.name,
                    sets=", ".join(sorted(n for j, n in known if j == ext.jurisdiction))
                    or Msg("rules.none"),
                ),
            )
            for i, ext in enumerate(facts.region_sets)
            if ext.jurisdiction in evaluated and (ext.jurisdiction, ext.name) not in known
        ]
        if problems:
            raise InputError(problems)
    outside = [
        Problem(
            facts.source or "<facts>",
            f"region_sets[{i}].regions[{k}]",
            "code",
            Msg(
                "rules.outside_set",
                code=region.code,
                name=region.name,
                jurisdiction=ext.jurisdiction,
                set=ext.name,
                bound=", ".join(sorted(bound)),
            ),
        )
        for i, ext in enumerate(facts.region_sets)
        if (bound := registry_sets.get((ext.jurisdiction, bound_name(ext.name))))
        for k, region in enumerate(ext.regions)
        if not region_keys(region.code) & bound
    ]
    if outside:
        raise InputError(outside)
    merged = dict(registry_sets)
    for ext in facts.region_sets:
        key = (ext.jurisdiction, ext.name)
        merged[key] = merged.get(key, frozenset()) | frozenset(r.code for r in ext.regions)
    return merged


def with_deployment(
    obligations: Iterable[Obligation],
    facts: Facts,
    open_list: Callable[[Obligation], bool] | None = None,
) -> list[Obligation]:
    """The obligations as a deployment's facts file settles them: its allocations replace the
    plug-ins' where given, its tolerances apply to approximate numbers (约/左右) that the
    plug-in leaves to the deployment, and its parties join open lists (…等部门负责).

    An allocation, a tolerance or a party naming an obligation that is not there (in a
    jurisdiction being evaluated), an allocation of a kind that is not decomposed, a tolerance
    for an obligation with no approximate number, or a party for a duty whose document list
    is not open (``open_list``, when the document is at hand, says whether it is) is an
    :class:`InputError`.
    """
    obs = list(obligations)
    if not facts.allocations and not facts.tolerances and not facts.parties:
        return obs
    by_id = {ob.id: ob for ob in obs}
    evaluated = {ob.jurisdiction for ob in obs}
    problems = []
    given: dict[str, list[Allocation]] = {}
    for i, record in enumerate(facts.allocations):
        jurisdiction = record.obligation.split(".", 1)[0]
        ob = by_id.get(record.obligation)
        if ob is None and jurisdiction in evaluated:
            why = Msg(
                "rules.no_obligation", obligation=record.obligation, jurisdiction=jurisdiction
            )
        elif ob is not None and not isinstance(ob, Decomposable):
            why = Msg("rules.not_decomposed", id=ob.id, kind=ob.kind)
        else:
            given.setdefault(record.obligation, []).append(record.allocation())
            continue
        problems.append(Problem(facts.source or "<facts>", f"allocations[{i}]", "obligation", why))
    default_tolerance: Decimal | None = None
    tolerances: dict[str, Decimal] = {}
    for i, tol in enumerate(facts.tolerances):
        if tol.obligation is None:
            default_tolerance = tol.tolerance
            continue
        ob = by_id.get(tol.obligation)
        jurisdiction = tol.obligation.split(".", 1)[0]
        if ob is None and jurisdiction in evaluated:
            why = Msg("rules.no_obligation", obligation=tol.obligation, jurisdiction=jurisdiction)
        elif ob is not None and not ob.approximate:
            why = Msg("rules.no_approximate", id=ob.id)
        else:
            tolerances[tol.obligation] = tol.tolerance
            continue
        problems.append(Problem(facts.source or "<facts>", f"tolerances[{i}]", "obligation", why))
    joined: dict[str, dict[str, list[str]]] = {}
    for i, party in enumerate(facts.parties):
        ob = by_id.get(party.obligation)
        jurisdiction = party.obligation.split(".", 1)[0]
        if ob is None and jurisdiction in evaluated:
            why = Msg("rules.no_obligation", obligation=party.obligation, jurisdiction=jurisdiction)
        elif ob is not None and open_list is not None and not open_list(ob):
            why = Msg("rules.closed_parties", id=ob.id)
        else:
            roles = joined.setdefault(party.obligation, {})
            roles.setdefault(party.role, []).append(party.department)
            continue
        problems.append(Problem(facts.source or "<facts>", f"parties[{i}]", "obligation", why))
    if problems:
        raise InputError(problems)
    out = []
    for ob in obs:
        update: dict[str, Any] = {}
        for role, names in joined.get(ob.id, {}).items():
            update[role] = tuple(dict.fromkeys((*getattr(ob, role), *names)))
        if ob.id in given and isinstance(ob, Decomposable):
            update["allocations"] = tuple(given[ob.id])
        tolerance = tolerances.get(ob.id, default_tolerance)
        if tolerance is not None and isinstance(ob, Thresholded) and ob.approximate:
            # The plug-in's own tolerance (a decision on the text) stands; the deployment's
            # fills the thresholds that leave it open.
            update["thresholds"] = tuple(
                th.model_copy(update={"tolerance": tolerance})
                if th.approximate and (th.tolerance is None or ob.id in tolerances)
                else th
                for th in ob.thresholds
            )
        out.append(ob.model_copy(update=update) if update else ob)
    return out


def _names_open_list(registry: Registry, ob: Obligation) -> bool:
    """Whether a department list of the duty's sentences ends in 等 (True when the document is
    not at hand: nothing to check against)."""
    from .coverage import read_document

    rules = registry.jurisdictions.get(ob.jurisdiction)
    reading = read_document(rules) if rules is not None else None
    if reading is None:
        return True
    lists = {reading.group_list[i] for i in reading.sentences_of(ob.id)}
    lists |= set(reading.sentences_of(ob.id))  # a quote that takes its list in
    return any(
        (listed := reading.party_lists[i]) is not None and listed.open
        for i in lists
        if i is not None
    )


def canonical_department(unit: Unit, registry: Registry | None) -> Unit:
    """A unit whose department is written by a declared alias (教育部门) gets the declared name."""
    if registry is None or unit.department is None:
        return unit
    rules = registry.jurisdictions.get(unit.jurisdiction)
    department = rules.department(unit.department) if rules else None
    if department is None or department.name == unit.department:
        return unit
    return unit.model_copy(update={"department": department.name})
