"""Transaction ids on DuckDB: each purchase counted once, as the importer keeps them.

The importer's rule (:func:`xfrules.ledger.importer.import_ledgers`): among the accepted rows
(valid cells, known buyer), rows that share a transaction id and agree on everything else are
one purchase; rows that share an id but disagree are all rejected. Rows without an id are
purchases each.

Most ids occur once, and a row whose id no other row carries is a purchase of its own, as if
it had no id. So the ids are first counted by a 64-bit hash, in a pass that reads the id
column alone (:func:`repeats_sql`): sorting a million integers costs a fraction of grouping
a million texts with their rows' values. Only the rows whose id hash occurs more than once —
the ids that repeat, and any id that merely shares its hash with another — are held apart
(:func:`routed_sql`, :func:`held_sql`), inside the same scan that sums every other row per
buyer cell as for a ledger without ids, and then compared by their exact id
(:func:`per_key_sql`, :func:`pairs_sql`). A hash collision thus costs two ids an exact
comparison, never a wrong count; with no hash repeated, the ledger is summed as one without
ids.

Whether the rows of an id agree: their buyers' units are compared exactly, the rest of their
content by a 64-bit hash of it (:class:`IdSQL`; the importer, too, compares a hash): two
different purchases under one id whose content hashes collide (odds 2^-64) would count once
instead of being rejected. Memory grows with the distinct ids in the id pass (an integer
each) and with the rows of repeated ids in the scan. When many ids repeat (more than
:data:`HELD_MAX` hashes), every row is grouped by its id instead
(:func:`grouped_per_key_sql`, :func:`grouped_pairs_sql`): slower for a few repeats, but a
grouping spills to disk where held rows stay in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..ledger.mapping import LedgerMapping
from .sources import CONTENT_FIELDS, DICTIONARY_FIELDS, key_sql

__all__ = [
    "HELD_MAX",
    "REPEATS",
    "IdSQL",
    "grouped_pairs_sql",
    "grouped_per_key_sql",
    "held_sql",
    "pairs_sql",
    "per_key_sql",
    "repeats_sql",
    "routed_sql",
]

# The hash ids are counted by (an expression with one ``{}``, the id): any function will do
# for correctness, since only the rows of a hash counted once are taken as single purchases.
# Tests swap in one that collides.
ID_HASH = "hash({})"
REPEATS = "id_repeats"  # the table of id hashes that occur more than once
# Above this many repeated id hashes (at least twice as many rows), the rows are grouped by
# id instead of held: held rows are lists in memory (~300 bytes a row), a grouping spills.
# 1M rows whose every id is carried twice: held 3.1 s and 532 MB, grouped 1.3 s and 357 MB;
# the benchmark's 1.5% of repeated rows: held 0.75 s and 202 MB, grouped 1.2 s and 505 MB.
HELD_MAX = 100_000


@dataclass(frozen=True)
class IdSQL:
    """What the engine needs to count transaction ids: SELECTs of each row's ``id``, one
    per ledger with an id column, and the SQL of a row's content hash (:meth:`of`)."""

    ids: list[str]
    content: str

    @classmethod
    def of(cls, ids: list[str], mapping: LedgerMapping) -> IdSQL:
        """What two rows must agree on to be the same purchase besides the buyer's unit
        (compared exactly): every other field but the id (the importer compares the
        transactions; the seller as written, before masking). The text cells are read here,
        from the cells as read, so that only the rows compared pay for it."""

        def text(name: str, fld: str) -> str:
            norm = key_sql(f"raw_{name}", mapping, fld)
            return f"(CASE WHEN {name}_done THEN raw_{name} ELSE {norm} END)"

        texts = [f"coalesce({text(n, n)}, '')" for n in CONTENT_FIELDS]
        texts += [text(n, fld) for n, fld in DICTIONARY_FIELDS.items()]
        return cls(ids, f"hash({', '.join([*texts, 'quantity', 'amount', 'day'])})")


def repeats_sql(ids: list[str]) -> str:
    """The hashes of ids carried by more than one row of ``ids`` (SELECTs of an ``id``
    column, one row per ledger row).

    Found by sorting the hashes and comparing each with the one before: at a million
    distinct ids that costs two thirds of grouping them (0.10 s of CPU against 0.15–0.17).
    A row without an id has no hash (no NULL equals the one before it); filtering those rows
    out instead made DuckDB read the id twice."""
    union = " UNION ALL ".join(f"({s})" for s in ids)
    h = f"CASE WHEN id IS NOT NULL THEN {ID_HASH.format('id')} END"
    return (
        f"SELECT DISTINCT h FROM (SELECT h, lag(h) OVER (ORDER BY h) AS before"
        f" FROM (SELECT {h} AS h FROM ({union}))) WHERE h = before"
    )


def routed_sql(source: str, content: str) -> str:
    """``source`` with ``gid``: the id of a row that passes its cell checks and whose id
    hash is repeated (else NULL: the row stands alone), and ``hr``: such a row's content
    hash (``content``). Needs the :data:`REPEATS` table."""
    repeated = f"{ID_HASH.format('id')} IN (SELECT h FROM {REPEATS})"
    return (
        f"SELECT *, CASE WHEN gid IS NOT NULL THEN {content} END AS hr"
        f" FROM (SELECT *, CASE WHEN ok_row AND id IS NOT NULL AND {repeated} THEN id END AS gid"
        f" FROM ({source}))"
    )


# An id's purchase stands when its accepted rows agree: one unit, one content hash.
_KEPT = "(min(hr) = max(hr) AND min(unit) = max(unit))"


def held_sql(flags: list[str]) -> str:
    """The aggregate holding, per group of rows, the rows with a ``gid`` (of
    :func:`routed_sql`): each one's gid, content hash, day, amount, quantity, and ``flags``
    (the region-set and text flag columns the requests' conditions test). Every other row
    skips it, and is summed by the caller as in a ledger without ids.

    The conditions themselves are evaluated on the held rows only, by :func:`per_key_sql`:
    a list of their values per row cost DuckDB their evaluation on every row of the ledger
    (1M Parquet rows: 0.09 s of CPU, the grouping 0.35 s against 0.26 s)."""
    fields = ["gid", "hr", "day", "amount", "quantity", *flags]
    struct = ", ".join(f"'{f}': {f}" for f in fields)
    return f"list({{{struct}}}) FILTER (WHERE gid IS NOT NULL)"


def per_key_sql(groups: str, sums: dict[str, tuple[str, str]], as_of: date) -> str:
    """Per buyer: rows read (n_rows), purchases accepted (n_ok) and dated after ``as_of``
    (n_later), and each of ``sums`` (name -> (amount | quantity | count, condition on the
    held rows' fields)), from ``groups``: per buyer text (``key``), the same counts and sums
    of its rows without a gid, and the rows with one (``held``: :func:`held_sql`).

    The held rows of an id, those with a known buyer, make one purchase if they agree — its
    values are any of its rows', all equal — and none if not. Held rows with an unknown
    buyer are rejected anyway (as in a ledger without ids: counted in n_rows only).
    """
    value = {"amount": "min(amount)", "quantity": "min(quantity)", "count": "1"}
    by_id = ", ".join(
        [
            "min(unit) AS key",
            "0 AS n_rows",  # counted with their buyer's rows
            f"CAST({_KEPT} AS INTEGER) AS n_ok",
            f"CAST({_KEPT} AND bool_or(day > DATE '{as_of.isoformat()}') AS INTEGER) AS n_later",
            *(
                f"CASE WHEN {_KEPT} AND bool_or(coalesce({cond}, FALSE)) THEN {value[agg]} END"
                f" AS {n}"
                for n, (agg, cond) in sums.items()
            ),
        ]
    )
    names = ", ".join(["key", "n_rows", "n_ok", "n_later", *sums])
    outer = ", ".join(
        ["sum(n_rows) AS n_rows"]
        + [f"sum({n}) FILTER (WHERE key IS NOT NULL) AS {n}" for n in ["n_ok", "n_later", *sums]]
    )
    held = (
        "SELECT h.*, k.unit FROM (SELECT key, unnest(held, recursive := true) FROM g) h"
        " JOIN keys k ON h.key = k.key"
    )
    return (
        f"WITH g AS MATERIALIZED ({groups})"
        f" SELECT key, {outer} FROM (SELECT {names} FROM g"
        f" UNION ALL SELECT {by_id} FROM ({held}) GROUP BY gid) GROUP BY key"
    )


def pairs_sql(pairs: str, flags: list[str]) -> str:
    """The distinct (buyer, origin) pairs of the purchases kept, with ``flags`` telling which
    requests count them, from ``pairs``: the distinct (key, origin, flags, gid, hr) of the
    rows that pass (``ok``) and have an origin or a gid — the purchases standing alone, and
    every row of the ids to compare, whose agreement decides whether their pair counts."""
    first = ", ".join(f"bool_and({f}) AS {f}" for f in flags)
    return (
        f"WITH p AS MATERIALIZED (SELECT p.*, k.unit FROM ({pairs}) p"
        " LEFT JOIN keys k ON p.key = k.key)"
        f" SELECT key, origin, {', '.join(flags)} FROM p WHERE gid IS NULL AND origin IS NOT NULL"
        f" UNION ALL SELECT * FROM (SELECT min(unit) AS key, min(origin) AS origin, {first}"
        f" FROM p WHERE gid IS NOT NULL AND unit IS NOT NULL GROUP BY gid HAVING {_KEPT})"
        " WHERE origin IS NOT NULL"
    )


def _rows(source: str, content: str, columns: dict[str, str]) -> str:
    """One narrow row per ledger row: its id if it passes its checks and its buyer is known
    (``gid``), its number if not (``rn``: a group of its own), its buyer's unit, its content
    hash with the unit if it passes (``h``), and ``columns`` (name -> expression on
    ``source``'s columns). Needs the ``keys`` table."""
    extra = "".join(f", {e} AS {n}" for n, e in columns.items())
    names = "".join(f", {n}" for n in columns)
    good = "s.ok_row AND k.unit IS NOT NULL"
    return (
        f"SELECT gid, CASE WHEN gid IS NULL THEN row_number() OVER () END AS rn, unit, h{names}"
        f" FROM (SELECT CASE WHEN {good} THEN s.id END AS gid, k.unit,"
        f" CASE WHEN {good} THEN hash(k.unit, {content}) END AS h{extra}"
        f" FROM ({source}) s LEFT JOIN keys k ON s.key = k.key)"
    )


# Grouped: one group per accepted id, one per other row. A group holds a purchase when its
# rows are accepted and agree (the hash is NULL for a row not accepted); then its rows are
# the same purchase, and the first row's values are any row's.
_GROUPS = "GROUP BY gid, rn"
_AGREE = "coalesce(min(h) = max(h), FALSE)"
_VALUES = {"amount": "amount", "quantity": "quantity", "count": "1"}


def grouped_per_key_sql(
    source: str, content: str, sums: dict[str, tuple[str, str]], as_of: date
) -> str:
    """:func:`per_key_sql`'s result with every row grouped by id (when more than
    :data:`HELD_MAX` id hashes repeat): ``sums`` is name -> (amount | quantity | count,
    condition on ``source``). Here the unit takes part in the content hash."""
    columns = {"later": f"s.day > DATE '{as_of.isoformat()}'"}
    for name, (agg, cond) in sums.items():
        columns[f"x_{name}"] = f"CASE WHEN {cond} THEN {_VALUES[agg]} END"
    groups = ", ".join(
        [
            "first(unit) AS key",
            "count(*) AS n_rows",
            f"CAST({_AGREE} AS INTEGER) AS n_ok",
            f"CAST({_AGREE} AND first(later) AS INTEGER) AS n_later",
            *(f"CASE WHEN {_AGREE} THEN first(x_{n}) END AS {n}" for n in sums),
        ]
    )
    outer = ", ".join(
        ["sum(n_rows) AS n_rows", *(f"sum({n}) AS {n}" for n in ["n_ok", "n_later", *sums])]
    )
    rows = _rows(source, content, columns)
    return f"SELECT key, {outer} FROM (SELECT {groups} FROM ({rows}) {_GROUPS}) GROUP BY key"


def grouped_pairs_sql(source: str, content: str, flags: list[str]) -> str:
    """:func:`pairs_sql`'s result with every row grouped by id; ``flags`` are ``(cond) AS
    d<i>``."""
    columns = {"origin": "s.origin"}
    for i, flag in enumerate(flags):
        columns[f"d{i}"] = flag.removesuffix(f" AS d{i}")
    names = [f"d{i}" for i in range(len(flags))]
    groups = (
        "SELECT first(unit) AS key, first(origin) AS origin,"
        f" {', '.join(f'first({n}) AS {n}' for n in names)}"
        f" FROM ({_rows(source, content, columns)}) {_GROUPS} HAVING {_AGREE}"
    )
    return (
        f"SELECT DISTINCT key, origin, {', '.join(names)} FROM ({groups}) WHERE origin IS NOT NULL"
    )
