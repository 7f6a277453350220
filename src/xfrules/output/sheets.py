"""Tables as every format shows them: named columns with a kind, rows of plain values.

A :class:`Sheet` is one view of an output (the findings, a roll-up, the rejected rows). CSV
writes one sheet with its contract column names and codes; XLSX writes every sheet, with
people's headers, labels for codes, and numbers typed and formatted; the terminal and HTML
render their own layouts from the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..i18n import label, modality_label, status_label, t

__all__ = ["Column", "ColumnKind", "Sheet", "human_value"]

ColumnKind = Literal[
    "text",  # any text (masked, never a formula, in CSV and XLSX)
    "long_text",  # explanations and quotes: wrapped in XLSX
    "int",  # a count
    "money",  # 元, two decimals
    "ratio",  # a share: shown as a percentage
    "measure",  # a figure in the unit named by the row's ``unit_key`` column
    "status",  # a status code; people read its label
    "modality",  # a modality code; people read its label
    "date",
    "bool",
    "unit",  # a measure unit (元, 个, ratio); people read ratio as %
]


@dataclass(frozen=True)
class Column:
    key: str  # the contract name (CSV header, JSON field)
    header: str  # what people read (in the current language)
    kind: ColumnKind = "text"
    unit_key: str | None = None  # for "measure": the column naming the row's unit
    width: int | None = None  # XLSX width in characters (None: from the content)


@dataclass
class Sheet:
    """One view: ``name`` (people's, in the current language), columns and rows."""

    key: str  # a stable name (findings, by_district…)
    name: str
    columns: list[Column]
    rows: list[list[object]] = field(default_factory=list)

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def unit_of(self, row: Sequence[object], column: Column) -> str | None:
        """The unit of a ``measure`` cell: its row's unit column."""
        if column.kind == "money":
            return "元"
        if column.kind == "ratio":
            return "ratio"
        if column.unit_key is None:
            return None
        value = row[self.column(column.unit_key)]
        return value if isinstance(value, str) else None


def _yes_no(value: object) -> str:
    return t("word.yes") if value else t("word.no")


_HUMAN: dict[str, Callable[[object], object]] = {
    "status": lambda v: status_label(str(v)) if v is not None else None,
    "modality": lambda v: modality_label(str(v)) if v is not None else None,
    "bool": lambda v: None if v is None else _yes_no(v),
    "unit": lambda v: label("unit", str(v)) if v is not None else None,
}


def human_value(column: Column, value: object) -> object:
    """A cell as people read it: a code's label; anything else as it is."""
    convert = _HUMAN.get(column.kind)
    if convert is None:
        return value
    return convert(value)


def exact_digits(value: Decimal) -> int:
    """Significant digits of a Decimal (a double holds 15 exactly)."""
    return len(value.normalize().as_tuple().digits)
