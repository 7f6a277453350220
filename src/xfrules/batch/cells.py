"""The distinct cells of a ledger's dictionary fields, each read once, in Python, by the ledger rules.

Text cells that filters read repeat: a few categories and thousands of origin codes over
millions of rows. In a columnar file one query lists every distinct cell of those fields (a
DISTINCT on a Parquet column costs tens of ms at 10M rows); each cell is then read here by
the importer's own rules — strip, value map, default (:meth:`xfrules.ledger.rules.RowRules.text`),
the region-code check (:func:`xfrules.regions.region_code_problem`), a filter's region set
(:func:`xfrules.filters.origin_matches`) — and a condition on the text becomes a condition on
the cell as read: an IN list, or a semi-join on a small table when the list is long. No row is
stripped or regex-checked, a clean ledger pays nothing for a check no cell fails, and the
rules are not written a second time in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..filters import origin_matches
from ..ledger.mapping import LedgerMapping
from ..regions import region_code_problem
from .sources import DICTIONARY_FIELDS, LedgerSQL
from .sql import lit

__all__ = ["CellTexts", "with_cells"]

# (cell as read, whether that is already its text, its text)
_Cell = tuple[str | None, bool, str | None]


class CellTexts:
    """The distinct cells of the dictionary fields (:data:`DICTIONARY_FIELDS`) of some
    ledgers, with their texts; :meth:`read` lists them."""

    LIST_MAX = 64  # longer lists of matching cells become rows of a small table (a semi-join)
    # More distinct cells than this (free text where codes belong): each row is read in SQL
    # instead, which costs no Python time per cell.
    LIMIT = 50_000

    def __init__(self, con: Any, parts: Sequence[LedgerSQL], mapping: LedgerMapping) -> None:
        self.con = con
        self.parts = parts
        self.mapping = mapping
        self.cells: dict[str, list[_Cell]] = {}
        # Per field, the already-text flags the ledgers give.
        self.done = {n: {n in part.typed for part in parts} for n in DICTIONARY_FIELDS}
        self._sets: list[tuple[int, str]] = []  # (set number, cell) of the long lists
        self._n_sets = 0
        self._created = 0  # how many of _sets the table holds

    @classmethod
    def read(
        cls, con: Any, parts: Sequence[LedgerSQL], mapping: LedgerMapping, names: Iterable[str]
    ) -> CellTexts | None:
        """The distinct cells of fields ``names``, in one query; None when there are more
        than :attr:`LIMIT`. Other fields are listed when a condition first needs them."""
        cells = cls(con, parts, mapping)
        return cells if cells._list(names, cls.LIMIT) else None

    def _list(self, names: Iterable[str], limit: int | None) -> bool:
        names = [n for n in dict.fromkeys(names) if n not in self.cells]
        if not names:
            return True
        branches = [
            f"SELECT {i} AS f, {str(name in part.typed).upper()} AS done, raw FROM "
            # A field without a column has one text (its default or NULL): no scan.
            + (
                f"(SELECT {part.absent[name]} AS raw)"
                if name in part.absent
                else f"(SELECT DISTINCT raw_{name} AS raw FROM ({part.sql}))"
            )
            for i, name in enumerate(names)
            for part in self.parts
        ]
        rows = self.con.execute(
            f"SELECT DISTINCT * FROM ({' UNION ALL '.join(branches)})"
            + ("" if limit is None else f" LIMIT {limit + 1}")
        ).fetchall()
        if limit is not None and len(rows) > limit:
            return False
        for name in names:
            self.cells[name] = []
        for i, is_done, raw in rows:
            name = names[i]
            text = raw if is_done else _text(raw, self.mapping, name)
            self.cells[name].append((raw, is_done, text))
        return True

    def where(self, name: str, holds: Callable[[str | None], bool]) -> str:
        """A predicate on ``raw_<name>`` (and ``<name>_done``) that is TRUE exactly when
        ``holds`` is true of the cell's text; never NULL."""
        self._list([name], None)  # a field first needed now (a request missed while learning)
        branches = {}
        for done in sorted(self.done[name]):
            matching = [raw for raw, d, text in self.cells[name] if d == done and holds(text)]
            listed = sorted(r for r in matching if r is not None)
            if not listed:
                pred = "FALSE"
            elif len(listed) <= self.LIST_MAX:
                pred = f"coalesce(raw_{name} IN ({', '.join(lit(r) for r in listed)}), FALSE)"
            else:
                n, self._n_sets = self._n_sets, self._n_sets + 1
                self._sets.extend((n, r) for r in listed)
                pred = f"coalesce(raw_{name} IN (SELECT raw FROM cell_sets WHERE n = {n}), FALSE)"
            if len(listed) < len(matching):  # a NULL cell qualifies (by its default)
                pred = f"(raw_{name} IS NULL OR {pred})"
            branches[done] = pred
        if not branches:
            return "FALSE"
        if len(branches) == 1:
            return next(iter(branches.values()))
        return f"(CASE WHEN {name}_done THEN {branches[True]} ELSE {branches[False]} END)"

    def create_tables(self) -> None:
        """The table of the long lists :meth:`where` refers to (one statement), if new
        ones were made since it was last created."""
        if len(self._sets) == self._created:
            return
        self._created = len(self._sets)
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE cell_sets AS"
            " SELECT unnest(?::INTEGER[]) AS n, unnest(?::VARCHAR[]) AS raw",
            [[n for n, _ in self._sets], [r for _, r in self._sets]],
        )

    def create_text_table(self, name: str, table: str) -> None:
        """A table of field ``name``'s cells with their texts: (raw, done, value)."""
        self._list([name], None)
        cells = self.cells[name]
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT unnest(?::VARCHAR[]) AS raw,"
            " unnest(?::BOOLEAN[]) AS done, unnest(?::VARCHAR[]) AS value",
            [[c[0] for c in cells], [c[1] for c in cells], [c[2] for c in cells]],
        )


def _text(raw: str | None, mapping: LedgerMapping, name: str) -> str | None:
    """A text cell as the row rules read it (``RowRules.text``): stripped, empty as None,
    then the mapping's value map and default."""
    field = DICTIONARY_FIELDS[name]
    text = raw.strip() or None if raw is not None else None
    if text is not None:
        text = mapping.values.get(field, {}).get(text, text)
    return text if text is not None else mapping.defaults.get(field)


def with_cells(
    cells: CellTexts,
    source: str,
    code_sets: Iterable[frozenset[str]],
    texts: Iterable[tuple[str, frozenset[str]]],
) -> tuple[str, dict[frozenset[str], str], dict[tuple[str, frozenset[str]], str]]:
    """``source`` with the origin-code check folded into ``ok``/``ok_row`` and one boolean
    column per region-code set and per text condition, all decided on the distinct cells."""
    sets = [s for s in dict.fromkeys(code_sets) if s]
    names = {s: f"in_{i}" for i, s in enumerate(sets)}
    text_names = {t: f"tx_{i}" for i, t in enumerate(dict.fromkeys(texts))}
    cols = [f"{cells.where('origin', _in_region_set(s))} AS {n}" for s, n in names.items()]
    for (column, values), n in text_names.items():
        cols.append(f"{cells.where(column, _one_of(values))} AS {n}")
    bad = cells.where("origin", lambda t: t is not None and region_code_problem(t) is not None)
    replace = (
        ""
        if bad == "FALSE"
        else f" REPLACE (ok AND NOT {bad} AS ok, ok_row AND NOT {bad} AS ok_row)"
    )
    extra = "".join(f", {c}" for c in cols)
    return f"SELECT *{replace}{extra} FROM ({source})", names, text_names


def _in_region_set(entries: frozenset[str]) -> Callable[[str | None], bool]:
    return lambda text: origin_matches(text, entries)


def _one_of(values: frozenset[str]) -> Callable[[str | None], bool]:
    return lambda text: text in values
