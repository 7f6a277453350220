"""Benchmark: importing a ledger whose rows are often rejected, reasons rendered per row.

    python benchmarks/bench_rejects.py --before ../main/.venv/bin/python
    python benchmarks/bench_rejects.py --rows 200000 --repeat 5

A CSV ledger of ``--rows`` rows, half of them rejected (a third of those with three bad
cells: amount, date and region), imported by ``stream_ledgers`` with every rejected row
written to a rejects file — the path where each reason is a catalog message rendered in the
current language (xfrules.i18n.Msg). Kinds, each in its own subprocess, rounds alternating,
best kept: ``zh`` and ``en`` (this checkout, Chinese and English reasons) and, with
``--before PYTHON``, ``before`` (another checkout, e.g. main before the change: English
reasons made as plain text). Prints seconds, µs per rejected row and the ratio to ``en``
(or to ``before``). Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, sys, time
from xfrules.i18n import use_lang
from xfrules.ledger.importer import stream_ledgers
path, lang = sys.argv[1], sys.argv[2]
with open(sys.argv[3], "w", encoding="utf-8-sig", newline="") as out:
    start = time.perf_counter()
    with use_lang(lang):
        result = stream_ledgers([path], rejects=out, keep_problems=20)
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rejected": result.rejected}))
"""


def write_ledger(path: Path, rows: int) -> None:
    rng = random.Random(20201231)
    lines = ["买方,金额,交易时间,产地"]
    for i in range(rows):
        r = rng.random()
        if r < 0.5:
            lines.append(f"u1,{i % 1000}.50,2020-05-01,520621")
        elif r < 0.83:
            lines.append(f"u1,一百{i},2020-05-01,520621")
        else:
            lines.append(f"u1,12.001,2020-13-01,99010{i % 10}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(python: str, ledger: Path, lang: str, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [python, "-c", CHILD, str(ledger), lang, str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", help="another checkout's python (English, plain text)")
    args = parser.parse_args()
    kinds = {"zh": (sys.executable, "zh"), "en": (sys.executable, "en")}
    if args.before:
        kinds["before"] = (args.before, "en")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "ledger.csv"
        write_ledger(ledger, args.rows)
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):
            for kind, (python, lang) in kinds.items():
                got = measure(python, ledger, lang, Path(tmp) / f"{kind}.csv")
                if kind not in best or got["seconds"] < best[kind]["seconds"]:
                    best[kind] = got
    base = best["before" if args.before else "en"]["seconds"]
    for kind, got in best.items():
        per_row = got["seconds"] / got["rejected"] * 1e6
        print(
            f"{kind:7} {got['seconds']:7.3f} s  {per_row:6.2f} µs/rejected row  "
            f"{got['rejected']:,.0f} rejected  ratio {got['seconds'] / base:.2f}"
        )


if __name__ == "__main__":
    main()
