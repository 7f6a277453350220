"""Import ledgers into :class:`~xfrules.Transaction` records, rejecting bad rows loudly.

Accepted + rejected always equals the rows read (blank rows are not rows). Rejected rows go to
a CSV file with their reasons and the original cells, personal data masked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..entities import Transaction, Unit
from ..errors import Problem
from ..progress import Progress, estimate_rows
from ..spreadsheet import CsvWriter
from .mapping import LedgerMapping
from .readers import open_ledger
from .rules import RowRules, buyer_keys, mask_row

__all__ = ["ImportResult", "RejectWriter", "import_ledgers", "iter_ledger"]

REJECT_COLUMNS = ("file", "row", "column", "reason")


@dataclass
class ImportResult:
    """What an import read, kept and rejected."""

    transactions: list[Transaction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rejected: int = 0

    @property
    def accepted(self) -> int:
        return len(self.transactions)


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
        reasons = "; ".join(p.message for p in problems)
        self.writer.writerow([file, row, columns, reasons, *cells])


@dataclass
class _Row:
    tx: Transaction
    file: str
    row: int
    headers: tuple[str, ...]
    masked: list[str]
    id_header: str  # the id column as the ledger names it (交易编号…), for its problems


def iter_ledger(
    path: str | Path,
    mapping: LedgerMapping,
    buyers: dict[str, str] | None,
) -> Iterator[
    tuple[int, Transaction | None, list[Problem], tuple[str, ...], list[str], str | None]
]:
    """Per data row: (row, transaction or None, problems, headers, masked cells, the header of
    its transaction id column or None when the ledger has none)."""
    table = open_ledger(path, mapping)
    plan = mapping.plan(table.headers)
    rules = RowRules(Path(path), plan, mapping, buyers)
    id_header = rules.header("id") if plan.has("id") else None
    for number, cells in table.rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        tx, problems = rules.check(number, cells)
        masked = (
            mask_row(plan, cells, rules.seller_is_person(cells)) if problems or id_header else []
        )
        yield number, tx, problems, plan.headers, masked, id_header


def import_ledgers(
    paths: Iterable[str | Path],
    mapping: LedgerMapping | None = None,
    *,
    units: Iterable[Unit] | None = None,
    rejects: TextIO | None = None,
    progress: bool | None = None,
) -> ImportResult:
    """Read every ledger; rows that fail a rule are rejected with file, row, column and reason.

    With ``units``, buyers are resolved to unit ids (by id or unique name). Transactions with
    an explicit id (交易编号…) that repeats: identical repeats are rejected as duplicates of the
    first; repeats that disagree are all rejected — the ledger must say which one is true.
    """
    mapping = mapping or LedgerMapping()
    buyers = buyer_keys(units) if units is not None else None
    result = ImportResult()
    writer = RejectWriter(rejects)
    by_id: dict[str, list[_Row]] = {}
    paths = list(paths)
    with Progress("import", total=lambda: estimate_rows(paths), enabled=progress) as bar:
        for path in paths:
            for number, tx, problems, headers, masked, id_header in iter_ledger(
                path, mapping, buyers
            ):
                result.rows_read += 1
                bar.advance()
                if tx is None:
                    result.rejected += 1
                    result.problems.extend(problems)
                    writer.write(headers, str(path), number, problems, masked)
                elif id_header:
                    row = _Row(tx, str(path), number, headers, masked, id_header)
                    by_id.setdefault(tx.id, []).append(row)
                else:
                    result.transactions.append(tx)
    for tid, rows in by_id.items():
        first = rows[0]
        if len(rows) == 1:
            result.transactions.append(first.tx)
            continue
        same = all(
            r.tx.model_dump(exclude={"id"}) == first.tx.model_dump(exclude={"id"}) for r in rows
        )
        if same:
            result.transactions.append(first.tx)
            dropped = rows[1:]
            reason = f"duplicate of {first.file} row {first.row} (transaction id {tid!r})"
        else:
            dropped = rows
            reason = f"{len(rows)} rows share transaction id {tid!r} but disagree"
        for r in dropped:
            problem = Problem(r.file, f"row {r.row}", r.id_header, reason)
            result.rejected += 1
            result.problems.append(problem)
            writer.write(r.headers, r.file, r.row, [problem], r.masked)
    return result
