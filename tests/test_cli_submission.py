"""``xfrules submission``: a report's annex files validated through the plug-in's hook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "plugins" / "datonghu" / "examples"
XFRULES = shutil.which("xfrules", path=str(Path(sys.executable).parent)) or "xfrules"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [XFRULES, "submission", *args], capture_output=True, text=True, check=False
    )


def test_valid_annexes() -> None:
    out = run(
        "-j",
        "datonghu",
        f"annex1={EXAMPLES / '附件1_2020-05.csv'}",
        f"annex2={EXAMPLES / '附件2_2020-05.csv'}",
        "--period",
        "2020-05",
        "--delivered",
        "2020-05-28",
    )
    assert out.returncode == 0, out.stderr
    assert "valid" in out.stdout


def test_bad_id_number_is_located_and_masked(tmp_path: Path) -> None:
    original = (EXAMPLES / "附件1_2020-05.csv").read_text(encoding="utf-8")
    raw_id = next(
        line.split(",")[1]
        for line in original.splitlines()
        if line.count(",") >= 3 and line[0] != "姓"
    )
    broken = raw_id[:-1] + ("0" if raw_id[-1] != "0" else "1")
    bad = tmp_path / "annex1.csv"
    bad.write_bytes(original.replace(raw_id, broken, 1).encode("gbk"))
    out = run(
        "-j",
        "datonghu",
        f"annex1={bad}",
        f"annex2={EXAMPLES / '附件2_2020-05.csv'}",
        "--period",
        "2020-05",
        "--delivered",
        "2020-05-28",
    )
    assert out.returncode == 2
    assert f"{bad}, row 4, field '身份证'" in out.stderr and "check digit" in out.stderr
    assert broken not in out.stderr + out.stdout and "Traceback" not in out.stderr


def test_missing_file_name_and_unknown_report() -> None:
    out = run(
        "-j",
        "datonghu",
        f"annex1={EXAMPLES / '附件1_2020-05.csv'}",
        "--period",
        "2020-05",
        "--delivered",
        "2020-05-28",
    )
    assert out.returncode == 2 and "annex2" in out.stderr
    out = run("-j", "suzhou", "annex1=x.csv", "--period", "2020-05", "--delivered", "2020-05-28")
    assert out.returncode == 2 and "validators found: none" in out.stderr
