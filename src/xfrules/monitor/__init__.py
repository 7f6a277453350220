"""Live monitoring: events in through durable_rules, findings and deadline alerts out.

Heavy imports (durable_rules) happen only when a monitor posts its first event.
"""

from __future__ import annotations

from .events import EngineError, EventError, UnhandledEventError, masked, parse_event
from .monitor import BatchResult, Change, LiveIndex, Monitor, PostResult, routes_of

__all__ = [
    "BatchResult",
    "Change",
    "EngineError",
    "EventError",
    "LiveIndex",
    "Monitor",
    "PostResult",
    "UnhandledEventError",
    "masked",
    "parse_event",
    "routes_of",
]
