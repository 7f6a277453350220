"""``xfrules new-plugin``: a fresh scaffold passes ``xfrules check`` and ``pytest`` with no edits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from subprocess_pytest import run_pytest

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
    assert "已检查 hangzhou：错误 0 项，警告 0 项" in capsys.readouterr().out
    assert main(["check", str(scaffolded), "--lang", "en"]) == 0
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


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_refuses_bad_names_and_existing_folders(
    tmp_path: Path, scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-plugin", "Hang-Zhou", "--dir", str(tmp_path)]) == 2
    assert main(["new-plugin", "hangzhou", "--dir", str(scaffolded.parent)]) == 2
    assert "not empty" in capsys.readouterr().err


def _collect(folder: Path, *args: str, env_extra: dict[str, str] | None = None) -> str:
    """``pytest --collect-only`` output (stdout and stderr)."""
    result = run_pytest(folder, "--collect-only", "-q", *args, extra_env=env_extra)
    return result.stdout + result.stderr


def test_kit_selects_jurisdictions_by_option_and_environment(tmp_path: Path) -> None:
    """One line (`--xfrules-plugin`, $XFRULES_PLUGIN or the ini option) picks what the suite tests."""
    (tmp_path / "test_kit.py").write_text(
        "from xfrules.testing.suite import *  # noqa: F403\n", encoding="utf-8"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    by_option = _collect(tmp_path, "--xfrules-plugin", "suzhou")
    assert "test_rules_are_consistent[suzhou]" in by_option
    assert "suzhou.canteen_national_poverty_share" in by_option
    assert "[tianjin" not in by_option and "tianjin." not in by_option
    by_env = _collect(tmp_path, env_extra={"XFRULES_PLUGIN": "suzhou"})
    assert by_env.count("test_rules_are_consistent[") == 1
    (tmp_path / "pytest.ini").write_text("[pytest]\nxfrules_plugin = suzhou\n", encoding="utf-8")
    assert _collect(tmp_path).count("test_rules_are_consistent[") == 1
    unknown = _collect(tmp_path, "--xfrules-plugin", "atlantis")
    assert "unknown jurisdiction 'atlantis'" in unknown


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_refuses_a_code_an_installed_plugin_uses_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`new-plugin suzhou` would scaffold a second plug-in for an installed jurisdiction."""
    assert main(["new-plugin", "suzhou", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "already installed" in err and "xfrules-suzhou" in err and "--force" in err
    assert not (tmp_path / "suzhou").exists()
    assert main(["new-plugin", "suzhou", "--dir", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "suzhou" / "src" / "xfrules_suzhou" / "obligations.yaml").is_file()


def test_a_strict_comparator_where_the_quote_says_inclusive_fails_check(
    scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example obligation quotes 不少于10万元: `>` instead of `>=` is an error naming it
    (the property suite alone cannot see it: it tests inclusive bounds only where encoded)."""
    rules = scaffolded / "src" / "xfrules_hangzhou" / "obligations.yaml"
    text = rules.read_text(encoding="utf-8")
    assert 'comparator: ">="' in text
    rules.write_text(text.replace('comparator: ">="', 'comparator: ">"'), encoding="utf-8")
    assert main(["check", str(scaffolded)]) == 1
    out = capsys.readouterr().out
    assert "threshold-comparator" in out and "'不少于'" in out and "'>='" in out
