"""``xfrules new-plugin``: a fresh scaffold passes ``xfrules check`` and ``pytest`` with no edits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xfrules.cli import main


def _pytest(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the scaffold's own test suite as its author would: ``pytest`` in its folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "XFRULES_PLUGIN"))}
    env["CI"] = "1"  # the kit's derandomized, small hypothesis profile
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def scaffolded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["new-plugin", "hangzhou", "--dir", str(tmp_path), "--title", "杭州市"]) == 0
    assert "created" in capsys.readouterr().out
    return tmp_path / "hangzhou"


def test_scaffold_layout(scaffolded: Path) -> None:
    pkg = scaffolded / "src" / "xfrules_hangzhou"
    for name in (
        "__init__.py",
        "jurisdiction.yaml",
        "obligations.yaml",
        "clauses.yaml",
        "source.txt",
    ):
        assert (pkg / name).is_file(), name
    assert list((pkg / "scenarios").glob("*.yaml"))
    assert (scaffolded / "README.md").is_file()
    assert "xfrules_plugin" in (scaffolded / "pyproject.toml").read_text(encoding="utf-8")
    assert "杭州市" in (pkg / "jurisdiction.yaml").read_text(encoding="utf-8")
    assert not list(scaffolded.rglob("*.tmpl"))
    assert "${" not in "".join(
        p.read_text(encoding="utf-8") for p in scaffolded.rglob("*") if p.is_file()
    )


def test_fresh_scaffold_passes_check_and_pytest(
    scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(scaffolded)]) == 0
    assert "checked hangzhou: 0 errors, 0 warnings" in capsys.readouterr().out
    result = _pytest(scaffolded)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout
    # The property suite, the scenarios and the check all ran over the example obligation.
    assert "hangzhou.annual_procurement" in _pytest_ids(scaffolded)


def _pytest_ids(folder: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    assert "test_scenario[hangzhou:" in out and "test_rules_are_consistent[hangzhou]" in out, out
    return out


def test_a_wrong_threshold_in_the_scaffold_fails_check_and_tests(
    scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = scaffolded / "src" / "xfrules_hangzhou" / "obligations.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace('value: "100000"', 'value: "100001"'),
        encoding="utf-8",
    )
    assert main(["check", str(scaffolded)]) == 1
    assert "threshold-quote" in capsys.readouterr().out
    result = _pytest(scaffolded)
    assert result.returncode == 1
    assert "test_scenario" in result.stdout and "test_rules_are_consistent" in result.stdout


def test_refuses_bad_names_and_existing_folders(
    tmp_path: Path, scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-plugin", "Hang-Zhou", "--dir", str(tmp_path)]) == 2
    assert main(["new-plugin", "hangzhou", "--dir", str(scaffolded.parent)]) == 2
    assert "not empty" in capsys.readouterr().err
