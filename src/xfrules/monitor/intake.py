"""The form the monitor keeps (and logs) what it is given, so that its log shows no personal
number and still replays to the very same state.

An event (or a fact of the facts file) is taken in *canonical* form before anything is
checked or stored: free text is masked (:func:`xfrules.pii.scrub`; a person seller's name
by :func:`~xfrules.pii.mask_name`) and identifiers that hold a personal number — a
transaction id, an observation's subject, a metric — are replaced by pseudonyms
(:func:`xfrules.pii.pseudonym`: the mask and a keyed digest, so distinct numbers stay
distinct and ids, duplicates and distinct subjects count as before). Figures and dates are
kept as written. The log holds exactly this form, with the buyer and unit pseudonymised too
(those are the facts file's unit ids, mapped back on restore). Taking a canonical event
again changes nothing, so a restored monitor and the one that wrote the log hold equal facts.

The key of the pseudonyms is kept beside the log (``LOG.key``, readable by its owner only):
without it the log says no more than its masks.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..errors import Problem, os_reason
from ..i18n import Msg
from ..pii import has_personal_number, mask_name, pseudonym, scrub
from .events import PERSON_SELLER_KINDS, EventError

__all__ = [
    "canonical_event",
    "canonical_fact",
    "key_file",
    "log_event",
    "new_key",
    "read_key",
    "replayable",
    "write_key",
]

# Identifiers and codes: pseudonymised (kept distinct). Unit references are kept as written
# (the facts file's ids); figures and dates are never touched.
_IDENTIFIERS = frozenset(
    {"id", "subject", "metric", "report", "category", "channel", "seller_kind", "attachments"}
)
_UNITS = frozenset({"buyer", "unit"})
_AS_WRITTEN = _UNITS | frozenset(
    {"type", "amount", "quantity", "value", "date", "period_start", "period_end", "delivered",
     "origin_region"}
)  # fmt: skip
_PSEUDONYM = re.compile(r"~[a-p]{13}")

M = TypeVar("M", bound=BaseModel)


def _field(name: str, value: Any, key: bytes, person: bool) -> Any:
    if name in _AS_WRITTEN:
        return value
    if isinstance(value, str):
        if name in _IDENTIFIERS:
            return pseudonym(value, key)
        return mask_name(value) if name == "seller" and person else scrub(value)
    if isinstance(value, list | tuple):
        items = [_field(name, v, key, person) for v in value]
        same = all(a is b for a, b in zip(items, value, strict=True))
        return value if same else type(value)(items)
    return value


def _person(seller_kind: object) -> bool:
    """A seller of this kind is a person (any value: an event may carry a list there)."""
    return isinstance(seller_kind, str) and seller_kind in PERSON_SELLER_KINDS


def canonical_event(raw: Any, key: bytes) -> Any:
    """An event (a JSON object) in the form the monitor keeps it; anything else as it is
    (the event parser refuses it)."""
    if not isinstance(raw, dict):
        return raw
    person = _person(raw.get("seller_kind"))
    if not person and not has_personal_number(_texts(raw)):
        return raw  # the usual event: nothing to mask (one search, not one per field)
    out = {k: _field(k, v, key, person) for k, v in raw.items()}
    return raw if all(out[k] is v for k, v in raw.items()) else out


def _texts(raw: dict[str, Any]) -> str:
    """The event's text outside the fields kept as written, joined for one search."""
    parts = []
    for k, v in raw.items():
        if k in _AS_WRITTEN:
            continue
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, list | tuple):
            parts.extend(x for x in v if isinstance(x, str))
    return "\x00".join(parts)


def canonical_fact(fact: M, key: bytes) -> M:
    """A fact of the facts file in the form the monitor keeps events: the same rules."""
    person = _person(getattr(fact, "seller_kind", None))
    if not person and not has_personal_number(_texts(fact.__dict__)):
        return fact
    changes = {}
    for name, value in fact.__dict__.items():
        new = _field(name, value, key, person)
        if new is not value:
            changes[name] = new
    return fact.model_copy(update=changes) if changes else fact


def log_event(event: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """A canonical event as the log holds it: the unit it names pseudonymised too."""
    return {k: pseudonym(v, key) if k in _UNITS and isinstance(v, str) else v
            for k, v in event.items()}  # fmt: skip


def replayable(event: Any, units: Mapping[str, str]) -> Any:
    """A logged event with its unit pseudonym back to the unit id (``units``: pseudonym ->
    id, for the facts file's units)."""
    if not isinstance(event, dict):
        return event
    return {k: units.get(v, v) if k in _UNITS and isinstance(v, str) else v
            for k, v in event.items()}  # fmt: skip


def unit_pseudonyms(unit_ids: Iterable[str], key: bytes) -> dict[str, str]:
    return {pseudonym(u, key): u for u in unit_ids}


def key_file(log: str | Path) -> Path:
    path = Path(log)
    return path.with_name(path.name + ".key")


def new_key() -> bytes:
    return secrets.token_bytes(32)


def write_key(path: Path, key: bytes) -> None:
    """Write the key readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")


def read_key(log: Path, lines: Iterable[str]) -> bytes | None:
    """The key of ``log``'s pseudonyms, or None when it has none (and needs none: a log
    without pseudonyms, e.g. written before they were). A log whose pseudonyms lost their
    key cannot be replayed faithfully: EventError."""
    path = key_file(log)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        unreadable = Msg("monitor.bad_key_file", detail=reason)
        raise EventError([Problem(str(path), "", "", unreadable)]) from exc
    if any(_PSEUDONYM.search(line) for line in lines):
        raise EventError(
            [
                Problem(
                    str(log),
                    "",
                    "",
                    Msg("monitor.key_missing", path=str(path)),
                )
            ]
        )
    return None
