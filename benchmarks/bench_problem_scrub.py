"""Benchmark: what scrubbing every Problem (xfrules.errors) costs the importer.

    python benchmarks/bench_problem_scrub.py [--rows 100000] [--rounds 5]

Imports a CSV ledger whose every row is rejected (the worst case: one Problem per row, scrubbed
twice — by the importer, then by Problem itself), with Problem's scrubbing on, and with it
replaced by a no-op, interleaved in one process; prints the best of each and the ratio.
Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from xfrules.errors import Problem
from xfrules.ledger import import_ledgers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "all-rejected.csv"
        rows = ["买方,金额,交易时间,产地,类别"]
        rows += [f"u1,abc{i % 7},2020-04-26,520621,agricultural" for i in range(args.rows)]
        ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")
        scrubbing = Problem.__post_init__
        best = {"scrubbed": float("inf"), "not scrubbed": float("inf")}
        for _ in range(args.rounds):
            for name, hook in (("scrubbed", scrubbing), ("not scrubbed", lambda self: None)):
                Problem.__post_init__ = hook  # type: ignore[method-assign]
                start = time.perf_counter()
                result = import_ledgers([ledger])
                best[name] = min(best[name], time.perf_counter() - start)
                assert result.rejected == args.rows
        Problem.__post_init__ = scrubbing  # type: ignore[method-assign]
    for name, seconds in best.items():
        print(f"{name:>12}: {seconds:.3f} s ({seconds / args.rows * 1e6:.1f} us/row)")
    print(f"ratio scrubbed / not scrubbed: {best['scrubbed'] / best['not scrubbed']:.2f}")


if __name__ == "__main__":
    main()
