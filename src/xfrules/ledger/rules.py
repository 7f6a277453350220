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

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..entities import Transaction, Unit
from ..errors import InputError, Problem
from ..facts import Facts
from ..pii import id_number_problem, mask_id_number, mask_name, mask_phone, phone_problem
from ..pii import scrub as scrub  # the one scrubber; kept importable from here
from ..regions import region_code_problem
from ..values import (
    CENT,
    LIMIT,
    MILLI,
    amount_problem,
    parse_date,
    parse_money,
    parse_quantity,
    to_halfwidth,
)
from .mapping import ColumnPlan, LedgerMapping
from .readers import Cell

__all__ = ["LIMIT", "RowRules", "buyer_keys", "mask_row", "scrub"]

_MULTIPLIER = re.compile(r"[万亿千]")


def refuse_facts_transactions(facts: Facts) -> None:
    """With ledgers, transactions come from the ledger files only: a facts file that lists
    some too would count purchases twice, so it is refused."""
    if facts.transactions:
        raise InputError(
            [
                Problem(
                    facts.source or "<facts>",
                    "transactions",
                    "",
                    "with ledgers, transactions come from the ledger files only; move them into a ledger",
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

    def raw(self, cells: Sequence[Cell], name: str) -> Cell:
        pos = self.pos.get(name)
        if pos is None or pos >= len(cells):
            return None
        return cells[pos]

    def header(self, name: str) -> str:
        pos = self.pos.get(name)
        return self.plan.headers[pos] if pos is not None else name

    def text(self, cells: Sequence[Cell], name: str) -> str | None:
        value = text_of(self.raw(cells, name))
        if value is not None:
            value = self.mapping.values.get(name, {}).get(value, value)
        return value if value is not None else self.mapping.defaults.get(name)

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
    ) -> tuple[Decimal | None, str | None]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return (None, f"{what} is missing") if required else (Decimal(0).quantize(step), None)
        if isinstance(value, date):
            return None, f"{what} is a date, not a number"
        try:
            number = read(value)
        except ValueError as exc:
            return None, str(exc)
        if not (isinstance(value, str) and _MULTIPLIER.search(to_halfwidth(value))):
            number *= scale
        if why := amount_problem(number, what, step):
            return None, why
        return number.quantize(step), None

    def check(self, number: int, cells: Sequence[Cell]) -> tuple[Transaction | None, list[Problem]]:
        """The row's transaction, or None and every problem found (file, row, column, reason)."""
        where = f"row {number}"
        problems: list[Problem] = []

        def bad(name: str, reason: str) -> None:
            problems.append(Problem(str(self.path), where, self.header(name), reason))

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
        day: date | None = None
        raw_day = self.raw(cells, "date")
        if isinstance(raw_day, date):
            day = raw_day
        elif (day_text := text_of(raw_day)) is None:
            bad("date", "date is missing")
        else:
            try:
                day = parse_date(day_text)
            except ValueError as exc:
                bad("date", str(exc))
        buyer = self.text(cells, "buyer")
        if buyer is None:
            bad("buyer", "buyer is missing")
        elif self.buyers is not None:
            resolved = self.buyers.get(buyer)
            if resolved is None:
                bad("buyer", f"unknown buyer {buyer!r}: not a unit id or unique unit name")
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
        if seller and self.seller_is_person(cells):
            seller = mask_name(seller)
        tx = Transaction(
            id=self.text(cells, "id") or f"{self.path}:{number}",
            buyer=buyer,
            seller=scrub(seller),
            product=self.text(cells, "product") or "",
            category=self.text(cells, "category"),
            origin_region=origin,
            quantity=quantity,
            amount=amount,
            date=day,
            channel=self.text(cells, "channel"),
            seller_kind=self.text(cells, "seller_kind"),
        )
        return tx, []
