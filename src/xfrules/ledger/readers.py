"""Read ledger files as rows of cells: CSV (UTF-8, UTF-8 BOM, GBK/GB18030, UTF-16 with BOM —
Excel's "Unicode Text", tab-separated), XLSX, Parquet, JSON lines.

Every reader yields ``(row_number, cells)`` after the header, where ``row_number`` is what
a person sees: the line in a CSV file, the row in a spreadsheet, the record in Parquet,
the line in JSON lines. Readers stream; nothing holds the whole file.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..i18n import Msg
from ..textio import ENCODING_NAMES, encoding_of
from .mapping import LedgerMapping

__all__ = [
    "MAX_EXTRA_CELLS",
    "LedgerTable",
    "detect_encoding",
    "duckdb_connection",
    "first_undecodable",
    "ledger_format",
    "open_ledger",
    "too_wide",
    "undecodable_problem",
]

Cell = str | Decimal | date | None
_SNIFF_BYTES = 1 << 20
_HEADER_SCAN = 20
MAX_EXTRA_CELLS = 2048
"""Cells a row may carry beyond its header's (trailing commas…; they are ignored). A row
with more is no ledger row (a shifted or pasted-over line): both backends refuse the file
there, with :func:`too_wide`, rather than one reading it and the other not."""


def too_wide(path: Path, where: str | Msg) -> Problem:
    return Problem(str(path), where, "", Msg("ledger.too_wide", limit=f"{MAX_EXTRA_CELLS:,}"))


csv.field_size_limit(1 << 24)


def ledger_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise InputError([Problem(str(path), "", "", Msg("ledger.unknown_format"))])


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' (BOM), 'utf-16' (a UTF-16 BOM: what Excel saves as "Unicode Text"),
    'utf-8', or 'gb18030' (a superset of GBK), from the first MiB."""
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    encoding = encoding_of(head, complete=len(head) < _SNIFF_BYTES)
    if encoding is None:
        raise InputError([Problem(str(path), "", "", Msg("ledger.not_text"))])
    return encoding


def first_undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """(byte offset, line) of the first byte ``encoding`` cannot decode, or None.

    Lines are counted on the bytes: a newline byte is never part of a UTF-8 or GB18030
    multi-byte sequence. (A text reader's own count runs ahead of the error by its read-ahead
    buffer, so its line number is not the bad byte's.)
    """
    if encoding == "utf-16":
        return _first_undecodable_utf16(path)
    decoder = codecs.getincrementaldecoder("utf-8" if encoding == "utf-8-sig" else encoding)()
    offset = newlines = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_SNIFF_BYTES)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # exc.object is the decoder's pending bytes followed by this chunk.
                newlines += exc.object[pending : max(pending, exc.start)].count(b"\n")
                return offset - pending + exc.start, newlines + 1
            if not chunk:
                return None
            newlines += chunk.count(b"\n")
            offset += len(chunk)


def _first_undecodable_utf16(path: Path) -> tuple[int, int] | None:
    """:func:`first_undecodable` for UTF-16, whose newline is two bytes (and a 0x0A byte may
    be half of another character): lines are counted on the decoded text."""
    with path.open("rb") as fh:
        bom = fh.read(2)
        codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
        decoder = codecs.getincrementaldecoder(codec)()
        offset, newlines = 2, 0
        while True:
            chunk = fh.read(_SNIFF_BYTES)
            pending = len(decoder.getstate()[0])
            try:
                newlines += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as exc:
                before = exc.object[: exc.start].decode(codec, errors="replace")
                return offset - pending + exc.start, newlines + before.count("\n") + 1
            if not chunk:
                return None
            offset += len(chunk)


def undecodable_problem(path: Path, encoding: str, shown: Path | None = None) -> Problem:
    """The problem of a text ledger with a byte its encoding (from the first MiB) cannot
    decode, naming the line and byte offset; ``shown``: the file to name instead of ``path``
    (the original of a transcoded copy)."""
    name = ENCODING_NAMES.get(encoding, encoding)
    where = first_undecodable(path, encoding)
    if where is None:  # changed since it failed: say what is known
        return Problem(str(shown or path), "", "", Msg("ledger.not_encoding", encoding=name))
    offset, line = where
    return Problem(
        str(shown or path),
        Msg("at.line", n=line),
        "",
        Msg("ledger.undecodable", encoding=name, offset=offset),
    )


def cell(value: Any) -> Cell:
    """A cell as the validator takes it: text, an exact Decimal, a date, or None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | Decimal | str):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as this float
    return str(value)


def cell_text(value: Cell) -> str:
    """The text form a transcoded CSV carries for a cell (read back to the same value)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _blank(cells: Sequence[Cell]) -> bool:
    try:  # all text (a CSV row): blank when the cells joined are
        return not "".join(cells).strip()  # type: ignore[arg-type]
    except TypeError:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@dataclass
class LedgerTable:
    """A ledger file opened for reading: its header and a stream of data rows."""

    path: Path
    format: str
    headers: list[Cell]
    header_row: int  # 1-based row (line) of the header
    rows: Iterator[tuple[int, list[Cell]]]
    encoding: str | None = None
    delimiter: str = ","
    sheet: str | None = None
    # A quoted line break in a record up to the header: lines and records no longer
    # correspond there (the DuckDB backend then reads the rows the importer reads).
    broken_header: bool = False


def _find_header(path: Path, first: list[tuple[int, list[Cell]]], mapping: LedgerMapping) -> int:
    if mapping.header_row is not None:
        for i, (number, _) in enumerate(first):
            if number == mapping.header_row:
                return i
        raise InputError(
            [
                Problem(
                    str(path),
                    Msg("at.row", n=mapping.header_row),
                    "",
                    Msg("ledger.header_row_not_found"),
                )
            ]
        )
    for i, (_, cells) in enumerate(first):
        if mapping.score(cells) >= 2:
            return i
    raise InputError([Problem(str(path), "", "", Msg("ledger.no_header", n=_HEADER_SCAN))])


def _with_header(
    path: Path, fmt: str, numbered: Iterator[tuple[int, list[Cell]]], mapping: LedgerMapping
) -> tuple[list[Cell], int, Iterator[tuple[int, list[Cell]]], bool]:
    """The header (found by the mapping), its row, the data rows after it, and whether a
    record up to the header spans lines (row numbers are last lines of records)."""
    first: list[tuple[int, list[Cell]]] = []
    spans: dict[int, bool] = {}  # a record's number -> whether it spans lines
    previous = 0
    for item in numbered:
        spans[item[0]] = item[0] - previous > 1
        previous = item[0]
        if _blank(item[1]):
            continue
        first.append(item)
        if len(first) >= _HEADER_SCAN:
            break
    if not first:
        raise InputError([Problem(str(path), "", "", Msg("ledger.empty"))])
    h = _find_header(path, first, mapping)
    header_row, headers = first[h]
    broken = any(spanned for number, spanned in spans.items() if number <= header_row)

    widest = len(headers) + MAX_EXTRA_CELLS
    where = "at.line" if fmt == "csv" else "at.row"

    def rest() -> Iterator[tuple[int, list[Cell]]]:
        for item in itertools.chain(first[h + 1 :], numbered):
            if len(item[1]) > widest:
                raise InputError([too_wide(path, Msg(where, n=item[0]))])
            if not _blank(item[1]):
                yield item

    return headers, header_row, rest(), broken


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[Cell]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            for cells in reader:
                yield reader.line_num, cells  # type: ignore[misc]
        except UnicodeDecodeError as exc:
            raise InputError([undecodable_problem(path, encoding)]) from exc
        except csv.Error as exc:
            raise InputError(
                [
                    Problem(
                        str(path),
                        Msg("at.line", n=reader.line_num),
                        "",
                        Msg("ledger.unreadable", kind="CSV", detail=str(exc)),
                    )
                ]
            ) from exc


def _first_line(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as fh:
        try:
            for line in fh:
                if line.strip():
                    return line
        except UnicodeDecodeError as exc:
            raise InputError([undecodable_problem(path, encoding)]) from exc
    return ""


def table_rows(
    path: Path, *, sheet: str | None = None, convert: Callable[[Any], Any] = cell
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV (any encoding :func:`detect_encoding` knows, delimiter sniffed) or
    XLSX table as ``(row number as a person sees it, cells)``, each spreadsheet cell through
    ``convert``: the one table reader of ledgers and annexes."""
    if ledger_format(path) == "xlsx":
        return _xlsx_rows(path, sheet, convert)[1]
    encoding = detect_encoding(path)
    return _csv_rows(path, encoding, _sniff_delimiter(_first_line(path, encoding)))


def _xlsx_rows(
    path: Path, sheet: str | None, convert: Callable[[Any], Any] = cell
) -> tuple[str, Iterator[tuple[int, list[Cell]]]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise InputError([Problem(str(path), "", "", _unreadable("XLSX", exc))]) from exc
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError(
            [Problem(str(path), "", "", Msg("ledger.no_sheet", sheet=sheet, sheets=wb.sheetnames))]
        )
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]

    def gen() -> Iterator[tuple[int, list[Cell]]]:
        number = 0
        try:
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield number, [convert(v) for v in values]
        except Exception as exc:  # a damaged sheet fails while streaming, in many types
            where = Msg("at.row", n=number + 1)
            raise InputError([Problem(str(path), where, "", _unreadable("XLSX", exc))]) from exc
        finally:
            wb.close()

    return ws.title, gen()


def duckdb_connection(config: dict[str, Any] | None = None) -> Any:
    """A DuckDB connection as xfrules uses one: DuckDB's own progress bar off — it draws on
    stdout during a query over 2 s, which wrote it into `ledger evaluate --format json`
    (ours is on stderr, and only on a terminal)."""
    import duckdb

    con = duckdb.connect(config=config or {})
    con.execute("SET enable_progress_bar = false")
    return con


def _parquet_rows(
    path: Path, con: Any = None
) -> tuple[list[Cell], Iterator[tuple[int, list[Cell]]]]:
    """The header and a row iterator; ``con``, a DuckDB connection to use instead of a new
    one (a new one costs ~17 ms), is left open."""
    import duckdb

    own = con is None
    if own:
        con = duckdb_connection()
    # The header from the schema alone: the batch backend opens a ledger for its header and
    # never reads its rows here, so the scan starts only when the rows are iterated.
    try:
        described = con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(path)])
    except duckdb.Error as exc:
        if own:
            con.close()
        raise InputError([Problem(str(path), "", "", _duckdb_unreadable("Parquet", exc))]) from exc
    headers: list[Cell] = [d[0] for d in described.description or ()]

    def gen() -> Iterator[tuple[int, list[Cell]]]:
        number = 0
        cur = con.cursor()  # its own cursor: the caller's connection may run other queries
        try:
            cur.execute("SELECT * FROM read_parquet(?)", [str(path)])
            while batch := cur.fetchmany(10_000):
                for values in batch:
                    number += 1
                    yield number, [cell(v) for v in values]
        except duckdb.Error as exc:  # a damaged row group fails while streaming
            where = Msg("at.record", n=number + 1)
            problem = Problem(str(path), where, "", _duckdb_unreadable("Parquet", exc))
            raise InputError([problem]) from exc
        finally:
            cur.close()
            if own:
                con.close()

    return headers, gen()


def _unreadable(kind: str, exc: Exception) -> Msg:
    """The reader's own reason (another library's words, in English)."""
    return Msg("ledger.unreadable", kind=kind, detail=str(exc))


def _duckdb_unreadable(kind: str, exc: Exception) -> Msg:
    """DuckDB's reason, without its error class and the SQL it quotes."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    detail = first.removeprefix("Invalid Input Error: ")
    return Msg("ledger.unreadable", kind=kind, detail=detail)


def _jsonl_rows(path: Path, encoding: str) -> tuple[list[Cell], Iterator[tuple[int, list[Cell]]]]:
    # The header is the union of keys of the first records, in order of appearance.
    keys: dict[str, None] = {}
    with path.open(encoding=encoding) as fh:
        try:
            for i, line in enumerate(fh):
                if i >= 1000:
                    break
                if line.strip():
                    try:
                        rec = json.loads(line, parse_float=Decimal)
                    except json.JSONDecodeError:
                        continue
                    if isinstance(rec, dict):
                        keys.update(dict.fromkeys(rec))
        except UnicodeDecodeError as exc:
            raise InputError([undecodable_problem(path, encoding)]) from exc
    headers = list(keys)

    def gen() -> Iterator[tuple[int, list[Cell]]]:
        try:
            yield from lines()
        except UnicodeDecodeError as exc:
            raise InputError([undecodable_problem(path, encoding)]) from exc

    def lines() -> Iterator[tuple[int, list[Cell]]]:
        with path.open(encoding=encoding) as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line, parse_float=Decimal)
                except json.JSONDecodeError as exc:
                    raise InputError(
                        [
                            Problem(
                                str(path),
                                Msg("at.line", n=number),
                                "",
                                Msg("ledger.bad_json", detail=exc.msg),
                            )
                        ]
                    ) from exc
                if not isinstance(rec, dict):
                    raise InputError(
                        [Problem(str(path), Msg("at.line", n=number), "", Msg("ledger.not_object"))]
                    )
                yield number, [_json_cell(rec.get(k)) for k in headers]

    return list[Cell](headers), gen()


def _json_cell(value: Any) -> Cell:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return cell(value)


def open_ledger(path: str | Path, mapping: LedgerMapping, *, con: Any = None) -> LedgerTable:
    """Open a ledger for streaming: detect format, encoding, delimiter and header row.

    ``con``: a DuckDB connection Parquet files are read with (default: one of their own).
    """
    path = Path(path)
    if not path.is_file():
        reason = Msg("ledger.is_directory" if path.is_dir() else "ledger.no_file")
        raise InputError([Problem(str(path), "", "", reason)])
    fmt = ledger_format(path)
    if fmt == "csv":
        encoding = detect_encoding(path)
        delimiter = _sniff_delimiter(_first_line(path, encoding))
        headers, header_row, rows, broken = _with_header(
            path, fmt, _csv_rows(path, encoding, delimiter), mapping
        )
        table = LedgerTable(
            path, fmt, headers, header_row, rows, encoding, delimiter, broken_header=broken
        )
        return _checked(table, mapping)
    if fmt == "xlsx":
        title, numbered = _xlsx_rows(path, mapping.sheet)
        headers, header_row, rows, _ = _with_header(path, fmt, numbered, mapping)
        return _checked(LedgerTable(path, fmt, headers, header_row, rows, sheet=title), mapping)
    if fmt == "parquet":
        headers, rows = _parquet_rows(path, con)
        return _checked(LedgerTable(path, fmt, headers, 0, rows), mapping)
    encoding = detect_encoding(path)
    headers, rows = _jsonl_rows(path, encoding)
    return _checked(LedgerTable(path, fmt, headers, 0, rows, encoding), mapping)


def _checked(table: LedgerTable, mapping: LedgerMapping) -> LedgerTable:
    """The table, if its header gives every required field (one problem of the file, not
    one per row); a JSON lines file without a single key has no rows that are rows."""
    if table.format == "jsonl" and not table.headers:
        return table
    why = mapping.header_problem(table.headers)
    if why is None:
        return table
    close = getattr(table.rows, "close", None)
    if close is not None:
        close()  # let a reader release its file (an XLSX workbook, a DuckDB cursor)
    where = Msg("at.row", n=table.header_row) if table.header_row else Msg("at.header")
    raise InputError([Problem(str(table.path), where, "", why)])
