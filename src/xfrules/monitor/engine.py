"""The durable_rules side of the monitor: one host per process, shared sharded rulesets.

What durable_rules 2.0.28 does, and what this module does about it:

- Every ``Host`` starts two threads that never stop and a ruleset name cannot be
  registered twice, so there is one host per process (:func:`host`) and rulesets are
  pooled: monitors whose routes are the same share rulesets, each monitor under its
  own session ids (``"<monitor>:<unit>"``), deleted again when the monitor closes.
- One ruleset holds at most 1,024 session ids (the next raises ``MemoryError`` and
  reading that session's state crashes the process), so every ruleset is used for at
  most :data:`SESSIONS_PER_RULESET` sessions and further units go to further rulesets.
- Actions are module-level functions that find their monitor by the ``mon`` field of
  the message, so a ruleset outlives the monitor that created it.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SESSIONS_PER_RULESET",
    "Route",
    "RulesetPool",
    "host",
    "pool",
    "ruleset_definition",
]

SESSIONS_PER_RULESET = 1000
"""Below durable_rules' hard limit of 1,024 session ids per ruleset, with room to spare."""

# A route is what durable_rules matches on: ("transaction",), ("observation", metric),
# ("submission", report) or ("clock",).
Route = tuple[str, ...]

_HOST: Any = None
_HOST_LOCK = threading.Lock()
_POOL: RulesetPool | None = None

# monitor id -> callback(route, message); actions look the monitor up here.
_RECEIVERS: dict[int, Callable[[Route, Any], None]] = {}


def host() -> Any:
    """The process' single durable_rules ``Host`` (created on first use).

    Its two background dispatch threads are not started: the monitor posts synchronously
    and runs every action inline (:func:`dispatch` picks up any action left queued), and
    uses no durable_rules timers (wall clock only). A dispatch thread running an action
    while the posting thread deletes or posts to the same session crashed the process
    (segmentation fault) in a long hypothesis run; without the threads that cannot happen.
    """
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            from durable.engine import Host  # type: ignore[import-untyped]

            class _SynchronousHost(Host):  # type: ignore[misc]
                def _run(self) -> None:  # durable_rules 2.0.28: starts the dispatch timers
                    return None

            _HOST = _SynchronousHost()
        return _HOST


def dispatch(ruleset: str) -> None:
    """Run actions durable_rules left queued in ``ruleset`` (what its threads would do)."""
    host().get_ruleset(ruleset).dispatch()


def pool() -> RulesetPool:
    global _POOL
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


def _action(route: Route) -> Callable[[Any], None]:
    def run(c: Any) -> None:
        receiver = _RECEIVERS.get(c.m["mon"])
        if receiver is not None:
            receiver(route, c.m)

    return run


def ruleset_definition(routes: Iterable[Route]) -> dict[str, dict[str, Any]]:
    """One rule per route; its action hands the message to the monitor that posted it."""
    return {rule_name(r): {"all": [_condition(r)], "run": _action(r)} for r in sorted(set(routes))}


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

    def acquire(self, routes: frozenset[Route]) -> str:
        """A ruleset name with room for one more session (a new ruleset when all are full)."""
        signature = json.dumps(sorted(routes))
        with self._lock:
            slots = self.slots.setdefault(signature, [])
            for slot in slots:
                if slot.sessions < SESSIONS_PER_RULESET:
                    slot.sessions += 1
                    return slot.name
            name = f"xfrules_monitor_{next(self._names)}"
            host().register_rulesets({name: ruleset_definition(routes)})
            slots.append(_Slot(name, 1))
            return name

    def release(self, name: str, sid: str) -> None:
        """Delete a session's state and give its place back."""
        try:
            host().delete_state(name, sid)
        except Exception as exc:
            # 309: no state under that id (only unhandled events were posted to it).
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


def register_receiver(monitor_id: int, receiver: Callable[[Route, Any], None]) -> None:
    _RECEIVERS[monitor_id] = receiver


def unregister_receiver(monitor_id: int) -> None:
    _RECEIVERS.pop(monitor_id, None)
