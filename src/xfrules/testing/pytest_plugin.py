"""pytest plug-in (entry point ``pytest11``): the xfrules test kit for plug-in authors.

Configure which jurisdictions to test with one line, first match wins:

- ``--xfrules-plugin CODE`` on the command line (repeatable),
- ``$XFRULES_PLUGIN`` (comma-separated),
- ``xfrules_plugin = CODE`` in ``pytest.ini`` / ``[tool.pytest.ini_options]``;

none: every installed jurisdiction. An entry may also be ``package.module:attr`` — a plug-in
object that is imported and registered even when its distribution is not installed (a
freshly scaffolded plug-in with ``pythonpath = ["src"]``).

Fixtures: ``xfrules_registry`` (the selected jurisdictions), ``xfrules_shared_sources`` (the
folder of the documents' reference copies: fails, never skips, when it cannot be found), and
for parametrized tests
``xfrules_obligation`` (``(rules, obligation)``), ``xfrules_rules`` and ``xfrules_scenario``,
which the test functions of :mod:`xfrules.testing.suite` take.

Hypothesis profiles ``xfrules-ci`` (few examples, derandomized, no deadline; chosen when
``$CI`` is set) and ``xfrules-dev`` are always registered, so ``--hypothesis-profile
xfrules-ci`` names one; when a jurisdiction is configured and no ``--hypothesis-profile`` is
given, the matching one is loaded.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from xfrules.check import find_shared_sources
from xfrules.registry import Registry, get_plugin_manager, load_registry

__all__ = ["ScenarioCase", "register_profiles", "selected_registry"]

_REGISTRY_KEY = pytest.StashKey[Registry]()


def register_profiles(prefix: str = "xfrules-") -> str:
    """Register ``<prefix>ci`` and ``<prefix>dev`` hypothesis profiles; return the one to use."""
    from hypothesis import HealthCheck, settings

    quiet = [
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ]
    settings.register_profile(
        f"{prefix}ci",
        max_examples=5,
        deadline=None,
        derandomize=True,
        print_blob=True,
        suppress_health_check=quiet,
    )
    settings.register_profile(
        f"{prefix}dev", max_examples=10, deadline=None, suppress_health_check=quiet
    )
    return f"{prefix}ci" if os.environ.get("CI") else f"{prefix}dev"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "xfrules_plugin",
        type="linelist",
        help="xfrules jurisdiction code(s) or module:attr plug-in object(s) the xfrules suite tests",
    )
    group = parser.getgroup("xfrules")
    group.addoption(
        "--xfrules-plugin",
        action="append",
        default=None,
        metavar="CODE",
        help="test this xfrules jurisdiction (code or module:attr; repeatable)",
    )


def _selection(config: pytest.Config) -> list[str]:
    option = config.getoption("xfrules_plugin", None)
    if option:
        return list(option)
    env = os.environ.get("XFRULES_PLUGIN", "")
    if env.strip():
        return [p for p in re.split(r"[,\s]+", env) if p]
    return [str(v) for v in config.getini("xfrules_plugin")]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Registered always, and before hypothesis' own pytest_configure loads the profile
    # named by --hypothesis-profile: `pytest --hypothesis-profile xfrules-ci` must find it.
    default = register_profiles()
    if _selection(config) and not config.getoption("hypothesis_profile", None):
        from hypothesis import settings

        settings.load_profile(default)


def selected_registry(config: pytest.Config) -> Registry:
    """The jurisdictions the configuration selects, loaded once per session."""
    if _REGISTRY_KEY in config.stash:
        return config.stash[_REGISTRY_KEY]
    pm = get_plugin_manager()
    codes: list[str] = []
    names: list[str] = []
    for spec in _selection(config):
        if ":" not in spec:
            codes.append(spec)
            continue
        module_name, _, attr = spec.partition(":")
        plugin = getattr(importlib.import_module(module_name.strip()), attr.strip())
        name = pm.get_name(plugin) if pm.is_registered(plugin) else None
        if name is None:
            name = module_name.strip()
            pm.register(plugin, name=name)
        names.append(name)
    registry = load_registry(pm)
    codes += [r.code for r in registry.jurisdictions.values() if r.plugin in names]
    wanted = names + codes
    broken = [str(e) for e in registry.errors if e.plugin in wanted]
    unknown = [c for c in codes if c not in registry.jurisdictions]
    if broken or unknown:
        installed = ", ".join(sorted(registry.jurisdictions)) or "none"
        raise pytest.UsageError(
            "xfrules: cannot test the selected plug-in(s): "
            + "; ".join(
                [
                    *broken,
                    *(f"unknown jurisdiction {c!r} (installed: {installed})" for c in unknown),
                ]
            )
        )
    selected = registry.select(codes) if codes else registry
    config.stash[_REGISTRY_KEY] = selected
    return selected


@dataclass(frozen=True)
class ScenarioCase:
    """One YAML scenario of one jurisdiction, ready to run."""

    code: str
    scenario: Any
    registry: Registry

    def run(self) -> list[str]:
        from xfrules.scenarios import run_scenario

        scope = self.registry if self.scenario.jurisdictions else self.registry.select([self.code])
        return run_scenario(self.scenario, scope)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    names = set(metafunc.fixturenames)
    if not names & {"xfrules_obligation", "xfrules_rules", "xfrules_scenario"}:
        return
    registry = selected_registry(metafunc.config)
    rules_list = list(registry.jurisdictions.values())
    if "xfrules_obligation" in names:
        keep = getattr(metafunc.function, "xfrules_filter", None)
        cases = [
            pytest.param((rules, ob), id=ob.id)
            for rules in rules_list
            for ob in rules.obligations
            if keep is None or keep(ob, rules)
        ]
        metafunc.parametrize("xfrules_obligation", cases)
    if "xfrules_rules" in names:
        metafunc.parametrize("xfrules_rules", [pytest.param(r, id=r.code) for r in rules_list])
    if "xfrules_scenario" in names:
        from xfrules.registry import load_registry as _all
        from xfrules.scenarios import iter_scenarios

        everything: Registry | None = None
        params = []
        for rules in rules_list:
            for scenario in iter_scenarios(list(rules.scenario_paths)):
                scope = registry
                if scenario.jurisdictions and not set(scenario.jurisdictions) <= set(
                    registry.jurisdictions
                ):
                    everything = everything or _all()
                    scope = everything
                params.append(
                    pytest.param(
                        ScenarioCase(rules.code, scenario, scope), id=f"{rules.code}:{scenario.id}"
                    )
                )
        metafunc.parametrize("xfrules_scenario", params)


@pytest.fixture(scope="session")
def xfrules_shared_sources() -> Path:
    """``$XFRULES_SHARED_SOURCES``, else ``shared/sources`` beside the repository.

    When the reference copies cannot be found, a test comparing a shipped document with them
    fails under CI (``$CI`` set) or when ``$XFRULES_SHARED_SOURCES`` names a missing folder —
    there, skipping would let a drifted copy pass unseen — and is skipped, with the reason,
    on a machine that has only a clone of the repository (whose tests must pass there too).
    """
    folder = find_shared_sources()
    if folder is None:
        why = (
            "shared/sources not found beside the repository; set XFRULES_SHARED_SOURCES "
            "to the folder holding the documents' reference copies"
        )
        if os.environ.get("CI") or os.environ.get("XFRULES_SHARED_SOURCES"):
            pytest.fail(why)
        pytest.skip(why)
    return folder


@pytest.fixture(scope="session")
def xfrules_registry(request: pytest.FixtureRequest) -> Registry:
    """The selected jurisdiction plug-ins (every installed one by default), loaded once."""
    return selected_registry(request.config)


@pytest.fixture
def xfrules_english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test in English: messages and input errors as ``--lang en`` gives them, for the
    library (the language's context variable), the command line and the processes a test
    starts (``$XFRULES_LANG``). A module asserting English texts uses it for every test:
    ``pytestmark = pytest.mark.usefixtures("xfrules_english")``."""
    from ..i18n import use_lang

    monkeypatch.setenv("XFRULES_LANG", "en")
    with use_lang("en"):
        yield
