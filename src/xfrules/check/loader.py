"""Loading a plug-in for ``xfrules check``: every problem reported, the rest still checked.

A data plug-in is read by the parser its hooks use (:attr:`DataPlugin.data`), item by item,
and assembled by the registry's :func:`~xfrules.registry.assemble_rules`: check sees exactly
what ``load_registry`` gives the evaluator, plus the items it had to leave out. Any other
plug-in is loaded through the registry itself.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import PluginError, XfrulesError
from ..i18n import Msg, t
from ..plugin_kit import DataPlugin
from ..registry import JurisdictionRules, assemble_rules, get_plugin_manager, load_registry
from ..yamlio import YamlSyntaxError
from .problems import CheckProblem

__all__ = ["load_plugin_from_path", "load_rules_from_path", "rules_from_plugin"]


def _rules_from_data_plugin(
    plugin: DataPlugin, name: str
) -> tuple[JurisdictionRules | None, list[CheckProblem]]:
    data = plugin.data
    code = data.jurisdiction.code if data.jurisdiction is not None else name
    problems = [
        CheckProblem(
            code,
            p.item if p.item != "jurisdiction" else p.file,
            "invalid-definition",
            p.message
            if p.item == "jurisdiction"
            else t("problem.at", where=p.file, message=p.message),
        )
        for p in data.problems
    ]
    if data.jurisdiction is None:
        return None, problems
    try:
        document = plugin.xfrules_source_document()
        scenarios = tuple(plugin.xfrules_scenario_paths())
    except (ValidationError, OSError, UnicodeDecodeError) as exc:
        problems.append(CheckProblem(code, "source document", "invalid-definition", str(exc)))
        document, scenarios = None, ()
    rules = assemble_rules(
        name,
        "source",
        data.jurisdiction,
        data.departments,
        data.region_sets,
        data.obligations,
        document,
        data.clauses,
        scenarios,
    )
    return rules, problems


def rules_from_plugin(
    plugin: Any, name: str
) -> tuple[JurisdictionRules | None, list[CheckProblem]]:
    """Rules of a plug-in object: item by item for a DataPlugin, through its hooks otherwise."""
    if isinstance(plugin, DataPlugin):
        try:
            return _rules_from_data_plugin(plugin, name)
        except YamlSyntaxError as exc:  # names the file, line and column
            return None, [CheckProblem(name, Path(exc.name).name, "invalid-definition", str(exc))]
        except Exception as exc:  # anything else malformed: report, do not crash
            return None, [
                CheckProblem(name, "plug-in", "invalid-definition", f"{type(exc).__name__}: {exc}")
            ]
    pm = get_plugin_manager(load_entry_points=False)
    pm.register(plugin, name=name)
    registry = load_registry(pm)
    problems = [
        CheckProblem(name, "plug-in", "invalid-definition", str(e)) for e in registry.errors
    ]
    rules = next(iter(registry.jurisdictions.values()), None)
    if rules is None and not problems:
        problems.append(
            CheckProblem(
                name,
                "plug-in",
                "invalid-definition",
                str(PluginError(name, Msg("plugin.no_hook"))),
            )
        )
    return rules, problems


def _entry_point(path: Path) -> tuple[str, str] | None:
    """``module:attr`` of the first ``xfrules`` entry point declared in PATH/pyproject.toml."""
    import tomllib

    pyproject = path / "pyproject.toml"
    if not pyproject.is_file():
        return None
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    eps = data.get("project", {}).get("entry-points", {}).get("xfrules", {})
    for target in eps.values():
        module, _, attr = str(target).partition(":")
        return module.strip(), attr.strip() or "plugin"
    return None


def load_plugin_from_path(path: str | Path) -> tuple[Any, str, list[CheckProblem]]:
    """The plug-in object of a source tree (``PATH/pyproject.toml`` + ``PATH/src/<package>``),
    imported without installing it: ``(plugin or None, its name, problems)``."""
    root = Path(path).resolve()
    src = root / "src"
    if not src.is_dir():
        raise XfrulesError(Msg("tree.no_src", path=path))
    target = _entry_point(root)
    if target is None:
        packages = sorted(p.name for p in src.iterdir() if (p / "__init__.py").is_file())
        if len(packages) != 1:
            raise XfrulesError(Msg("tree.no_entry_point", path=path))
        target = (packages[0], "plugin")
    module_name, attr = target
    top = module_name.split(".")[0]
    for name in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
        del sys.modules[name]  # a copy imported from elsewhere must not shadow this tree
    sys.path.insert(0, str(src))
    try:
        module = importlib.import_module(module_name)
        plugin = getattr(module, attr)
    except Exception as exc:
        return (
            None,
            top,
            [
                CheckProblem(
                    top,
                    "plug-in",
                    "invalid-definition",
                    str(
                        Msg(
                            "chk.cannot_import",
                            target=f"{module_name}:{attr}",
                            error=f"{type(exc).__name__}: {exc}",
                        )
                    ),
                )
            ],
        )
    finally:
        sys.path.remove(str(src))
    module_file = Path(getattr(module, "__file__", "") or "").resolve()
    if src not in module_file.parents:
        raise XfrulesError(
            Msg("tree.imported_elsewhere", path=path, module=module_name, file=module_file)
        )
    return plugin, top, []


def load_rules_from_path(path: str | Path) -> tuple[JurisdictionRules | None, list[CheckProblem]]:
    """Load a plug-in source tree (``PATH/pyproject.toml`` + ``PATH/src/<package>``) without installing it."""
    plugin, name, problems = load_plugin_from_path(path)
    if plugin is None:
        return None, problems
    return rules_from_plugin(plugin, name)
