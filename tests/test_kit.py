"""The plug-in author's test kit (``xfrules.testing``) as an author runs it: pytest in a subprocess."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from subprocess_pytest import run_pytest

_PROBE = """
from hypothesis import settings


def test_profile():
    s = settings.default
    print(f"PROFILE max_examples={s.max_examples} derandomize={s.derandomize}")
"""


def _pytest(
    folder: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_pytest(folder, "-q", "-s", *args, extra_env=extra_env)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("xfrules-ci", "max_examples=5 derandomize=True"),
        ("xfrules-dev", "max_examples=10 derandomize=False"),
    ],
)
@pytest.mark.parametrize("configured", [True, False], ids=["plugin-configured", "bare"])
def test_kit_profiles_can_be_named_on_the_command_line(
    tmp_path: Path, profile: str, expected: str, configured: bool
) -> None:
    """`pytest --hypothesis-profile xfrules-ci` loads the kit's profile (was: not registered)."""
    (tmp_path / "test_probe.py").write_text(_PROBE, encoding="utf-8")
    ini = "[pytest]\n" + ("xfrules_plugin = suzhou\n" if configured else "")
    (tmp_path / "pytest.ini").write_text(ini, encoding="utf-8")
    result = _pytest(tmp_path, "--hypothesis-profile", profile)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"PROFILE {expected}" in result.stdout


_SHARED_PROBE = """
import xfrules.testing.pytest_plugin as kit

kit.find_shared_sources = lambda: None  # as on a machine holding only a clone


def test_copy(xfrules_shared_sources):
    assert xfrules_shared_sources.is_dir()
"""


@pytest.mark.parametrize(
    ("env", "outcome"),
    [
        ({}, "1 skipped"),
        ({"CI": "1"}, "1 error"),
        ({"XFRULES_SHARED_SOURCES": "/nowhere"}, "1 error"),
    ],
    ids=["clone-only", "ci", "named-but-missing"],
)
def test_missing_reference_copies_skip_only_outside_ci(
    tmp_path: Path, env: dict[str, str], outcome: str
) -> None:
    (tmp_path / "test_probe.py").write_text(_SHARED_PROBE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    result = _pytest(tmp_path, "-rs", extra_env=env)
    assert outcome in result.stdout, result.stdout + result.stderr
    assert "shared/sources not found" in result.stdout
