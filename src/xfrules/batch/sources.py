"""Ledger files as SQL: one canonical row per ledger row, read by the ledger rules in DuckDB.

:func:`ledger_source_sql` gives a SELECT over a ledger file (CSV, Parquet, JSON lines; XLSX
and JSON lines DuckDB would read otherwise go through the importer's reader into a CSV first)
whose columns are the fields read as :mod:`xfrules.ledger.rules` reads them
(:mod:`xfrules.batch.sql` holds the cell rules). Nothing here aggregates or evaluates.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import InputError
from ..ledger.mapping import LedgerMapping
from ..ledger.readers import (
    MAX_EXTRA_CELLS,
    LedgerTable,
    cell_text,
    open_ledger,
    undecodable_problem,
)
from ..progress import Progress
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
)

__all__ = [
    "CONTENT_FIELDS",
    "DICTIONARY_FIELDS",
    "MAX_SPARE_COLUMNS",
    "SPARE_COLUMNS",
    "LedgerSQL",
    "json_numbers_read_exactly",
    "key_sql",
    "ledger_source_sql",
]


def _transcode(src: Path, encoding: str, tmpdir: Path) -> Path:
    """GBK/GB18030 text to UTF-8, in 1 MiB chunks (DuckDB reads UTF-8 only)."""
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
        # "\r\n" ends lines so that the writer quotes a cell holding a lone \r too (it quotes
        # only the terminator's characters); unquoted, DuckDB takes that \r for a line end.
        writer = csv.writer(fh, lineterminator="\r\n")
        # The header line is skipped by position; a line break in it (even a lone \r inside
        # quotes) puts DuckDB's sniffer off, so the copy's header has none.
        writer.writerow([re.sub(r"[\r\n]+", " ", cell_text(h)) for h in table.headers])
        for _, cells in table.rows:
            writer.writerow([cell_text(c) for c in cells])
            progress.advance()
    return out


SPARE_COLUMNS = 4
MAX_SPARE_COLUMNS = 4 * 8**3  # up to 2,048 extra cells in a row: MAX_EXTRA_CELLS
assert MAX_SPARE_COLUMNS == MAX_EXTRA_CELLS
# Text fields a filter reads whose cells repeat (a few categories, thousands of origin codes):
# the source also gives each cell as read (raw_<name>) and whether that is already its text.
DICTIONARY_FIELDS = {
    "origin": "origin_region",
    "category": "category",
    "channel": "channel",
    "seller_kind": "seller_kind",
}

# Text fields compared only between rows that share a transaction id: with ids, the source
# gives them as read too (raw_<name>, <name>_done).
CONTENT_FIELDS = ("seller", "product")


_TRANSCODED = ("gb18030", "utf-16")  # encodings DuckDB does not read: copied to UTF-8 first


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
    spare: int = SPARE_COLUMNS,
) -> _Source:
    table = table or open_ledger(path, mapping, con=con)
    # An XLSX, a CSV whose header has a quoted line break (DuckDB's skip counts records, the
    # importer's row numbers are lines), and a JSON lines file with a value DuckDB's JSON
    # reader reads otherwise (rare in ledgers: numbers are usually plain, or strings), go
    # through the importer's reader.
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
    # Each row's transaction id (column ``id``, as ``sql`` reads it) and nothing else, for a
    # pass that reads only that column; None without an id column.
    ids: str | None = None


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
    spare_columns: int = SPARE_COLUMNS,
) -> LedgerSQL:
    """A SELECT yielding one canonical row per ledger row, whether the file has an id column,
    and which dictionary fields (``DICTIONARY_FIELDS``) are already text in ``raw_<name>``.

    Columns: key (buyer text), filled (not a blank row), ok, day, amount, quantity, origin, category, channel,
    seller_kind, and with ``explicit_columns`` also id and raw_<name>, <name>_done of the
    ``CONTENT_FIELDS`` (seller, product). Also raw_key,
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
    for name, fld in DICTIONARY_FIELDS.items():
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
        # Compared only for rows whose id repeats: given as read, like the dictionary
        # fields, so that no other row pays for reading them.
        for name in CONTENT_FIELDS:
            cell_col, cell_type = c(name)
            if cell_col is not None and cell_type == "VARCHAR":
                stage1[f"raw_{name}"], stage1[f"{name}_done"] = cell_col, "FALSE"
            else:
                stage1[f"raw_{name}"], stage1[f"{name}_done"] = text(name), "TRUE"
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
    extra = (
        "".join([", id", *(f", raw_{n}, {n}_done" for n in CONTENT_FIELDS)])
        if explicit_columns
        else ""
    )
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
    raw_cells = "".join(f" raw_{n}, {n}_done," for n in DICTIONARY_FIELDS)
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
    ids = f"SELECT {text('id')} AS id FROM {src.reader}" if has_id else None
    return LedgerSQL(sql, has_id, frozenset(typed), absent, ids)


def key_sql(raw: str, mapping: LedgerMapping, field: str = "buyer") -> str:
    """The text of a VARCHAR cell ``raw`` of ``field`` as ``ledger_source_sql`` reads it
    (``key`` for the buyer, ``origin`` for origin_region)."""
    return text_expr(
        raw, "VARCHAR", values=mapping.values.get(field), default=mapping.defaults.get(field)
    )
