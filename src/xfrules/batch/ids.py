"""Transaction ids on DuckDB: each purchase counted once, as the importer keeps them.

The importer's rule (:func:`xfrules.ledger.importer.import_ledgers`): among the accepted rows
(valid cells, known buyer), rows that share a transaction id and agree on everything else are
one purchase; rows that share an id but disagree are all rejected. Rows without an id are
purchases each.

In SQL this is one aggregation of the ledgers' rows — no row is stored: accepted rows with an
id are grouped by it, every other row is a group of its own (numbered as it streams by), and
each group gives what it contributes to every sum requested — nothing when its rows disagree —
before the groups are summed per buyer. Whether the rows of an id agree is decided by a
64-bit hash of their content (the smallest equals the largest); two different purchases
under one id whose hashes collide (odds 2^-64) would count once instead of being rejected.
Memory grows with the distinct ids, not with what the rows hold.
"""

from __future__ import annotations

from datetime import date

__all__ = ["CONTENT", "id_pairs_sql", "per_id_sql"]

# What two rows must agree on to be the same purchase: every field but the id
# (the importer compares the transactions; the seller is compared as written, before masking).
CONTENT = (
    "unit",
    "seller",
    "product",
    "category",
    "origin",
    "quantity",
    "amount",
    "day",
    "channel",
    "seller_kind",
)


def _rows(source: str, columns: dict[str, str]) -> str:
    """One narrow row per ledger row: its id if accepted before ids are compared (``gid``),
    its number if not (``rn``: a group of its own), its buyer's unit, its content hash if
    accepted (``h``), and ``columns`` (name -> expression on ``source``'s columns). Needs
    the ``keys`` table."""
    content = ", ".join("k.unit" if c == "unit" else f"s.{c}" for c in CONTENT)
    extra = "".join(f", {e} AS {n}" for n, e in columns.items())
    names = "".join(f", {n}" for n in columns)
    good = "s.ok_row AND k.unit IS NOT NULL"
    return (
        f"SELECT gid, CASE WHEN gid IS NULL THEN row_number() OVER () END AS rn, unit, h{names}"
        f" FROM (SELECT CASE WHEN {good} THEN s.id END AS gid, k.unit,"
        f" CASE WHEN {good} THEN hash({content}) END AS h{extra}"
        f" FROM ({source}) s LEFT JOIN keys k ON s.key = k.key)"
    )


# One group per accepted id, one per other row. A group holds a purchase when its rows are
# accepted and agree (the hash is NULL for a row not accepted); then its rows are the same
# purchase, and the first row's values are any row's. (first() costs half of any_value()
# per row here, and each aggregate is paid per row: 1M distinct ids take ~0.1 s a column.)
_GROUPS = "GROUP BY gid, rn"
_KEPT = "coalesce(min(h) = max(h), FALSE)"
_VALUES = {"amount": "amount", "quantity": "quantity", "count": "1"}


def per_id_sql(source: str, sums: dict[str, tuple[str, str]], as_of: date) -> str:
    """Per buyer (unit id): rows read (n_rows), purchases accepted (n_ok) and dated after
    ``as_of`` (n_later), and each of ``sums`` (name -> (amount | quantity | count,
    condition on ``source``)), counting each purchase once."""
    columns = {"later": f"s.day > DATE '{as_of.isoformat()}'"}
    for name, (agg, cond) in sums.items():
        columns[f"x_{name}"] = f"CASE WHEN {cond} THEN {_VALUES[agg]} END"
    groups = ", ".join(
        [
            "first(unit) AS key",
            "count(*) AS n_rows",
            f"CAST({_KEPT} AS INTEGER) AS n_ok",
            f"CAST({_KEPT} AND first(later) AS INTEGER) AS n_later",
            *(f"CASE WHEN {_KEPT} THEN first(x_{n}) END AS {n}" for n in sums),
        ]
    )
    outer = ", ".join(
        ["sum(n_rows) AS n_rows", *(f"sum({n}) AS {n}" for n in ["n_ok", "n_later", *sums])]
    )
    return (
        f"SELECT key, {outer} FROM (SELECT {groups} FROM ({_rows(source, columns)}) {_GROUPS})"
        " GROUP BY key"
    )


def id_pairs_sql(source: str, flags: list[str]) -> str:
    """The distinct (buyer, origin) pairs of the purchases kept, with ``flags`` (``(cond)
    AS d<i>``) telling which requests count them."""
    columns = {"origin": "s.origin"}
    for i, flag in enumerate(flags):
        columns[f"d{i}"] = flag.removesuffix(f" AS d{i}")
    names = [f"d{i}" for i in range(len(flags))]
    groups = (
        "SELECT first(unit) AS key, first(origin) AS origin,"
        f" {', '.join(f'first({n}) AS {n}' for n in names)}"
        f" FROM ({_rows(source, columns)}) {_GROUPS} HAVING {_KEPT}"
    )
    return (
        f"SELECT DISTINCT key, origin, {', '.join(names)} FROM ({groups}) WHERE origin IS NOT NULL"
    )
