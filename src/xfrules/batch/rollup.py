"""Per-buyer sums rolled up to units and subtrees, in Python, converted to Decimal when read.

The engine's one scan gives, per buyer text, the rows read, accepted and dated later, and
every additive request's sum (as text: DuckDB's DECIMAL to Python Decimal conversion cost ~4×
the query). Each unit's value is its buyers' sums (a unit's id and its name may both be
buyer texts); a subtree's adds the values of every unit under it. Doing this here, from the
fetched rows, replaced a join with the unit→ancestor closure in DuckDB and the two tables it
needed, which cost more than the additions at ~10,000 units.

The evaluator reads few of the values (a request per finding, the others only when an
explanation is written), so a value is converted from its text, or a subtree's summed, on
first read: converting every cell of a million-row ledger's eight sums took ~30 ms.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from decimal import Context, Decimal, localcontext
from typing import Any, TypeVar, overload

_T = TypeVar("_T")

__all__ = ["OwnValues", "SubtreeValues", "roll_up"]

# Sums across buyers and subtrees are exact (DuckDB's own are DECIMAL(38, s); the default
# context's 28 digits could round a province's total).
_EXACT = Context(prec=80)


class _Values(Mapping[str, Decimal]):
    """Unit id -> a value worked out on first read (:meth:`_value`; None: no value)."""

    __slots__ = ()

    @abstractmethod
    def _value(self, unit: str) -> Decimal | None:
        """``unit``'s value, worked out the first time; None: no value."""

    @overload
    def get(self, unit: str, /) -> Decimal | None: ...
    @overload
    def get(self, unit: str, default: _T, /) -> Decimal | _T: ...
    def get(self, unit: str, default: object = None, /) -> object:
        value = self._value(unit)
        return default if value is None else value

    def __getitem__(self, unit: str) -> Decimal:
        value = self._value(unit)
        if value is None:
            raise KeyError(unit)
        return value


class OwnValues(_Values):
    """Unit id -> the sum of its buyers' values, for the units with one (NULL sums are no
    value, as SQL's sum of nothing)."""

    __slots__ = ("_cells",)

    def __init__(self, cells: dict[str, str | int | Decimal]) -> None:
        self._cells = cells  # the text (or count) as fetched, replaced by its Decimal once read

    def _value(self, unit: str) -> Decimal | None:
        cell = self._cells.get(unit)
        if cell is None or type(cell) is Decimal:
            return cell
        value = self._cells[unit] = Decimal(cell)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)


class SubtreeValues(_Values):
    """Unit id -> the sum of the values (:class:`OwnValues`) of the units in its subtree,
    for the units with any."""

    __slots__ = ("_below", "_done", "_own")

    def __init__(self, own: OwnValues, below: Mapping[str, Sequence[str]]) -> None:
        self._own = own
        self._below = below  # unit -> the other units of its subtree, for those with any
        self._done: dict[str, Decimal | None] = {}

    def _value(self, unit: str) -> Decimal | None:
        below = self._below.get(unit)
        if below is None:
            total = self._own.get(unit)
        elif unit in self._done:
            total = self._done[unit]
        else:
            own = self._own
            found = [v for u in (unit, *below) if (v := own.get(u)) is not None]
            with localcontext(_EXACT):
                total = self._done[unit] = sum(found[1:], found[0]) if found else None
        return total

    def __iter__(self) -> Iterator[str]:
        own = self._own
        above = (
            a for a, below in self._below.items() if a not in own and any(u in own for u in below)
        )
        return iter([*own, *above])

    def __len__(self) -> int:
        return sum(1 for _ in self)


def roll_up(
    rows: Sequence[Sequence[Any]],
    n_sums: int,
    keys: Mapping[str, str],
    below: Mapping[str, Sequence[str]],
) -> tuple[tuple[int, int, int], list[tuple[OwnValues, SubtreeValues]]]:
    """Rows read, accepted and dated later, and each sum column's unit and subtree values,
    from per-buyer ``rows``: (buyer text, n_rows, n_ok, n_later, then ``n_sums`` sums as
    text, or counts as integers, or NULL). ``keys``: buyer text -> unit id; ``below``: unit -> the other units of
    its subtree. Rows of a buyer that is no unit are read, never accepted."""
    cells = list(zip(*rows, strict=True)) if rows else [()] * (4 + n_sums)
    units = [keys.get(k) for k in cells[0]]  # (a NULL buyer text is no key)
    if None not in units and len(set(units)) == len(units):
        # Every buyer a unit of its own (the usual ledger): whole columns at C speed.
        counts = (int(sum(cells[1])), int(sum(cells[2])), int(sum(cells[3])))
        out = []
        for column in cells[4:]:
            values: dict[str, str | int | Decimal] = (
                dict(zip(units, column, strict=True))  # type: ignore[arg-type]
                if None not in column
                else {u: v for u, v in zip(units, column, strict=True) if v is not None}  # type: ignore[misc]
            )
            own = OwnValues(values)
            out.append((own, SubtreeValues(own, below)))
        return counts, out
    known = [(i, u) for i, u in enumerate(units) if u is not None]
    counts = (
        int(sum(cells[1])),
        int(sum(cells[2][i] or 0 for i, _ in known)),
        int(sum(cells[3][i] or 0 for i, _ in known)),
    )
    out = []
    for column in cells[4:]:
        values = {}
        with localcontext(_EXACT):
            for i, u in known:
                text = column[i]
                if text is not None:  # a unit's id and its name may both be buyer texts
                    before = values.get(u)
                    values[u] = text if before is None else Decimal(before) + Decimal(text)
        own = OwnValues(values)
        out.append((own, SubtreeValues(own, below)))
    return counts, out
