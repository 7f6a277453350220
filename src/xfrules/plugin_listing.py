"""What ``xfrules plugins`` lists, from a cache of each plug-in's validated summary.

Listing the installed plug-ins needs, of each, only its jurisdiction's code, name and
document number and how many obligations (mandatory ones) and departments it declares.
Validating the rules to count them costs building every model's validator, several times
the start-up of Python with pydantic; so the summary of a data plug-in that loaded without
error is kept and read back — with no model imported — as long as nothing it was made from
has changed. Its key covers all of that:

- the text of every data file the plug-in reads (:meth:`~xfrules.plugin_kit.DataPlugin.data_seal`):
  a changed, added or removed file is another key;
- the code that reads and validates them: the size and modification time of every module
  of xfrules and of the plug-in's package (as Python's own bytecode cache trusts them), and
  of pydantic, pydantic-core and PyYAML (an upgrade rewrites them); Python's version;
- the plug-in's package and options.

Only plain :class:`~xfrules.plugin_kit.DataPlugin` objects are summarised from the cache:
a subclass that overrides how the rules are read, a plug-in written in code, or a process
where an obligation kind was registered or removed is loaded and validated as
:func:`xfrules.registry.load_registry` does. The hooks that return code (scenario paths,
report validators) are called and checked every time. A plug-in that fails is never cached:
it is loaded in full, so its error is the registry's own.

The summaries sit beside the parsed-YAML cache (:mod:`xfrules.yamlcache`, section
``plugins``), stored as JSON in a directory of the user's own; ``XFRULES_CACHE=off`` turns
both off.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PluginError
from .i18n import Msg
from .plugin_kit import DataPlugin
from .plugin_manager import (
    already_provided,
    code_hooks,
    get_plugin_manager,
    hooks_by_plugin,
    plugin_versions,
)
from .yamlcache import cache_dir, read_entry, write_entry

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import pluggy

    from .registry import JurisdictionRules

__all__ = ["PluginListing", "PluginSummary", "list_plugins", "summarise", "summary_key"]

# Bumped whenever what a summary holds, or how it is made, changes.
_SUMMARY_VERSION = "xfrules.plugin_listing/1"
# Hooks a DataPlugin's subclass may override and still be listed from the cache: they return
# code and paths, not rules data, and are called every time.
_CALLED_EVERY_TIME = frozenset({"xfrules_scenario_paths", "xfrules_report_validators"})


@dataclass(frozen=True)
class PluginSummary:
    """One loaded plug-in as ``xfrules plugins`` lists it."""

    plugin: str
    version: str
    code: str
    name: str
    document: str
    obligations: int
    mandatory: int
    departments: int


@dataclass
class PluginListing:
    """The plug-ins that load, by jurisdiction (in the registry's order), and the errors of
    those that do not (as :class:`~xfrules.registry.Registry` reports them)."""

    plugins: dict[str, PluginSummary] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)


def list_plugins(pm: pluggy.PluginManager | None = None) -> PluginListing:
    """Every registered plug-in summarised, as :func:`~xfrules.registry.load_registry` would
    load it: the same plug-ins, the same errors, in the same order."""
    if pm is None:
        pm = get_plugin_manager()
    listing = PluginListing(errors=list(getattr(pm, "xfrules_load_errors", [])))
    versions = plugin_versions(pm)
    for plugin, hooks in sorted(hooks_by_plugin(pm).items()):
        try:
            summary = _summary(
                pm.get_plugin(plugin), plugin, versions.get(plugin, "unknown"), hooks
            )
        except PluginError as exc:
            listing.errors.append(exc)
            continue
        if summary.code in listing.plugins:
            listing.errors.append(
                already_provided(plugin, summary.code, listing.plugins[summary.code].plugin)
            )
            continue
        listing.plugins[summary.code] = summary
    return listing


def _summary(
    obj: object, plugin: str, version: str, hooks: Mapping[str, Callable[[], Any]]
) -> PluginSummary:
    try:
        key = summary_key(obj) if isinstance(obj, DataPlugin) else None
    except Exception:  # a subclass's own attributes are third-party code: loaded in full
        key = None
    folder = cache_dir("plugins") if key is not None else None
    if key is not None and folder is not None:
        found, data = read_entry(folder, key)
        if found and _is_summary(data):
            try:
                code_hooks(hooks)
            except Exception as exc:  # as the registry reports it
                failed = Msg("plugin.hook_failed", error=f"{type(exc).__name__}: {exc}")
                raise PluginError(plugin, failed) from exc
            return PluginSummary(plugin=plugin, version=version, **data)
    from .registry import load_rules

    summary = summarise(load_rules(plugin, version, hooks))
    if key is not None and folder is not None:
        data = asdict(summary)
        del data["plugin"], data["version"]  # the entry point's, looked up every time
        write_entry(folder, key, data)
    return summary


_TEXTS = ("code", "name", "document")
_COUNTS = ("obligations", "mandatory", "departments")


def _is_summary(data: object) -> bool:
    """Whether a cache entry holds a summary as this module writes it (else made again)."""
    return (
        isinstance(data, dict)
        and set(data) == {*_TEXTS, *_COUNTS}
        and all(isinstance(data[k], str) for k in _TEXTS)
        and all(type(data[k]) is int and data[k] >= 0 for k in _COUNTS)
    )


def summarise(rules: JurisdictionRules) -> PluginSummary:
    """What ``xfrules plugins`` lists of loaded rules."""
    return PluginSummary(
        plugin=rules.plugin,
        version=rules.version,
        code=rules.code,
        name=rules.jurisdiction.name,
        document=rules.jurisdiction.document_number,
        obligations=len(rules.obligations),
        mandatory=sum(1 for o in rules.obligations if o.modality == "mandatory"),
        departments=len(rules.departments),
    )


def summary_key(plugin: DataPlugin) -> str | None:
    """The cache key of a data plug-in's summary (see the module's docstring); None when it
    must be loaded in full."""
    if not _reads_as_data_plugin(plugin) or _kinds_changed():
        return None
    package_dir = _package_dir(plugin.package)
    if package_dir is None:
        return None
    try:
        parts = (_SUMMARY_VERSION, _code_fingerprint(), _modules_signature(package_dir))
        data = plugin.data_seal()
    except (OSError, ValueError):  # not there, not readable, not UTF-8
        return None  # loaded in full, which reports it as the registry does
    return hashlib.sha256(repr((*parts, data)).encode()).hexdigest()


def _reads_as_data_plugin(plugin: DataPlugin) -> bool:
    """Whether ``plugin`` reads its rules exactly as DataPlugin does: no class between it and
    DataPlugin overrides anything DataPlugin defines but the hooks called every time, and no
    attribute of the object itself stands in for one."""
    own = {name for name in vars(DataPlugin) if not name.startswith("__")} - _CALLED_EVERY_TIME
    for cls in type(plugin).__mro__:
        if cls is DataPlugin:
            break
        if own & set(vars(cls)):
            return False
    return set(vars(plugin)) <= {"package", "_source_filename", "data"}


def _kinds_changed() -> bool:
    """Whether an obligation kind was registered or removed in this process (the union that
    validates obligations is then another): only the built-in kinds are cached for."""
    kinds = sys.modules.get("xfrules.kinds")
    return kinds is not None and not kinds.builtin_kinds_only()


_fingerprint: list[str] = []
# The packages, besides xfrules, whose code reads the data: pydantic, its core, the YAML
# parser (each stands for its distribution: an upgrade rewrites its __init__).
_LIBRARIES = ("pydantic", "pydantic_core", "yaml")


def _code_fingerprint() -> str:
    """xfrules' modules, Python's version and the libraries that parse and validate the data
    (pydantic, pydantic-core, PyYAML: their modules' size and modification time, which an
    upgrade or a reinstall changes; looked up without importing them)."""
    if not _fingerprint:
        import importlib.util

        libraries = []
        for name in _LIBRARIES:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            info = os.stat(origin) if origin else None
            libraries.append((name, origin, info and (info.st_size, info.st_mtime_ns)))
        _fingerprint.append(
            repr((sys.version, libraries, _modules_signature(Path(__file__).parent)))
        )
    return _fingerprint[0]


def _package_dir(package: str) -> Path | None:
    module = sys.modules.get(package)
    location = getattr(module, "__file__", None)
    return Path(location).parent if location else None


def _modules_signature(folder: Path) -> str:
    """Every Python module under ``folder``: its path, size and modification time."""
    found: list[tuple[str, int, int]] = []
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    pending.append(Path(entry.path))
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    found.append((entry.path, info.st_size, info.st_mtime_ns))
    return repr(sorted(found))
