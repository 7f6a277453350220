"""Purchases held as columns: :attr:`xfrules.Facts.transactions` without a model per purchase.

A province's facts file or ledger holds millions of purchases. Held as one pydantic
:class:`~xfrules.Transaction` each (~1 KB with its dict, its Decimals and its date), they
were most of ``load_facts``' time and of the memory backend's memory, and the garbage
collector walked every one at each of its collections. :class:`Purchases` is the sequence
``Facts.transactions`` is: it reads as a tuple of ``Transaction`` — indexing, slicing,
iteration, ``len``, equality with a tuple or list of transactions — and holds parallel
columns:

- the buyer, the seller and the product as indices into tables of their texts (each text
  held once);
- the date as its ordinal (``date.toordinal``);
- the amount as an exact integer number of fen (:data:`AMOUNT_SCALE` places) and the
  quantity as an exact integer of thousandths (:data:`QUANTITY_SCALE`) — an amount finer
  than the fen or a quantity finer than 0.001 is no valid purchase, so no value is
  rounded, and no float is involved anywhere;
- a *profile*: an index into a table of the few combinations of origin region, category,
  channel, seller kind, the places each number was written with (``10.5`` and ``10.50``
  are equal but print differently: the places are kept, and a sum's places are the
  purchases', as Decimal addition gives them) and the fields the record gave;
- the id, as text or (:class:`PurchasesBuilder` with ``compact_ids``, for ledgers whose
  ids are ``file:row``) as an interned head and a number.

An item is made when asked for (``purchases[i]``, iteration): a ``Transaction`` equal to
the one validated or passed in — same values, same Decimal places, same fields-set — but not
the same object (``is`` is false, and two reads of one item give two equal objects). The
evaluator's sums (:mod:`xfrules.totals`) read the columns and make no model.
"""

from __future__ import annotations

import itertools
import operator
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pydantic_core import core_schema

from .bulk import constructed
from .entities import Transaction

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler

    from .ledger.rules import Purchase

__all__ = ["AMOUNT_SCALE", "QUANTITY_SCALE", "Profile", "Purchases", "PurchasesBuilder"]

_K = TypeVar("_K")

AMOUNT_SCALE = 2  # amounts in fen: exact (an amount is refused if finer than 0.01)
QUANTITY_SCALE = 3  # quantities in thousandths: exact (refused if finer than 0.001)

# (origin_region, category, channel, seller_kind, amount exponent, quantity exponent,
#  fields given or None for all of them)
Profile = tuple[str | None, str | None, str | None, str | None, int, int, frozenset[str] | None]

_ALL_FIELDS = frozenset(Transaction.model_fields)
_UNITS: dict[int, Decimal] = {}


def exact(scaled: int, scale: int, exponent: int) -> Decimal:
    """The Decimal worth ``scaled`` × 10^-``scale``, written with ``exponent`` (its places as
    given; never rounding: the value is a whole number of 10^``exponent``)."""
    value = Decimal(scaled).scaleb(-scale)
    if exponent == -scale:
        return value
    unit = _UNITS.get(exponent)
    if unit is None:
        unit = _UNITS[exponent] = Decimal((0, (1,), exponent))
    return value.quantize(unit)


def _places(value: Decimal) -> int:
    """How many places ``value`` needs (its exponent, trailing zeros dropped)."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class _CompactIds:
    """Ids as (interned head, trailing digits): ``ledger.csv:1234`` costs 12 bytes, not 80.
    An id without trailing digits (or with more than 12) is its own head (number -1)."""

    __slots__ = ("distinct", "heads", "index", "last", "numbers", "which")

    def __init__(self) -> None:
        self.heads: list[str] = []
        self.index: dict[str, int] = {}
        self.which = array("i")
        self.numbers = array("q")
        # A ledger's rows come in order: while each head's numbers rise, no id repeats, and
        # the check for repeats needs no set of a million keys.
        self.last: dict[int, int] = {}
        self.distinct = True

    def append(self, tid: str) -> None:
        head = tid.rstrip("0123456789")
        tail = tid[len(head) :]
        if not tail or len(tail) > 12:
            head, number = tid, -1
        else:  # the digits and how many (JY0007: head JY, 7 in 4 digits)
            number = int(tail) << 4 | len(tail)
        k = self.index.get(head)
        if k is None:
            k = self.index[head] = len(self.heads)
            self.heads.append(head)
        self.which.append(k)
        self.numbers.append(number)
        if self.distinct and self.last.get(k, -2) >= number:
            self.distinct = False
        self.last[k] = number

    def __len__(self) -> int:
        return len(self.which)

    def __getitem__(self, i: int) -> str:
        return _id_text(self.heads[self.which[i]], self.numbers[i])

    def __iter__(self) -> Iterator[str]:
        heads = self.heads
        for k, number in zip(self.which, self.numbers, strict=True):
            yield _id_text(heads[k], number)

    def keys(self) -> Iterator[int]:
        """One int per id, equal exactly when the ids are (without making the texts)."""
        for k, number in zip(self.which, self.numbers, strict=True):
            yield k << 48 | (number + 1)


def _place(key: _K, index: dict[_K, int], table: list[_K]) -> int:
    """``key``'s place in ``table`` (appended the first time), through ``index``."""
    k = index.get(key)
    if k is None:
        k = index[key] = len(table)
        table.append(key)
    return k


def _id_text(head: str, number: int) -> str:
    return head if number < 0 else head + str(number >> 4).zfill(number & 15)


class PurchasesBuilder:
    """Fills the columns of a :class:`Purchases`, purchase by purchase."""

    def __init__(self, *, compact_ids: bool = False) -> None:
        self.ids: list[str] | _CompactIds = _CompactIds() if compact_ids else []
        self.buyer = array("i")
        self.seller = array("i")
        self.product = array("i")
        self.day = array("i")
        self.amount: array[int] | list[int] = array("q")
        self.quantity: array[int] | list[int] = array("q")
        self.amount_scale = AMOUNT_SCALE
        self.quantity_scale = QUANTITY_SCALE
        self.profile = array("i")
        self.buyer_names: list[str] = []
        self.buyer_index: dict[str, int] = {}
        self.texts: list[str] = []
        self.text_index: dict[str, int] = {}
        self.profiles: list[Profile] = []
        self.profile_index: dict[Profile, int] = {}

    def add(
        self,
        tid: str,
        buyer: str,
        seller: str,
        product: str,
        category: str | None,
        origin: str | None,
        quantity: Decimal,
        amount: Decimal,
        day: date,
        channel: str | None,
        seller_kind: str | None,
        fields: frozenset[str] | None = None,
    ) -> None:
        """A purchase of validated values."""
        self.ids.append(tid)
        self.buyer.append(self._buyer(buyer))
        self.seller.append(self._text(seller))
        self.product.append(self._text(product))
        self.day.append(day.toordinal())
        self.amount = self._put(self.amount, amount, "amount_scale")
        self.quantity = self._put(self.quantity, quantity, "quantity_scale")
        exponents = (amount.as_tuple().exponent, quantity.as_tuple().exponent)
        profile = (origin, category, channel, seller_kind, *exponents, fields)
        self.profile.append(self._profile(profile))  # type: ignore[arg-type]

    def _put(self, column: Any, value: Decimal, scale_name: str) -> Any:
        """``value`` appended to ``column`` as a whole number at the column's scale. A valid
        purchase always fits; a model made without validation (a quantity share, say) may
        need more places, or exceed 64 bits: then the column is rescaled, or becomes a list of
        Python ints. Never rounded."""
        scale: int = getattr(self, scale_name)
        shifted = value.scaleb(scale)
        whole = int(shifted)
        if whole != shifted:
            more = _places(value) - scale
            column = [v * 10**more for v in column]
            setattr(self, scale_name, scale + more)
            whole = int(value.scaleb(scale + more))
        try:
            column.append(whole)
        except OverflowError:
            column = list(column)
            column.append(whole)
        return column

    def add_transaction(self, tx: Transaction) -> None:
        fields = frozenset(tx.model_fields_set)
        self.add(
            tx.id,
            tx.buyer,
            tx.seller,
            tx.product,
            tx.category,
            tx.origin_region,
            tx.quantity,
            tx.amount,
            tx.date,
            tx.channel,
            tx.seller_kind,
            None if fields == _ALL_FIELDS else fields,
        )

    def add_purchase(self, purchase: Purchase) -> None:
        """An accepted ledger row (every field given, as the importer's models had)."""
        self.add(*purchase[:11])

    def _buyer(self, name: str) -> int:
        return _place(name, self.buyer_index, self.buyer_names)

    def _text(self, text: str) -> int:
        return _place(text, self.text_index, self.texts)

    def _profile(self, profile: Profile) -> int:
        return _place(profile, self.profile_index, self.profiles)

    def build(self) -> Purchases:
        return Purchases(
            self.ids,
            self.buyer,
            self.seller,
            self.product,
            self.day,
            self.amount,
            self.quantity,
            self.profile,
            self.buyer_names,
            self.texts,
            self.profiles,
            self.amount_scale,
            self.quantity_scale,
        )


class Purchases(Sequence[Transaction]):
    """Purchases as columns, read as a tuple of :class:`~xfrules.Transaction` (see the
    module's docstring). Immutable; made by :meth:`of` or a :class:`PurchasesBuilder`.

    The columns (``buyer``, ``day``, ``amount``, ``quantity``, ``profile`` and the tables
    they index) are for xfrules' own sums; do not change them."""

    __slots__ = (
        "amount",
        "amount_scale",
        "buyer",
        "buyer_names",
        "day",
        "ids",
        "ids_distinct",
        "product",
        "profile",
        "profiles",
        "quantity",
        "quantity_scale",
        "seller",
        "texts",
    )

    def __init__(
        self,
        ids: list[str] | _CompactIds,
        buyer: array[int],
        seller: array[int],
        product: array[int],
        day: array[int],
        amount: array[int] | list[int],
        quantity: array[int] | list[int],
        profile: array[int],
        buyer_names: list[str],
        texts: list[str],
        profiles: list[Profile],
        amount_scale: int = AMOUNT_SCALE,
        quantity_scale: int = QUANTITY_SCALE,
    ) -> None:
        self.ids = ids
        self.buyer = buyer
        self.seller = seller
        self.product = product
        self.day = day
        self.amount = amount
        self.quantity = quantity
        self.profile = profile
        self.buyer_names = buyer_names
        self.texts = texts
        self.profiles = profiles
        # Whole numbers of 10^-scale: AMOUNT_SCALE and QUANTITY_SCALE for valid purchases.
        self.amount_scale = amount_scale
        self.quantity_scale = quantity_scale
        # Whether no id repeats is known already (load_facts checked it): then
        # first_of_each_id need not hash every id again.
        self.ids_distinct = False

    @classmethod
    def of(cls, items: Iterable[Any]) -> Purchases:
        """``items`` as purchases: a Purchases as it is; transactions (or mappings, which are
        validated as one) copied into columns."""
        if isinstance(items, Purchases):
            return items
        builder = PurchasesBuilder()
        for item in items:
            tx = item if isinstance(item, Transaction) else Transaction.model_validate(item)
            builder.add_transaction(tx)
        return builder.build()

    @classmethod
    def empty(cls) -> Purchases:
        return PurchasesBuilder().build()

    def __len__(self) -> int:
        return len(self.day)

    def _item(self, i: int) -> Transaction:
        origin, category, channel, seller_kind, a_exp, q_exp, fields = self.profiles[
            self.profile[i]
        ]
        made: Transaction = constructed(
            Transaction,
            {
                "id": self.ids[i],
                "buyer": self.buyer_names[self.buyer[i]],
                "seller": self.texts[self.seller[i]],
                "product": self.texts[self.product[i]],
                "category": category,
                "origin_region": origin,
                "quantity": exact(self.quantity[i], self.quantity_scale, q_exp),
                "amount": exact(self.amount[i], self.amount_scale, a_exp),
                "date": date.fromordinal(self.day[i]),
                "channel": channel,
                "seller_kind": seller_kind,
            },
            set(_ALL_FIELDS if fields is None else fields),
        )
        return made

    @overload
    def __getitem__(self, i: int) -> Transaction: ...
    @overload
    def __getitem__(self, i: slice) -> Purchases: ...
    def __getitem__(self, i: int | slice) -> Transaction | Purchases:
        n = len(self.day)
        if isinstance(i, slice):
            return self.take(range(n)[i])
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("purchase index out of range")
        return self._item(i)

    def __iter__(self) -> Iterator[Transaction]:
        for i in range(len(self.day)):
            yield self._item(i)

    def take(self, rows: Iterable[int]) -> Purchases:
        """The purchases at ``rows``, in that order (sharing the text tables)."""
        rows = list(rows)
        ids: list[str] | _CompactIds
        if isinstance(self.ids, _CompactIds):
            ids = _CompactIds()
            ids.heads, ids.index = self.ids.heads, self.ids.index
            ids.which = array("i", (self.ids.which[i] for i in rows))
            ids.numbers = array("q", (self.ids.numbers[i] for i in rows))
            # Distinct ids stay distinct in rows taken once each (rising: one look).
            rising = all(map(operator.lt, rows, itertools.islice(rows, 1, None)))
            ids.distinct = self.ids.distinct and rising
            ids.last = {}  # no more appends
        else:
            ids = [self.ids[i] for i in rows]

        def column(values: array[int]) -> array[int]:
            return array(values.typecode, (values[i] for i in rows))

        def numbers(values: array[int] | list[int]) -> array[int] | list[int]:
            if isinstance(values, list):
                return [values[i] for i in rows]
            return column(values)

        return Purchases(
            ids,
            column(self.buyer),
            column(self.seller),
            column(self.product),
            column(self.day),
            numbers(self.amount),
            numbers(self.quantity),
            column(self.profile),
            self.buyer_names,
            self.texts,
            self.profiles,
            self.amount_scale,
            self.quantity_scale,
        )

    def first_of_each_id(self) -> Purchases:
        """These purchases without a later one of an id already seen (the same purchase
        posted twice counts once); themselves when no id repeats (the usual case)."""
        if self.ids_distinct or (isinstance(self.ids, _CompactIds) and self.ids.distinct):
            return self
        keys: Iterable[Any] = self.ids.keys() if isinstance(self.ids, _CompactIds) else self.ids
        seen: set[Any] = set(keys)
        if len(seen) == len(self):
            return self
        seen.clear()
        keys = self.ids.keys() if isinstance(self.ids, _CompactIds) else self.ids
        rows = []
        for i, key in enumerate(keys):
            if key not in seen:
                seen.add(key)
                rows.append(i)
        return self.take(rows)

    def dated_until(self, last: date) -> Purchases:
        """The purchases dated ``last`` or before."""
        cut = last.toordinal()
        if max(self.day, default=cut) <= cut:
            return self
        return self.take(i for i, day in enumerate(self.day) if day <= cut)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, Purchases | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Purchases({list(self)!r})" if len(self) <= 5 else f"<Purchases: {len(self)}>"

    def __copy__(self) -> Purchases:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Purchases:
        return self

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Validated as a tuple of transactions (what Facts.transactions was), then columns;
        # dumped as that tuple.
        items = handler.generate_schema(tuple[Transaction, ...])

        def validate(value: Any, inner: core_schema.ValidatorFunctionWrapHandler) -> Purchases:
            return value if isinstance(value, Purchases) else cls.of(inner(value))

        return core_schema.no_info_wrap_validator_function(
            validate,
            items,
            serialization=core_schema.plain_serializer_function_ser_schema(
                tuple, return_schema=items
            ),
        )
