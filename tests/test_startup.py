"""Start-up stays light: heavy libraries load only in the commands that use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("duckdb", "pandas", "openpyxl", "durable", "hypothesis", "pyarrow")
# Building the parser (``xfrules --help``) needs none of the rules' models: pydantic's model
# machinery and the plug-in system load with the commands that read rules.
MODELS = ("pydantic.main", "xfrules.obligations", "xfrules.registry", "importlib.metadata", "yaml")
# The rules' models and what validates them.
RULES = ("xfrules.kinds", "xfrules.entities", "xfrules.documents", "pydantic_core.core_schema")


def test_cli_parser_imports_no_heavy_library() -> None:
    code = (
        "import sys, xfrules, xfrules.cli; xfrules.cli.build_parser(); "
        f"print(sorted(m for m in {HEAVY + MODELS!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_package_still_offers_its_names() -> None:
    import xfrules

    assert all(getattr(xfrules, name) is not None for name in xfrules.__all__)
    assert xfrules.__version__ and set(xfrules.__all__) <= set(dir(xfrules))
    with pytest.raises(AttributeError):
        _ = xfrules.no_such_name  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "module",
    [
        "xfrules.findings",
        "xfrules.periods",
        "xfrules.filters",
        "xfrules.kinds.base",
        "xfrules.report.model",
        "xfrules.facts",
        "xfrules.monitor",
        "xfrules.batch",
    ],
)
def test_a_module_imports_first(module: str) -> None:
    # ``import xfrules`` imports nothing eagerly, so no import cycle is hidden by the order
    # in which the package used to load its modules.
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)


def test_version_option() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "xfrules", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("xfrules ") and out.stderr == ""


def test_status_choices_are_the_statuses() -> None:
    from xfrules.commands._common import STATUSES
    from xfrules.findings import Status

    assert tuple(s.value for s in Status) == STATUSES


def test_plugins_from_a_warm_cache_builds_no_model(tmp_path: Path) -> None:
    # ``xfrules plugins`` lists each plug-in from its cached summary: once the cache is warm it
    # validates nothing, so neither pydantic's models nor the rules' nor the YAML parser load;
    # and it prints what validating everything prints. (It finds the plug-ins' entry points
    # through importlib.metadata.)
    unneeded = tuple(m for m in HEAVY + MODELS + RULES if m != "importlib.metadata")
    code = (
        "import sys; from xfrules.cli import main; main(['plugins', '--format', 'json']); "
        f"print(sorted(m for m in {unneeded!r} if m in sys.modules), file=sys.stderr)"
    )

    def plugins(cache: str) -> tuple[str, str]:
        env = {**os.environ, "XFRULES_CACHE": cache}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        return out.stdout, out.stderr.strip()

    validated, cold = plugins(str(tmp_path / "cache"))
    assert "xfrules.obligations" in cold  # the first listing validates, and caches
    warm_output, warm = plugins(str(tmp_path / "cache"))
    assert warm == "[]"
    uncached, _ = plugins("off")
    assert warm_output == validated == uncached
    assert len(json.loads(warm_output)["plugins"]) >= 5
