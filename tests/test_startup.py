"""Start-up stays light: heavy libraries load only in the commands that use them."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("duckdb", "pandas", "openpyxl", "durable", "hypothesis", "pyarrow")
# Building the parser (``xfrules --help``) needs none of the rules' models: pydantic's model
# machinery and the plug-in system load with the commands that read rules.
MODELS = ("pydantic.main", "xfrules.obligations", "xfrules.registry", "importlib.metadata", "yaml")


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
