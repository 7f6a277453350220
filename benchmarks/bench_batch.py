"""Benchmark: xfrules batch evaluation (DuckDB backend) against hand-written DuckDB queries.

    python benchmarks/bench_batch.py                       # 1M and 10M rows, Parquet and CSV
    python benchmarks/bench_batch.py --rows 1e6 --repeat 5 --workdir benchmarks/data
    python benchmarks/bench_batch.py --rows 1e6 --formats csv --ids

Generates synthetic ledgers (~10k units under 200 districts, ~2,000 origin regions, Chinese
headers), then measures, each in its own subprocess (so each has its own peak RSS), in
rounds that alternate the kinds (load drifts over minutes; the best round is kept):

- xfrules: ``xfrules.batch.evaluate_ledgers`` — reads and validates every cell by the ledger
  rules, aggregates, rolls subtrees up and produces every finding;
- raw: one hand-written DuckDB query computing the same numbers on typed columns, with no
  validation at all: a floor, not a fair comparison;
- fair: the query an analyst who must not trust the ledger would write — every cell read as
  text, trimmed and checked (amount, date, quantity, origin code), buyers resolved, rejected
  rows counted, then the same sums, roll-up and statuses. It is the ``fair`` kind of the
  shared ``fair_baseline.py`` (../shared/bench), mirrored here so that one run prints both
  ratios; its docstring says what it validates and what it leaves out. Its rows read,
  accepted and measured values must agree with xfrules' (the ``agree`` column).
- with ``--ids``: xfrules on the same rows with a transaction-id column (交易编号: every
  200th row repeats its predecessor with the same id, every 100th shares its predecessor's
  id with other content), against xfrules on exactly those rows without the column — the
  cost of deduplicating by id (target ≤ 1.3×, ≤ 300 MB at 1M rows); and ``xfrules-uids``,
  the rows without ids given one id each (a ledger whose ids never repeat).
- with ``--before PYTHON``: each xfrules kind again as ``<kind>-before``, run by another
  checkout's interpreter (its venv's editable install: ``--before ../main/.venv/bin/python``)
  in the same rounds — a change's effect from one run, under the same load.

Prints wall and CPU seconds (user + system, all threads), peak RSS and the ratios
xfrules/fair and xfrules/raw (targets: ≤ 1.5× fair at 1M and 10M rows). On a shared machine
the wall-clock ratio moves with the load (DuckDB's threads wait for a core while part of
xfrules' time is single-threaded Python); the CPU ratio moves much less. Not a test: CI does
not run it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from xfrules.regions import PROVINCE_PREFIXES

N_DISTRICTS = 200
N_UNITS = 10_000
N_ORIGINS = 2_000
PAIRED = 500  # the first 500 origins form the obligation's region set
PROVINCES = ["52", "61", "54", "65", "43", "62", "63", "64", "53", "45"]


def origins() -> list[str]:
    return [
        f"{PROVINCES[i % len(PROVINCES)]}{i // len(PROVINCES) + 1:04d}" for i in range(N_ORIGINS)
    ]


def obligations_spec() -> list[dict[str, object]]:
    src = {"document": "基准〔2020〕1号", "clause": "一", "quote": "基准条款"}
    base = {
        "jurisdiction": "bench",
        "source": src,
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "period": {"frequency": "annual"},
    }
    return [
        {
            **base,
            "id": "bench.unit_paired_agri",
            "kind": "amount_target",
            "title": "单位采购结对地区农产品",
            "applies_to": ["budget_unit"],
            "measure": {
                "source": "transactions",
                "origin_sets": ["paired"],
                "categories": ["agricultural"],
                "scope": "unit",
            },
            "thresholds": [{"comparator": ">=", "value": "5000", "unit": "元"}],
        },
        {
            **base,
            "id": "bench.district_total",
            "kind": "amount_target",
            "title": "区采购总额",
            "applies_to": ["district"],
            "measure": {"source": "transactions", "scope": "subtree"},
            "thresholds": [{"comparator": ">=", "value": "1000000", "unit": "元"}],
        },
    ]


def _select(rows: int, *, seed: str = "r", ids: str = "") -> str:
    """The ledger's rows; ``seed`` is the expression the cells are drawn from; ``ids``:
    "repeated" (every 200th row repeats its predecessor, every 100th shares its id with
    other content) or "unique" (one id a row), else no id column."""
    tid = {
        "repeated": "'T' || CAST(CASE WHEN r % 100 = 99 THEN r - 1 ELSE g END AS VARCHAR)",
        "unique": "'T' || CAST(r AS VARCHAR)",
    }.get(ids)
    tid = f"{tid} AS 交易编号, " if tid else ""
    return f"""
        SELECT {tid}
          'u' || lpad(CAST(hash({seed}) % {N_UNITS - N_DISTRICTS} AS VARCHAR), 5, '0') AS 买方,
          CAST((hash({seed} * 7) % 5000000) / 100.0 AS DECIMAL(18,2)) AS "金额（元）",
          DATE '2019-07-01' + CAST(hash({seed} * 13) % 550 AS INTEGER) AS 交易时间,
          o.code AS 产地,
          CASE WHEN hash({seed} * 17) % 3 = 0 THEN 'other' ELSE 'agricultural' END AS 类别,
          CASE WHEN hash({seed} * 19) % 2 = 0 THEN 'canteen' ELSE 'online' END AS 渠道,
          CAST(hash({seed} * 23) % 100 AS INTEGER) AS 数量
        FROM (SELECT r, CASE WHEN r % 200 = 199 THEN r - 1 ELSE r END AS g FROM range({rows}) t(r))
        JOIN origins o ON o.i = hash({seed} * 11) % {N_ORIGINS}
    """


def generate(workdir: Path, rows: int, formats: list[str], *, ids: bool = False) -> dict[str, Path]:
    """Writes (or reuses: the data are deterministic) the units file and the ledgers; with
    ``ids``, also ``ids-<fmt>`` (with 交易编号), ``twin-<fmt>`` (the same rows without) and
    ``uids-<fmt>`` (the twin's rows with an id each)."""
    import duckdb

    units = [
        {"id": f"d{i:03d}", "name": f"第{i}区", "kind": "district", "jurisdiction": "bench"}
        for i in range(N_DISTRICTS)
    ] + [
        {
            "id": f"u{i:05d}",
            "name": f"单位{i}",
            "kind": "budget_unit",
            "jurisdiction": "bench",
            "parent": f"d{i % N_DISTRICTS:03d}",
        }
        for i in range(N_UNITS - N_DISTRICTS)
    ]
    facts = workdir / "units.json"
    facts.write_text(json.dumps({"units": units}, ensure_ascii=False), encoding="utf-8")
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE origins AS SELECT code, row_number() OVER () - 1 AS i"
        " FROM (SELECT unnest(?::VARCHAR[]) AS code)",
        [origins()],
    )
    out: dict[str, Path] = {"facts": facts}
    ledgers = {"": _select(rows)}
    if ids:
        ledgers["ids-"] = _select(rows, seed="g", ids="repeated")
        ledgers["twin-"] = _select(rows, seed="g")
        ledgers["uids-"] = _select(rows, seed="g", ids="unique")
    for prefix, select in ledgers.items():
        for fmt in formats:
            name = {
                "": "ledger",
                "ids-": "ledger_ids",
                "twin-": "ledger_twin",
                "uids-": "ledger_uids",
            }[prefix]
            path = out[prefix + fmt] = workdir / f"{name}_{rows}.{fmt}"
            if not path.exists():
                opts = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER"
                con.execute(f"COPY ({select}) TO '{path}' ({opts})")
    con.close()
    return out


RAW_SQL = """
WITH per_buyer AS (
  SELECT 买方 AS buyer,
         sum("金额（元）") FILTER (WHERE 产地 IN (SELECT code FROM paired) AND 类别 = 'agricultural'
                               AND 交易时间 BETWEEN DATE '2020-01-01' AND DATE '2020-12-31') AS paired_agri,
         sum("金额（元）") FILTER (WHERE 交易时间 BETWEEN DATE '2020-01-01' AND DATE '2020-12-31') AS total
  FROM {reader} GROUP BY 买方
)
SELECT c.ancestor, sum(paired_agri) FILTER (WHERE c.ancestor = c.descendant), sum(total)
FROM per_buyer p JOIN closure c ON c.descendant = p.buyer GROUP BY c.ancestor
"""

# The fair query of ../shared/bench/fair_baseline.py (its ``fair`` kind), mirrored: see the
# docstring there for exactly what it validates. {cells}, {reader}, {amount}, {day}, {qok},
# {ook} differ between CSV (text cells) and Parquet (typed).
_PROVINCE_PREFIXES = sorted(PROVINCE_PREFIXES)  # the same list the fair query spells out
_ORIGIN_RE = f"({'|'.join(_PROVINCE_PREFIXES)})[0-9]{{4}}([0-9]{{3}}([0-9]{{3}})?)?"
_WINDOW = "BETWEEN DATE '2020-01-01' AND DATE '2020-12-31'"
FAIR_SQL = """
WITH src AS (
  SELECT {cells} FROM {reader}
  WHERE 买方 IS NOT NULL OR "金额（元）" IS NOT NULL OR 交易时间 IS NOT NULL OR 产地 IS NOT NULL
     OR 类别 IS NOT NULL OR 渠道 IS NOT NULL OR 数量 IS NOT NULL
),
v AS (SELECT b, {amount} AS amount, {day} AS day, o, c, {qok} AND {ook} AS cells_ok FROM src),
per_buyer AS (
  SELECT b AS buyer, count(*) AS n_rows, count(*) FILTER (WHERE ok) AS n_ok,
         sum(amount) FILTER (WHERE ok AND day {window} AND c = 'agricultural'
             AND (o IN (SELECT code FROM paired) OR left(o, 6) IN (SELECT code FROM paired))) AS paired_agri,
         sum(amount) FILTER (WHERE ok AND day {window}) AS total
  FROM (SELECT *, amount IS NOT NULL AND day IS NOT NULL AND cells_ok AS ok FROM v) GROUP BY b
),
per_unit AS (
  SELECT cl.ancestor AS unit,
         sum(paired_agri) FILTER (WHERE cl.ancestor = cl.descendant) AS paired_agri,
         sum(total) AS total
  FROM per_buyer p JOIN keys k ON k.key = p.buyer JOIN closure cl ON cl.descendant = k.unit
  GROUP BY 1
),
counts AS (
  SELECT sum(n_rows) AS rows_read,
         sum(n_ok) FILTER (WHERE buyer IN (SELECT key FROM keys)) AS accepted FROM per_buyer
)
SELECT u.id, u.kind,
       CASE u.kind WHEN 'budget_unit' THEN coalesce(pu.paired_agri, 0) ELSE coalesce(pu.total, 0) END,
       CASE WHEN (CASE u.kind WHEN 'budget_unit' THEN coalesce(pu.paired_agri, 0) >= 5000
                              ELSE coalesce(pu.total, 0) >= 1000000 END)
            THEN 'compliant' ELSE 'non_compliant' END,
       (SELECT rows_read FROM counts), (SELECT accepted FROM counts)
FROM units u LEFT JOIN per_unit pu ON pu.unit = u.id
"""


def fair_sql(fmt: str, path: str) -> str:
    p = path.replace("'", "''")
    if fmt == "csv":
        parts = {
            "reader": f"read_csv('{p}', all_varchar=true, header=true)",
            "amount": "CASE WHEN regexp_full_match(a, '[0-9]{1,15}(\\.[0-9]{1,2})?')"
            " THEN CAST(a AS DECIMAL(18,2)) END",
            "qok": "(q IS NULL OR regexp_full_match(q, '[0-9]{1,15}(\\.[0-9]{1,3})?'))",
            # DuckDB reads year 0 as 1 BC
            "day": "(CASE WHEN left(d, 4) <> '0000' THEN TRY_CAST(d AS DATE) END)",
            "cells": "nullif(trim(买方), '') AS b, nullif(trim(\"金额（元）\"), '') AS a,"
            " nullif(trim(交易时间), '') AS d, nullif(trim(产地), '') AS o,"
            " nullif(trim(类别), '') AS c, nullif(trim(数量), '') AS q",
        }
    else:
        parts = {
            "reader": f"read_parquet('{p}')",
            "amount": "CASE WHEN a >= 0 AND a < 1e15 THEN a END",
            "day": "d",
            "qok": "(q IS NULL OR q >= 0)",
            "cells": "nullif(trim(买方), '') AS b, \"金额（元）\" AS a, 交易时间 AS d,"
            " nullif(trim(产地), '') AS o, nullif(trim(类别), '') AS c, 数量 AS q",
        }
    ook = f"(o IS NULL OR regexp_full_match(o, '{_ORIGIN_RE}'))"
    return FAIR_SQL.format(ook=ook, window=_WINDOW, **parts)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _closure(units: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    parents = {u["id"]: u.get("parent") for u in units}
    anc, desc = [], []
    for uid in parents:
        p: str | None = uid
        while p is not None:
            anc.append(p)
            desc.append(uid)
            p = parents.get(p)
    return anc, desc


def child(kind: str, fmt: str, paths: dict[str, str]) -> None:
    """Runs in a subprocess: one measurement, printed as JSON."""
    from datetime import date
    from decimal import Decimal

    codes = origins()[:PAIRED]
    result: dict[str, Any]
    if kind in ("raw", "fair"):
        import duckdb

        units = json.loads(Path(paths["facts"]).read_text(encoding="utf-8"))["units"]
        start, cpu = time.perf_counter(), _cpu()
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        anc, desc = _closure(units)
        con.execute(
            "CREATE TABLE closure AS SELECT unnest(?::VARCHAR[]) AS ancestor,"
            " unnest(?::VARCHAR[]) AS descendant",
            [anc, desc],
        )
        con.execute("CREATE TABLE paired AS SELECT unnest(?::VARCHAR[]) AS code", [codes])
        if kind == "raw":
            reader = (
                f"read_parquet('{paths[fmt]}')"
                if fmt == "parquet"
                else (
                    f"read_csv('{paths[fmt]}', types={{'买方': 'VARCHAR', '金额（元）':"
                    " 'DECIMAL(18,2)', '交易时间': 'DATE', '产地': 'VARCHAR', '类别': 'VARCHAR'})"
                )
            )
            rows = con.execute(RAW_SQL.format(reader=reader)).fetchall()
            elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
            result = {"groups": len(rows)}
        else:
            # buyer text -> unit: ids, and unique names that are not ids (as xfrules)
            keys = {u["id"]: u["id"] for u in units}
            names: dict[str, list[str]] = {}
            for u in units:
                names.setdefault(u["name"].strip(), []).append(u["id"])
            for n, ids in names.items():
                if len(ids) == 1 and n not in keys and n:
                    keys[n] = ids[0]
            con.execute(
                "CREATE TABLE keys AS SELECT unnest(?::VARCHAR[]) AS key,"
                " unnest(?::VARCHAR[]) AS unit",
                [list(keys), list(keys.values())],
            )
            con.execute(
                "CREATE TABLE units AS SELECT unnest(?::VARCHAR[]) AS id,"
                " unnest(?::VARCHAR[]) AS kind",
                [[u["id"] for u in units], [u["kind"] for u in units]],
            )
            rows = con.execute(fair_sql(fmt, paths[fmt])).fetchall()
            elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
            result = {
                "rows_read": int(rows[0][4]),
                "accepted": int(rows[0][5]),
                "digest": str(sum(Decimal(r[2]) for r in rows)),
            }
    else:  # xfrules, on the ledger of ``kind``: "xfrules", "xfrules-ids", "-twin" or "-uids"
        # Imported before the clock starts, as in the query runs: no time loading DuckDB.
        import duckdb

        from xfrules.batch import evaluate_ledgers
        from xfrules.facts import load_facts
        from xfrules.obligations import obligation_adapter

        facts = load_facts(paths["facts"])
        obligations = [obligation_adapter.validate_python(o) for o in obligations_spec()]
        prefix = {
            "xfrules": "",
            "xfrules-ids": "ids-",
            "xfrules-twin": "twin-",
            "xfrules-uids": "uids-",
        }[kind]
        ledger = paths[prefix + fmt]
        start, cpu = time.perf_counter(), _cpu()
        res = evaluate_ledgers(
            facts,
            [ledger],
            date(2020, 12, 31),
            obligations=obligations,
            region_sets={("bench", "paired"): frozenset(codes)},
            progress=False,
        )
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
        statuses: dict[str, int] = {}
        total = Decimal(0)
        for f in res.evaluation.findings:
            statuses[f.status.value] = statuses.get(f.status.value, 0) + 1
            if f.status.value != "not_applicable":
                total += f.measured or 0
        result = {
            "rows_read": res.rows_read,
            "accepted": res.accepted,
            "digest": str(total),
            "findings": statuses,
        }
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "peak_rss_mb": rss_mb, **result}))


def measure(
    kind: str, fmt: str, paths: dict[str, Path], python: str | None = None
) -> dict[str, Any]:
    """One measurement in its own process; a ``-before`` kind by ``python``."""
    out = subprocess.run(
        [
            python or sys.executable,
            __file__,
            "--child",
            kind.removesuffix("-before"),
            fmt,
            json.dumps({k: str(v) for k, v in paths.items()}),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = dict(min(runs, key=lambda r: float(r["seconds"])))
    # The best CPU time of the rounds, independently of the best wall time.
    best["cpu_seconds"] = min(float(r["cpu_seconds"]) for r in runs)
    best["peak_rss_mb"] = max(float(r["peak_rss_mb"]) for r in runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows",
        action="append",
        type=lambda s: int(float(s)),
        help="rows (repeatable; default 1e6 and 1e7)",
    )
    parser.add_argument("--formats", default="parquet,csv", help="comma-separated: parquet,csv")
    parser.add_argument(
        "--workdir", help="keep generated ledgers here (default: a temporary directory)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds per measurement; the best time is kept"
    )
    parser.add_argument(
        "--ids", action="store_true", help="also: a transaction-id column against none"
    )
    parser.add_argument(
        "--before",
        metavar="PYTHON",
        help="also run each xfrules kind by this interpreter (another checkout's venv)",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], json.loads(args.child[2]))
        return
    formats = [f for f in args.formats.split(",") if f]
    kinds = ["xfrules", "fair", "raw"]
    if args.ids:
        kinds += ["xfrules-ids", "xfrules-twin", "xfrules-uids"]
    if args.before:
        kinds += [f"{k}-before" for k in kinds if k.startswith("xfrules")]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="xfrules-bench-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        print(
            f"{'rows':>10} {'format':<8} {'kind':<13} {'wall s':>7} {'cpu s':>6} {'MB':>5}"
            "  ratios (wall; cpu)",
            flush=True,
        )
        for rows in args.rows or [1_000_000, 10_000_000]:
            paths = generate(workdir, rows, formats, ids=args.ids)
            for fmt in formats:
                runs: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
                for _ in range(max(1, args.repeat)):
                    for k in kinds:
                        python = args.before if k.endswith("-before") else None
                        runs[k].append(measure(k, fmt, paths, python))
                best = {k: _best(v) for k, v in runs.items()}
                report(rows, fmt, best)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


def report(rows: int, fmt: str, best: dict[str, dict[str, Any]]) -> None:
    def ratio(a: str, b: str) -> str:
        wall = float(best[a]["seconds"]) / float(best[b]["seconds"])
        cpu = float(best[a]["cpu_seconds"]) / float(best[b]["cpu_seconds"])
        return f"{a}/{b} {wall:.2f}; {cpu:.2f}"

    notes = {
        "xfrules": f"{ratio('xfrules', 'fair')}   {ratio('xfrules', 'raw')}",
        "fair": "agree: "
        + str(
            all(best["fair"][x] == best["xfrules"][x] for x in ("rows_read", "accepted", "digest"))
        ),
        "raw": "",
    }
    if "xfrules-before" in best:
        notes["xfrules-before"] = (
            f"{ratio('xfrules-before', 'fair')}   {ratio('xfrules', 'xfrules-before')}"
        )
    if "xfrules-ids-before" in best:
        notes["xfrules-ids-before"] = ratio("xfrules-ids-before", "xfrules-twin-before")
    if "xfrules-ids" in best:
        notes["xfrules-ids"] = ratio("xfrules-ids", "xfrules-twin")
        notes["xfrules-uids"] = (
            f"{ratio('xfrules-uids', 'xfrules-twin')} (accepted {best['xfrules-uids']['accepted']:,})"
        )
        notes["xfrules-twin"] = (
            f"rows {best['xfrules-twin']['rows_read']:,} accepted"
            f" {best['xfrules-twin']['accepted']:,} (with ids: {best['xfrules-ids']['accepted']:,})"
        )
    for k, b in best.items():
        print(
            f"{rows:>10,} {fmt:<8} {k:<13} {float(b['seconds']):>7.3f} {float(b['cpu_seconds']):>6.3f}"
            f" {float(b['peak_rss_mb']):>5.0f}  {notes.get(k, '')}",
            flush=True,
        )


if __name__ == "__main__":
    main()
