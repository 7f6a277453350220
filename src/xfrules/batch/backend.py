"""Batch evaluation on embedded DuckDB: every obligation for every unit, straight from ledger files.

DuckDB reads the files (read_csv / read_parquet / read_json) and does the work that grows with
the rows: reading cells by the ledger rules (:mod:`xfrules.batch.sql`), then, in one pass, the
sums and counts of transactions per buyer for every filter and window the obligations need.
The per-buyer table (one row per buyer, not per transaction) is rolled up to each unit's
subtree through a unit→ancestor closure table, also in SQL. Those numbers are exactly what
:func:`xfrules.evaluator.measure_value` computes for transaction measures, and the evaluator
itself decides every finding, with the transaction measures supplied through its
``transaction_measurer`` seam — so the semantics stay in one place.

Which measures are needed is learned by asking the evaluator: a first pass per obligation
records the (filter, window, aggregate, scope) requests; a request missed then is computed on
demand, so a new obligation kind can never be silently mis-measured.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from .. import evaluator as _evaluator
from ..entities import Unit
from ..errors import InputError, Problem
from ..facts import FactIndex, Facts
from ..filters import PurchaseFilter, membership_sql
from ..findings import Evaluation
from ..ledger.mapping import LedgerMapping
from ..ledger.readers import (
    MAX_EXTRA_CELLS,
    LedgerTable,
    cell_text,
    duckdb_connection,
    ledger_format,
    open_ledger,
    too_wide,
    undecodable_problem,
)
from ..ledger.rules import buyer_keys, refuse_facts_transactions
from ..obligations import Obligation, TransactionMeasure
from ..progress import Progress, duckdb_progress
from ..regions import levels_needed
from ..registry import Registry
from ..rulebook import RegionSets, Rulebook, prepare
from .sql import (
    date_sql,
    filled_expr,
    id_number_ok,
    lit,
    number_sql,
    origin_code,
    origin_ok,
    phone_ok,
    text_expr,
    text_in,
)

__all__ = ["BatchResult", "Request", "evaluate_ledgers", "ledger_source_sql"]


class _Cells:
    """The distinct cells of the dictionary text fields, each read once by the ledger rules.

    For each field a condition needs, one pass over its raw cell column (a DISTINCT on a
    Parquet column: tens of ms at 10M rows) lists every distinct (cell as read,
    already-text flag) with its text (``key_sql``: strip, value map, default). A condition
    on the text then becomes a condition on the cell as read — an IN list, or a semi-join on
    a small table when the list is long — so no row is stripped or regex-checked, and a
    clean ledger pays nothing for a check no cell fails.
    """

    _LIST_MAX = 64  # longer lists become a small table (a hash semi-join)

    def __init__(self, con: Any, parts: Sequence[LedgerSQL], mapping: LedgerMapping) -> None:
        self.con = con
        self.parts = parts
        self.mapping = mapping
        self._n = 0
        self._listed: set[str] = set()
        con.execute(
            "CREATE OR REPLACE TEMP TABLE cells"
            " (field VARCHAR, raw VARCHAR, done BOOLEAN, value VARCHAR)"
        )
        self.done = {n: {n in part.typed for part in parts} for n in _DICTIONARY_FIELDS}

    def list(self, name: str) -> None:
        """Lists the distinct cells of field ``name``, once."""
        if name in self._listed:
            return
        self._listed.add(name)
        fld = _DICTIONARY_FIELDS[name]
        # Per file, so that the already-text flag is a constant known here: grouping by a
        # constant column as well cost 4× (DuckDB's distinct on a bare Parquet column is fast).
        self.con.execute(
            "INSERT INTO cells "
            + " UNION ALL ".join(
                f"SELECT {lit(name)}, raw, {str(typed).upper()},"
                f" {'raw' if typed else key_sql('raw', self.mapping, fld)}"
                # A field without a column has one text (its default or NULL): no scan.
                + (
                    f" FROM (SELECT {part.absent[name]} AS raw)"
                    if name in part.absent
                    else f" FROM (SELECT DISTINCT raw_{name} AS raw FROM ({part.sql}))"
                )
                for part in self.parts
                for typed in [name in part.typed]
            )
        )

    def where(self, name: str, cond: str, params: Sequence[object] = ()) -> str:
        """A predicate on ``raw_<name>``/``<name>_done`` that holds exactly when ``cond``
        (SQL on ``value``, the cell's text) is true; never NULL."""
        self.list(name)
        # The matching cells stay in DuckDB (a free-text column may have millions); only a
        # short list comes back, to be inlined.
        table = f"cell_set_{self._n}"
        self._n += 1
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT raw, done FROM cells"
            f" WHERE field = ? AND coalesce({cond}, FALSE)",
            [name, *params],
        )
        branches = {}
        for done in sorted(self.done[name]):
            where = f"done = {str(done).upper()}"
            n, null = self.con.execute(
                f"SELECT count(raw), coalesce(bool_or(raw IS NULL), FALSE) FROM {table}"
                f" WHERE {where}"
            ).fetchone()
            if not n:
                pred = "FALSE"
            elif n <= self._LIST_MAX:
                raws = self.con.execute(
                    f"SELECT raw FROM {table} WHERE {where} AND raw IS NOT NULL ORDER BY raw"
                ).fetchall()
                pred = f"coalesce(raw_{name} IN ({', '.join(lit(r) for (r,) in raws)}), FALSE)"
            else:
                pred = (
                    f"coalesce(raw_{name} IN (SELECT raw FROM {table} WHERE {where}"
                    " AND raw IS NOT NULL), FALSE)"
                )
            if null:
                pred = f"(raw_{name} IS NULL OR {pred})"
            branches[done] = pred
        if not branches:
            return "FALSE"
        if len(branches) == 1:
            return next(iter(branches.values()))
        return f"(CASE WHEN {name}_done THEN {branches[True]} ELSE {branches[False]} END)"


def _with_membership(
    con: Any, source: str, code_sets: Iterable[frozenset[str]]
) -> tuple[str, dict[frozenset[str], str]]:
    """``source`` plus one boolean column per region-code set: whether the row's origin
    falls under the set at one of its levels (:func:`xfrules.filters.membership_sql`).

    Each level is probed by a semi-join on a small table, not a long IN list.
    ``x IN (SELECT …)`` always builds its hash table on the small side; a LEFT JOIN let
    DuckDB build it on a CSV scan whose size it does not know (at 10M rows: 1.2 GB and 3×
    the time).
    """
    sets = [s for s in dict.fromkeys(code_sets) if s]
    names = {s: f"in_{i}" for i, s in enumerate(sets)}
    if not sets:
        return source, {}
    codes = sorted(frozenset().union(*sets))
    flags = ", ".join(f"list_contains(?::VARCHAR[], code) AS s{i}" for i in range(len(sets)))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE members AS SELECT code, {flags}"
        " FROM (SELECT unnest(?::VARCHAR[]) AS code)",
        [*[sorted(s) for s in sets], codes],
    )

    probes = [f"{{}} IN (SELECT code FROM members WHERE s{i})" for i in range(len(sets))]
    cols = ", ".join(
        f"{membership_sql('origin', s, probe)} AS {n}"
        for (s, n), probe in zip(names.items(), probes, strict=True)
    )
    return f"SELECT *, {cols} FROM ({source})", names


def _with_cells(
    cells: _Cells,
    source: str,
    code_sets: Iterable[frozenset[str]],
    texts: Iterable[tuple[str, frozenset[str]]],
) -> tuple[str, dict[frozenset[str], str], dict[tuple[str, frozenset[str]], str]]:
    """``source`` with the origin check folded into ``ok``/``ok_row`` and one boolean column
    per region-code set and per text condition, all decided on distinct cells (``_Cells``)."""
    sets = [s for s in dict.fromkeys(code_sets) if s]
    names = {s: f"in_{i}" for i, s in enumerate(sets)}
    text_names = {t: f"tx_{i}" for i, t in enumerate(dict.fromkeys(texts))}
    cols = [
        f"{cells.where('origin', membership_sql('value', s, _IN_LIST), _params(s))} AS {n}"
        for s, n in names.items()
    ]
    for (column, values), n in text_names.items():
        listed = ", ".join(lit(v) for v in sorted(values))
        cols.append(f"{cells.where(column, f'value IN ({listed})')} AS {n}")
    bad = cells.where("origin", f"NOT {origin_ok('value')}")
    replace = (
        ""
        if bad == "FALSE"
        else f" REPLACE (ok AND NOT {bad} AS ok, ok_row AND NOT {bad} AS ok_row)"
    )
    extra = "".join(f", {c}" for c in cols)
    return f"SELECT *{replace}{extra} FROM ({source})", names, text_names


# One level of a cell's text tested against a region set given as a parameter.
_IN_LIST = "list_contains(?::VARCHAR[], {})"


def _params(entries: frozenset[str]) -> list[list[str]]:
    """The parameters of ``membership_sql(..., entries, _IN_LIST)``: the set, once a level."""
    return [sorted(entries)] * len(levels_needed(entries))


@dataclass(frozen=True)
class Request:
    """One transaction measure the evaluator asks for (the unit aside)."""

    filter: PurchaseFilter
    aggregate: str
    scope: str
    only_in: frozenset[str] | None = None


def _request(
    measure: TransactionMeasure,
    jurisdiction: str,
    start: date,
    end: date,
    region_sets: _evaluator.RegionSets,
    only_in: frozenset[str] | None,
    cache: dict[tuple[str, tuple[str, ...]], frozenset[str]] | None = None,
) -> Request:
    flt = PurchaseFilter.of(measure, jurisdiction, start, end, region_sets)
    if cache is not None and flt.origins is not None:
        # Region sets are fixed for one evaluation: one frozenset object per union, so the
        # membership columns and requests of a set are shared.
        flt = replace(
            flt, origins=cache.setdefault((jurisdiction, measure.origin_sets), flt.origins)
        )
    return Request(
        flt,
        measure.aggregate,
        measure.scope,
        only_in if measure.aggregate == "distinct_origins" else None,
    )


class SqlMeasurer:
    """Transaction measures from SQL aggregates, for the evaluator's ``transaction_measurer`` seam.

    While ``recording``, it notes which (filter, window, aggregate, scope) requests the
    evaluator makes; afterwards it answers from the aggregates computed for them, and computes
    a request missed while recording on demand.
    """

    def __init__(
        self, engine: _Engine, region_sets: _evaluator.RegionSets, as_of: date = date.max
    ) -> None:
        self.engine = engine
        self.region_sets = region_sets
        self.as_of = as_of  # a purchase dated later does not count (as in evaluate())
        self.recording = True
        self.requests: set[Request] = set()
        self.values: dict[Request, dict[str, Decimal]] = {}
        # Region sets are fixed for one evaluation, so their unions are computed once.
        self._origins: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
        # The evaluator asks once per unit with the same few (measure, window) pairs: building
        # and hashing a Request (with its region-code sets) each time cost ~10 µs a finding.
        # Keyed by the measure's identity (the measure itself is kept so the id stays its own);
        # once recording is over, the entry also keeps the request's per-unit values.
        self._memo: dict[tuple[int, str, date, date, frozenset[str] | None], _Memo] = {}

    def __call__(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> Decimal:
        key = (id(measure), jurisdiction, start, end, only_in)
        memo = self._memo.get(key)
        if memo is None:
            req = _request(
                measure,
                jurisdiction,
                start,
                min(end, self.as_of),
                self.region_sets,
                only_in,
                self._origins,
            )
            memo = self._memo[key] = _Memo(measure, req)
        if self.recording:
            self.requests.add(memo.request)
            return Decimal(1)  # positive, so a growth rate also asks for its current period
        if memo.values is None:
            if memo.request not in self.values:
                self.values.update(self.engine.measure([memo.request]))
            memo.values = self.values[memo.request]
        return memo.values.get(unit_id, Decimal(0))


@dataclass
class _Memo:
    measure: TransactionMeasure
    request: Request
    values: dict[str, Decimal] | None = None


# --- reading ledgers in SQL ---------------------------------------------------------------------


_TRANSCODED = ("gb18030", "utf-16")  # encodings DuckDB does not read: copied to UTF-8 first


def _transcode(src: Path, encoding: str, tmpdir: Path) -> Path:
    """GBK/GB18030 (or UTF-16) text to UTF-8, in 1 MiB chunks (DuckDB reads UTF-8 only)."""
    out = tmpdir / f"{len(os.listdir(tmpdir))}-{src.stem}.utf8{src.suffix}"
    decoder = codecs.getincrementaldecoder(encoding)()
    with src.open("rb") as fin, out.open("w", encoding="utf-8", newline="") as fout:
        while chunk := fin.read(1 << 20):
            fout.write(decoder.decode(chunk))
        fout.write(decoder.decode(b"", final=True))
    return out


# A JSON value DuckDB's JSON reader would not give as the importer's text: DuckDB reads a number
# through a double and prints it back (999999999999999.99 → 1000000000000000.0, 12.50 → 12.5,
# 1E3 → 1000.0, 0.00001 → 1e-05) and spells literals its own way (true, not True), while the
# importer keeps the digits as written (an exact Decimal). Looked for after a ':', ',' or '['
# outside a string's opening quote; text inside strings may also match, which only costs
# the slower path.
_INEXACT_JSON_VALUE = re.compile(
    rb"[:,\[]\s*(?:"
    rb"true|false|\[|\{"  # literals, nested values
    rb"|-?[0-9.]*[eE]"  # exponent
    rb"|-?[0-9]*\.(?:[0-9]*[1-9])?0+(?![0-9])(?<!\.0)"  # fraction ending in 0 (but x.0)
    rb"|-?[0-9.]{17,}"  # more significant digits than a double keeps
    rb"|-?0\.0000"  # below 1e-4: printed with an exponent
    rb")"
)


def json_numbers_read_exactly(path: Path) -> bool:
    """Whether DuckDB's JSON reader reads every value of this JSON lines file as the importer.

    Scanned in 1 MiB chunks with an overlap, so a value across a chunk boundary is seen
    whole (one longer than the overlap has more digits than a double keeps: inexact anyway).
    """
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if _INEXACT_JSON_VALUE.search(tail + chunk):
                return False
            tail = chunk[-64:]
    return True


def _table_to_csv(table: LedgerTable, tmpdir: Path, progress: Progress) -> Path:
    """The ledger's cells as the importer reads them, in a UTF-8 CSV for DuckDB."""
    out = tmpdir / f"{len(os.listdir(tmpdir))}-{table.path.stem}.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        # Lines end in \r\n: Python's writer quotes a cell only for the characters of its line
        # ending, and an unquoted lone \r in a cell ("0\r") ends a line for DuckDB.
        writer = csv.writer(fh, lineterminator="\r\n")
        # The header line is skipped by position; a line break in it (even a lone \r inside
        # quotes) puts DuckDB's sniffer off, so the copy's header has none.
        writer.writerow([re.sub(r"[\r\n]+", " ", cell_text(h)) for h in table.headers])
        for _, cells in table.rows:
            writer.writerow([cell_text(c) for c in cells])
            progress.advance()
    return out


_SPARE_COLUMNS = 4
_MAX_SPARE_COLUMNS = 4 * 8**3  # up to 2,048 extra cells in a row: MAX_EXTRA_CELLS
assert _MAX_SPARE_COLUMNS == MAX_EXTRA_CELLS
# Text fields a filter reads whose cells repeat (a few categories, thousands of origin codes):
# the source also gives each cell as read (raw_<name>) and whether that is already its text.
_DICTIONARY_FIELDS = {
    "origin": "origin_region",
    "category": "category",
    "channel": "channel",
    "seller_kind": "seller_kind",
}


def _transcode_or_refuse(path: Path, tmpdir: Path, encoding: str = "gb18030") -> Path:
    """:func:`_transcode` from GB18030 (or UTF-16); a byte past the first MiB that is not of
    the encoding is bad input naming its line, as the importer says it."""
    try:
        return _transcode(path, encoding, tmpdir)
    except UnicodeDecodeError as exc:
        raise InputError([undecodable_problem(path, encoding)]) from exc


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class _Source:
    reader: str  # a FROM clause
    columns: list[tuple[str, str]]  # (SQL column, DuckDB type) by position
    headers: list[object]


def _source(
    con: Any,
    path: Path,
    mapping: LedgerMapping,
    tmpdir: Path,
    progress: Progress,
    parallel: bool,
    table: LedgerTable | None = None,
    spare: int = _SPARE_COLUMNS,
) -> _Source:
    table = table or open_ledger(path, mapping, con=con)
    # An XLSX, and a JSON lines file with a value DuckDB's JSON reader reads otherwise (rare
    # in ledgers: numbers are usually plain, or strings), go through the importer's reader.
    via_csv = (
        table.format == "xlsx"
        or table.broken_header
        or (table.format == "jsonl" and bool(table.headers) and not json_numbers_read_exactly(path))
    )
    if table.format == "csv" or via_csv:
        if via_csv:
            csv_path, skip, delim = _table_to_csv(table, tmpdir, progress), 1, ","
        else:
            csv_path, skip, delim = path, table.header_row, table.delimiter
            if table.encoding in _TRANSCODED:
                csv_path = _transcode_or_refuse(path, tmpdir, table.encoding)
        n = len(table.headers)
        # Spare columns take the extra cells some rows carry (a trailing comma…), which the
        # importer ignores too; strict RFC 4180 parsing stays on for quoted line breaks.
        cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n + spare))
        reader = (
            f"read_csv({lit(str(csv_path))}, header=false, skip={skip}, delim={lit(delim)},"
            f" quote='\"', escape='\"', auto_detect=false, null_padding=true,"
            f" parallel={'true' if parallel else 'false'}, columns={{{cols}}})"
        )
        # Spare columns count for blankness too: a row with only an extra cell is a row.
        return _Source(
            reader, [(f"c{i}", "VARCHAR") for i in range(n + spare)], list(table.headers)
        )
    if not table.headers:  # JSON lines without a single key: no rows that are rows
        return _Source(
            "(SELECT CAST(NULL AS VARCHAR) AS c0 WHERE FALSE)", [("c0", "VARCHAR")], [None]
        )
    if table.format == "parquet":
        reader = f"read_parquet({lit(str(path))})"
    else:
        src = (
            _transcode_or_refuse(path, tmpdir, table.encoding)
            if table.encoding in _TRANSCODED
            else path
        )
        cols = ", ".join(f"{lit(str(h))}: 'VARCHAR'" for h in table.headers)
        reader = f"read_json({lit(str(src))}, format='newline_delimited', columns={{{cols}}})"
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    types = {row[0]: str(row[1]) for row in described}
    headers = [str(h) for h in table.headers]
    return _Source(reader, [(_quote(h), types.get(h, "VARCHAR")) for h in headers], list(headers))


class LedgerSQL(NamedTuple):
    sql: str
    has_id: bool
    typed: frozenset[str]  # dictionary fields whose raw_<name> is already the text (<name>_done)
    absent: dict[str, str]  # dictionary fields without a column: their one text, as SQL


def ledger_source_sql(
    con: Any,
    path: Path,
    mapping: LedgerMapping,
    tmpdir: Path,
    *,
    explicit_columns: bool,
    progress: Progress | None = None,
    parallel: bool = True,
    table: LedgerTable | None = None,
    check_origin: bool = True,
    spare_columns: int = _SPARE_COLUMNS,
) -> LedgerSQL:
    """A SELECT yielding one canonical row per ledger row, whether the file has an id column,
    and which dictionary fields (``_DICTIONARY_FIELDS``) are already text in ``raw_<name>``.

    Columns: key (buyer text), filled (not a blank row), ok, day, amount, quantity, origin, category, channel,
    seller_kind, and with ``explicit_columns`` also id, seller and product. Also raw_key,
    key_done and ok_row, to aggregate by the buyer cell as read before reading it (the rows of
    one buyer cell, not every row, then go through the buyer rules): ``key`` is
    ``raw_key`` if key_done, else :func:`key_sql` of it, and ``ok`` is
    ``ok_row AND key IS NOT NULL``. ``table`` is the
    ledger already opened by :func:`open_ledger` (its rows not yet read), to avoid opening twice.
    Without ``check_origin``, ``ok`` leaves out the origin-code check (``origin_ok(origin)``),
    for a caller that checks each distinct origin once instead of every row.
    ``spare_columns``: how many cells beyond the header a CSV row may carry (they are ignored).
    """
    src = _source(
        con,
        path,
        mapping,
        tmpdir,
        progress or Progress("", enabled=False),
        parallel,
        table,
        spare_columns,
    )
    plan = mapping.plan(src.headers)
    col: dict[str, tuple[str, str]] = {f: src.columns[p] for p, f in plan.fields.items()}

    def c(name: str) -> tuple[str | None, str | None]:
        return col.get(name, (None, None))

    def text(name: str, *, mapped: bool = True) -> str:
        expr, ctype = c(name)
        if not mapped:
            return text_expr(expr, ctype)
        return text_expr(
            expr, ctype, values=mapping.values.get(name), default=mapping.defaults.get(name)
        )

    amount = number_sql(
        *c("amount"),
        2,
        plan.amount_scale,
        required=True,
        s="s_amount",
        m="m_amount",
        kind="money",
    )
    quantity = number_sql(
        *c("quantity"),
        3,
        Decimal(1),
        required=False,
        s="s_quantity",
        m="m_quantity",
        kind="quantity",
    )
    day = date_sql(*c("date"), t="t_date")
    has_id = plan.has("id")
    stage1 = {
        "key": text("buyer"),
        "origin": text("origin_region"),
        "origin_plain": "FALSE",
        "category": text("category"),
        "channel": text("channel"),
        "seller_kind": text("seller_kind"),
        "idn": text("id_number", mapped=False),
        "tel": text("phone", mapped=False),
        "s_amount": amount.text,
        "s_quantity": quantity.text,
        "t_date": day.text,
        "s_amount_plain": amount.plain,
        "s_quantity_plain": quantity.plain,
        "t_date_plain": day.plain,
        "t_date_fast": day.fast,
        "filled": filled_expr(src.columns),
    }
    # The buyer cell as read, for aggregating by it before reading it by the rules (see
    # ``key_sql``); a typed or absent column is read here already (key_done).
    buyer_col, buyer_type = c("buyer")
    if buyer_col is not None and buyer_type == "VARCHAR":
        stage1["raw_key"], stage1["key_done"] = buyer_col, "FALSE"
    else:
        stage1["raw_key"], stage1["key_done"] = text("buyer"), "TRUE"
    # The same for the other text cells a filter reads (origin, category, channel, seller
    # kind): a caller can read each distinct cell once (see ``_Cells``) instead of every row.
    typed: list[str] = []
    absent: dict[str, str] = {}
    for name, fld in _DICTIONARY_FIELDS.items():
        cell_col, cell_type = c(fld)
        if cell_col is not None and cell_type == "VARCHAR":
            stage1[f"raw_{name}"], stage1[f"{name}_done"] = cell_col, "FALSE"
        else:
            stage1[f"raw_{name}"], stage1[f"{name}_done"] = text(fld), "TRUE"
            typed.append(name)
            if cell_col is None:
                absent[name] = text(fld)
    if explicit_columns:
        stage1["id"] = text("id") if has_id else "CAST(NULL AS VARCHAR)"
        stage1["seller"] = f"coalesce({text('seller')}, '')"
        stage1["product"] = f"coalesce({text('product')}, '')"
    origin_col, origin_type = c("origin_region")
    if (
        check_origin
        and origin_col is not None
        and origin_type == "VARCHAR"
        and not mapping.values.get("origin_region")
    ):
        # A valid code as read (most cells) is its own text: the code check on the cell as
        # read decides both, and strip runs only for the other cells.
        stage1["origin_plain"] = origin_code(origin_col)
        stage1["origin"] = (
            f"(CASE WHEN {stage1['origin_plain']} THEN {origin_col} ELSE {stage1['origin']} END)"
        )
    s1 = ", ".join(f"{e} AS {n}" for n, e in stage1.items())
    s2 = f"*, {amount.parts} AS m_amount, {quantity.parts} AS m_quantity"
    extra = ", id, seller, product" if explicit_columns else ""
    ok = " AND ".join(
        [
            amount.ok,
            quantity.ok,
            "day IS NOT NULL",
            f"(origin_plain OR {origin_ok('origin')})"
            if check_origin
            and (
                "origin_region" in col
                or "origin_region" in mapping.defaults
                or "origin_region" in mapping.values
            )
            else "TRUE",
            id_number_ok("idn") if "id_number" in col else "TRUE",
            phone_ok("tel") if "phone" in col else "TRUE",
        ]
    )
    raw_cells = "".join(f" raw_{n}, {n}_done," for n in _DICTIONARY_FIELDS)
    s3 = (
        f"key, raw_key, key_done,{raw_cells} filled, origin, origin_plain, category, channel,"
        f" seller_kind{extra}, {amount.value} AS amount, {quantity.value} AS quantity, {day.value} AS day,"
        f" {amount.ok} AS amount_ok, {quantity.ok} AS quantity_ok, idn, tel"
    )
    ok = ok.replace(amount.ok, "amount_ok").replace(quantity.ok, "quantity_ok")
    out_cols = (
        f"key, raw_key, key_done,{raw_cells} filled, origin, category, channel,"
        f" seller_kind{extra}, amount, quantity, day"
    )
    sql = (
        f"SELECT {out_cols}, ({ok}) AS ok_row, (({ok}) AND key IS NOT NULL) AS ok"
        f" FROM (SELECT {s3} FROM (SELECT {s2} FROM"
        f" (SELECT {s1} FROM {src.reader})))"
    )
    return LedgerSQL(sql, has_id, frozenset(typed), absent)


def key_sql(raw: str, mapping: LedgerMapping, field: str = "buyer") -> str:
    """The text of a VARCHAR cell ``raw`` of ``field`` as ``ledger_source_sql`` reads it
    (``key`` for the buyer, ``origin`` for origin_region)."""
    return text_expr(
        raw, "VARCHAR", values=mapping.values.get(field), default=mapping.defaults.get(field)
    )


# --- the engine -------------------------------------------------------------------------------


def _closure(units: Sequence[Unit], index: FactIndex) -> tuple[list[str], list[str]]:
    """(ancestor, descendant) pairs, each unit its own ancestor — FactIndex.scope, as a table."""
    anc: list[str] = []
    desc: list[str] = []
    for u in units:
        for d in index.scope(u.id, True):
            anc.append(u.id)
            desc.append(d)
    return anc, desc


@dataclass
class _Engine:
    con: Any
    source: str  # SELECT of canonical rows (non-blank), keyed
    per_unit_key: bool  # keys are unit ids already (explicit-id path)
    # The distinct text cells, when the source's ``ok`` leaves the origin check to them and
    # filters are to read cells once each (None: ``ok`` is complete, filters read every row).
    cells: _Cells | None = None
    # The buyer text of a raw_key, when the source has raw_key/key_done/ok_row columns: the
    # rows are then summed per buyer cell first, and the buyer rules run once per cell.
    key_norm: str | None = None
    # Without ``cells`` but with raw_<name>/<name>_done columns (not the explicit-id path):
    # the mapping and, per dictionary field, the <name>_done values the ledgers give, so a
    # text condition tests the cell as read (``text_in``) instead of stripping every row.
    mapping: LedgerMapping | None = None
    done: dict[str, set[bool]] = field(default_factory=dict)
    as_of: date = date.max  # accepted rows dated later are counted apart (n_later)

    def _text_in(self, column: str, values: frozenset[str]) -> str:
        """``column``'s text is one of ``values``, on raw_<column> (see ``mapping``)."""
        assert self.mapping is not None
        fld = _DICTIONARY_FIELDS[column]
        raw = f"raw_{column}"
        branches = {
            True: f"coalesce({raw} IN ({', '.join(lit(v) for v in sorted(values))}), FALSE)",
            False: text_in(
                raw,
                values,
                value_map=self.mapping.values.get(fld),
                default=self.mapping.defaults.get(fld),
            ),
        }
        done = self.done.get(column, {False})
        if len(done) == 1:
            return branches[next(iter(done))]
        return f"(CASE WHEN {column}_done THEN {branches[True]} ELSE {branches[False]} END)"

    def measure(self, requests: Iterable[Request]) -> dict[Request, dict[str, Decimal]]:
        requests = list(requests)
        out: dict[Request, dict[str, Decimal]] = {r: {} for r in requests}
        additive = [r for r in requests if r.aggregate != "distinct_origins"]
        distinct = [r for r in requests if r.aggregate == "distinct_origins"]
        filters = sorted({r.filter for r in additive}, key=repr)
        code_sets = [r.filter.origins for r in requests if r.filter.origins] + [
            r.only_in for r in distinct if r.only_in
        ]
        texts: dict[tuple[str, frozenset[str]], str] | None = None
        if self.cells is not None:
            source, sets, texts = _with_cells(
                self.cells, self.source, code_sets, [t for r in requests for t in r.filter.texts()]
            )
        else:
            source, sets = _with_membership(self.con, self.source, code_sets)
            if self.mapping is not None:
                conds = dict.fromkeys(t for r in requests for t in r.filter.texts())
                texts = {t: f"tx_{i}" for i, t in enumerate(conds)}
                if texts:
                    tcols = ", ".join(f"{self._text_in(*t)} AS {n}" for t, n in texts.items())
                    source = f"SELECT *, {tcols} FROM ({source})"
        # One scan of the ledgers; it also counts rows read and accepted per buyer text.
        ok = "ok" if self.key_norm is None else "ok_row"
        cols: list[str] = [
            "count(*) AS n_rows",
            f"count(*) FILTER (WHERE {ok}) AS n_ok",
            f"count(*) FILTER (WHERE {ok} AND day > DATE '{self.as_of.isoformat()}') AS n_later",
        ]
        names: dict[tuple[PurchaseFilter, str], str] = {}
        for i, flt in enumerate(filters):
            cond = flt.sql(sets, texts)
            for agg, expr in (
                ("amount", "sum(amount)"),
                ("quantity", "sum(quantity)"),
                ("count", "count(*)"),
            ):
                if any(r.filter == flt and r.aggregate == agg for r in additive):
                    name = f"{agg}_{i}"
                    names[(flt, agg)] = name
                    cols.append(f"{expr} FILTER (WHERE {ok} AND {cond}) AS {name}")
        if self.key_norm is None:
            per_key = f"SELECT key, {', '.join(cols)} FROM ({source}) GROUP BY key"
        else:
            # Summed per buyer cell as read, then per buyer text: ok_row AND key IS NOT
            # NULL is ok, so the second level keeps only groups whose key reads.
            outer = ", ".join(
                ["sum(n_rows) AS n_rows"]
                + [
                    f"sum({n}) FILTER (WHERE key IS NOT NULL) AS {n}"
                    for n in ["n_ok", "n_later", *names.values()]
                ]
            )
            # key_done is a constant per ledger: one branch per value, so each groups by
            # the one column (DuckDB folds the other branch away; measured 0.18 s vs
            # 0.26 s grouping by both columns at 10M rows).
            inner = " UNION ALL ".join(
                f"SELECT raw_key, {done} AS key_done, {', '.join(cols)} FROM ({source})"
                f" WHERE {'' if done == 'TRUE' else 'NOT '}key_done GROUP BY raw_key"
                for done in ("FALSE", "TRUE")
            )
            per_key = (
                f"SELECT key, {outer} FROM (SELECT CASE WHEN key_done THEN raw_key"
                f" ELSE {self.key_norm} END AS key, * EXCLUDE (raw_key, key_done)"
                f" FROM ({inner})) GROUP BY key"
            )
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE per_key AS {per_key}")
        # Rolled up to every unit in one join with the closure: the unit scope is its diagonal.
        targets: dict[tuple[str, str], list[Request]] = {}
        for r in additive:
            targets.setdefault((names[(r.filter, r.aggregate)], r.scope), []).append(r)
        if targets:
            # Fetched as text: DuckDB's DECIMAL to Python Decimal conversion cost ~4× the
            # query itself (20k sums at 10k units); the text is the exact value.
            sums = ", ".join(
                f"CAST(sum({n})"
                + (" FILTER (WHERE cl.ancestor = cl.descendant)" if sc == "unit" else "")
                + " AS VARCHAR)"
                for n, sc in targets
            )
            rows = self.con.execute(
                f"SELECT cl.ancestor, {sums} FROM per_key p JOIN keys k ON p.key = k.key"
                " JOIN closure cl ON cl.descendant = k.unit GROUP BY cl.ancestor"
            ).fetchall()
            wanted = list(targets.values())
            for row in rows:
                for j, reqs in enumerate(wanted):
                    value = row[j + 1]
                    if value is not None:
                        for r in reqs:
                            out[r][row[0]] = Decimal(value)
        for scope in sorted({r.scope for r in distinct}):
            reqs = [r for r in distinct if r.scope == scope]
            flags = []
            for i, r in enumerate(reqs):
                cond = r.filter.sql(sets, texts)
                if r.only_in is not None:
                    cond += f" AND {sets[r.only_in] if r.only_in else 'FALSE'}"
                flags.append(f"({cond}) AS d{i}")
            dflags = ", ".join(f"d{i}" for i in range(len(reqs)))
            any_flag = " OR ".join(f"d{i}" for i in range(len(reqs)))
            counts = ", ".join(
                f"count(DISTINCT origin) FILTER (WHERE d{i})" for i in range(len(reqs))
            )
            if self.cells is None:
                pairs = (
                    f"SELECT DISTINCT key, origin, {', '.join(flags)} FROM ({source})"
                    " WHERE ok AND origin IS NOT NULL"
                )
            else:
                # Distinct (buyer cell, origin cell) pairs first; then each cell's text.
                self.cells.list("origin")
                raw = (
                    f"SELECT DISTINCT raw_key, key_done, raw_origin, origin_done,"
                    f" {', '.join(flags)} FROM ({source}) WHERE ok_row"
                )
                pairs = (
                    f"SELECT * FROM (SELECT CASE WHEN key_done THEN raw_key ELSE"
                    f" {self.key_norm or 'raw_key'} END AS key, origin, {dflags} FROM"
                    f" (SELECT p.*, c.value AS origin FROM ({raw}) p JOIN cells c"
                    " ON c.field = 'origin' AND c.raw IS NOT DISTINCT FROM p.raw_origin"
                    " AND c.done = p.origin_done)) WHERE key IS NOT NULL AND origin IS NOT NULL"
                )
            rows = self.con.execute(
                f"WITH pairs AS ({pairs})"
                f" SELECT cl.ancestor, {counts} FROM pairs p JOIN keys k ON p.key = k.key"
                f" JOIN closure cl ON cl.descendant = k.unit"
                f"{' AND cl.ancestor = cl.descendant' if scope == 'unit' else ''}"
                f" WHERE {any_flag} GROUP BY cl.ancestor"
            ).fetchall()
            for row in rows:
                for i, r in enumerate(reqs):
                    out[r][row[0]] = Decimal(row[i + 1])
        return out


@dataclass
class BatchResult:
    evaluation: Evaluation
    rows_read: int
    accepted: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.rows_read - self.accepted


_DUCKDB_LINE = re.compile(r"CSV Error on Line: (\d+)")
_DUCKDB_NOISE = re.compile(
    r"^(?:CSV Error on Line:|Original Line:|Possible (?:Solution|fixes)|\* |LINE \d+:|\s*\^)"
)


def _ledger_error(
    exc: Exception, ledgers: Sequence[str | Path], mapping: LedgerMapping, tmpdir: Path
) -> InputError:
    """DuckDB's complaint about a ledger it read, as bad input naming the file and the line —
    without the settings dump, the SQL, or the line's text.

    DuckDB's line numbers are not always a person's: its CSV "line" counts records (a quoted
    line break makes it fall behind) and its JSON "line" skips blank lines and is one too high.
    So a byte that is not UTF-8 is found by the importer's byte scan and a malformed JSON line
    by the importer's reader, which say what ``xfrules ledger import`` says; only for other
    CSV errors is DuckDB's number given.
    """
    text = str(exc)
    paths = [Path(p) for p in ledgers]
    named = [p for p in paths if str(p) in text]
    # "a.csv" is inside "data.csv": keep only names no longer named one contains.
    named = [p for p in named if not any(str(p) in str(q) and p != q for q in named)]
    converted = False
    if not named and str(tmpdir) in text:
        # A transcoded or converted copy ("<n>-<stem>.…" in tmpdir): its original by stem.
        copy = re.search(re.escape(str(tmpdir)) + r"[/\\]\d+-([^'\"\s]*)", text)
        stem = copy.group(1) if copy else ""
        named = [p for p in paths if stem.startswith(p.stem + ".")]
        converted = any(ledger_format(p) != "csv" for p in named)
    if not named and len(paths) == 1:
        named = paths
    if len(named) == 1:
        path = named[0]
        fmt = ledger_format(path)  # the file was opened already: its suffix is a known one
        if fmt == "csv" and "Invalid unicode" in text:
            return InputError([undecodable_problem(path, "utf-8")])
        if fmt == "jsonl":
            try:
                for _ in open_ledger(path, mapping).rows:
                    pass
            except InputError as found:
                return found
    line = _DUCKDB_LINE.search(text)
    where = f"line {line.group(1)}" if line and not converted else ""
    if "Expected Number of Columns" in text and len(named) == 1:
        return InputError([too_wide(named[0], where)])
    reasons: list[str] = []
    for raw in text.removeprefix("Invalid Input Error: ").splitlines():
        raw = raw.strip()
        if not raw:
            if reasons:
                break  # the settings dump follows a blank line
            continue
        if not _DUCKDB_NOISE.match(raw):
            reasons.append(raw.removeprefix("Invalid Input Error: ").removeprefix("IO Error: "))
    reason = re.sub(r",? at byte \d+ in line \d+", "", " ".join(reasons)) or type(exc).__name__
    if "Expected Number of Columns" in text:
        reason = f"{too_wide(Path(), '').message} ({reason})"
    file = ", ".join(str(p) for p in named or paths)
    return InputError([Problem(file, where, "", f"DuckDB cannot read it: {reason}")])


def evaluate_ledgers(
    rules: Rulebook | Facts,
    ledgers: Sequence[str | Path],
    as_of: date,
    *,
    mapping: LedgerMapping | None = None,
    progress: bool | None = None,
    memory_limit: str = "1500MB",
    threads: int | None = None,
    periods: _evaluator.Periods = "recent",
    obligations: Iterable[Obligation] | None = None,
    region_sets: RegionSets | None = None,
    registry: Registry | None = None,
) -> BatchResult:
    """Evaluate the rulebook's units with transactions read from ``ledgers`` by DuckDB.

    Findings equal :func:`xfrules.ledger.evaluate_ledgers_in_memory`'s (the importer, then
    the evaluator). Rejected rows are counted here; ``xfrules ledger import`` lists them row
    by row. Given facts instead of a rulebook, they are prepared first
    (:func:`xfrules.rulebook.prepare` with ``registry``, ``obligations``, ``region_sets``).
    """
    import duckdb

    _evaluator.check_date_argument(as_of)
    if isinstance(rules, Facts):
        rules = prepare(rules, registry, obligations=obligations, region_sets=region_sets)
    facts = rules.facts
    refuse_facts_transactions(facts)
    mapping = mapping or LedgerMapping()
    con = duckdb_connection(
        {"memory_limit": memory_limit, **({"threads": threads} if threads else {})}
    )
    units = list(facts.units)
    keys = buyer_keys(units)
    con.execute(
        "CREATE TEMP TABLE keys AS SELECT unnest(?::VARCHAR[]) AS key, unnest(?::VARCHAR[]) AS unit",
        [list(keys), list(keys.values())],
    )
    plain_index = FactIndex(facts)  # observations and submissions: the facts file's own
    learning = _evaluator.EvaluationCache()
    learners: dict[str, list[Unit]] = {}
    for unit in sorted(units, key=lambda u: u.id):
        learners.setdefault(unit.jurisdiction, []).append(unit)
    anc, desc = _closure(units, plain_index)
    con.execute(
        "CREATE TEMP TABLE closure AS SELECT unnest(?::VARCHAR[]) AS ancestor,"
        " unnest(?::VARCHAR[]) AS descendant",
        [anc, desc],
    )
    obs, sets = rules.obligations, rules.region_sets
    with (
        tempfile.TemporaryDirectory(prefix="xfrules-batch-") as tmp,
        Progress("batch", enabled=progress) as bar,
    ):
        tmpdir = Path(tmp)
        # Opened once: the headers tell whether ids are present, and the first run reads the
        # same tables (a retry reopens them, since an XLSX table's rows are read only once).
        opened = {i: open_ledger(Path(p), mapping, con=con) for i, p in enumerate(ledgers)}
        has_ids = any(mapping.plan(t.headers).has("id") for t in opened.values())
        # Checking each distinct origin once needs a first pass over the origin column: cheap
        # in a columnar file, a second parse of the whole file in a text one.
        origins_first = not has_ids and all(t.format == "parquet" for t in opened.values())

        def run(parallel: bool, spare: int) -> tuple[SqlMeasurer, int, int, int]:
            parts = [
                ledger_source_sql(
                    con,
                    Path(p),
                    mapping,
                    tmpdir,
                    explicit_columns=has_ids,
                    progress=bar,
                    parallel=parallel,
                    table=opened.pop(i, None),
                    spare_columns=spare,
                    check_origin=not origins_first,
                )
                for i, p in enumerate(ledgers)
            ]
            union = " UNION ALL ".join(f"({p.sql})" for p in parts)
            rows_read = accepted = later = 0
            if has_ids:
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE rows AS SELECT r.*, k.unit FROM ({union}) r"
                    " LEFT JOIN keys k ON r.key = k.key WHERE r.filled"
                )
                rows_read = _scalar(con, "SELECT count(*) FROM rows")
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE kept AS"
                    " WITH good AS (SELECT * FROM rows WHERE ok AND unit IS NOT NULL),"
                    " grp AS (SELECT id, count(DISTINCT (unit, seller, product, category, origin,"
                    " quantity, amount, day, channel, seller_kind)) AS k FROM good"
                    " WHERE id IS NOT NULL GROUP BY id)"
                    " SELECT * FROM good WHERE id IS NULL UNION ALL"
                    " SELECT * FROM (SELECT g.* FROM good g JOIN grp USING (id) WHERE grp.k = 1"
                    " QUALIFY row_number() OVER (PARTITION BY g.id) = 1)"
                )
                accepted = _scalar(con, "SELECT count(*) FROM kept")
                later = _scalar(
                    con, f"SELECT count(*) FROM kept WHERE day > DATE '{as_of.isoformat()}'"
                )
                source = (
                    "SELECT unit AS key, TRUE AS ok, day, amount, quantity, origin, category,"
                    " channel, seller_kind FROM kept"
                )
            else:
                source = f"SELECT * FROM ({union}) WHERE filled"
            # Text cells repeat (thousands of origin codes, a few categories; millions of
            # rows): in a columnar file a first pass lists each distinct cell, which is read
            # and checked once; the scan then tests cells as read (an IN list or a semi-join)
            # instead of stripping and regex-checking every row.
            cells = _Cells(con, parts, mapping) if origins_first else None
            measurer = SqlMeasurer(
                _Engine(
                    con,
                    source,
                    has_ids,
                    cells,
                    None if has_ids else key_sql("raw_key", mapping),
                    None if has_ids or cells is not None else mapping,
                    {n: {n in p.typed for p in parts} for n in _DICTIONARY_FIELDS},
                    as_of,
                ),
                sets,
                as_of,
            )
            # Learn the requests: one bound unit of each obligation that measures purchases is
            # enough. Only bound units are asked (an obligation binding no unit would otherwise
            # cost a call per unit: 20 s for 5 plug-ins and 10k units); a request still missed
            # is computed on demand.
            for ob in obs:
                if not isinstance(getattr(ob, "measure", None), TransactionMeasure):
                    continue
                before = len(measurer.requests)
                for unit in learners.get(ob.jurisdiction, ()):
                    if learning.binding_problem(ob, unit) is not None:
                        continue
                    for on in _evaluator.judged_days(ob, as_of, periods):
                        _evaluator.evaluate_one(
                            ob,
                            unit,
                            as_of,
                            plain_index,
                            sets,
                            transaction_measurer=measurer,
                            cache=learning,
                            on=on,
                        )
                    if len(measurer.requests) > before:
                        break
            measurer.values = measurer.engine.measure(measurer.requests)
            if not has_ids:
                rows_read, accepted, later = _counts(con)
            return measurer, rows_read, accepted, later

        parallel, spare = True, _SPARE_COLUMNS
        while True:
            try:
                # The share done of each DuckDB query, with the time left (on a terminal).
                with duckdb_progress(con, bar):
                    measurer, rows_read, accepted, later = run(parallel, spare)
                break
            except duckdb.Error as exc:
                # A CSV row with more extra cells than spare columns stops DuckDB; the importer
                # ignores extra cells, so the run is repeated with more (rare: trailing commas
                # are the usual case, and 4 cover them).
                if "Expected Number of Columns" in str(exc) and spare < _MAX_SPARE_COLUMNS:
                    spare *= 8
                # DuckDB's parallel CSV scanner cannot pad short rows across quoted line breaks.
                elif "parallel=false" in str(exc) and parallel:
                    parallel = False
                elif isinstance(exc, duckdb.InvalidInputException | duckdb.IOException):
                    # A file DuckDB cannot read is bad input (exit 2), not a crash.
                    raise _ledger_error(exc, ledgers, mapping, tmpdir) from exc
                else:
                    raise
        measurer.recording = False
        # The evaluator itself decides every finding (pairs, department aliases, semantics);
        # only the transaction sums come from SQL.
        evaluation = _evaluator.evaluate_rulebook(
            rules, as_of, transaction_measurer=measurer, periods=periods
        )
        con.close()
    evaluation.transactions_after_as_of = later
    return BatchResult(evaluation, rows_read, accepted)


def _counts(con: Any) -> tuple[int, int, int]:
    """Rows read, accepted, and accepted but dated after as_of, from the per-buyer table the
    aggregation left behind."""
    known = "key IN (SELECT key FROM keys)"
    row = con.execute(
        f"SELECT coalesce(sum(n_rows), 0), coalesce(sum(n_ok) FILTER (WHERE {known}), 0),"
        f" coalesce(sum(n_later) FILTER (WHERE {known}), 0) FROM per_key"
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def _scalar(con: Any, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0
