"""The plug-in manager: xfrules' hookspecs, the installed entry points, each plug-in's hooks.

Kept free of the rules' models, so that finding and calling the plug-ins costs only pluggy:
:mod:`xfrules.registry` validates what the hooks return, and ``xfrules plugins`` can list
plug-ins whose validated summary is cached (:mod:`xfrules.plugin_listing`) without building
any model.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .errors import PluginError
from .hookspecs import ReportValidator
from .i18n import Msg

__all__ = [
    "ENTRY_POINT_GROUP",
    "HOOKS",
    "already_provided",
    "as_list",
    "code_hooks",
    "get_plugin_manager",
    "hooks_by_plugin",
    "plugin_versions",
]

ENTRY_POINT_GROUP = "xfrules"

HOOKS = (
    "jurisdiction",
    "departments",
    "region_sets",
    "obligations",
    "source_document",
    "clauses",
    "scenario_paths",
    "report_validators",
)


def get_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with xfrules' hookspecs and every ``xfrules`` entry point.

    Entry points are loaded one name at a time through pluggy's own
    ``load_setuptools_entrypoints`` (so pluggy records each plug-in's distribution): an entry
    point that fails to import does not stop the others, and its error is kept in
    ``pm.xfrules_load_errors``.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    errors: list[PluginError] = []
    if load_entry_points:
        names = sorted(
            {
                ep.name
                for dist in importlib.metadata.distributions()
                for ep in dist.entry_points
                if ep.group == ENTRY_POINT_GROUP
            }
        )
        for name in names:
            try:
                pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)
            except Exception as exc:  # any failure of third-party code is isolated
                failed = Msg("plugin.load_failed", error=f"{type(exc).__name__}: {exc}")
                errors.append(PluginError(name, failed))
    pm.xfrules_load_errors = errors  # type: ignore[attr-defined]
    return pm


def plugin_versions(pm: pluggy.PluginManager) -> dict[str, str]:
    """Each plug-in's distribution version, as pluggy recorded it when loading it."""
    return {
        name: dist.version
        for plugin, dist in pm.list_plugin_distinfo()
        if (name := pm.get_name(plugin)) is not None
    }


def hooks_by_plugin(pm: pluggy.PluginManager) -> dict[str, dict[str, Callable[[], Any]]]:
    """For each plug-in, a caller of each hook it implements, through ``pm.hook`` restricted
    to that plug-in (pluggy's subset caller), so one plug-in's answer is its own and a
    failure is its own."""
    out: dict[str, dict[str, Callable[[], Any]]] = {}
    plugins = pm.get_plugins()
    for hook in HOOKS:
        caller = getattr(pm.hook, f"xfrules_{hook}")
        for impl in caller.get_hookimpls():
            others = [p for p in plugins if p is not impl.plugin]
            subset = pm.subset_hook_caller(f"xfrules_{hook}", remove_plugins=others)
            out.setdefault(impl.plugin_name, {})[hook] = _first_result(subset)
    return out


def _first_result(caller: Any) -> Callable[[], Any]:
    """The one plug-in's result of a hook called through its subset caller."""

    def call() -> Any:
        results = caller()
        return results[0] if results else None

    return call


def as_list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | tuple | list):
        raise TypeError(f"xfrules_{what} must return a sequence, got {type(value).__name__}")
    return list(value)


def code_hooks(
    hooks: Mapping[str, Callable[[], Any]],
) -> tuple[tuple[Path, ...], dict[str, ReportValidator]]:
    """The hooks that return code and paths rather than rules data (scenario paths, report
    validators), called and checked; what they raise is the caller's to report."""
    scenarios = tuple(
        Path(p) for p in as_list(hooks.get("scenario_paths", lambda: [])(), "scenario_paths")
    )
    validators = dict(hooks.get("report_validators", dict)() or {})
    if not all(isinstance(k, str) and callable(v) for k, v in validators.items()):
        raise TypeError("xfrules_report_validators must map report keys to callables")
    return scenarios, validators


def already_provided(plugin: str, code: str, other: str) -> PluginError:
    """The error of a plug-in whose jurisdiction an earlier plug-in (by name) provides."""
    return PluginError(plugin, Msg("plugin.already_provided", code=code, other=other))
