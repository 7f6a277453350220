"""Checks of a deployment's facts file against the installed rules, before evaluating it.

A typo in a facts file rarely fails: a unit of jurisdiction ``tianjn`` or kind
``budget-unit`` just gets no finding that binds it, and district shares that add up to less
than the city total leave part of the target to nobody. These checks say so. Problems
that evaluation refuses anyway (a misnamed region set or allocation) are errors; the rest
are warnings — the facts may be right (a working group may allocate more than the total).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .check import CheckProblem
from .errors import InputError
from .facts import Facts
from .i18n import t
from .obligations import Decomposable, Obligation
from .registry import Registry
from .rulebook import prepare

__all__ = ["EvidenceKeys", "check_facts", "evidence_keys"]


@dataclass(frozen=True)
class EvidenceKeys:
    """The observation metrics and submission report keys some obligation reads."""

    metrics: frozenset[str] = field(default_factory=frozenset)
    reports: frozenset[str] = field(default_factory=frozenset)

    def unread(self, kind: str, name: str) -> str | None:
        """Why ``name`` (an observation ``metric`` or a submission ``report``) is read by no
        obligation, naming the closest key that is; None when some obligation reads it."""
        known = self.metrics if kind == "metric" else self.reports
        if name in known:
            return None
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
        hint = (
            t("deploy.did_you_mean", close=close[0])
            if close
            else t("deploy.keys_read", keys=", ".join(sorted(known)) or t("rules.none"))
        )
        return t(f"deploy.unread_{kind}", name=name, hint=hint)


def evidence_keys(obligations: Iterable[Obligation]) -> EvidenceKeys:
    """Every observation metric and report key ``obligations`` read."""
    metrics: set[str] = set()
    reports: set[str] = set()
    for ob in obligations:
        reads = ob.reads()
        metrics.update(reads.metrics)
        reports.update(reads.reports)
    return EvidenceKeys(frozenset(metrics), frozenset(reports))


_DEPLOYMENT = "facts"  # the "jurisdiction" column of a problem about the file as a whole


def check_facts(
    facts: Facts, registry: Registry, *, all_installed: bool = True
) -> list[CheckProblem]:
    """Every problem of ``facts`` against ``registry``'s rules, sorted.

    ``all_installed``: False leaves out the jurisdiction check (a unit of a jurisdiction
    neither loaded nor left out by ``registry.select`` is an error otherwise).
    """
    problems: list[CheckProblem] = []
    obligations = list(registry.obligations)
    where = facts.source or "<facts>"
    try:
        obligations = list(prepare(facts, registry).obligations)
    except InputError as exc:
        problems.extend(
            CheckProblem(
                _DEPLOYMENT, f"{where}: {p.record}", "deployment-data", f"{p.field}: {p.message}"
            )
            for p in exc.problems
        )
    problems.extend(_units(facts, registry, all_installed))
    problems.extend(_allocations(facts, obligations))
    problems.extend(_unread_keys(facts, obligations))
    return sorted(set(problems))


def _unread_keys(facts: Facts, obligations: list[Obligation]) -> Iterable[CheckProblem]:
    """Observations and submissions that evidence nothing: a misspelt metric or report key
    leaves its duty insufficient_evidence without a word. Read per jurisdiction of the unit
    (all of them for a unit the facts do not define)."""
    by_jurisdiction: dict[str, list[Obligation]] = {}
    for ob in obligations:
        by_jurisdiction.setdefault(ob.jurisdiction, []).append(ob)
    keys = {code: evidence_keys(obs) for code, obs in by_jurisdiction.items()}
    everything = evidence_keys(obligations)
    unit_jurisdiction = {u.id: u.jurisdiction for u in facts.units}
    seen: Counter[tuple[str, str, str]] = Counter()
    for kind, items in (
        ("metric", ((o.unit, o.metric) for o in facts.observations)),
        ("report", ((s.unit, s.report) for s in facts.submissions)),
    ):
        for unit, name in items:
            seen[(unit_jurisdiction.get(unit, ""), kind, name)] += 1
    for (code, kind, name), n in sorted(seen.items()):
        why = keys.get(code, everything).unread(kind, name)
        if why is None:
            continue
        section = "observations" if kind == "metric" else "submissions"
        yield CheckProblem(
            code or _DEPLOYMENT,
            f"{section}: {kind} {name}",
            f"unread-{kind}",
            t(
                f"deploy.record{'s' if n != 1 else ''}{'_of' if code else ''}",
                why=why,
                n=n,
                code=code,
            ),
            "warning",
        )


def _units(facts: Facts, registry: Registry, all_installed: bool) -> Iterable[CheckProblem]:
    if not facts.units:
        yield CheckProblem(
            _DEPLOYMENT,
            facts.source or "<facts>",
            "no-units",
            t("deploy.no_units"),
            "warning",
        )
    kinds: dict[str, set[str]] = {}
    for ob in registry.obligations:
        kinds.setdefault(ob.jurisdiction, set()).update(ob.applies_to)
    for unit in facts.units:
        subject = f"unit {unit.id}"
        rules = registry.jurisdictions.get(unit.jurisdiction)
        if rules is None:
            why = registry.jurisdiction_problem(unit.jurisdiction)
            if why is not None and all_installed:
                yield CheckProblem(
                    _DEPLOYMENT,
                    subject,
                    "unknown-jurisdiction",
                    str(why),
                )
            continue
        used = kinds.get(unit.jurisdiction, set())
        if unit.kind not in used:
            yield CheckProblem(
                unit.jurisdiction,
                subject,
                "unit-kind",
                t("deploy.unit_kind", kind=unit.kind, kinds=", ".join(sorted(used))),
                "warning",
            )
        named = rules.department(unit.department) if unit.department is not None else None
        if unit.department is not None and named is None:
            yield CheckProblem(
                unit.jurisdiction,
                subject,
                "unknown-department",
                t("deploy.unknown_department", department=unit.department),
                "warning",
            )
        elif named is not None and named.covers_kinds and unit.kind not in named.covers_kinds:
            # A collective name (各前方工作机构) stands for units of its kinds: a unit carrying
            # it as its department but of another kind is bound as that other kind, not as the
            # document binds the bodies the name stands for (an old deployment's front office
            # modelled as a department).
            yield CheckProblem(
                unit.jurisdiction,
                subject,
                "department-kind",
                t(
                    "deploy.department_kind",
                    department=unit.department,
                    kinds=", ".join(named.covers_kinds),
                    kind=unit.kind,
                    name=named.name,
                    alternatives=" or ".join(repr(k) for k in named.covers_kinds),
                ),
                "warning",
            )


def _allocations(facts: Facts, obligations: list[Obligation]) -> Iterable[CheckProblem]:
    """Shares that do not add up to the parent total, and units without a share."""
    given = {a.obligation for a in facts.allocations}
    for ob in obligations:
        if not isinstance(ob, Decomposable) or not ob.allocations:
            continue
        subject = ob.id
        if ob.id in given:  # the plug-in's own shares are checked by `xfrules check`
            for _, th, total in ob.allocation_gaps():
                more = t("deploy.more" if total > th.value else "deploy.less")
                since = t("deploy.since", day=th.effective_from) if th.effective_from else ""
                yield CheckProblem(
                    ob.jurisdiction,
                    subject,
                    "allocations-do-not-sum",
                    t(
                        "deploy.shares_sum",
                        total=_plain(total),
                        unit=th.unit,
                        more=more,
                        since=since,
                        value=_plain(th.value),
                        difference=_plain(total - th.value),
                    ),
                    "warning",
                )
        units = [
            u
            for u in facts.units
            if u.jurisdiction == ob.jurisdiction and u.kind in ob.allocated_kinds
        ]
        for unit in units:
            if not any(a.is_for(unit) for a in ob.allocations):
                yield CheckProblem(
                    ob.jurisdiction,
                    subject,
                    "allocation-missing",
                    t("deploy.no_share", id=unit.id, name=unit.name, kind=unit.kind),
                    "warning",
                )


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"
