"""Benchmark: how fast can DuckDB check a CSV ledger's cells at all? (issue #6's CSV floor)

    python benchmarks/bench_csv_floor.py --csv /tmp/bench/ledger_10000000.csv

Takes a ledger written by ``bench_batch.py`` (columns 买方, 金额（元）, 交易时间, 产地, 类别,
渠道, 数量) and times, in one process, best of ``--repeat``, each against the first:

1. raw: the hand-written typed query of ``bench_batch.py`` (DuckDB parses amounts and dates
   itself, validates nothing else);
2. the file read as text (``all_varchar``), grouped by buyer — reading with no check at all;
3. each line read whole (no CSV parsing), counted;
4. each line checked by ONE regular expression covering all seven cells (no per-cell calls);
5. that, plus splitting matching lines and the raw query's sums: the cheapest complete
   single-pass shape we found for checking every cell, and it still checks less than the
   ledger rules (no value maps, no 万元 or fullwidth forms: those lines would need a second
   path).

Used to decide whether 1.5× of the raw query is reachable for CSV while every cell is
checked (docs/ledgers.md, "What is left"). Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import time

PROVINCES = ["52", "61", "54", "65", "43", "62", "63", "64", "53", "45"]


def main() -> None:
    import duckdb

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--csv", required=True, help="a ledger CSV written by bench_batch.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    f = args.csv.replace("'", "''")
    con = duckdb.connect()
    paired = [f"{PROVINCES[i % 10]}{i // 10 + 1:04d}" for i in range(500)]
    con.execute("CREATE TABLE paired AS SELECT unnest(?::VARCHAR[]) AS code", [paired])
    window = "BETWEEN DATE '2020-01-01' AND DATE '2020-12-31'"
    typed = (
        f"read_csv('{f}', types={{'买方': 'VARCHAR', '金额（元）': 'DECIMAL(18,2)',"
        " '交易时间': 'DATE', '产地': 'VARCHAR', '类别': 'VARCHAR'})"
    )
    lines = (
        f"read_csv('{f}', columns={{'line': 'VARCHAR'}}, sep=chr(1), quote='', escape='',"
        " header=true, auto_detect=false)"
    )
    visible = '[^\\x00-\\x20,"\\x7f\\x{3000}]'
    text = f'{visible}(?:[^,"\\x00-\\x1f]*{visible})?'
    line_rule = (
        f"{text},[0-9]{{1,15}}(?:\\.[0-9]{{1,2}})?,[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}},"
        f"[0-9]{{6}},{text},{text},[0-9]{{1,15}}(?:\\.[0-9]{{1,3}})?\\r?"
    )
    queries = {
        "raw typed query": (
            f'SELECT 买方, sum("金额（元）") FILTER (WHERE 产地 IN (SELECT code FROM paired)'
            f" AND 类别 = 'agricultural' AND 交易时间 {window}),"
            f' sum("金额（元）") FILTER (WHERE 交易时间 {window}) FROM {typed} GROUP BY 1'
        ),
        "text read, grouped": f"SELECT 买方, count(*) FROM read_csv('{f}', all_varchar=true) GROUP BY 1",
        "lines read": f"SELECT count(*) FROM {lines}",
        "lines + one regex": (
            f"SELECT count(*) FILTER (WHERE regexp_full_match(line, '{line_rule}')) FROM {lines}"
        ),
        "lines + regex + split + sums": (
            f"WITH p AS (SELECT string_split(line, ',') AS c FROM {lines}"
            f" WHERE regexp_full_match(line, '{line_rule}')),"
            " v AS (SELECT c[1] AS buyer, CAST(c[2] AS DECIMAL(18,2)) AS amount,"
            " TRY_CAST(c[3] AS DATE) AS day, c[4] AS origin, c[5] AS category FROM p)"
            " SELECT buyer, sum(amount) FILTER (WHERE origin IN (SELECT code FROM paired)"
            f" AND category = 'agricultural' AND day {window}),"
            f" sum(amount) FILTER (WHERE day {window}) FROM v GROUP BY 1"
        ),
    }
    base = None
    for name, sql in queries.items():
        best = float("inf")
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            con.execute(sql).fetchall()
            best = min(best, time.perf_counter() - start)
        base = base or best
        print(f"{name:<32} {best:7.2f} s  {best / base:5.2f}× raw", flush=True)


if __name__ == "__main__":
    main()
