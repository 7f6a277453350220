"""The plug-in author's test kit (``xfrules.testing``) as an author runs it: pytest in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_PROBE = """
from hypothesis import settings


def test_profile():
    s = settings.default
    print(f"PROFILE max_examples={s.max_examples} derandomize={s.derandomize}")
"""


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "XFRULES_PLUGIN")) and k != "CI"
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


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
