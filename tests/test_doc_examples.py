"""The code blocks of docs/monitor.md and README.md's Python example run as written.

In docs/monitor.md every fenced block is one of: a file the examples read (```yaml
file=units.yaml``), a ```sh block (each line a command, run in a fresh folder holding those
files), a ```python block (run there too), or the ```text output`` that the block before it
prints, compared exactly. A block of any other kind fails the test, so no example goes
untested; an example that no longer runs (a metric no rule reads, a name defined nowhere)
or prints something else fails here instead of in a reader's hands.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MONITOR_DOC = ROOT / "docs" / "monitor.md"
README = ROOT / "README.md"

_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    lang: str
    options: tuple[str, ...]
    body: str
    line: int

    @property
    def file(self) -> str | None:
        return next((o.split("=", 1)[1] for o in self.options if o.startswith("file=")), None)


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        lang, *options = m.group("info").split() or [""]
        out.append(Block(lang, tuple(options), m.group("body"), text.count("\n", 0, m.start()) + 1))
    return out


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "XFRULES_"))}
    # The xfrules command of this interpreter's environment, as a reader's shell finds it.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _examples(path: Path) -> tuple[dict[str, str], list[tuple[Block, str | None]]]:
    """The files the examples read, and each runnable block with the output it promises."""
    files: dict[str, str] = {}
    runnable: list[tuple[Block, str | None]] = []
    found = blocks(path)
    for i, block in enumerate(found):
        if block.file:
            files[block.file] = block.body
        elif block.lang in ("sh", "python"):
            after = found[i + 1] if i + 1 < len(found) else None
            promised = after.body if after is not None and "output" in after.options else None
            runnable.append((block, promised))
        elif not (block.lang == "text" and "output" in block.options):
            pytest.fail(f"{path.name}:{block.line}: a ```{block.lang} block no test runs")
    return files, runnable


def _run(block: Block, folder: Path) -> str:
    """Run one block in ``folder``; its stdout (commands may exit 1: something non-compliant)."""
    where = f"{block.lang} block at line {block.line}"
    if block.lang == "python":
        script = folder / "example.py"
        script.write_text(block.body, encoding="utf-8")
        commands = [[sys.executable, str(script)]]
        allowed = {0}
    else:
        commands = [
            ["bash", "-c", line]
            for line in block.body.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        allowed = {0, 1}  # 1: a mandatory finding is non-compliant, as the examples show
    stdout = []
    for command in commands:
        result = subprocess.run(
            command, cwd=folder, env=_env(), capture_output=True, text=True, timeout=300
        )
        shown = shlex.join(command) if block.lang == "python" else command[-1]
        assert result.returncode in allowed, (
            f"{where}: `{shown}` exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
        assert "Traceback" not in result.stderr and "rejected" not in result.stderr, (
            f"{where}: `{shown}`\n{result.stderr}"
        )
        stdout.append(result.stdout)
    return "".join(stdout)


def _monitor_cases() -> list[tuple[Block, str | None]]:
    return _examples(MONITOR_DOC)[1]


@pytest.mark.parametrize(
    ("block", "promised"),
    [pytest.param(b, p, id=f"{b.lang}@{b.line}") for b, p in _monitor_cases()],
)
def test_monitor_doc_examples_run_as_written(
    block: Block, promised: str | None, tmp_path: Path
) -> None:
    files, _ = _examples(MONITOR_DOC)
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    out = _run(block, tmp_path)
    if promised is not None:
        assert out == promised, f"the block at line {block.line} printed:\n{out}"


def test_monitor_doc_has_runnable_examples() -> None:
    """The parametrization above is not empty: the doc's examples are found."""
    files, runnable = _examples(MONITOR_DOC)
    assert {"units.yaml", "events.jsonl"} <= set(files)
    assert {b.lang for b, _ in runnable} == {"sh", "python"}
    assert all(promised for _, promised in runnable)


def test_readme_python_example_runs() -> None:
    """README.md's "From Python" example, run from the repository root as its paths assume."""
    (example,) = [b for b in blocks(README) if b.lang == "python"]
    result = subprocess.run(
        [sys.executable, "-c", example.body],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    # The sample's promise (tests/test_examples.py): sz-edu misses the 10% share by 90,000 元.
    assert "sz-edu suzhou.canteen_national_poverty_share non_compliant 90000.00\n" in result.stdout
