"""Start-up stays light: heavy libraries load only in the commands that use them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("duckdb", "pandas", "openpyxl", "durable", "hypothesis", "pyarrow")


def test_cli_parser_imports_no_heavy_library() -> None:
    code = (
        "import sys, xfrules, xfrules.cli; xfrules.cli.build_parser(); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
