"""Row rules: one ledger row to one :class:`~xfrules.Transaction`, or the reasons it is rejected.

These rules are the contract the DuckDB backend (``xfrules.batch``) reproduces in SQL; change
both together (the differential test in tests/test_batch_differential.py holds them equal).

- ``amount``: required, read by :func:`xfrules.values.parse_money` (``1,234.50``, ``1.2万元``,
  fullwidth digits; no ``%``, no unit but 元); a plain number under a ``金额（万元）`` header is
  scaled; must be ≥ 0, below 10^15 元 and exact to the fen (0.01 元); stored with two decimals.
- ``quantity``: optional (0), read by :func:`xfrules.values.parse_quantity` (``500斤``, ``3 kg``:
  the unit is dropped, not converted), ≥ 0, below 10^15, exact to 0.001; three decimals.
- ``date``: required, :func:`xfrules.values.parse_date` (``2020年4月26日``, ``2020/4/26``, ``2020-04-26``).
- ``buyer``: required; with units given, a unit id or a unit's (unique) name.
- ``origin_region``: optional; a GB/T 2260 code (6, 9 or 12 digits).
- ``id_number`` (身份证): checked by its GB 11643 check digit; ``phone`` by its form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from ..bulk import constructed
from ..entities import Transaction, Unit
from ..errors import InputError, Problem, reason_of
from ..facts import Facts
from ..i18n import Msg
from ..pii import id_number_problem, mask_id_number, mask_name, mask_phone, phone_problem
from ..pii import scrub as scrub  # the one scrubber; kept importable from here
from ..regions import region_code_problem
from ..values import (
    CENT,
    LIMIT,
    MILLI,
    amount_problem,
    field_name,
    parse_date,
    parse_money,
    parse_quantity,
    to_halfwidth,
)
from .mapping import ColumnPlan, LedgerMapping
from .readers import Cell

__all__ = ["LIMIT", "Purchase", "RowRules", "buyer_keys", "mask_row", "scrub"]

_MULTIPLIER = re.compile(r"[万亿千]")


def refuse_facts_transactions(facts: Facts) -> None:
    """With ledgers, transactions come from the ledger files only: a facts file that lists
    some too would count purchases twice, so it is refused."""
    if facts.transactions:
        raise InputError(
            [
                Problem(
                    facts.source or "<facts>", "transactions", "", Msg("ledger.facts_transactions")
                )
            ]
        )


def buyer_keys(units: Iterable[Unit]) -> dict[str, str]:
    """Ledger buyer text -> unit id: every unit id, and every unit name that is unique and not an id."""
    units = list(units)
    keys = {u.id: u.id for u in units}
    names: dict[str, list[str]] = {}
    for u in units:
        names.setdefault(u.name.strip(), []).append(u.id)
    for name, ids in names.items():
        if len(ids) == 1 and name not in keys and name:
            keys[name] = ids[0]
    return keys


def text_of(value: Cell) -> str | None:
    """A cell as stripped text; empty is None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = value.strip()
    return text or None


def mask_row(plan: ColumnPlan, cells: Sequence[Cell], person_seller: bool = False) -> list[str]:
    """The row's cells as text with personal data masked (for the rejected-rows file and logs);
    ``person_seller``: the seller is a person, whose name is masked too."""
    out: list[str] = []
    for pos, value in enumerate(cells):
        text = text_of(value) or ""
        fld = plan.fields.get(pos)
        if text and fld == "id_number":
            text = mask_id_number(text)
        elif text and fld == "phone":
            text = mask_phone(text)
        elif text and (fld == "person_name" or (fld == "seller" and person_seller)):
            text = mask_name(text)
        else:
            text = scrub(text)
        out.append(text)
    return out


class Purchase(NamedTuple):
    """An accepted row: a transaction's fields, as :class:`~xfrules.Transaction` holds them
    (the seller masked when a person), and ``content``: a hash of what two rows sharing a
    transaction id must agree on to be one purchase (every field but the id; the seller as
    written), 0 in a ledger without transaction ids."""

    id: str
    buyer: str
    seller: str
    product: str
    category: str | None
    origin_region: str | None
    quantity: Decimal
    amount: Decimal
    date: date
    channel: str | None
    seller_kind: str | None
    content: int = 0

    def transaction(self) -> Transaction:
        """The :class:`~xfrules.Transaction`. Built without validating again what the row
        rules just read (as ``model_construct``); tests hold validating it equal to it. (The
        memory backend keeps accepted rows as columns, not as these:
        :meth:`xfrules.purchases.PurchasesBuilder.add_purchase`.)"""
        made: Transaction = constructed(
            Transaction,
            {
                "id": self.id,
                "buyer": self.buyer,
                "seller": self.seller,
                "product": self.product,
                "category": self.category,
                "origin_region": self.origin_region,
                "quantity": self.quantity,
                "amount": self.amount,
                "date": self.date,
                "channel": self.channel,
                "seller_kind": self.seller_kind,
            },
            _TRANSACTION_FIELDS_SET,
        )
        return made

    def json_line(self) -> str:
        """:meth:`record` as one line of JSON (``json.dumps(record, ensure_ascii=False)``,
        tested), without building the dict: half the time of a streaming import's output."""
        t = _json_text
        return (
            f'{{"id": {_json_string(_scrub_id(self.id))}, "buyer": {t(self.buyer)},'
            f' "seller": {t(self.seller)},'
            f' "product": {t(self.product)}, "category": {t(self.category)},'
            f' "origin_region": {t(self.origin_region)}, "quantity": "{self.quantity!s}",'
            f' "amount": "{self.amount!s}", "date": "{self.date.isoformat()}",'
            f' "channel": {t(self.channel)},'
            f' "seller_kind": {t(self.seller_kind)}}}'
        )

    def record(self) -> dict[str, object]:
        """The transaction's JSON record as every output shows it (``masked(tx).model_dump(
        mode="json")``): personal numbers masked in every text, figures and dates as text."""
        return {
            f: scrub(v) if isinstance(v, str) else (None if v is None else str(v))
            for f in _TRANSACTION_FIELDS
            for v in (getattr(self, f),)
        }


_TRANSACTION_FIELDS = tuple(f for f in Purchase._fields if f != "content")
_TRANSACTION_FIELDS_SET = set(_TRANSACTION_FIELDS)
_json_string = json.encoder.encode_basestring  # as json.dumps(ensure_ascii=False) writes a str


def _scrub_id(tid: str) -> str:
    """``scrub(tid)``. An id ``<text>:<row>`` (the importer's own: file and row) is scrubbed
    in its text part only, which repeats (cached): a personal number is a run of 10 or more
    digits (separated by '-' or ' ' at most), so none spans the ':' nor fits in 9 digits."""
    head, sep, tail = tid.rpartition(":")
    if sep and len(tail) <= 9 and tail.isascii() and tail.isdigit():
        return f"{scrub(head)}:{tail}"
    return scrub(tid)


def _json_text(value: str | None) -> str:
    """A text field of a purchase in JSON, personal numbers masked."""
    if value is None:
        return "null"
    text = _JSON_TEXTS.get(value)
    if text is None:
        text = _json_string(scrub(value))
        if len(_JSON_TEXTS) < 100_000:  # buyers, codes, categories repeat: remembered
            _JSON_TEXTS[value] = text
    return text


_JSON_TEXTS: dict[str, str] = {}


_TEXTS = (
    "id",
    "buyer",
    "seller",
    "product",
    "category",
    "origin_region",
    "channel",
    "seller_kind",
    "id_number",
    "phone",
)
# Cells already written as plain numbers and ISO dates (most cells) are read without the
# general readers' normalisation: exactly what those give for them (tested), 5x faster.
_PLAIN = {
    CENT: re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,2})?"),
    MILLI: re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,3})?"),
}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class RowRules:
    """Validates rows of one ledger file laid out by ``plan``."""

    def __init__(
        self,
        path: Path,
        plan: ColumnPlan,
        mapping: LedgerMapping,
        buyers: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.plan = plan
        self.mapping = mapping
        self.buyers = buyers
        self.pos = {f: p for p, f in plan.fields.items()}
        self._file = str(path)
        # Per text field: (position, value map, default), looked up once, not per cell.
        self._texts = {
            name: (self.pos.get(name), mapping.values.get(name) or {}, mapping.defaults.get(name))
            for name in _TEXTS
        }
        self._ids = plan.has("id")  # rows compared by content: see Purchase.content
        self._fast = _FastPath(self)

    def raw(self, cells: Sequence[Cell], name: str) -> Cell:
        pos = self.pos.get(name)
        if pos is None or pos >= len(cells):
            return None
        return cells[pos]

    def header(self, name: str) -> str:
        pos = self.pos.get(name)
        return self.plan.headers[pos] if pos is not None else name

    def text(self, cells: Sequence[Cell], name: str) -> str | None:
        """The field's cell as stripped text (empty: None), through the mapping's value map,
        or the mapping's default."""
        pos, values, default = self._texts[name]
        value = cells[pos] if pos is not None and pos < len(cells) else None
        if value is not None:
            value = value.strip() or None if type(value) is str else text_of(value)
            if value is not None and values:
                value = values.get(value, value)
        return value if value is not None else default

    def seller_is_person(self, cells: Sequence[Cell]) -> bool:
        """A household seller, or a row carrying a 身份证 number: in a purchase ledger that is
        the seller's (卖方身份证号), and only a natural person has one."""
        return (
            self.text(cells, "seller_kind") == "household"
            or text_of(self.raw(cells, "id_number")) is not None
        )

    def _number(
        self,
        value: Cell,
        what: str,
        read: Callable[[object], Decimal],
        scale: Decimal,
        step: Decimal,
        *,
        required: bool,
    ) -> tuple[Decimal | None, Msg | str | None]:
        if isinstance(value, str) and scale == 1 and _PLAIN[step].fullmatch(value):
            return Decimal(value).quantize(step), None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                return None, Msg("value.missing", what=field_name(what))
            return Decimal(0).quantize(step), None
        if isinstance(value, date):
            return None, Msg("value.is_date", what=field_name(what))
        try:
            number = read(value)
        except ValueError as exc:
            return None, reason_of(exc)
        if not (isinstance(value, str) and _MULTIPLIER.search(to_halfwidth(value))):
            number *= scale
        if why := amount_problem(number, what, step):
            return None, why
        return number.quantize(step), None

    def _date(self, raw: Cell) -> tuple[date | None, Msg | str | None]:
        if isinstance(raw, date):
            return raw, None
        if isinstance(raw, str) and _ISO_DATE.fullmatch(raw):
            try:
                return date(int(raw[:4]), int(raw[5:7]), int(raw[8:])), None
            except ValueError:
                pass  # the general reader says why
        if (text := text_of(raw)) is None:
            return None, Msg("value.missing", what=field_name("date"))
        try:
            return parse_date(text), None
        except ValueError as exc:
            return None, reason_of(exc)

    def check(self, number: int, cells: Sequence[Cell]) -> tuple[Purchase | None, list[Problem]]:
        """The row's purchase, or None and every problem found (file, row, column, reason)."""
        purchase = self._fast(number, cells)
        if purchase is not None:
            return purchase, []
        return self._check(number, cells)

    def _check(self, number: int, cells: Sequence[Cell]) -> tuple[Purchase | None, list[Problem]]:
        problems: list[Problem] = []

        def bad(name: str, reason: Msg | str) -> None:
            problems.append(Problem(self._file, row, self.header(name), reason))

        row = Msg("at.row", n=number)

        amount, why = self._number(
            self.raw(cells, "amount"),
            "amount",
            parse_money,
            self.plan.amount_scale,
            CENT,
            required=True,
        )
        if why:
            bad("amount", why)
        quantity, why = self._number(
            self.raw(cells, "quantity"),
            "quantity",
            parse_quantity,
            Decimal(1),
            MILLI,
            required=False,
        )
        if why:
            bad("quantity", why)
        day, why = self._date(self.raw(cells, "date"))
        if why:
            bad("date", why)
        buyer = self.text(cells, "buyer")
        if buyer is None:
            bad("buyer", Msg("value.missing", what=field_name("buyer")))
        elif self.buyers is not None:
            resolved = self.buyers.get(buyer)
            if resolved is None:
                bad("buyer", Msg("ledger.unknown_buyer", buyer=buyer))
            buyer = resolved
        origin = self.text(cells, "origin_region")
        if origin is not None and (why := region_code_problem(origin)):
            bad("origin_region", why)
        if (idn := text_of(self.raw(cells, "id_number"))) and (why := id_number_problem(idn)):
            bad("id_number", why)
        if (tel := text_of(self.raw(cells, "phone"))) and (why := phone_problem(tel)):
            bad("phone", why)
        if problems:
            return None, problems
        assert amount is not None and quantity is not None and day is not None and buyer
        seller = self.text(cells, "seller") or ""
        product = self.text(cells, "product") or ""
        category = self.text(cells, "category")
        channel = self.text(cells, "channel")
        seller_kind = self.text(cells, "seller_kind")
        content = (
            hash(
                (
                    buyer,
                    seller,
                    product,
                    category,
                    origin,
                    quantity,
                    amount,
                    day,
                    channel,
                    seller_kind,
                )
            )
            if self._ids
            else 0
        )
        if seller and self.seller_is_person(cells):
            seller = mask_name(seller)
        purchase = Purchase(
            self.text(cells, "id") or f"{self.path}:{number}",
            buyer,
            scrub(seller),
            product,
            category,
            origin,
            quantity,
            amount,
            day,
            channel,
            seller_kind,
            content,
        )
        return purchase, []


class _FastPath:
    """A row whose every cell is plain text of the common forms — amount and quantity plain
    numbers, an ISO date, a known buyer, a valid origin code or none, no personal number —
    read in one go: what :meth:`RowRules._check` gives it (tested), in a third of the time.
    Any other row (a problem, a typed cell, 1,234.50, a 万元 header…) gives None: the full
    rules read it."""

    _ORIGINS_MAX = 100_000  # valid origin codes remembered (codes repeat: thousands of them)

    def __init__(self, rules: RowRules) -> None:
        self.rules = rules
        pos = rules.pos
        self.on = all(pos.get(f) is None for f in ("id_number", "phone")) and (
            rules.plan.amount_scale == 1 and "amount" in pos and "date" in pos
        )
        self.width = max(pos.values(), default=0) + 1
        self.amount = pos.get("amount", 0)
        self.quantity = pos.get("quantity")
        self.date = pos.get("date", 0)
        # (position, value map, default) of the text fields, in Purchase's order after the id.
        names = ("buyer", "seller", "product", "category", "origin_region", "channel")
        texts = [rules._texts[n] for n in (*names, "seller_kind", "id")]
        self.defaults = [default for _, _, default in texts]
        self.columns = [(i, p, v, d) for i, (p, v, d) in enumerate(texts) if p is not None]
        self.origins: dict[str, bool] = {}
        self.ids = rules._ids

    def __call__(self, number: int, cells: Sequence[Cell]) -> Purchase | None:
        if not self.on or len(cells) < self.width:
            return None
        amount = cells[self.amount]
        if type(amount) is not str or not _PLAIN[CENT].fullmatch(amount):
            return None
        quantity = "" if self.quantity is None else cells[self.quantity]
        if type(quantity) is not str:
            return None
        if quantity and not _PLAIN[MILLI].fullmatch(quantity):
            if quantity.strip():
                return None
            quantity = ""
        day = cells[self.date]
        if type(day) is not str or not _ISO_DATE.fullmatch(day):
            return None
        try:
            when = date.fromisoformat(day)
        except ValueError:
            return None
        texts = list(self.defaults)  # the fields without a column: their defaults
        for i, pos, values, default in self.columns:
            value = cells[pos]
            if type(value) is not str:
                return None
            value = value.strip() or None
            if value is not None and values:
                value = values.get(value, value)
            texts[i] = value if value is not None else default
        buyer, seller, product, category, origin, channel, seller_kind, tid = texts
        if buyer is None:
            return None
        if self.rules.buyers is not None:
            buyer = self.rules.buyers.get(buyer)
            if buyer is None:
                return None
        if origin is not None and not self._origin_ok(origin):
            return None
        value = Decimal(amount).quantize(CENT)
        count = Decimal(quantity or 0).quantize(MILLI)
        seller = seller or ""
        product = product or ""
        content = (
            hash(
                (buyer, seller, product, category, origin, count, value, when, channel, seller_kind)
            )
            if self.ids
            else 0  # only rows with a transaction id are compared (0.9 µs: Decimal hashing)
        )
        if seller and seller_kind == "household":  # no 身份证 column: see seller_is_person
            seller = mask_name(seller)
        return Purchase(
            tid or f"{self.rules.path}:{number}",
            buyer,
            scrub(seller),
            product,
            category,
            origin,
            count,
            value,
            when,
            channel,
            seller_kind,
            content,
        )

    def _origin_ok(self, code: str) -> bool:
        ok = self.origins.get(code)
        if ok is None:
            ok = region_code_problem(code) is None
            if ok and len(self.origins) < self._ORIGINS_MAX:
                self.origins[code] = ok
        return ok
