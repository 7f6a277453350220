"""The engine of the DuckDB backend: one scan of the ledgers computes every transaction measure.

The evaluator asks for transaction measures through its ``transaction_measurer`` seam;
:class:`SqlMeasurer` answers them. It first records which (filter, window, aggregate, scope)
requests the evaluator makes; :class:`Engine` then computes them all in one pass over the
ledgers — per buyer, then rolled up to each unit and its subtree in Python
(:mod:`xfrules.batch.rollup`) — and a request missed while recording is computed on demand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from ..entities import Unit
from ..filters import PurchaseFilter, membership_sql
from ..ledger.mapping import LedgerMapping
from ..ledger.rules import buyer_keys
from ..obligations import TransactionMeasure
from ..rulebook import RegionSets
from . import ids as _ids
from .cells import CellTexts, with_cells
from .ids import (
    REPEATS,
    IdSQL,
    grouped_pairs_sql,
    grouped_per_key_sql,
    held_sql,
    pairs_sql,
    per_key_sql,
    repeats_sql,
    routed_sql,
)
from .rollup import roll_up
from .sources import DICTIONARY_FIELDS
from .sql import lit, text_in

__all__ = ["Engine", "Request", "SqlMeasurer", "closure"]

Texts = dict[tuple[str, frozenset[str]], str]  # (column, values) -> its flag column


def with_membership(
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
    region_sets: RegionSets,
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

    def __init__(self, engine: Engine, region_sets: RegionSets, as_of: date = date.max) -> None:
        self.engine = engine
        self.region_sets = region_sets
        self.as_of = as_of  # a purchase dated later does not count (as in evaluate())
        self.recording = True
        self.requests: set[Request] = set()
        self.values: dict[Request, Mapping[str, Decimal]] = {}
        # Region sets are fixed for one evaluation, so their unions are computed once.
        self._origins: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
        # The evaluator asks once per unit with the same few (measure, window) pairs: building
        # and hashing a Request (with its region-code sets) each time cost ~10 µs a finding.
        # Keyed by the measure (a frozen model: hashed by value, 0.6 µs); once recording is
        # over, the entry also keeps the request's per-unit values.
        self._memo: dict[
            tuple[TransactionMeasure, str, date, date, frozenset[str] | None], _Memo
        ] = {}

    def __call__(
        self,
        measure: TransactionMeasure,
        jurisdiction: str,
        unit_id: str,
        start: date,
        end: date,
        only_in: frozenset[str] | None,
    ) -> Decimal:
        key = (measure, jurisdiction, start, end, only_in)
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
            memo = self._memo[key] = _Memo(req)
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
    request: Request
    values: Mapping[str, Decimal] | None = None


def closure(units: Sequence[Unit]) -> tuple[list[str], list[str]]:
    """(ancestor, descendant) pairs, each unit its own ancestor: the units whose subtree
    (:meth:`xfrules.facts.FactIndex.scope`) holds each unit, found by walking up its parents
    (cycle-safe)."""
    parents = {u.id: u.parent for u in units}
    anc: list[str] = []
    desc: list[str] = []
    for uid in parents:
        seen: set[str] = set()
        current: str | None = uid
        while current is not None and current in parents and current not in seen:
            seen.add(current)
            anc.append(current)
            desc.append(uid)
            current = parents[current]
    return anc, desc


@dataclass
class Engine:
    """Computes requests on the ledgers' rows: one scan sums every additive request per
    buyer, rolled up to units and subtrees from the fetched rows; distinct origins take a
    query each (joined with the unit tables, made for them)."""

    con: Any
    # SELECT of the ledgers' canonical rows (non-blank): :func:`ledger_source_sql`'s columns.
    source: str
    # The buyer text of a raw_key: rows are summed per buyer cell as read, and the buyer
    # rules run once per cell.
    key_norm: str
    # With transaction ids, purchases are deduplicated by id (``xfrules.batch.ids``).
    ids: IdSQL | None = None
    # The distinct text cells, when the source's ``ok`` leaves the origin check to them and
    # filters are to read cells once each (None: ``ok`` is complete, filters read every row).
    cells: CellTexts | None = None
    # Without ``cells``: the mapping and, per dictionary field, the <name>_done values the
    # ledgers give, so a text condition tests the cell as read (``text_in``) instead of
    # stripping every row.
    mapping: LedgerMapping | None = None
    done: dict[str, set[bool]] = field(default_factory=dict)
    as_of: date = date.max  # accepted rows dated later are counted apart (n_later)
    # The units: their buyer texts and subtrees, for the roll-up.
    units: Sequence[Unit] = ()
    # Rows read, accepted, and accepted but dated after as_of (set by :meth:`measure`).
    counts: tuple[int, int, int] = field(default=(0, 0, 0), init=False)
    # How many id hashes repeat (None: not counted yet).
    _repeats: int | None = field(default=None, init=False)
    _tables: set[str] = field(default_factory=set, init=False)  # those made

    @cached_property
    def _keys(self) -> dict[str, str]:
        """Buyer text -> unit id."""
        return buyer_keys(self.units)

    @cached_property
    def _descendants(self) -> dict[str, list[str]]:
        """Unit -> the other units in its subtree, for the units that have any."""
        anc, desc = closure(self.units)
        out: dict[str, list[str]] = {}
        for a, d in zip(anc, desc, strict=True):
            if a != d:
                out.setdefault(a, []).append(d)
        return out

    def _unit_tables(self, *, with_closure: bool) -> None:
        """``keys`` (buyer text -> unit id) and, ``with_closure``, ``closure`` (unit -> every
        unit whose subtree holds it) in DuckDB, for the statements that join them (ids:
        keys; distinct origins: both): made when first needed, since the additive sums are
        rolled up in Python (each table costs ~10 ms at 10,000 units)."""
        if "keys" not in self._tables:
            self._tables.add("keys")
            keys = self._keys
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE keys AS SELECT unnest(?::VARCHAR[]) AS key,"
                " unnest(?::VARCHAR[]) AS unit",
                [list(keys), list(keys.values())],
            )
        if with_closure and "closure" not in self._tables:
            self._tables.add("closure")
            anc, desc = closure(self.units)
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE closure AS SELECT unnest(?::VARCHAR[]) AS ancestor,"
                " unnest(?::VARCHAR[]) AS descendant",
                [anc, desc],
            )

    def _by_id(self) -> str:
        """How rows are counted: "" as without ids (no id hash repeats), "held" (the rows of
        a repeated hash held apart), "grouped" (every row grouped by id: more than
        ``HELD_MAX`` hashes repeat). Counted once, in a pass over the id column alone, into
        the ``REPEATS`` table."""
        if self._repeats is None:
            self._repeats = 0
            if self.ids is not None and self.ids.ids:
                self.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {REPEATS} AS {repeats_sql(self.ids.ids)}"
                )
                row = self.con.execute(f"SELECT count(*) FROM {REPEATS}").fetchone()
                self._repeats = int(row[0]) if row else 0
        if not self._repeats:
            return ""
        return "held" if self._repeats <= _ids.HELD_MAX else "grouped"

    def _text_in(self, column: str, values: frozenset[str]) -> str:
        """``column``'s text is one of ``values``, on raw_<column> (see ``mapping``)."""
        assert self.mapping is not None
        fld = DICTIONARY_FIELDS[column]
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

    def _flagged(self, requests: list[Request]) -> tuple[str, dict[frozenset[str], str], Texts]:
        """The source with one boolean column per region set and text condition the
        requests' filters test, and their names."""
        code_sets = [r.filter.origins for r in requests if r.filter.origins] + [
            r.only_in for r in requests if r.only_in
        ]
        conds = list(dict.fromkeys(t for r in requests for t in r.filter.texts()))
        if self.cells is not None:
            source, sets, texts = with_cells(self.cells, self.source, code_sets, conds)
            self.cells.create_tables()
            return source, sets, texts
        source, sets = with_membership(self.con, self.source, code_sets)
        texts = {t: f"tx_{i}" for i, t in enumerate(conds)}
        if texts:
            assert self.mapping is not None
            tcols = ", ".join(f"{self._text_in(*t)} AS {n}" for t, n in texts.items())
            source = f"SELECT *, {tcols} FROM ({source})"
        return source, sets, texts

    def measure(self, requests: Iterable[Request]) -> dict[Request, Mapping[str, Decimal]]:
        requests = list(requests)
        out: dict[Request, Mapping[str, Decimal]] = {r: {} for r in requests}
        additive = [r for r in requests if r.aggregate != "distinct_origins"]
        source, sets, texts = self._flagged(requests)
        # One scan of the ledgers: every additive request's sum per buyer, and the rows read,
        # accepted and dated after as_of.
        names: dict[tuple[PurchaseFilter, str], str] = {}
        sums: dict[str, tuple[str, str]] = {}  # name -> (aggregate, condition)
        for i, flt in enumerate(sorted({r.filter for r in additive}, key=repr)):
            cond = flt.sql(sets, texts)
            for agg in ("amount", "quantity", "count"):
                if any(r.filter == flt and r.aggregate == agg for r in additive):
                    names[(flt, agg)] = f"{agg}_{i}"
                    sums[f"{agg}_{i}"] = (agg, cond)
        mode = self._by_id()
        distinct = [r for r in requests if r.aggregate == "distinct_origins"]
        if mode or distinct:
            self._unit_tables(with_closure=bool(distinct))
        by_id = mode == "held"
        if by_id:
            assert self.ids is not None
            source = routed_sql(source, self.ids.content)
        if mode == "grouped":
            assert self.ids is not None
            # The rows' buyers are looked up in ``keys`` by a LEFT JOIN; DuckDB would build
            # its hash table on the ledger side, whose size it does not know (1M rows: 0.37
            # of 1.5 s, and 200 MB), instead of on the small table, unless told not to flip.
            self.con.execute("SET disabled_optimizers = 'build_side_probe_side'")
            per_key = grouped_per_key_sql(source, self.ids.content, sums, self.as_of)
        else:
            flags = list(dict.fromkeys([*sets.values(), *texts.values()]))
            per_key = self._per_key(source, sums, flags if by_id else None)
        # Sums of money and quantities fetched as text: DuckDB's DECIMAL to Python Decimal
        # conversion cost ~4× the query itself (20k sums at 10k units); the text is the
        # exact value. Counts as BIGINT: DuckDB's sums of counts are HUGEINT, whose
        # conversion cost 20 ms for three columns of 10,000 buyers.
        cols = ", ".join(
            ["key"]
            + [f"CAST({n} AS BIGINT)" for n in ("n_rows", "n_ok", "n_later")]
            + [
                f"CAST({n} AS {'BIGINT' if agg == 'count' else 'VARCHAR'})"
                for n, (agg, _) in sums.items()
            ]
        )
        rows = self.con.execute(f"SELECT {cols} FROM ({per_key})").fetchall()
        self._roll_up(rows, list(sums), additive, names, out)
        for scope in sorted({r.scope for r in distinct}):
            self._distinct(
                [r for r in distinct if r.scope == scope], source, sets, texts, out, mode
            )
        return out

    def _per_key(
        self, source: str, sums: dict[str, tuple[str, str]], flags: list[str] | None
    ) -> str:
        """Per buyer text: rows read, accepted, accepted after as_of, and ``sums``;
        summed per buyer cell as read, then per buyer text (ok_row AND key IS NOT NULL is
        ok, so the second level keeps only groups whose key reads). ``flags`` given (the
        flag columns the conditions test): ``source`` is :func:`routed_sql`'s, and the rows
        of a repeated id hash are held apart (a list per buyer cell, :func:`held_sql`) for
        :func:`per_key_sql` to count once per id."""
        by_id = flags is not None
        exprs = {"amount": "sum(amount)", "quantity": "sum(quantity)", "count": "count(*)"}
        # By id, the rows with a gid are held apart, to be counted once per id.
        ok = "ok_row AND gid IS NULL" if by_id else "ok_row"
        cols = [
            "count(*) AS n_rows",
            f"count(*) FILTER (WHERE {ok}) AS n_ok",
            f"count(*) FILTER (WHERE {ok} AND day > DATE '{self.as_of.isoformat()}') AS n_later",
            *(
                f"{exprs[agg]} FILTER (WHERE {ok} AND {cond}) AS {name}"
                for name, (agg, cond) in sums.items()
            ),
        ]
        if flags is not None:
            cols.append(f"{held_sql(flags)} AS held")
        outer = ", ".join(
            ["sum(n_rows) AS n_rows"]
            + [
                f"sum({n}) FILTER (WHERE key IS NOT NULL) AS {n}"
                for n in ["n_ok", "n_later", *sums]
            ]
        )
        # key_done is a constant per ledger: one branch per value, so each groups by the one
        # column (DuckDB folds the other branch away; measured 0.18 s vs 0.26 s grouping by
        # both columns at 10M rows).
        inner = " UNION ALL ".join(
            f"SELECT raw_key, {done} AS key_done, {', '.join(cols)} FROM ({source})"
            f" WHERE {'' if done == 'TRUE' else 'NOT '}key_done GROUP BY raw_key"
            for done in ("FALSE", "TRUE")
        )
        keyed = (
            f"SELECT CASE WHEN key_done THEN raw_key ELSE {self.key_norm} END AS key,"
            f" * EXCLUDE (raw_key, key_done) FROM ({inner})"
        )
        if by_id:
            return per_key_sql(keyed, sums, self.as_of)
        return f"SELECT key, {outer} FROM ({keyed}) GROUP BY key"

    def _roll_up(
        self,
        rows: list[tuple[Any, ...]],
        columns: list[str],
        additive: list[Request],
        names: dict[tuple[PurchaseFilter, str], str],
        out: dict[Request, Mapping[str, Decimal]],
    ) -> None:
        """Each unit's value of every additive request, and :attr:`counts`, from the
        per-buyer ``rows`` (key, n_rows, n_ok, n_later, then ``columns``' sums as text):
        :func:`xfrules.batch.rollup.roll_up`."""
        self.counts, values = roll_up(rows, len(columns), self._keys, self._descendants)
        by_name = dict(zip(columns, values, strict=True))
        for r in additive:
            own, tree = by_name[names[(r.filter, r.aggregate)]]
            out[r] = own if r.scope == "unit" else tree

    def _distinct(
        self,
        reqs: list[Request],
        source: str,
        sets: dict[frozenset[str], str],
        texts: Texts,
        out: dict[Request, Mapping[str, Decimal]],
        mode: str,
    ) -> None:
        """Distinct origins of requests of one scope: (buyer, origin) pairs, then counted
        per unit. ``mode``: :meth:`_by_id`'s (held: ``source`` is :func:`routed_sql`'s)."""
        flags = []
        for i, r in enumerate(reqs):
            cond = r.filter.sql(sets, texts)
            if r.only_in is not None:
                cond += f" AND {sets[r.only_in] if r.only_in else 'FALSE'}"
            flags.append(f"({cond}) AS d{i}")
        dflags = ", ".join(f"d{i}" for i in range(len(reqs)))
        any_flag = " OR ".join(f"d{i}" for i in range(len(reqs)))
        counts = ", ".join(f"count(DISTINCT origin) FILTER (WHERE d{i})" for i in range(len(reqs)))
        if mode == "grouped":
            assert self.ids is not None
            pairs = grouped_pairs_sql(source, self.ids.content, flags)
        elif mode == "held":
            pairs = pairs_sql(
                f"SELECT DISTINCT key, origin, {', '.join(flags)}, gid, hr FROM ({source})"
                " WHERE ok AND (origin IS NOT NULL OR gid IS NOT NULL)",
                [f"d{i}" for i in range(len(reqs))],
            )
        elif self.cells is None:
            pairs = (
                f"SELECT DISTINCT key, origin, {', '.join(flags)} FROM ({source})"
                " WHERE ok AND origin IS NOT NULL"
            )
        else:
            # Distinct (buyer cell, origin cell) pairs first; then each cell's text.
            self.cells.create_text_table("origin", "origin_texts")
            raw = (
                f"SELECT DISTINCT raw_key, key_done, raw_origin, origin_done,"
                f" {', '.join(flags)} FROM ({source}) WHERE ok_row"
            )
            pairs = (
                f"SELECT * FROM (SELECT CASE WHEN key_done THEN raw_key ELSE"
                f" {self.key_norm} END AS key, origin, {dflags} FROM"
                f" (SELECT p.*, c.value AS origin FROM ({raw}) p JOIN origin_texts c"
                " ON c.raw IS NOT DISTINCT FROM p.raw_origin"
                " AND c.done = p.origin_done)) WHERE key IS NOT NULL AND origin IS NOT NULL"
            )
        rows = self.con.execute(
            f"WITH pairs AS ({pairs})"
            f" SELECT cl.ancestor, {counts} FROM pairs p JOIN keys k ON p.key = k.key"
            f" JOIN closure cl ON cl.descendant = k.unit"
            f"{' AND cl.ancestor = cl.descendant' if reqs[0].scope == 'unit' else ''}"
            f" WHERE {any_flag} GROUP BY cl.ancestor"
        ).fetchall()
        found: list[dict[str, Decimal]] = [{} for _ in reqs]
        for row in rows:
            for i, values in enumerate(found, start=1):
                values[row[0]] = Decimal(row[i])
        out.update(zip(reqs, found, strict=True))
