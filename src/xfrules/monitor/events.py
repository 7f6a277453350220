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
from ..errors import InputError, Problem, XfrulesError, reason_of, validation_reason
from ..i18n import Msg
from ..pii import mask_name, scrub
from ..regions import region_code_problem
from ..values import parse_date

__all__ = [
    "EVENT_TYPES",
    "TRANSACTION",
    "EngineError",
    "EventError",
    "ParsedEvent",
    "UnhandledEventError",
    "masked",
    "parse_event",
    "region_problem",
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


@dataclass(slots=True)  # not frozen: a frozen dataclass' __init__ costs ~1 us an event
class ParsedEvent:
    type: str
    unit: str  # buyer / unit; "" for clock
    fact: Transaction | Observation | Submission | None
    day: date | None  # the clock's date
    raw: dict[str, Any]
    source: str = "<event>"
    where: str | Msg = "event"
    # What durable_rules matches on: ("transaction",), ("observation", metric),
    # ("submission", report) or ("clock",).
    route: tuple[str, ...] = ()

    @property
    def label(self) -> str | Msg:
        """The event as errors name it (only made when one is reported)."""
        return _label(self.raw, self.where)


def _label(raw: Any, where: str | Msg) -> str | Msg:
    if isinstance(raw, dict):
        ident = raw.get("id")
        kind = raw.get("type")
        if ident is not None:
            return Msg("at.event_id", where=where, kind=kind, id=ident)
        if kind is not None:
            return Msg("at.event_kind", where=where, kind=kind)
    return where


def _fail(raw: Any, source: str, where: str | Msg, field: str, message: str | Msg) -> EventError:
    return EventError([Problem(source, _label(raw, where), field, message)])


def parse_event(raw: Any, *, source: str = "<event>", where: str | Msg = "event") -> ParsedEvent:
    """Validate one event; raise EventError naming the event and field on any problem."""
    if not isinstance(raw, dict):
        message = Msg("event.not_object", got=type(raw).__name__)
        raise _fail(raw, source, where, "", message)
    kind = raw.get("type")
    if kind not in EVENT_TYPES:
        message = Msg("event.bad_type", types=", ".join(EVENT_TYPES), value=kind)
        raise _fail(raw, source, where, "type", message)
    body = dict(raw)
    del body["type"]
    if kind == "clock":
        extra = set(body) - {"date"}
        if extra:
            fields = ", ".join(sorted(extra))
            raise _fail(raw, source, where, fields, Msg("event.clock_fields"))
        try:
            day = parse_date(body.get("date"))
        except ValueError as exc:
            raise _fail(raw, source, where, "date", reason_of(exc)) from None
        return ParsedEvent("clock", "", None, day, raw, source, where, _CLOCK)
    for key in _DATE_FIELDS[kind]:
        if key in body:
            body[key] = _fast_date(body[key])
    for key in _NUMBER_FIELDS[kind]:
        if key in body:
            body[key] = _fast_decimal(body[key])
    try:
        fact = _VALIDATORS[kind](body)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(Problem(source, _label(raw, where), loc, validation_reason(err)))
        raise EventError(problems) from None
    if kind == "transaction":
        assert isinstance(fact, Transaction)
        if fact.origin_region and (why := region_problem(fact.origin_region)):
            raise _fail(raw, source, where, "origin_region", why)
        return ParsedEvent(kind, fact.buyer, fact, None, raw, source, where, TRANSACTION)
    if kind == "observation":
        assert isinstance(fact, Observation)
        return ParsedEvent(kind, fact.unit, fact, None, raw, source, where, (kind, fact.metric))
    assert isinstance(fact, Submission)
    return ParsedEvent(kind, fact.unit, fact, None, raw, source, where, (kind, fact.report))


_CLOCK = ("clock",)
TRANSACTION = ("transaction",)
# The models' validators called directly (what model_validate does, minus a Python call).
_VALIDATORS = {
    kind: model.__pydantic_validator__.validate_python for kind, model in _MODELS.items()
}


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


_REGION_CACHE: dict[str, Msg | None] = {}


def region_problem(code: str) -> Msg | None:
    """Why ``code`` is no region code (xfrules.regions), or None; memoised."""
    if code not in _REGION_CACHE:
        _REGION_CACHE[code] = region_code_problem(code)
    return _REGION_CACHE[code]


PERSON_SELLER_KINDS = frozenset({"household", "individual", "person", "farmer", "农户", "个人"})


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
            value = scrub(value)
        elif isinstance(value, list):
            value = [scrub(v) if isinstance(v, str) else v for v in value]
        out[key] = value
    seller = out.get("seller")
    kind = raw.get("seller_kind")
    if isinstance(seller, str) and isinstance(kind, str) and kind in PERSON_SELLER_KINDS:
        out["seller"] = mask_name(seller)
    return out
