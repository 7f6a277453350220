"""What the monitor checks before an event changes anything: that it parses, names a known
unit, does not move the clock back, and does not reuse a taken id for another fact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..bulk import quick_records
from ..entities import Observation, Transaction, Unit
from ..errors import Problem
from ..i18n import Msg
from .events import (
    TRANSACTION,
    EventError,
    ParsedEvent,
    UnhandledEventError,
    parse_event,
    region_problem,
)
from .intake import canonical_event

__all__ = [
    "bundle_label",
    "fact_identity",
    "identity",
    "quick_purchases",
    "taken",
    "unhandled",
    "validate",
]

Taken = dict[tuple[str, str], Transaction | Observation]


def validate(
    event: Any, key: bytes, today: date, units: Mapping[str, Unit], source: str, where: str | Msg
) -> ParsedEvent:
    """The event parsed, in the form the monitor keeps it (intake.canonical_event), or
    EventError: nothing is changed before every check has passed."""
    ev = parse_event(canonical_event(event, key), source=source, where=where)
    if ev.type == "clock":
        assert ev.day is not None
        if ev.day < today:
            # Findings judged as of a later date would flip back (a deadline missed
            # becomes not yet due): a clock only moves forward.
            raise EventError(
                [
                    Problem(
                        source,
                        ev.label,
                        "date",
                        Msg("event.clock_back", today=today, day=ev.day),
                    )
                ]
            )
    elif ev.unit not in units:
        field_name = "buyer" if ev.type == "transaction" else "unit"
        unknown = Msg("facts.unknown_unit", unit=ev.unit)
        raise EventError([Problem(source, ev.label, field_name, unknown)])
    return ev


def quick_purchases(
    events: Sequence[Any],
    key: bytes,
    units: Mapping[str, Unit],
    source: str,
    wheres: Sequence[str | Msg],
) -> list[ParsedEvent | None]:
    """For each plainly well-formed purchase of a known unit, what :func:`validate` gives it,
    made in one pass (:func:`xfrules.bulk.quick_records`, held equal to pydantic by
    tests/test_bulk.py) instead of through pydantic; None for every other event, which
    :func:`validate` then judges (with its own errors)."""
    out: list[ParsedEvent | None] = [None] * len(events)
    at: list[int] = []
    raws: list[dict[str, Any]] = []
    bodies: list[dict[str, Any]] = []
    for n, event in enumerate(events):
        if type(event) is dict and event.get("type") == "transaction":
            raw = canonical_event(event, key)
            body = dict(raw)
            del body["type"]
            at.append(n)
            raws.append(raw)
            bodies.append(body)
    for n, raw, tx in zip(at, raws, quick_records(Transaction, bodies), strict=True):
        if (
            tx is not None
            and tx.buyer in units
            and not (tx.origin_region and region_problem(tx.origin_region))
        ):
            out[n] = ParsedEvent(
                "transaction", tx.buyer, tx, None, raw, source, wheres[n], TRANSACTION
            )
    return out


def taken(ev: ParsedEvent, *taken_ids: Taken) -> bool:
    """Whether ``ev`` repeats a fact already taken in one of ``taken_ids`` (a duplicate:
    counted once); an id taken by other content is refused (EventError), as the ledger
    importer refuses rows that share an id but disagree: which one is true is for the
    sender to say."""
    ident = identity(ev)
    if ident is None:
        return False
    for ids in taken_ids:
        if ident in ids:
            return _same(ev, ident, ids)
    return False


def _same(ev: ParsedEvent, ident: tuple[str, str], ids: Taken) -> bool:
    """``ev`` is the fact taken under ``ident``: True; another: EventError."""
    first = ids[ident]
    if first == ev.fact:
        return True
    kind, value = ident
    differ = sorted(name for name, v in first.__dict__.items() if getattr(ev.fact, name) != v)
    raise EventError(
        [
            Problem(
                ev.source,
                ev.label,
                "id",
                Msg("event.id_taken", kind=kind, value=value, fields=", ".join(differ)),
            )
        ]
    )


def unhandled(ev: ParsedEvent) -> UnhandledEventError:
    """The error for an event no obligation reads."""
    route = ev.route
    key = {"observation": "metric", "submission": "report"}.get(ev.type, "type")
    if len(route) > 1:
        why = Msg("event.unhandled_keyed", kind=route[0], key=key, value=route[1])
    else:
        why = Msg("event.unhandled", kind=route[0])
    return UnhandledEventError([Problem(ev.source, ev.label, key, why)])


def bundle_label(bundle: list[ParsedEvent]) -> str | Msg:
    """The events of a bundle as errors name them (rendered when the error is shown)."""
    first = bundle[0].label
    return first if len(bundle) == 1 else Msg("monitor.bundle", first=first, n=len(bundle) - 1)


def identity(ev: ParsedEvent) -> tuple[str, str] | None:
    """What makes a second event the same fact: a transaction's id, an observation's id."""
    return fact_identity(ev.fact)


def fact_identity(fact: object) -> tuple[str, str] | None:
    if isinstance(fact, Transaction):
        return ("transaction", fact.id)
    if isinstance(fact, Observation) and fact.id is not None:
        return ("observation", fact.id)
    return None
