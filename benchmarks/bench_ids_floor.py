"""Benchmark: the floor of counting each transaction id once on DuckDB (issue 17, item 4).

    python benchmarks/bench_ids_floor.py --workdir benchmarks/data

On the 1M-row Parquet ledgers ``bench_batch.py --ids`` writes (``ledger_ids_*`` with a
transaction-id column, ``ledger_twin_*`` the same rows without it), times in one process, best
of ``--repeat``, two bare queries that validate nothing:

- the per-buyer sum of the ledger without ids;
- the same sum after grouping the rows by id and keeping an id's rows only when their content
  hashes agree — the least any query that counts each id once must do.

The ratio is a floor for xfrules' cost of ids (``xfrules-ids / xfrules-twin`` in
``bench_batch.py --ids``): grouping a million distinct ids costs more than the whole
validated evaluation of the ledger without them. Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

COLUMNS = '买方, "金额（元）", 交易时间, 产地, 类别, 渠道, 数量'


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workdir", default="benchmarks/data")
    parser.add_argument("--rows", type=lambda s: int(float(s)), default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ids = Path(args.workdir) / f"ledger_ids_{args.rows}.parquet"
    twin = Path(args.workdir) / f"ledger_twin_{args.rows}.parquet"
    if not ids.exists() or not twin.exists():
        raise SystemExit(f"run bench_batch.py --ids --workdir {args.workdir} first")
    queries = {
        "no ids: per-buyer sum": f"SELECT 买方, sum(\"金额（元）\") FROM '{twin}' GROUP BY 1",
        "ids: grouped by id first": (
            'SELECT b, sum(a) FROM (SELECT first(买方) AS b, first("金额（元）") AS a,'
            f" min(hash({COLUMNS})) = max(hash({COLUMNS})) AS agree"
            f" FROM '{ids}' GROUP BY 交易编号) WHERE agree GROUP BY 1"
        ),
    }
    con = duckdb.connect()
    best = dict.fromkeys(queries, float("inf"))
    for _ in range(args.repeat):
        for name, sql in queries.items():
            start = time.perf_counter()
            con.execute(sql).fetchall()
            best[name] = min(best[name], time.perf_counter() - start)
    for name, seconds in best.items():
        print(f"{name:28} {seconds:.3f} s")
    base, grouped = best.values()
    print(f"grouped by id / no ids: {grouped / base:.1f}x")


if __name__ == "__main__":
    main()
