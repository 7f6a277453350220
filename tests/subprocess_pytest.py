"""pytest in a subprocess, as a plug-in author runs it: none of this run's settings leak in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# This run's own choices (a selected plug-in, CI strictness, a reference-copy folder) would
# otherwise decide what the author's run does.
_OURS = ("PYTEST_", "XFRULES_PLUGIN", "XFRULES_SHARED")


def run_pytest(
    folder: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS) and k != "CI"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=env | (extra_env or {}),
        capture_output=True,
        text=True,
        timeout=300,
    )
