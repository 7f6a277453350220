"""Monitor events: JSON objects with a ``type``, parsed into the core fact models.

``{"type": "transaction", ...Transaction fields}``, ``{"type": "observation", ...}``,
``{"type": "submission", ...}`` and ``{"type": "clock", "date": "2020-05-29"}``.
Money is a string or an integer (``"12.34"``, ``"1.2万元"``); a binary float is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from ..entities import Observation, Submission, Transaction
from ..errors import InputError, Problem, XfrulesError
from ..pii import mask_id_number, mask_name, mask_phone
from ..regions import region_code_problem
from ..values import parse_date

__all__ = [
    "EVENT_TYPES",
    "EngineError",
    "EventError",
    "ParsedEvent",
    "UnhandledEventError",
    "masked",
    "parse_event",
]

EVENT_TYPES = ("transaction", "observation", "submission", "clock")
_MODELS: dict[str, type[BaseModel]] = {
    "transaction": Transaction,
    "observation": Observation,
    "submission": Submission,
}


class EventError(InputError):
    """An event the monitor refused: each problem names the event and the field."""


class UnhandledEventError(EventError):
    """A well-formed event that no rule of the monitor handles (durable_rules said so)."""


class EngineError(XfrulesError):
    """durable_rules failed while handling an event (an action raised, or never ran)."""


@dataclass(frozen=True)
class ParsedEvent:
    type: str
    unit: str  # buyer / unit; "" for clock
    fact: Transaction | Observation | Submission | None
    day: date | None  # the clock's date
    raw: dict[str, Any]
    source: str = "<event>"
    where: str = "event"

    @property
    def label(self) -> str:
        """The event as errors name it (only made when one is reported)."""
        return _label(self.raw, self.where)

    @property
    def route(self) -> tuple[str, ...]:
        if isinstance(self.fact, Observation):
            return ("observation", self.fact.metric)
        if isinstance(self.fact, Submission):
            return ("submission", self.fact.report)
        return (self.type,)


def _label(raw: Any, where: str) -> str:
    if isinstance(raw, dict):
        ident = raw.get("id")
        kind = raw.get("type")
        if ident is not None:
            return f"{where} ({kind} id {ident!r})"
        if kind is not None:
            return f"{where} ({kind})"
    return where


def parse_event(raw: Any, *, source: str = "<event>", where: str = "event") -> ParsedEvent:
    """Validate one event; raise EventError naming the event and field on any problem."""

    def fail(field: str, message: str) -> EventError:
        return EventError([Problem(source, _label(raw, where), field, message)])

    if not isinstance(raw, dict):
        raise fail("", f"an event must be a JSON object, got {type(raw).__name__}")
    kind = raw.get("type")
    if kind not in EVENT_TYPES:
        raise fail("type", f"must be one of {', '.join(EVENT_TYPES)} (got {kind!r})")
    body = dict(raw)
    del body["type"]
    if kind == "clock":
        extra = set(body) - {"date"}
        if extra:
            raise fail(", ".join(sorted(extra)), "a clock event has only 'date'")
        try:
            day = parse_date(body.get("date"))
        except ValueError as exc:
            raise fail("date", str(exc)) from None
        return ParsedEvent("clock", "", None, day, raw, source, where)
    model = _MODELS[kind]
    for key in _DATE_FIELDS[kind]:
        if key in body:
            body[key] = _fast_date(body[key])
    for key in _NUMBER_FIELDS[kind]:
        if key in body:
            body[key] = _fast_decimal(body[key])
    try:
        fact = model.model_validate(body)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = "required field is missing" if err["type"] == "missing" else str(err["msg"])
            problems.append(
                Problem(source, _label(raw, where), loc, msg.removeprefix("Value error, "))
            )
        raise EventError(problems) from None
    assert isinstance(fact, Transaction | Observation | Submission)
    if isinstance(fact, Transaction):
        if fact.origin_region and (why := _region_problem(fact.origin_region)):
            raise fail("origin_region", why)
        return ParsedEvent(kind, fact.buyer, fact, None, raw, source, where)
    return ParsedEvent(kind, fact.unit, fact, None, raw, source, where)


_DATE_FIELDS = {
    "transaction": ("date",),
    "observation": ("period_start", "period_end"),
    "submission": ("period_start", "period_end", "delivered"),
}
_NUMBER_FIELDS = {
    "transaction": ("amount", "quantity"),
    "observation": ("value",),
    "submission": (),
}
_PLAIN_NUMBER = re.compile(r"\d{1,20}(?:\.\d{1,20})?\Z")


def _fast_date(value: Any) -> Any:
    """``YYYY-MM-DD`` straight to a date; anything else is left to the model's parser."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value  # the model's parser words the error
    return value


def _fast_decimal(value: Any) -> Any:
    """A plain decimal string straight to Decimal (same value the model's parser gives)."""
    if isinstance(value, str) and _PLAIN_NUMBER.match(value):
        return Decimal(value)
    return value


_REGION_CACHE: dict[str, str | None] = {}


def _region_problem(code: str) -> str | None:
    if code not in _REGION_CACHE:
        _REGION_CACHE[code] = region_code_problem(code)
    return _REGION_CACHE[code]


# Personal data inside free text: resident ID numbers and phone numbers.
_ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
PERSON_SELLER_KINDS = frozenset({"household", "individual", "person", "farmer", "农户", "个人"})


def _mask_text(text: str) -> str:
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


# Fields that are identifiers, codes, numbers or dates, kept as they are so a restored
# log replays to the same facts; every other text field is scanned for personal data.
_STRUCTURAL = frozenset(
    {
        "type", "id", "buyer", "unit", "amount", "quantity", "value", "date", "period_start",
        "period_end", "delivered", "origin_region", "subject", "metric", "report",
        "category", "channel", "seller_kind",
    }
)  # fmt: skip


def masked(raw: dict[str, Any]) -> dict[str, Any]:
    """The event as it may be logged: ID and phone numbers masked in free-text fields, and
    the seller's name masked when the seller is a person (``seller_kind`` household etc.)."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _STRUCTURAL:
            pass
        elif isinstance(value, str):
            value = _mask_text(value)
        elif isinstance(value, list):
            value = [_mask_text(v) if isinstance(v, str) else v for v in value]
        out[key] = value
    seller = out.get("seller")
    if isinstance(seller, str) and raw.get("seller_kind") in PERSON_SELLER_KINDS:
        out["seller"] = mask_name(seller)
    return out
