"""Report annexes: the tables a unit fills in and delivers with a report.

Policy documents ask for tables with Chinese headers (附件1 带贫人员名册: 姓名, 身份证号, …).
This module holds what every plug-in's annex validation needs:

- :func:`read_table` reads a CSV (UTF-8, with or without BOM, or GBK/GB18030) or XLSX file into
  :class:`Record` s that remember file and row number, matching headers by a
  :class:`TableSchema` (aliases, fullwidth forms, spaces and a trailing unit such as ``金额（元）``
  are tolerated; the header row may follow title rows such as ``附件1``);
- :class:`PersonName`, :class:`IdNumber`, :class:`PhoneNumber`: personal data that shows only
  its :mod:`xfrules.pii` mask in ``str``, ``repr``, ``format``, JSON and ``model_dump``; the
  raw value is reachable only through :meth:`Personal.reveal`;
- :class:`MaskedRow`: the base of annex row models (file, row; validation errors never echo
  input);
- field readers (:func:`text_field`, :func:`decimal_field`, :func:`money_field`,
  :func:`quantity_field`, :func:`date_field`, :func:`flag_field`, :func:`id_number_field`,
  :func:`phone_field`) that add a
  :class:`~xfrules.errors.Problem` naming file, row and the header as written, and never put
  a personal value into a message.

A plug-in declares its schemas and row models and combines these parts (see
``xfrules_datonghu.annexes``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .errors import InputError, Problem, reason_of
from .i18n import Msg
from .ledger.mapping import normalise_header as header_name_and_unit
from .pii import id_number_problem, mask_id_number, mask_name, mask_phone, phone_problem
from .values import (
    QUANTITY_PATTERN,
    parse_date,
    parse_decimal,
    parse_money,
    parse_quantity,
    to_halfwidth,
)

__all__ = [
    "Column",
    "IdNumber",
    "MaskedRow",
    "PersonName",
    "Personal",
    "PhoneNumber",
    "Record",
    "TableSchema",
    "date_field",
    "decimal_field",
    "duplicates",
    "echo",
    "flag_field",
    "id_number_field",
    "looks_personal",
    "money_field",
    "month_bounds",
    "normalise_header",
    "phone_field",
    "quantity_field",
    "read_table",
    "redact",
    "text_field",
]


# --------------------------------------------------------------------------- personal data


class Personal:
    """A personal value (a name, an ID number, a phone number) that prints only masked.

    Deliberately not a ``str`` subclass: string operations, ``json.dumps`` and f-strings
    cannot reach the raw text by accident. Equality and hashing use the raw value.
    """

    __slots__ = ("_raw",)
    label: ClassVar[str] = "personal data"

    def __init__(self, raw: str) -> None:
        if not isinstance(raw, str):
            raise TypeError(f"{type(self).__name__} takes text")
        self._raw = raw.strip()

    @staticmethod
    def _mask(text: str) -> str:
        return "*" * len(text)

    def reveal(self) -> str:
        """The raw value — for the validator and for deliberate export only."""
        return self._raw

    @property
    def masked(self) -> str:
        return self._mask(self._raw)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Personal) and type(other) is type(self) and other._raw == self._raw

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._raw))

    def __bool__(self) -> bool:
        return bool(self._raw)

    @classmethod
    def _coerce(cls, value: object) -> Personal:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(str(value))
        raise ValueError(f"{cls.label} must be text")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._coerce,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: v.masked, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "description": f"{cls.label}, masked on output"}


class PersonName(Personal):
    """姓名 — shown as 张* (family name kept)."""

    __slots__ = ()
    label = "name"

    @staticmethod
    def _mask(text: str) -> str:
        return mask_name(text)


class IdNumber(Personal):
    """身份证号 — shown with the birth date and sequence starred out."""

    __slots__ = ()
    label = "ID number"

    @staticmethod
    def _mask(text: str) -> str:
        return mask_id_number(text)


class PhoneNumber(Personal):
    """联系方式 — shown as 138****5678."""

    __slots__ = ()
    label = "phone number"

    @staticmethod
    def _mask(text: str) -> str:
        return mask_phone(text)


class MaskedRow(BaseModel):
    """Base of annex row models: where the row is, and no input echoed in validation errors.

    Declare personal fields with :class:`PersonName`, :class:`IdNumber` or
    :class:`PhoneNumber`; ``repr``, ``str``, ``model_dump`` and ``model_dump_json`` then show
    them masked.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)
    file: str
    row: int


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """One column of an annex: its key and the headers that name it (the first as templated)."""

    key: str
    headers: tuple[str, ...]
    required: bool = True

    @property
    def header(self) -> str:
        return self.headers[0]


@dataclass(frozen=True)
class TableSchema:
    """An annex table: its title (for messages) and its columns."""

    title: str
    columns: tuple[Column, ...]
    header_search_rows: int = 10

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True, repr=False)
class Record:
    """One data row of an annex file: cell texts by column key, with file and row number.

    ``repr`` shows where the row is, never its cells (they may hold personal data).
    """

    file: str
    row: int
    values: Mapping[str, str]
    headers: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    @property
    def label(self) -> Msg:
        return Msg("at.row", n=self.row)

    def problem(self, key: str, message: str | Msg) -> Problem:
        return Problem(self.file, self.label, self.header(key), message)

    def __repr__(self) -> str:
        return f"Record(file={self.file!r}, row={self.row}, columns={sorted(self.values)})"


def normalise_header(text: str) -> str:
    """``' 金额（元） '`` -> ``'金额'``: a header as ledgers read one, its unit left out
    (:func:`xfrules.ledger.mapping.normalise_header`)."""
    return header_name_and_unit(text)[0]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # A spreadsheet number: its shortest exact decimal repr, never binary arithmetic.
        dec = Decimal(repr(value))
        return format(dec.normalize() if dec == dec.to_integral() else dec, "f")
    return str(value).strip()


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The table's rows as text, read as ledgers are (:func:`xfrules.ledger.readers.table_rows`)."""
    from .ledger.readers import table_rows

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv"):
        raise InputError([Problem(str(path), "", "", Msg("annex.file_type", suffix=suffix))])
    if not path.is_file():
        unread = Msg("file.cannot_read", detail=Msg("ledger.no_file"))
        raise InputError([Problem(str(path), "", "", unread)])
    # The reader numbers a record by its last line; an annex row is named by its first, where
    # a person finds it (a quoted cell may span lines). Every record is yielded, blank ones
    # too, so a record starts on the line after the one before it ends.
    previous = 0
    for number, cells in table_rows(path, convert=_cell_text):
        yield previous + 1, [_cell_text(c) for c in cells]
        previous = number


def _match_header(cells: Sequence[str], schema: TableSchema) -> dict[str, int]:
    """Column key -> cell index for the headers found in ``cells``."""
    found: dict[str, int] = {}
    normalised = [normalise_header(c) for c in cells]
    for col in schema.columns:
        names = {normalise_header(h) for h in col.headers}
        for i, cell in enumerate(normalised):
            if cell in names and col.key not in found:
                found[col.key] = i
    return found


def read_table(path: str | Path, schema: TableSchema) -> list[Record]:
    """Read an annex file into records; raise InputError when the file or its header is unusable.

    The header row is the first of the first ``schema.header_search_rows`` rows that holds
    every required column. Wholly blank rows (the template's empty lines) are skipped. Row
    numbers are the file's own (1-based, header included), as a person sees them.
    """
    path = Path(path)
    rows = _rows(path)
    best: dict[str, int] = {}
    header: dict[str, int] | None = None
    header_cells: list[str] = []
    required = [c.key for c in schema.columns if c.required]
    for number, cells in rows:
        found = _match_header(cells, schema)
        if all(k in found for k in required):
            header, header_cells = found, cells
            break
        if len(found) > len(best):
            best = found
        if number >= schema.header_search_rows:
            break
    if header is None:
        missing = [schema.column(k).header for k in required if k not in best]
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    "",
                    Msg(
                        "annex.no_header",
                        title=schema.title,
                        n=schema.header_search_rows,
                        missing=", ".join(missing),
                    ),
                )
            ]
        )
    headers = {k: header_cells[i].strip() or schema.column(k).header for k, i in header.items()}
    headers.update({c.key: c.header for c in schema.columns if c.key not in headers})
    out: list[Record] = []
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        values = {k: (cells[i].strip() if i < len(cells) else "") for k, i in header.items()}
        out.append(Record(str(path), number, values, headers))
    return out


# --------------------------------------------------------------------------- field readers

_ID_LIKE = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)")
_PHONE_LIKE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def redact(text: str) -> str:
    """Mask anything in ``text`` that looks like an ID or phone number (a cell in the wrong column)."""
    text = _ID_LIKE.sub(lambda m: mask_id_number(m.group()), to_halfwidth(text))
    return _PHONE_LIKE.sub(lambda m: mask_phone(m.group()), text)


def looks_personal(text: str) -> bool:
    """True when a whole cell is shaped like an ID or phone number (a column mix-up)."""
    compact = to_halfwidth(text).strip().replace(" ", "")
    return bool(_ID_LIKE.fullmatch(compact) or _PHONE_LIKE.fullmatch(compact))


def echo(text: str) -> str:
    """A cell's value for a message: quoted, with ID- and phone-like digits masked."""
    return repr(redact(text))


def text_field(record: Record, key: str, problems: list[Problem], *, required: bool = True) -> str:
    value = record.get(key)
    if required and not value:
        problems.append(record.problem(key, Msg("annex.empty_value")))
    return value


def decimal_field(
    record: Record,
    key: str,
    problems: list[Problem],
    *,
    minimum: Decimal | None = Decimal(0),
    required: bool = True,
) -> Decimal | None:
    """An exact number (``1,234.50``, ``1.2万``, ``25%``, fullwidth digits); None after a problem."""
    return _number_field(
        record, key, problems, parse_decimal, "annex.not_number", minimum, required
    )


def money_field(
    record: Record,
    key: str,
    problems: list[Problem],
    *,
    minimum: Decimal | None = Decimal(0),
    required: bool = True,
) -> Decimal | None:
    """An amount of money, read as the ledger importer reads one
    (:func:`~xfrules.values.parse_money`: ``1,234.50``, ``1.2万元``; not ``25%`` or ``100人``);
    None after a problem."""
    return _number_field(record, key, problems, parse_money, "annex.not_money", minimum, required)


def _number_field(
    record: Record,
    key: str,
    problems: list[Problem],
    parse: Callable[[str], Decimal],
    what: str,
    minimum: Decimal | None,
    required: bool,
) -> Decimal | None:
    text = record.get(key)
    if not text:
        if required:
            problems.append(record.problem(key, Msg("annex.empty_amount")))
        return None
    if looks_personal(text):
        problems.append(record.problem(key, Msg("annex.personal")))
        return None
    try:
        value = parse(text)
    except ValueError:
        problems.append(record.problem(key, Msg(what, value=echo(text))))
        return None
    if minimum is not None and value < minimum:
        below = Msg("annex.below", minimum=minimum, value=echo(text))
        problems.append(record.problem(key, below))
        return None
    return value


_QUANTITY = re.compile(QUANTITY_PATTERN)


def quantity_field(
    record: Record, key: str, problems: list[Problem], *, required: bool = True
) -> tuple[Decimal | None, str]:
    """A quantity and its unit as written (``500斤`` → 500, ``斤``; ``12`` → 12, ``""``), read as
    the ledger importer reads one (:func:`~xfrules.values.parse_quantity`), so a table the
    annex check accepts imports as a ledger; None after a problem."""
    text = record.get(key)
    if not text:
        if required:
            problems.append(record.problem(key, Msg("annex.empty_quantity")))
        return None, ""
    if looks_personal(text):
        problems.append(record.problem(key, Msg("annex.personal")))
        return None, ""
    try:
        value = parse_quantity(text)
    except ValueError:
        problems.append(record.problem(key, Msg("annex.not_quantity", value=echo(text))))
        return None, ""
    if value < 0:
        problems.append(record.problem(key, Msg("annex.negative", value=echo(text))))
        return None, ""
    match = _QUANTITY.match(to_halfwidth(text).strip())
    return value, (match.group("un") or "") if match else ""


_DELIVERY_DATE = Msg("annex.delivery_date")
_REPORTED_PERIOD = Msg("annex.reported_period")


def date_field(
    record: Record,
    key: str,
    problems: list[Problem],
    *,
    not_after: date | None = None,
    not_after_what: str | Msg = _DELIVERY_DATE,
    within: tuple[date, date] | None = None,
    within_what: str | Msg = _REPORTED_PERIOD,
) -> date | None:
    text = record.get(key)
    if not text:
        problems.append(record.problem(key, Msg("annex.empty_date")))
        return None
    try:
        value = parse_date(text)
    except ValueError as exc:
        problems.append(record.problem(key, reason_of(exc)))  # masked by the Problem
        return None
    if within is not None and not (within[0] <= value <= within[1]):
        outside = Msg(
            "annex.outside", value=value, what=within_what, start=within[0], end=within[1]
        )
        problems.append(record.problem(key, outside))
    if not_after is not None and value > not_after:
        after = Msg("annex.after", value=value, what=not_after_what, day=not_after)
        problems.append(record.problem(key, after))
    return value


_YES = frozenset({"是", "有", "已", "已盖章", "已签字", "y", "yes", "true", "1", "√", "✓", "✔"})
_NO = frozenset({"", "否", "无", "没有", "未", "n", "no", "false", "0", "×", "✗"})


def flag_field(record: Record, key: str, problems: list[Problem]) -> bool:
    """是/否 (also Y/N, √/×, 1/0); empty is 否."""
    text = to_halfwidth(record.get(key)).strip().lower()
    if text in _YES:
        return True
    if text not in _NO:
        problems.append(record.problem(key, Msg("annex.flag", value=echo(record.get(key)))))
    return False


def id_number_field(record: Record, key: str, problems: list[Problem]) -> IdNumber | None:
    """A checked 身份证号; messages never echo it."""
    text = record.get(key)
    if not text:
        problems.append(record.problem(key, Msg("annex.empty_id")))
        return None
    why = id_number_problem(text)
    if why:
        problems.append(record.problem(key, why))
        return None
    return IdNumber(text.upper())


def phone_field(record: Record, key: str, problems: list[Problem]) -> PhoneNumber | None:
    """A checked phone number; messages never echo it."""
    text = record.get(key)
    if not text:
        problems.append(record.problem(key, Msg("annex.empty_phone")))
        return None
    why = phone_problem(to_halfwidth(text))
    if why:
        problems.append(record.problem(key, why))
        return None
    return PhoneNumber(to_halfwidth(text).replace(" ", ""))


_MONTH = (
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def month_bounds(month: date | str) -> tuple[date, date]:
    """First and last day of a month given as a date in it, ``2020-05``, ``202005`` or ``2020年5月``."""
    if isinstance(month, date):
        year, mon = month.year, month.month
    else:
        text = to_halfwidth(month).strip()
        for pattern in _MONTH:
            match = pattern.match(text)
            if match:
                year, mon = int(match.group(1)), int(match.group(2))
                break
        else:
            day = parse_date(text)
            year, mon = day.year, day.month
        if not 1 <= mon <= 12:
            raise ValueError(Msg("annex.not_month", value=month))
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


def duplicates(
    records: Iterable[Record], value: Callable[[Record], str]
) -> Iterator[tuple[Record, Record]]:
    """(later, first) pairs of records sharing a non-empty ``value``."""
    first: dict[str, Record] = {}
    for record in records:
        v = value(record)
        if not v:
            continue
        if v in first:
            yield record, first[v]
        else:
            first[v] = record
