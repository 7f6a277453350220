"""The live monitor: events in through durable_rules, findings and alerts out.

durable_rules routes each event (by type, metric or report key, to the monitor's session
of that route) and fires the rule's action; once it has fired, the monitor stores the facts and
marks the (unit, obligation) pairs they can affect; re-evaluation is
:func:`xfrules.evaluator.evaluate_one` over the live fact index, so the monitor and the batch
evaluator share one set of semantics. See docs/monitor.md.

The parts: :mod:`.screening` checks an event before it changes anything, :mod:`.engine` holds
the durable_rules rulesets and sessions, :mod:`.live` the growing fact index and the calendar,
:mod:`.measurer` the running sums, :mod:`.changes` what is reported, :mod:`.log` and
:mod:`.intake` the log and its pseudonyms; this module ties them together.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..entities import Observation, Submission, Transaction, Unit
from ..errors import DefinitionError
from ..evaluator import EvaluationCache, binding_problem, check_date_argument, evaluate_one
from ..facts import Facts
from ..findings import Evaluation, Finding, Status
from ..i18n import Msg
from ..obligations import Obligation
from ..pii import masked
from ..rulebook import Rulebook, prepare
from . import engine
from .changes import BatchResult, Change, PostResult, alerts_between, changed, is_behind, paced
from .engine import Route
from .events import EngineError, EventError, ParsedEvent, UnhandledEventError
from .intake import canonical_fact, log_event, new_key, read_key, replayable, unit_pseudonyms
from .live import LiveIndex, routes_of, time_signature
from .log import LOG_FORMAT, open_log, read_log, write_record
from .measurer import Entry, RunningMeasurer, TallyEntry
from .screening import (
    bundle_label,
    fact_identity,
    identity,
    quick_purchases,
    taken,
    unhandled,
    validate,
)

__all__ = [
    "LOG_FORMAT",
    "BatchResult",
    "Change",
    "LiveIndex",
    "Monitor",
    "PostResult",
    "routes_of",
]

_IDS = itertools.count(1)
_HELD = itertools.count()  # orders held purchases of one date (heap ties)
_DISPATCH_TRIES = 3  # actions durable_rules queued instead of running them inline


class Monitor:
    """Live findings for a set of units under a set of obligations.

    ``start`` is the initial clock date; only clock events move it, and only forward. A
    purchase dated after the clock is held, and counts once the clock reaches its date (as
    the evaluator leaves out purchases dated after as_of). ``on_change`` is called for every
    change (after each event for :meth:`post`, at the end of each clock-delimited run for
    :meth:`post_many`). ``log`` (a path) receives the accepted events and every change, as
    JSON lines, personal data masked (see :mod:`xfrules.monitor.intake`); :meth:`restore`
    replays it. ``key``: the key of the pseudonyms (default: the log's, else a new one).
    A refused event leaves the monitor exactly as it was.
    """

    def __init__(
        self,
        rules: Rulebook,
        *,
        start: date,
        on_change: Callable[[Change], None] | None = None,
        log: str | Path | None = None,
        key: bytes | None = None,
    ) -> None:
        check_date_argument(start, "start")
        self.id = next(_IDS)
        # Prepared as for the evaluator: allocations, tolerances, region sets, departments.
        self.rules = rules
        self.key = key or new_key()
        facts = rules.facts.with_(
            transactions=[canonical_fact(t, self.key) for t in rules.facts.transactions],
            observations=[canonical_fact(o, self.key) for o in rules.facts.observations],
        )
        self.units: dict[str, Unit] = {u.id: u for u in facts.units}
        self.obligations: list[Obligation] = list(rules.obligations)
        region_sets = self.region_sets = rules.region_sets
        self.on_change = on_change
        self.today = start
        # Purchases dated after the clock wait in _held (by date) until it reaches them.
        self._held: list[tuple[date, int, Transaction]] = []
        for tx in facts.transactions:
            if tx.date > start:
                self._held.append((tx.date, next(_HELD), tx))
        heapq.heapify(self._held)
        self.index = LiveIndex(
            facts.with_(transactions=[t for t in facts.transactions if t.date <= start])
            if self._held
            else facts
        )
        # Ids already taken, with what they were taken for: a purchase, or an observation
        # with an id, counts once (as in the evaluator's index); the same id again with
        # other content is refused (as the ledger importer refuses such rows).
        self._ids: dict[tuple[str, str], Transaction | Observation] = {}
        facts_kept: list[Transaction | Observation] = [*facts.transactions, *facts.observations]
        for fact in facts_kept:
            ident = fact_identity(fact)
            if ident is not None:
                self._ids.setdefault(ident, fact)
        self._ancestors = {uid: tuple(self._chain(uid)) for uid in self.units}
        self._by_route: dict[Route, list[int]] = {}
        for i, ob in enumerate(self.obligations):
            for route in routes_of(ob):
                self._by_route.setdefault(route, []).append(i)
        self._routes = frozenset(self._by_route) | {("clock",)}
        # Transaction measures as running sums; each finding's reads of them, so that a
        # purchase re-evaluates only the findings whose measure value it changed.
        self.measurer = RunningMeasurer(self.index, region_sets)
        self._reads: dict[tuple[str, int], list[Entry | TallyEntry]] = {}
        self._plans = EvaluationCache()  # the obligations' unit-independent parts, per date
        self._signatures = [time_signature(ob, start) for ob in self.obligations]
        self._deliveries: list[tuple[date, str, str]] = sorted(
            (s.delivered, s.unit, s.report) for s in facts.submissions
        )
        self._static_na: set[tuple[str, int]] = set()
        self._findings: dict[tuple[str, int], Finding] = {}
        self._behind: set[tuple[str, int]] = set()
        self._open: set[tuple[str, int]] = set()  # not-yet-due floors: pace is watched daily
        self._dirty: set[tuple[str, int]] = set()
        # route -> (ruleset, session id): one session per route for the whole monitor, in
        # a single-rule ruleset of that route. durable_rules' sessions hold nothing of the
        # monitor's (the facts are stored here), so a session per unit only cost ~85 KB
        # and ~35 µs (its creation) per unit and route.
        self._sessions: dict[Route, tuple[str, str]] = {}
        self._lock = threading.RLock()  # re-entered only by an on_change that reads findings
        self._log: IO[str] | None = None
        self._batch_changes: list[Change] = []  # changes made inside a clock event
        self._outbox: list[Change] = []  # changes not yet passed to on_change
        self.events_accepted = 0
        for uid, unit in self.units.items():
            for i, ob in enumerate(self.obligations):
                if binding_problem(ob, unit) is not None:
                    self._static_na.add((uid, i))
                self._store((uid, i), self._evaluate(uid, i))
        if log is not None:
            try:
                self.attach_log(log)
            except Exception:
                self.close()
                raise

    # -- construction helpers -------------------------------------------------------

    @classmethod
    def from_registry(
        cls,
        facts: Facts,
        *,
        start: date,
        registry: object | None = None,
        on_change: Callable[[Change], None] | None = None,
        log: str | Path | None = None,
    ) -> Monitor:
        """A monitor over the installed plug-ins' obligations and region sets."""
        return cls(_installed_rules(facts, registry), start=start, on_change=on_change, log=log)

    @classmethod
    def restore_from_registry(
        cls,
        log: str | Path,
        facts: Facts,
        *,
        registry: object | None = None,
        on_change: Callable[[Change], None] | None = None,
        keep_logging: bool = True,
    ) -> Monitor:
        """:meth:`restore` a monitor :meth:`from_registry` made: same facts, installed rules."""
        return cls.restore(
            log, _installed_rules(facts, registry), on_change=on_change, keep_logging=keep_logging
        )

    @classmethod
    def restore(
        cls,
        log: str | Path,
        rules: Rulebook,
        *,
        on_change: Callable[[Change], None] | None = None,
        keep_logging: bool = True,
    ) -> Monitor:
        """Rebuild a stopped monitor from its log (and its key file): same rules, prepared
        from the same facts."""
        path = Path(log)
        contents = read_log(path)
        key = read_key(path, contents.lines)
        monitor = cls(rules, start=contents.start, key=key)
        units = unit_pseudonyms(monitor.units, monitor.key)
        events = [replayable(e, units) for e in contents.events]
        ids = contents.obligation_ids
        if ids is not None and ids != [o.id for o in monitor.obligations]:
            monitor.close()
            raise DefinitionError(str(path), Msg("monitor.other_obligations"))
        result = monitor.post_many(events, source=str(path))
        if result.rejected or result.failed:
            monitor.close()
            raise (result.rejected or result.failed)[0]
        monitor.on_change = on_change
        if keep_logging:
            monitor.attach_log(path, resume=True)
        return monitor

    def attach_log(self, log: str | Path, *, resume: bool = False) -> None:
        """Write accepted events and changes to ``log`` from now on.

        A new log starts with a ``start`` record; an existing one is only continued by
        :meth:`restore` (``resume``), never mixed with another monitor's history.
        """
        self._log = open_log(
            Path(log),
            resume=resume,
            events_accepted=self.events_accepted,
            key=self.key,
            today=self.today,
            obligation_ids=[o.id for o in self.obligations],
        )

    def close(self) -> None:
        """Free the durable_rules sessions (their places go back to the pool) and the log."""
        p = engine.pool()
        for name, sid in self._sessions.values():
            p.release(name, sid)
        self._sessions.clear()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _chain(self, uid: str) -> Iterator[str]:
        seen: set[str] = set()
        current: str | None = uid
        while current is not None and current not in seen and current in self.units:
            seen.add(current)
            yield current
            current = self.units[current].parent

    # -- reading --------------------------------------------------------------------

    def finding(self, unit_id: str, obligation_id: str) -> Finding:
        with self._lock:
            self._flush()
            self._drain()
            i = next(i for i, o in enumerate(self.obligations) if o.id == obligation_id)
            return self._current(self._findings[(unit_id, i)])

    def findings(self) -> Evaluation:
        """Every finding as of the clock, with the same (unit, obligation) pairs as ``evaluate``:
        each unit against the obligations of its own jurisdiction."""
        with self._lock:
            self._flush()
            self._drain()
            return Evaluation(
                as_of=self.today,
                transactions_after_as_of=len(self._held),
                judged=tuple(
                    self._current(self._findings[(uid, i)])
                    for uid in sorted(self.units)
                    for i, ob in enumerate(self.obligations)
                    if ob.jurisdiction == self.units[uid].jurisdiction
                ),
            )

    def behind_pace(self) -> list[tuple[str, str]]:
        with self._lock:
            self._flush()
            self._drain()
            return sorted((u, self.obligations[i].id) for u, i in self._behind)

    def _current(self, f: Finding) -> Finding:
        return f if f.as_of == self.today else f.model_copy(update={"as_of": self.today})

    # -- posting --------------------------------------------------------------------

    def post(
        self, event: Any, *, source: str = "<event>", where: str | Msg = "event"
    ) -> PostResult:
        """Take one event; its changes are delivered before this returns.

        Raises EventError (malformed, unknown unit, the clock moving back, an id taken by
        other content), UnhandledEventError (no rule for it) or EngineError; the monitor
        keeps running after any of them, and an EventError leaves it as it was.
        """
        with self._lock:
            try:
                ev = validate(event, self.key, self.today, self.units, source, where)
                if taken(ev, self._ids):
                    status = "duplicate"
                else:
                    self._send([ev])
                    status = "accepted"
            finally:
                changes, self._batch_changes = self._batch_changes, []
                self._sync_log()
            result = PostResult(status, changes + self._flush())
            self._sync_log()
            self._drain()
            return result

    def post_many(
        self,
        events: Iterable[Any],
        *,
        source: str = "<events>",
        where: Sequence[str | Msg] | None = None,
    ) -> BatchResult:
        """Take many events: one durable_rules event per route for each run of events
        between clock events, and one re-evaluation per run.

        Findings are the same as posting the events one by one (order does not matter
        for them); the changes are each finding's net change over a run. A rejected event
        is collected in ``rejected``, and a bundle durable_rules failed on in ``failed``;
        the others go in. ``where`` names the events in errors (default "event N").
        """
        result = BatchResult()
        with self._lock:
            run: dict[tuple[str, Route], list[ParsedEvent]] = {}
            seen: dict[tuple[str, str], Transaction | Observation] = {}
            events = list(events)
            wheres: Sequence[str | Msg] = (
                [Msg("at.event", n=n) for n in range(1, len(events) + 1)]
                if where is None
                else where
            )
            quick = quick_purchases(events, self.key, self.units, source, wheres)
            for event, wh, parsed in zip(events, wheres, quick, strict=True):
                try:
                    ev = parsed or validate(event, self.key, self.today, self.units, source, wh)
                    if taken(ev, self._ids, seen):
                        result.duplicates += 1
                        continue
                except EventError as exc:
                    result.rejected.append(exc)
                    continue
                fact = ev.fact
                if fact is None:  # the clock: what came before it is judged first
                    self._send_run(run, result)
                    run = {}
                    self._send_one(ev, result)
                    continue
                ident = identity(ev)
                if ident is not None and isinstance(fact, Transaction | Observation):
                    seen[ident] = fact
                key = (ev.unit, ev.route)
                bundle = run.get(key)
                if bundle is None:
                    run[key] = [ev]
                else:
                    bundle.append(ev)
            try:
                self._send_run(run, result)
                result.changes = self._batch_changes + self._flush()
                self._batch_changes = []
            finally:
                self._sync_log()
            self._drain()
        return result

    def _send_run(
        self, run: dict[tuple[str, Route], list[ParsedEvent]], result: BatchResult
    ) -> None:
        """One durable_rules event per route of the run, then each (unit, route) bundle taken.

        A rule matches the route only and the session is the monitor's, so one event per
        route routes the whole run. If durable_rules fails on it (not a refusal), each
        bundle is posted on its own: a failure stays one bundle's, the others go in.
        """
        routed: dict[Route, Exception | None] = {}
        for (_, route), bundle in run.items():
            if route not in routed:
                try:
                    self._route(route, bundle)
                    routed[route] = None
                except (UnhandledEventError, EngineError) as exc:
                    routed[route] = exc
        for (_, route), bundle in run.items():
            outcome = routed[route]
            try:
                if outcome is None:
                    self._take(route, bundle)
                elif isinstance(outcome, UnhandledEventError):
                    result.rejected.extend(unhandled(ev) for ev in bundle)
                    continue
                else:
                    self._send(bundle)
            except UnhandledEventError:
                result.rejected.extend(unhandled(ev) for ev in bundle)
                continue
            except EngineError as exc:
                result.failed.append(exc)
                continue
            result.accepted += len(bundle)

    def _send_one(self, ev: ParsedEvent, result: BatchResult) -> None:
        try:
            self._send([ev])
        except EventError as exc:
            result.rejected.append(exc)
        except EngineError as exc:
            result.failed.append(exc)
        else:
            result.accepted += 1

    def _session(self, route: Route) -> tuple[str, str]:
        session = self._sessions.get(route)
        if session is None:
            if route not in self._routes:
                # No obligation reads this route: to a session whose only rule (the
                # clock's) does not match it, so durable_rules itself refuses the event.
                return engine.pool().refusing()
            name = engine.pool().acquire(frozenset({route}))
            session = self._sessions[route] = (name, f"monitor{self.id}")
        return session

    def _send(self, bundle: list[ParsedEvent]) -> None:
        """Route ``bundle`` (same unit, same route) through durable_rules, then take it."""
        route = bundle[0].route
        self._route(route, bundle)
        self._take(route, bundle)

    def _route(self, route: Route, bundle: list[ParsedEvent]) -> None:
        """Post one durable_rules event for ``route`` and return once its rule has fired.

        Raises UnhandledEventError when no rule handles the route, EngineError when
        durable_rules failed; ``bundle`` (events of the route) names the events in errors.
        """
        first = bundle[0]
        name, sid = self._session(route)
        seq = engine.next_seq()
        # All durable_rules needs: the session, the fields its rule matches, and the number
        # its action records. The facts stay here (and money never becomes JSON).
        message: dict[str, Any] = {"sid": sid, "seq": seq, "type": first.type}
        if len(route) > 1:
            message["metric" if first.type == "observation" else "report"] = route[1]
        fired = engine.FIRED
        try:
            state = engine.host().post(name, message)
            if isinstance(state, dict) and "exception" in state:
                # durable_rules keeps an action's exception in the session state and drops
                # the event; start that session afresh (our facts live outside it), say so.
                engine.pool().release(name, sid)
                del self._sessions[route]
                failed = Msg(
                    "engine.action_failed", bundle=bundle_label(bundle), detail=state["exception"]
                )
                raise EngineError(failed)
            for _ in range(_DISPATCH_TRIES):
                if seq in fired:
                    break
                engine.dispatch(name)  # an action durable_rules queued instead of running it
            else:
                if seq not in fired:
                    raise EngineError(Msg("engine.action_not_run", bundle=bundle_label(bundle)))
        except engine.NotHandled:
            raise unhandled(first) from None
        except EngineError:
            raise
        except Exception as exc:  # MemoryError from a full ruleset and the like
            error = f"{type(exc).__name__}: {exc}"
            raise EngineError(
                Msg("engine.failed", bundle=bundle_label(bundle), error=error)
            ) from exc
        finally:
            fired.discard(seq)

    def _take(self, route: Route, bundle: list[ParsedEvent]) -> None:
        """Store a bundle durable_rules has routed, count it and log it."""
        try:
            self._apply(route, bundle)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise EngineError(
                Msg("engine.handling_failed", bundle=bundle_label(bundle), error=error)
            ) from exc
        self.events_accepted += len(bundle)
        if self._log is not None:
            for ev in bundle:  # as taken in: masked, identifiers pseudonymised (intake)
                self._write({"record": "event", "event": log_event(ev.raw, self.key)})

    def _apply(self, route: Route, bundle: list[ParsedEvent]) -> None:
        """Store a bundle's facts (one unit, one route) and mark the pairs they can change."""
        first = bundle[0]
        if first.fact is None:
            assert first.day is not None
            self._tick(first.day)
            return
        if first.type == "transaction":
            for ev in bundle:
                tx = ev.fact
                assert isinstance(tx, Transaction)
                self._ids[("transaction", tx.id)] = tx
                if tx.date > self.today:  # counts once the clock reaches its date
                    heapq.heappush(self._held, (tx.date, next(_HELD), tx))
                else:
                    self._count(tx)
            return
        for ev in bundle:
            fact = ev.fact
            if isinstance(fact, Observation):
                if fact.id is not None:
                    self._ids[("observation", fact.id)] = fact
                self.index.add_observation(fact)
            elif isinstance(fact, Submission):
                self.index.add_submission(fact)
                bisect.insort(self._deliveries, (fact.delivered, fact.unit, fact.report))
        # Submissions count for their unit only; observations also for the unit's
        # ancestors (subtree measures).
        units = (first.unit,) if first.type == "submission" else self._ancestors[first.unit]
        affected = self._by_route.get(route, ())
        for uid in units:
            for i in affected:
                if (uid, i) not in self._static_na:
                    self._dirty.add((uid, i))

    def _count(self, tx: Transaction) -> None:
        """Store a purchase, then count it in the running sums (which only read the index
        when a sum is first asked for, never while counting)."""
        self.index.add_transaction(tx)
        dirty = self._dirty
        for entry in self.measurer.add(tx):
            dirty |= entry.dependents

    def _tick(self, day: date) -> None:
        if day == self.today:
            return
        self._batch_changes.extend(self._flush())
        before, self.today = self.today, day
        while self._held and self._held[0][0] <= day:  # purchases the clock reached
            self._count(heapq.heappop(self._held)[2])
        self._plans = EvaluationCache()  # plans are per date: keep only today's
        lo, hi = min(before, day), max(before, day)
        for i, ob in enumerate(self.obligations):
            signature = time_signature(ob, day)
            if signature != self._signatures[i]:
                self._signatures[i] = signature
                self._dirty.update(
                    (uid, i) for uid in self.units if (uid, i) not in self._static_na
                )
        # Submissions delivered between the two dates become visible (or invisible).
        start = bisect.bisect_right(self._deliveries, (lo, "\uffff", "\uffff"))
        for delivered, uid, report in itertools.islice(self._deliveries, start, None):
            if delivered > hi:
                break
            for i in self._by_route.get(("submission", report), ()):
                if (uid, i) not in self._static_na:
                    self._dirty.add((uid, i))
        evaluated = set(self._dirty)
        self._batch_changes.extend(self._flush())
        # Pace moves with the days even when the finding does not: no re-evaluation needed.
        changes = []
        for key in sorted(self._open - evaluated):
            f = self._findings[key]
            if self._store(key, f):
                alert = "behind_pace" if key in self._behind else "on_pace"
                changes.append(Change(key[0], f.obligation_id, day, f, self._current(f), (alert,)))
        self._deliver(changes)
        self._batch_changes.extend(changes)

    # -- re-evaluation -----------------------------------------------------------------

    def _evaluate(self, uid: str, i: int) -> Finding:
        key = (uid, i)
        measurer = self.measurer
        reads: list[Entry | TallyEntry] = []
        measurer.reads = reads
        try:
            finding = evaluate_one(
                self.obligations[i],
                self.units[uid],
                self.today,
                self.index,
                self.region_sets,
                transaction_measurer=measurer,
                cache=self._plans,
            )
        finally:
            measurer.reads = None
        before = self._reads.get(key)
        if before != reads:  # usually the same sums again (Entry compares by identity)
            for entry in before or ():
                entry.dependents.discard(key)
            for entry in reads:
                entry.dependents.add(key)
            self._reads[key] = reads
        return finding

    def _store(self, key: tuple[str, int], f: Finding) -> bool:
        """Keep ``f``; return whether the unit's pace flag flipped."""
        self._findings[key] = f
        paced_now = paced(f)
        (self._open.add if paced_now else self._open.discard)(key)
        behind = paced_now and is_behind(f, self.today)
        was = key in self._behind
        (self._behind.add if behind else self._behind.discard)(key)
        return behind != was

    def _flush(self) -> list[Change]:
        if not self._dirty:
            return []
        changes: list[Change] = []
        for key in sorted(self._dirty):
            uid, i = key
            old = self._findings.get(key)
            new = self._evaluate(uid, i)
            pace_flipped = self._store(key, new)
            alerts = alerts_between(old, new) if old is not None else []
            if pace_flipped and new.status is Status.NOT_YET_DUE:
                alerts.append("behind_pace" if key in self._behind else "on_pace")
            if old is None or changed(old, new) or pace_flipped:
                changes.append(Change(uid, new.obligation_id, self.today, old, new, tuple(alerts)))
        self._dirty.clear()
        self._deliver(changes)
        return changes

    def _deliver(self, changes: list[Change]) -> None:
        """Log the changes now; call ``on_change`` later, from :meth:`_drain`: never inside
        a durable_rules action, so a failing callback cannot leave the state half done."""
        for change in changes:
            if self._log is not None:  # shown as every output shows findings: masked
                self._write(masked(change).to_record())
        self._outbox.extend(changes)

    def _drain(self) -> None:
        outbox, self._outbox = self._outbox, []
        if self.on_change is not None:
            for change in outbox:
                self.on_change(change)

    def _sync_log(self) -> None:
        if self._log is not None:
            self._log.flush()

    def _write(self, record: dict[str, Any]) -> None:
        assert self._log is not None
        write_record(self._log, record)


def _installed_rules(facts: Facts, registry: object | None) -> Rulebook:
    """``facts`` prepared with the installed plug-ins (or ``registry``'s)."""
    from ..registry import Registry

    return prepare(facts, registry if isinstance(registry, Registry) else None)
