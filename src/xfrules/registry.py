"""Loading plug-ins into a Registry; a broken plug-in is reported, the others still load."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy
from pydantic import ValidationError

from .documents import Clause, SourceDocument
from .entities import Department, Jurisdiction, RegionSet, bound_name
from .errors import PluginError
from .hookspecs import ReportValidator
from .i18n import Msg
from .obligations import Obligation, obligation_adapter
from .plugin_manager import (
    ENTRY_POINT_GROUP,
    already_provided,
    as_list,
    code_hooks,
    get_plugin_manager,
    hooks_by_plugin,
    plugin_versions,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "JurisdictionRules",
    "Registry",
    "assemble_rules",
    "get_plugin_manager",
    "load_registry",
    "load_rules",
    "unknown_jurisdiction",
    "with_collective_kinds",
]


@dataclass(frozen=True)
class JurisdictionRules:
    """Everything one plug-in declares about its jurisdiction."""

    plugin: str
    version: str
    jurisdiction: Jurisdiction
    departments: tuple[Department, ...]
    region_sets: tuple[RegionSet, ...]
    obligations: tuple[Obligation, ...]
    document: SourceDocument | None
    clauses: tuple[Clause, ...]
    scenario_paths: tuple[Path, ...]
    report_validators: Mapping[str, ReportValidator] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.jurisdiction.code

    def department(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.matches(name)), None)

    def region_set(self, name: str) -> RegionSet | None:
        return next((s for s in self.region_sets if s.name == name), None)


@dataclass
class Registry:
    """The loaded jurisdictions, and the errors of plug-ins that failed."""

    jurisdictions: dict[str, JurisdictionRules] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)
    # Installed jurisdictions left out by :meth:`select` (-j): their units are not evaluated,
    # but they are not unknown either.
    unselected: frozenset[str] = frozenset()

    @property
    def obligations(self) -> list[Obligation]:
        return [o for rules in self.jurisdictions.values() for o in rules.obligations]

    def region_sets(self) -> dict[tuple[str, str], RegionSet]:
        return {
            (s.jurisdiction, s.name): s for r in self.jurisdictions.values() for s in r.region_sets
        }

    def region_codes(self) -> dict[tuple[str, str], frozenset[str]]:
        """Each region set's codes, keyed by (jurisdiction, name): what the evaluator reads;
        a set's ``within`` bound under (jurisdiction, :func:`bound_name` (name))."""
        codes = {k: s.codes for k, s in self.region_sets().items()}
        codes |= {
            (j, bound_name(n)): s.bound_codes
            for (j, n), s in self.region_sets().items()
            if s.within
        }
        return codes

    def select(self, codes: Iterable[str] | None) -> Registry:
        """A registry with only the given jurisdictions (all when ``codes`` is None)."""
        if codes is None:
            return self
        wanted = list(codes)
        unknown = [c for c in wanted if c not in self.jurisdictions]
        if unknown:
            from .errors import XfrulesError

            raise XfrulesError(unknown_jurisdiction(unknown, self.jurisdictions))
        return Registry(
            {c: self.jurisdictions[c] for c in wanted},
            list(self.errors),
            self.unselected | (set(self.jurisdictions) - set(wanted)),
        )

    def jurisdiction_problem(self, code: str) -> Msg | None:
        """Why a unit of jurisdiction ``code`` cannot be evaluated here, or None (loaded, or
        installed and left out by a selection). A unit that gets no finding because its
        jurisdiction is misspelt, not installed or its plug-in broken must not read as a
        unit with nothing to report."""
        if code in self.jurisdictions or code in self.unselected:
            return None
        failed = {e.plugin: e for e in self.errors}
        if code in failed:
            return Msg("rules.plugin_failed", code=code, error=str(failed[code]))
        import difflib

        installed = sorted(set(self.jurisdictions) | self.unselected)
        close = difflib.get_close_matches(code, installed, n=1)
        hint = Msg("rules.did_you_mean", close=close[0]) if close else ""
        broken = (
            Msg("rules.plugins_failed", errors="; ".join(str(e) for e in self.errors))
            if self.errors
            else ""
        )
        return Msg(
            "rules.not_installed",
            code=code,
            installed=", ".join(installed) or Msg("rules.none"),
            broken=broken,
            hint=hint,
        )


def unknown_jurisdiction(codes: Iterable[str], installed: Iterable[str]) -> Msg:
    """Why a jurisdiction named on the command line cannot be chosen: not installed."""
    known = ", ".join(sorted(installed))
    return Msg(
        "jurisdiction.unknown",
        codes=", ".join(codes),
        known=known or Msg("jurisdiction.none_installed"),
    )


def with_collective_kinds(ob: Obligation, departments: Sequence[Department]) -> Obligation:
    """The obligation with the kinds its collective department names stand for (各镇 → town).

    Derived from the departments it binds, whatever it said before: an obligation whose
    bound parties change (an author's edit, a mutant of ``xfrules mutate``) gets the kinds of
    its new parties, not those of the old ones."""
    kinds = tuple(
        sorted(
            {
                kind
                for name in ob.departments
                for d in departments
                if d.covers_kinds and d.matches(name)
                for kind in d.covers_kinds
            }
        )
    )
    return ob if kinds == ob.collective_kinds else ob.model_copy(update={"collective_kinds": kinds})


def assemble_rules(
    plugin: str,
    version: str,
    jurisdiction: Jurisdiction,
    departments: tuple[Department, ...],
    region_sets: tuple[RegionSet, ...],
    obligations: tuple[Obligation, ...],
    document: SourceDocument | None,
    clauses: tuple[Clause, ...],
    scenario_paths: tuple[Path, ...],
    report_validators: Mapping[str, ReportValidator] | None = None,
) -> JurisdictionRules:
    """The rules of one plug-in from its validated parts, with what loading derives from them
    (the kinds collective department names stand for). Both :func:`load_registry` and
    ``xfrules check`` build rules here, so check sees what the evaluator will."""
    obligations = tuple(with_collective_kinds(ob, departments) for ob in obligations)
    return JurisdictionRules(
        plugin=plugin,
        version=version,
        jurisdiction=jurisdiction,
        departments=departments,
        region_sets=region_sets,
        obligations=obligations,
        document=document,
        clauses=clauses,
        scenario_paths=scenario_paths,
        report_validators=dict(report_validators or {}),
    )


def load_rules(
    plugin: str, version: str, hooks: Mapping[str, Callable[[], Any]]
) -> JurisdictionRules:
    """One plug-in's rules from its hooks (as :func:`~xfrules.plugin_manager.hooks_by_plugin`
    gives them), validated; whatever is wrong raises :class:`PluginError` naming the plug-in."""
    from .plugin_kit import PluginDataError

    if "jurisdiction" not in hooks:
        raise PluginError(plugin, Msg("plugin.no_jurisdiction_hook"))
    try:
        jurisdiction = Jurisdiction.model_validate(hooks["jurisdiction"]())
        code = jurisdiction.code
        departments = tuple(
            Department.model_validate(d)
            for d in as_list(hooks.get("departments", lambda: [])(), "departments")
        )
        region_sets = tuple(
            RegionSet.model_validate(s)
            for s in as_list(hooks.get("region_sets", lambda: [])(), "region_sets")
        )
        obligations = tuple(
            obligation_adapter.validate_python(o)
            for o in as_list(hooks.get("obligations", lambda: [])(), "obligations")
        )
        document = hooks["source_document"]() if "source_document" in hooks else None
        if document is not None:
            document = SourceDocument.model_validate(document)
        clauses = tuple(
            Clause.model_validate(c) for c in as_list(hooks.get("clauses", lambda: [])(), "clauses")
        )
        scenarios, validators = code_hooks(hooks)
    except PluginError:
        raise
    except (ValidationError, PluginDataError) as exc:
        raise PluginError(plugin, Msg("plugin.invalid_data", detail=str(exc))) from exc
    except Exception as exc:  # third-party code: isolate whatever it raises
        failed = Msg("plugin.hook_failed", error=f"{type(exc).__name__}: {exc}")
        raise PluginError(plugin, failed) from exc
    for kind, items in (
        (Msg("plugin.kind.department"), departments),
        (Msg("plugin.kind.region_set"), region_sets),
        (Msg("plugin.kind.obligation"), obligations),
    ):
        foreign = sorted({i.jurisdiction for i in items if i.jurisdiction != code})
        if foreign:
            raise PluginError(
                plugin, Msg("plugin.foreign_items", kind=kind, foreign=foreign, code=code)
            )
    if document is not None and document.jurisdiction != code:
        elsewhere = Msg("plugin.document_elsewhere", document=document.jurisdiction, code=code)
        raise PluginError(plugin, elsewhere)
    seen: set[str] = set()
    for ob in obligations:
        if ob.id in seen:
            raise PluginError(plugin, Msg("plugin.duplicate_obligation", id=ob.id))
        if not ob.id.startswith(code + "."):
            raise PluginError(plugin, Msg("plugin.obligation_prefix", id=ob.id, prefix=code + "."))
        seen.add(ob.id)
    return assemble_rules(
        plugin,
        version,
        jurisdiction,
        departments,
        region_sets,
        obligations,
        document,
        clauses,
        scenarios,
        validators,
    )


def load_registry(pm: pluggy.PluginManager | None = None) -> Registry:
    """Load every registered plug-in; failures are collected in ``Registry.errors``."""
    if pm is None:
        pm = get_plugin_manager()
    registry = Registry(errors=list(getattr(pm, "xfrules_load_errors", [])))
    versions = plugin_versions(pm)
    for plugin, hooks in sorted(hooks_by_plugin(pm).items()):
        try:
            rules = load_rules(plugin, versions.get(plugin, "unknown"), hooks)
        except PluginError as exc:
            registry.errors.append(exc)
            continue
        if rules.code in registry.jurisdictions:
            other = registry.jurisdictions[rules.code].plugin
            registry.errors.append(already_provided(plugin, rules.code, other))
            continue
        registry.jurisdictions[rules.code] = rules
    return registry
