"""Benchmark: the floor of counting each transaction id once on DuckDB (issue 17, item 4).

    python benchmarks/bench_ids_floor.py --workdir benchmarks/data

On the 1M-row Parquet ledgers ``bench_batch.py --ids`` writes (``ledger_ids_*`` with a
transaction-id column, ``ledger_twin_*`` the same rows without it), times in one process, best
of ``--repeat`` (wall and CPU seconds), bare queries that validate nothing:

- ``no ids``: the per-buyer sum of the ledger without ids;
- ``repeats``: the pass xfrules makes over the id column alone — the id hashes that occur
  more than once, found by sorting them (``xfrules.batch.ids.repeats_sql``, bare: no strip);
- ``routed``: the per-buyer sum with ids as xfrules sums it after that pass — rows whose id
  hash is not repeated summed as without ids, the others grouped by id and kept when their
  content hashes agree;
- ``grouped by id``: the method before, for comparison — every row grouped by its id first;
- ideas measured and left (2026-12-06, branch ``ids2``): ``repeats 32-bit`` (the pass on the
  hash's upper 32 bits: a superset of the repeated ids, more rows held), ``repeats rows`` and
  ``routed by row`` (the pass keeps the repeated rows' ``file_row_number``, so the sum routes
  on an integer and strips and hashes no id but those rows'); and, on the CSV ledger,
  ``csv id column`` (the parse the pass makes for the id alone), ``csv all columns`` and
  ``csv materialised`` (the parsed file kept in a table, to be parsed once).

``repeats + routed - no ids`` is what ids add at the least to any run with this method; with
``--twin-seconds`` (xfrules-twin's time from ``bench_batch.py --ids``), also the floor of
the ratio xfrules-ids / xfrules-twin. Not a test: CI does not run it.
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
    parser.add_argument("--twin-seconds", type=float, help="xfrules-twin's time, for a ratio")
    args = parser.parse_args()
    ids = Path(args.workdir) / f"ledger_ids_{args.rows}.parquet"
    twin = Path(args.workdir) / f"ledger_twin_{args.rows}.parquet"
    if not ids.exists() or not twin.exists():
        raise SystemExit(f"run bench_batch.py --ids --workdir {args.workdir} first")
    con = duckdb.connect()
    setup = (
        "CREATE OR REPLACE TEMP TABLE repeats AS SELECT DISTINCT h FROM (SELECT h,"
        " lag(h) OVER (ORDER BY h) AS before FROM (SELECT hash(交易编号) AS h"
        f" FROM '{ids}')) WHERE h = before"
    )
    rows_setup = (
        "CREATE OR REPLACE TEMP TABLE repeated_rows AS SELECT r FROM (SELECT r, h = lag(h) OVER w"
        " OR h = lead(h) OVER w AS again FROM (SELECT file_row_number AS r, hash(交易编号) AS h"
        f" FROM read_parquet('{ids}', file_row_number = true)) WINDOW w AS (ORDER BY h))"
        " WHERE again"
    )
    queries = {
        "no ids": f"SELECT 买方, sum(\"金额（元）\") FROM '{twin}' GROUP BY 1",
        "repeats": setup,
        "routed": (
            "WITH g AS MATERIALIZED (SELECT 买方 AS b,"
            ' sum("金额（元）") FILTER (WHERE gid IS NULL) AS a,'
            f" list({{'g': gid, 'h': CASE WHEN gid IS NOT NULL THEN hash({COLUMNS}) END,"
            " 'a': \"金额（元）\"}) FILTER (WHERE gid IS NOT NULL) AS held"
            " FROM (SELECT *, CASE WHEN hash(交易编号) IN (SELECT h FROM repeats)"
            f" THEN 交易编号 END AS gid FROM '{ids}') GROUP BY 1),"
            " held AS (SELECT b, unnest(held, recursive := true) FROM g)"
            " SELECT b, sum(a) FROM (SELECT b, a FROM g UNION ALL SELECT min(b),"
            " CASE WHEN min(h) = max(h) THEN min(a) END FROM held GROUP BY g) GROUP BY 1"
        ),
        "repeats 32-bit": (
            "SELECT DISTINCT h FROM (SELECT h, lag(h) OVER (ORDER BY h) AS before FROM"
            f" (SELECT CAST(hash(交易编号) >> 32 AS UINTEGER) AS h FROM '{ids}')) WHERE h = before"
        ),
        "repeats rows": rows_setup,
        "routed by row": (
            'SELECT 买方, sum("金额（元）") FILTER (WHERE gid IS NULL),'
            " list({'g': gid, 'a': \"金额（元）\"}) FILTER (WHERE gid IS NOT NULL)"
            " FROM (SELECT *, CASE WHEN file_row_number IN (SELECT r FROM repeated_rows)"
            f" THEN 交易编号 END AS gid FROM read_parquet('{ids}', file_row_number = true))"
            " GROUP BY 1"
        ),
        "grouped by id": (
            'SELECT b, sum(a) FROM (SELECT first(买方) AS b, first("金额（元）") AS a,'
            f" min(hash({COLUMNS})) = max(hash({COLUMNS})) AS agree"
            f" FROM '{ids}' GROUP BY 交易编号) WHERE agree GROUP BY 1"
        ),
    }
    csv = Path(args.workdir) / f"ledger_ids_{args.rows}.csv"
    if csv.exists():  # as xfrules reads a CSV: every cell text, spare columns
        cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(12))
        reader = (
            f"read_csv('{csv}', header = false, skip = 1, auto_detect = false,"
            f" null_padding = true, columns = {{{cols}}})"
        )
        every = ", ".join(f"count(c{i})" for i in range(8))
        queries["csv id column"] = f"SELECT count(c0) FROM {reader}"
        queries["csv all columns"] = f"SELECT {every} FROM {reader}"
        queries["csv materialised"] = f"CREATE OR REPLACE TEMP TABLE parsed AS FROM {reader}"
    best = {name: (float("inf"), float("inf")) for name in queries}
    for _ in range(args.repeat):
        for name, sql in queries.items():
            start, cpu = time.perf_counter(), time.process_time()
            con.execute(sql).fetchall()
            wall, used = time.perf_counter() - start, time.process_time() - cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], used))
    for name, (wall, used) in best.items():
        print(f"{name:16} {wall:.3f} s  cpu {used:.3f} s")
    added = [best["repeats"][i] + best["routed"][i] - best["no ids"][i] for i in (0, 1)]
    print(f"ids add at least {added[0]:.3f} s, cpu {added[1]:.3f} s (repeats + routed - no ids)")
    by_row = [best["repeats rows"][i] + best["routed by row"][i] for i in (0, 1)]
    print(f"by row number: repeats rows + routed by row {by_row[0]:.3f} s, cpu {by_row[1]:.3f} s")
    if args.twin_seconds:
        print(f"floor of xfrules-ids / xfrules-twin: {1 + added[0] / args.twin_seconds:.2f}")


if __name__ == "__main__":
    main()
