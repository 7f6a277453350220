"""The durable_rules side of the monitor: one host per process, shared sharded rulesets.

What durable_rules 2.0.28 does, and what this module does about it:

- Every ``Host`` starts two threads that never stop and a ruleset name cannot be
  registered twice, so there is one host per process (:func:`host`) and rulesets are
  pooled: one single-rule ruleset per route, shared by monitors, each monitor posting
  all its units' events of a route to one session of its own (``"monitor<id>"``),
  deleted again when the monitor closes. A session holds nothing of the monitor's, so
  one per unit only cost its creation and ~85 KB per unit.
- One ruleset holds at most 1,024 session ids (the next raises ``MemoryError`` and
  reading that session's state crashes the process), so every ruleset is used for at
  most :data:`SESSIONS_PER_RULESET` sessions (monitors) and further ones go to further
  rulesets.
- The action only records that durable_rules routed the message (its ``seq``, unique in
  the process, into :data:`FIRED`); the posting code stores the facts once ``post``
  returns. So a ruleset outlives the monitor that created it, and the work inside
  durable_rules' action call is as small as a no-op action's.
"""

from __future__ import annotations

import itertools
import json
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FIRED",
    "SESSIONS_PER_RULESET",
    "NotHandled",
    "Route",
    "RulesetPool",
    "host",
    "next_seq",
    "pool",
    "ruleset_definition",
]

SESSIONS_PER_RULESET = 1000
"""Below durable_rules' hard limit of 1,024 session ids per ruleset, with room to spare."""

# A route is what durable_rules matches on: ("transaction",), ("observation", metric),
# ("submission", report) or ("clock",).
Route = tuple[str, ...]

_HOST: Any = None


class _NotYetImported(Exception):
    """Stands for durable_rules' exception until :func:`host` imports it."""


NotHandled: type[Exception] = _NotYetImported
"""durable_rules' ``MessageNotHandledException`` (no rule matched), once a host exists."""
_HOST_LOCK = threading.Lock()
_POOL: RulesetPool | None = None

FIRED: set[int] = set()
"""The ``seq`` of every message whose rule fired and that its poster has not taken yet."""
_SEQ = itertools.count(1)


def next_seq() -> int:
    """A message number unique in the process (rulesets are shared between monitors)."""
    return next(_SEQ)


def host() -> Any:
    """The process' single durable_rules ``Host`` (created on first use).

    Its two background dispatch threads are not started: the monitor posts synchronously
    and runs every action inline (:func:`dispatch` picks up any action left queued), and
    uses no durable_rules timers (wall clock only). A dispatch thread running an action
    while the posting thread deletes or posts to the same session crashed the process
    (segmentation fault) in a long hypothesis run; without the threads that cannot happen.
    """
    global _HOST, NotHandled
    if _HOST is not None:  # every post asks: no lock once it exists
        return _HOST
    with _HOST_LOCK:
        if _HOST is None:
            from durable.engine import (  # type: ignore[import-untyped]
                Host,
                MessageNotHandledException,
            )

            class _SynchronousHost(Host):  # type: ignore[misc]
                def _run(self) -> None:  # durable_rules 2.0.28: starts the dispatch timers
                    return None

            _HOST = _SynchronousHost()
            NotHandled = MessageNotHandledException
        return _HOST


def dispatch(ruleset: str) -> None:
    """Run actions durable_rules left queued in ``ruleset`` (what its threads would do)."""
    host().get_ruleset(ruleset).dispatch()


def pool() -> RulesetPool:
    global _POOL
    if _POOL is not None:
        return _POOL
    with _HOST_LOCK:
        if _POOL is None:
            _POOL = RulesetPool()
        return _POOL


def rule_name(route: Route) -> str:
    return "r_" + "_".join(f"{len(p)}{p}" for p in route).replace(".", "_")


def _condition(route: Route) -> dict[str, Any]:
    kind = route[0]
    if kind == "observation":
        return {"m": {"$and": [{"type": "observation"}, {"metric": route[1]}]}}
    if kind == "submission":
        return {"m": {"$and": [{"type": "submission"}, {"report": route[1]}]}}
    return {"m": {"type": kind}}


def _fired(c: Any) -> None:
    """Every rule's action: durable_rules routed this message (the poster does the rest)."""
    # c.m["seq"] without the two Content wrappers durable_rules 2.0.28 builds to read it
    # (a one-event rule's message is {"m": event}).
    FIRED.add(c._m["m"]["seq"])


_ACTION: Any = None


def _action() -> Any:
    """``_fired`` as durable_rules runs a synchronous action, minus a reference cycle.

    durable_rules 2.0.28 wraps every action in a ``Promise`` whose ``run`` defines a
    self-referencing ``timeout`` closure (for asynchronous actions only) that holds the
    ``Closure``, its state and the completion callbacks: ~24 objects of cyclic garbage per
    post that only the cyclic collector frees. This subclass runs a synchronous action the
    way ``Promise.run`` does (an exception goes into the state, then ``complete(None)``)
    without making it. It is passed as the rule's ``run``, which durable_rules accepts.
    """
    global _ACTION
    if _ACTION is None:
        from durable.engine import Promise

        class _SynchronousAction(Promise):  # type: ignore[misc]
            def run(self, c: Any, complete: Callable[[Any], None]) -> None:
                try:
                    self._func(c)
                except BaseException as error:  # as Promise.run: kept in the state
                    tb = traceback.format_tb(error.__traceback__)
                    c.s.exception = f"exception caught {error}, traceback {tb}"
                complete(None)

        _ACTION = _SynchronousAction(_fired)
    return _ACTION


def ruleset_definition(routes: Iterable[Route]) -> dict[str, dict[str, Any]]:
    """One rule per route; its action marks the message as routed."""
    action = _action()
    return {rule_name(r): {"all": [_condition(r)], "run": action} for r in sorted(set(routes))}


@dataclass
class _Slot:
    name: str
    sessions: int = 0


@dataclass
class RulesetPool:
    """Rulesets by route signature, each holding at most SESSIONS_PER_RULESET sessions."""

    slots: dict[str, list[_Slot]] = field(default_factory=dict)
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _refusing: tuple[str, str] | None = None
    _signatures: dict[frozenset[Route], str] = field(default_factory=dict)

    def acquire(self, routes: frozenset[Route]) -> str:
        """A ruleset name with room for one more session (a new ruleset when all are full)."""
        with self._lock:
            signature = self._signatures.get(routes)
            if signature is None:
                signature = self._signatures[routes] = json.dumps(sorted(routes))
            slots = self.slots.setdefault(signature, [])
            for slot in slots:
                if slot.sessions < SESSIONS_PER_RULESET:
                    slot.sessions += 1
                    return slot.name
            name = f"xfrules_monitor_{next(self._names)}"
            host().register_rulesets({name: ruleset_definition(routes)})
            slots.append(_Slot(name, 1))
            return name

    def refusing(self) -> tuple[str, str]:
        """The process' one session for events that no rule handles (ruleset, session id).

        durable_rules refuses them there (``MessageNotHandledException``) whatever their
        unit. One session for all of them because durable_rules 2.0.28 leaves a session
        that only ever received unhandled events in a state whose deletion crashes the
        process (``free(): invalid size``): this one is never deleted, and is the only one.
        """
        with self._lock:
            if self._refusing is None:
                name = f"xfrules_monitor_{next(self._names)}"
                host().register_rulesets({name: ruleset_definition({("clock",)})})
                self._refusing = (name, "unhandled")
            return self._refusing

    def release(self, name: str, sid: str) -> None:
        """Delete a session's state and give its place back."""
        try:
            host().delete_state(name, sid)
        except Exception as exc:
            # 309: no state under that id (nothing was handled in it).
            if "error code: 309" not in str(exc):
                raise
        with self._lock:
            for slots in self.slots.values():
                for slot in slots:
                    if slot.name == name:
                        slot.sessions -= 1
                        return

    def rulesets(self) -> int:
        return sum(len(s) for s in self.slots.values())
