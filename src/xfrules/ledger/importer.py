"""Import ledgers into :class:`~xfrules.Transaction` records, rejecting bad rows loudly.

Accepted + rejected always equals the rows read (blank rows are not rows). Rejected rows go to
a CSV file with their reasons and the original cells, personal data masked.

The import streams: each row is read, checked and either handed on or written to the
rejected-rows file before the next is read, so memory does not grow with the rows
(:func:`stream_ledgers`). Only rows with a transaction id wait — on disk, not in memory — until
the ledgers have been read: whether their id comes back later, with the same content or
other, decides whether they count.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

from ..entities import Transaction, Unit
from ..errors import Problem
from ..i18n import Msg, t
from ..progress import Progress, estimate_rows
from ..purchases import PurchasesBuilder
from ..spreadsheet import CsvWriter
from .mapping import LedgerMapping
from .readers import open_ledger
from .rules import Purchase, RowRules, buyer_keys, mask_row

__all__ = ["ImportResult", "RejectWriter", "import_ledgers", "iter_ledger", "stream_ledgers"]

REJECT_COLUMNS = ("file", "row", "column", "reason")


@dataclass
class ImportResult:
    """What an import read, kept and rejected. ``transactions`` holds the accepted ones when
    the import keeps them (:func:`import_ledgers`: as columns, read as a sequence of
    :class:`~xfrules.Transaction`, :class:`xfrules.purchases.Purchases`); ``problems`` the
    rejected rows' problems, up to the number the import was asked to keep."""

    transactions: Sequence[Transaction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rejected: int = 0
    accepted: int = 0
    problem_count: int = 0  # every problem found, kept in ``problems`` or not


class RejectWriter:
    """The rejected-rows CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese).

    Its header row is the ledger's, after the reason columns; a ledger with another layout
    gets its own header row before its rows, so no cell sits under another file's column.
    A column the ledger leaves unnamed is called by its position; cells beyond the header
    (a row's extra cells) follow unnamed.
    """

    def __init__(self, stream: TextIO | None) -> None:
        # Every cell masked and never a formula (xfrules.spreadsheet): the file is opened
        # in a spreadsheet, and a ledger's cells and file names are anyone's text.
        self.writer = CsvWriter(stream) if stream is not None else None
        self.headers: tuple[str, ...] | None = None

    def write(
        self,
        headers: Sequence[str],
        file: str,
        row: int,
        problems: Sequence[Problem],
        cells: list[str],
    ) -> None:
        if self.writer is None:
            return
        named = tuple(h.strip() or f"(column {i})" for i, h in enumerate(headers, 1))
        if named != self.headers:
            self.writer.writerow([*REJECT_COLUMNS, *named])
            self.headers = named
        columns = "; ".join(dict.fromkeys(p.field for p in problems if p.field))
        reasons = t("problem.reasons_sep").join(p.message for p in problems)
        self.writer.writerow([file, row, columns, reasons, *cells])


def iter_ledger(
    path: str | Path,
    mapping: LedgerMapping,
    buyers: dict[str, str] | None,
) -> Iterator[tuple[int, Purchase | None, list[Problem], tuple[str, ...], list[str], str | None]]:
    """Per data row: (row, purchase or None, problems, headers, masked cells — for a rejected
    row, and every row of a ledger with ids —, the header of its transaction id column or
    None when the ledger has none)."""
    table = open_ledger(path, mapping)
    plan = mapping.plan(table.headers)
    rules = RowRules(Path(path), plan, mapping, buyers)
    id_header = rules.header("id") if plan.has("id") else None
    # The CSV and XLSX readers leave blank rows out already (they look for the header).
    blanks = table.format not in ("csv", "xlsx")
    for number, cells in table.rows:
        if blanks and all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        purchase, problems = rules.check(number, cells)
        masked = (
            mask_row(plan, cells, rules.seller_is_person(cells)) if problems or id_header else []
        )
        yield number, purchase, problems, plan.headers, masked, id_header


class _Held:
    """Rows with a transaction id, until every ledger is read: spilled to a private
    temporary file (this process writes and reads it back), with, in memory, each id's
    content hash — and for an id seen again, whether its rows agree."""

    def __init__(self, spill: IO[bytes]) -> None:
        self._file = spill
        self._used = False
        self.first: dict[str, int] = {}  # id -> content hash of its first row
        self.repeats: dict[str, tuple[int, bool]] = {}  # id seen again -> (rows, all agree)
        self._headers: dict[tuple[str, ...], int] = {}

    def add(self, row: tuple[Purchase, str, int, tuple[str, ...], list[str], str]) -> None:
        purchase = row[0]
        tid = purchase.id
        first = self.first.get(tid)
        if first is None:
            self.first[tid] = purchase.content
        else:
            n, agree = self.repeats.get(tid, (1, True))
            self.repeats[tid] = (n + 1, agree and first == purchase.content)
        self._used = True
        # Headers repeat for every row of a file: spilled once, then by number.
        headers = self._headers.setdefault(row[3], len(self._headers))
        pickle.dump((*row[:3], headers, *row[4:]), self._file, pickle.HIGHEST_PROTOCOL)

    def rows(self) -> Iterator[tuple[Purchase, str, int, tuple[str, ...], list[str], str]]:
        if not self._used:
            return
        headers = {i: h for h, i in self._headers.items()}
        self._file.seek(0)
        try:
            while True:
                purchase, file, number, h, masked, id_header = pickle.load(self._file)
                yield purchase, file, number, headers[h], masked, id_header
        except EOFError:
            pass


def stream_ledgers(
    paths: Iterable[str | Path],
    mapping: LedgerMapping | None = None,
    *,
    units: Iterable[Unit] | None = None,
    rejects: TextIO | None = None,
    progress: bool | None = None,
    accept: Callable[[Purchase], None] | None = None,
    keep_problems: int | None = None,
) -> ImportResult:
    """Read every ledger in one streaming pass: each accepted row's :class:`Purchase` goes to
    ``accept`` (rows with a transaction id once every ledger is read), each rejected row to
    ``rejects`` with file, row, column and reason; ``problems`` keeps the first
    ``keep_problems`` problems (None: all). Memory stays flat in the rows; with transaction
    ids, it grows with the distinct ids (one hash each).

    With ``units``, buyers are resolved to unit ids (by id or unique name). Transactions with
    an explicit id (交易编号…) that repeats: identical repeats are rejected as duplicates of the
    first; repeats that disagree are all rejected — the ledger must say which one is true.
    """
    mapping = mapping or LedgerMapping()
    buyers = buyer_keys(units) if units is not None else None
    result = ImportResult()
    writer = RejectWriter(rejects)
    with tempfile.TemporaryFile() as spill:
        _stream(paths, mapping, buyers, progress, accept, keep_problems, result, writer, spill)
    return result


def _stream(
    paths: Iterable[str | Path],
    mapping: LedgerMapping,
    buyers: dict[str, str] | None,
    progress: bool | None,
    accept: Callable[[Purchase], None] | None,
    keep_problems: int | None,
    result: ImportResult,
    writer: RejectWriter,
    spill: IO[bytes],
) -> None:
    held = _Held(spill)
    paths = list(paths)

    def reject(
        problems: list[Problem], headers: tuple[str, ...], file: str, row: int, masked: list[str]
    ) -> None:
        result.rejected += 1
        result.problem_count += len(problems)
        if keep_problems is None:
            result.problems.extend(problems)
        elif len(result.problems) < keep_problems:
            result.problems.extend(problems[: keep_problems - len(result.problems)])
        writer.write(headers, file, row, problems, masked)

    with Progress("import", total=lambda: estimate_rows(paths), enabled=progress) as bar:
        for path in paths:
            file = str(path)
            for number, purchase, problems, headers, masked, id_header in iter_ledger(
                path, mapping, buyers
            ):
                result.rows_read += 1
                if bar.enabled:
                    bar.advance()
                if purchase is None:
                    reject(problems, headers, file, number, masked)
                elif id_header:
                    held.add((purchase, file, number, headers, masked, id_header))
                else:
                    result.accepted += 1
                    if accept is not None:
                        accept(purchase)
    # Rows with ids, in the order read: the first of an id counts if all its rows agree.
    firsts: dict[str, tuple[str, int]] = {}
    for purchase, file, number, headers, masked, id_header in held.rows():
        tid = purchase.id
        n, agree = held.repeats.get(tid, (1, True))
        first = firsts.setdefault(tid, (file, number)) if n > 1 else (file, number)
        if agree and first == (file, number):
            result.accepted += 1
            if accept is not None:
                accept(purchase)
            continue
        reason = (
            Msg("ledger.duplicate", file=first[0], row=first[1], tid=tid)
            if agree
            else Msg("ledger.disagree", n=n, tid=tid)
        )
        problem = Problem(file, Msg("at.row", n=number), id_header, reason)
        reject([problem], headers, file, number, masked)


def import_ledgers(
    paths: Iterable[str | Path],
    mapping: LedgerMapping | None = None,
    *,
    units: Iterable[Unit] | None = None,
    rejects: TextIO | None = None,
    progress: bool | None = None,
) -> ImportResult:
    """Read every ledger; rows that fail a rule are rejected with file, row, column and reason,
    and the accepted ones kept (:func:`stream_ledgers`, keeping them in columns:
    :class:`xfrules.purchases.Purchases`, read as :class:`~xfrules.Transaction` records).

    With ``units``, buyers are resolved to unit ids (by id or unique name). Transactions with
    an explicit id (交易编号…) that repeats: identical repeats are rejected as duplicates of the
    first; repeats that disagree are all rejected — the ledger must say which one is true.
    """
    kept = PurchasesBuilder(compact_ids=True)
    result = stream_ledgers(
        paths,
        mapping,
        units=units,
        rejects=rejects,
        progress=progress,
        accept=kept.add_purchase,
    )
    result.transactions = kept.build()
    return result
