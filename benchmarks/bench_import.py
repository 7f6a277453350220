"""Benchmark: the streaming ledger import, and what an in-memory evaluation costs after it.

    python benchmarks/bench_import.py                          # 100k and 1M rows
    python benchmarks/bench_import.py --rows 1e6 --repeat 3 --workdir benchmarks/data

On the CSV ledgers of ``bench_batch.py`` (7 columns, Chinese headers, every row valid), each
measurement in its own subprocess (its own peak RSS), rounds alternating the kinds, best kept:

- floor: Python's ``csv.reader`` over the file, doing nothing with the rows — no Python
  reader of the file can be faster;
- import: ``xfrules ledger import LEDGER --facts UNITS`` (the command, start-up included):
  every cell read and checked by the ledger rules, rejected rows written as they come;
- import --out: the same, writing every accepted transaction as a JSON line;
- memory: the ``memory`` backend's evaluation (``xfrules.ledger.evaluate.MemoryBackend``) with
  the two obligations of ``bench_batch.py``: the same streaming import, but the accepted
  transactions are kept for the evaluator, and then evaluated.

Prints wall and CPU seconds, peak RSS, µs per row, and the ratios in one run: time over the
floor, and each kind's peak RSS at the largest size over its RSS at the smallest (1.0:
memory flat in the rows). Targets (issue 17): a 1M-row CSV imported in ≤ 10 s and ≤ 300 MB,
memory flat in rows. Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_batch

KINDS = ("floor", "import", "import --out", "memory")


def child_floor(path: str) -> None:
    import csv

    n = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for _ in csv.reader(fh):
            n += 1
    print(json.dumps({"rows": n - 1}))


def child_memory(path: str, facts_path: str) -> None:
    from datetime import date

    from xfrules.facts import load_facts
    from xfrules.ledger.evaluate import MemoryBackend
    from xfrules.obligations import obligation_adapter
    from xfrules.rulebook import prepare

    obligations = [obligation_adapter.validate_python(o) for o in bench_batch.obligations_spec()]
    codes = frozenset(bench_batch.origins()[: bench_batch.PAIRED])
    rules = prepare(
        load_facts(facts_path), obligations=obligations, region_sets={("bench", "paired"): codes}
    )
    res = MemoryBackend().evaluate(rules, [path], date(2020, 12, 31))
    print(json.dumps({"rows": res.rows_read, "findings": len(res.evaluation.findings)}))


def measure(
    kind: str, path: Path, facts: Path, out: Path, before: str | None = None
) -> dict[str, Any]:
    if kind == "floor":
        cmd = [sys.executable, __file__, "--child", "floor", str(path), ""]
    elif kind in ("memory", "memory-before"):
        python = before if kind == "memory-before" and before else sys.executable
        cmd = [python, __file__, "--child", "memory", str(path), str(facts)]
    else:
        xfrules = Path(sys.executable).parent / "xfrules"
        cmd = [str(xfrules), "ledger", "import", str(path), "--facts", str(facts), "--no-progress"]
        if kind == "import --out":
            cmd += ["--out", str(out)]
    # Peak RSS of this child alone: measured by a wrapper that runs it and reports.
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'code': p.returncode, 'wall': wall, 'cpu': u.ru_utime + u.ru_stime,"
        " 'rss_mb': u.ru_maxrss / 1024, 'err': p.stderr[-500:]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True
    )
    result = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    if result["code"] not in (0, 1):
        sys.exit(f"{kind} failed: {result['err']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", action="append", type=lambda s: int(float(s)), help="rows (default 1e5, 1e6)"
    )
    parser.add_argument("--workdir", help="keep generated ledgers here")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is kept")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated")
    parser.add_argument(
        "--before",
        metavar="PYTHON",
        help="also measure the memory backend with this interpreter (another checkout's venv, "
        "e.g. ../main/.venv/bin/python) as kind memory-before, in the same rounds",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path, facts = args.child
        child_floor(path) if kind == "floor" else child_memory(path, facts)
        return
    kinds = [k for k in args.kinds.split(",") if k]
    if args.before and "memory" in kinds:
        kinds.insert(kinds.index("memory"), "memory-before")
    sizes = sorted(args.rows or [100_000, 1_000_000])
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="xfrules-bench-import-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        out = Path(tmp) / "transactions.jsonl"
        best: dict[tuple[int, str], dict[str, Any]] = {}
        print(
            f"{'rows':>10} {'kind':<13} {'wall s':>7} {'cpu s':>6} {'MB':>5} {'µs/row':>7}  ratios",
            flush=True,
        )
        for rows in sizes:
            paths = bench_batch.generate(workdir, rows, ["csv"])
            runs: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
            for _ in range(max(1, args.repeat)):
                for k in kinds:
                    runs[k].append(measure(k, paths["csv"], paths["facts"], out, args.before))
            for k in kinds:
                b = dict(min(runs[k], key=lambda r: float(r["wall"])))
                b["cpu"] = min(float(r["cpu"]) for r in runs[k])
                b["rss_mb"] = max(float(r["rss_mb"]) for r in runs[k])
                best[(rows, k)] = b
                notes = []
                if k != "floor" and "floor" in kinds:
                    floor = best[(rows, "floor")]
                    notes.append(f"time/floor {b['wall'] / floor['wall']:.1f}")
                if rows != sizes[0]:
                    small = best[(sizes[0], k)]
                    notes.append(
                        f"RSS/RSS at {sizes[0]:,} rows {b['rss_mb'] / small['rss_mb']:.2f}"
                    )
                print(
                    f"{rows:>10,} {k:<13} {b['wall']:>7.2f} {b['cpu']:>6.2f} {b['rss_mb']:>5.0f}"
                    f" {b['wall'] / rows * 1e6:>7.2f}  {'; '.join(notes)}",
                    flush=True,
                )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
