"""Facts: the units being checked and what they did (transactions, observations, submissions).

A facts file is JSON or YAML with the top-level keys ``units``, ``transactions``,
``observations``, ``submissions`` and ``region_sets`` (extensions of extensible region
sets, e.g. a deployment's list of national poverty counties). See docs/facts-format.md.
Loading collects every problem — file, record, field, reason — before failing.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .bulk import quick_purchases, quick_records
from .collector import runs_as_bulk_work
from .entities import NonNegativeNumber, Observation, Region, Submission, Transaction, Unit
from .errors import InputError, Problem, os_reason, reason_of, validation_reason
from .i18n import Msg
from .kinds.base import Allocation
from .purchases import Purchases
from .regions import region_code_problem
from .textio import decode_text
from .yamlio import TooDeepError, YamlSyntaxError, load_json, load_yaml

__all__ = [
    "AllocationRecord",
    "FactIndex",
    "Facts",
    "PartyRecord",
    "RegionSetExtension",
    "ToleranceRecord",
    "load_facts",
    "parse_facts",
]


class RegionSetExtension(BaseModel):
    """Regions a deployment adds to an extensible region set of a jurisdiction."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    jurisdiction: str
    name: str
    regions: tuple[Region, ...]
    provenance: str = ""


class AllocationRecord(Allocation):
    """A deployment's figure for one unit's share of a decomposed target: an allocation, with
    the obligation it belongs to and (required here) the document that issued it.

    The records of one obligation replace the plug-in's allocations for it (e.g. Tianjin's
    district shares of the city total, which its document leaves to a separate notice).
    """

    obligation: str = Field(min_length=1)
    name: str = Field(min_length=1)
    value: NonNegativeNumber | None = Field(
        description="The unit's share; null: no share is allocated to it (not bound)."
    )
    document: str = Field(
        min_length=2, description="Where the figure comes from: the document that issued it."
    )

    def allocation(self) -> Allocation:
        return Allocation.model_validate(self.model_dump(exclude={"obligation"}))


class ToleranceRecord(BaseModel):
    """A deployment's tolerance for approximate targets (约/左右): for one obligation, or for
    every approximate target without one of its own (``obligation`` left out)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    obligation: str | None = Field(default=None, min_length=1)
    tolerance: NonNegativeNumber = Field(lt=1, description="Relative: 0.1 (or 10%).")
    document: str = Field(
        default="", description="Where the deployment's figure comes from, if anywhere."
    )


class PartyRecord(BaseModel):
    """A further party a deployment binds to a duty whose document list is open (it ends in
    等: 市商务局、市农业农村局等部门负责): the list names some parties, the deployment the
    others, with the document that says so."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    obligation: str = Field(min_length=1)
    department: str = Field(min_length=1, description="The party, as its units name it.")
    role: Literal["lead", "responsible", "participants"] = "responsible"
    document: str = Field(
        min_length=2, description="Where the deployment's decision comes from (its notice)."
    )


class Facts(BaseModel):
    """Everything the evaluator reads about the world.

    ``transactions`` reads as a tuple of :class:`~xfrules.Transaction` and is held as columns
    (:class:`xfrules.purchases.Purchases`): give it transactions (or their mappings) as
    before; an item read back is equal to the one given, not the same object.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    units: tuple[Unit, ...] = ()
    transactions: Purchases = Field(default_factory=Purchases.empty)
    observations: tuple[Observation, ...] = ()
    submissions: tuple[Submission, ...] = ()
    region_sets: tuple[RegionSetExtension, ...] = ()
    allocations: tuple[AllocationRecord, ...] = ()
    tolerances: tuple[ToleranceRecord, ...] = ()
    parties: tuple[PartyRecord, ...] = ()
    # The file the facts were read from, for error messages (not a section of the file).
    source: str = Field(default="", exclude=True)

    def with_(self, **changes: Iterable[Any]) -> Facts:
        return self.model_copy(
            update={
                k: Purchases.of(v) if k == "transactions" else tuple(v) for k, v in changes.items()
            }
        )


_SECTIONS: dict[str, type[BaseModel]] = {
    "units": Unit,
    "transactions": Transaction,
    "observations": Observation,
    "submissions": Submission,
    "region_sets": RegionSetExtension,
    "allocations": AllocationRecord,
    "tolerances": ToleranceRecord,
    "parties": PartyRecord,
}


def _read_document(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        unread = Msg("file.cannot_read", detail=os_reason(exc))
        raise InputError([Problem(str(path), "", "", unread)]) from exc
    text = decode_text(raw, path)
    kind = path.suffix[1:] or "file"
    try:
        if path.suffix.lower() == ".json":
            return load_json(text)
        return load_yaml(text, str(path))
    except json.JSONDecodeError as exc:
        where = Msg("at.line_column", line=exc.lineno, column=exc.colno)
        malformed = Msg("file.malformed", kind=kind, detail=exc.msg)
        raise InputError([Problem(str(path), where, "", malformed)]) from exc
    except YamlSyntaxError as exc:
        malformed = Msg("file.malformed", kind=kind, detail=exc.detail)
        raise InputError([Problem(str(path), exc.where, "", malformed)]) from exc
    except (yaml.YAMLError, TooDeepError) as exc:
        malformed = Msg("file.malformed", kind=kind, detail=reason_of(exc))
        raise InputError([Problem(str(path), "", "", malformed)]) from exc


@runs_as_bulk_work
def load_facts(path: str | Path, *, known_units: Iterable[Unit] = ()) -> Facts:
    """Read and validate a facts file; raise InputError listing every problem."""
    path = Path(path)
    return parse_facts(_read_document(path), source=str(path), known_units=known_units)


def _record_label(section: str, index: int, record: Any) -> str:
    rid = record.get("id") if isinstance(record, Mapping) else None
    label = f"{section}[{index}]"
    return f"{label} (id {rid!r})" if rid is not None else label


M = TypeVar("M", bound=BaseModel)


@dataclass
class _Section:
    """The records of one section: each one's position in the file, as written, and validated
    (or None). Parallel lists rather than an object per record: a section may hold millions."""

    name: str
    indices: Sequence[int] = field(default_factory=list)
    raws: Sequence[Mapping[str, Any]] = field(default_factory=list)
    # The validated model, or None; for purchases True where the record went straight into
    # the columns (xfrules.bulk.quick_purchases).
    models: list[Any] = field(default_factory=list)
    # Purchases: the columns, when they hold every record of the section in its order.
    columns: Purchases | None = None

    def label(self, k: int) -> str:
        return _record_label(self.name, self.indices[k], self.raws[k])

    def texts(self, name: str) -> list[str | None]:
        """Each record's text field as validated, or as written when the record did not
        validate: its references are checked all the same, so one round of fixes finds every
        problem."""
        return [v if isinstance(v := fields.get(name), str) else None for fields in self._fields]

    @functools.cached_property
    def _fields(self) -> list[Mapping[str, Any]]:
        # A model's fields are its __dict__ (as getattr reads them); a purchase read into
        # the columns has its text fields as written.
        return [
            model.__dict__ if isinstance(model, BaseModel) else raw
            for raw, model in zip(self.raws, self.models, strict=True)
        ]

    def valid(self, model: type[M]) -> list[M]:
        return [m for m in self.models if isinstance(m, model)]


def _validate_records(
    source: str,
    section: str,
    records: Any,
    model: type[BaseModel],
    problems: list[Problem],
    columns: list[Purchases] | None = None,
) -> _Section:
    """The section's records, validated; purchases go into columns, appended to ``columns``
    (for every other model, ``columns`` is None)."""
    out = _Section(section)
    if records is None:
        return out
    if not isinstance(records, list):
        problems.append(
            Problem(source, section, "", Msg("facts.not_list", got=type(records).__name__))
        )
        return out
    validate = model.model_validate

    def slow(i: int, record: Any) -> Any:
        """A record the quick path declined, through pydantic with its own errors."""
        if not isinstance(record, Mapping):
            problems.append(
                Problem(
                    source,
                    _record_label(section, i, record),
                    "",
                    Msg("facts.not_mapping", got=type(record).__name__),
                )
            )
            return _NOT_A_MAPPING
        try:
            return validate(record if isinstance(record, dict) else dict(record))
        except ValidationError as exc:
            label = _record_label(section, i, record)
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(source, label, loc, _message(err)))
        return None

    made: list[Any]
    if columns is not None:
        purchases, made = quick_purchases(
            records, lambda i, r: v if (v := slow(i, r)) is not _NOT_A_MAPPING else None
        )
        columns.append(purchases)
        if len(purchases) == len(records):  # every record read: no walk to label them
            return _Section(section, range(len(records)), records, made, purchases)
        made = [
            m if isinstance(r, Mapping) else _NOT_A_MAPPING
            for r, m in zip(records, made, strict=True)
        ]
    else:
        # Well-formed units and observations are made without a pydantic call each
        # (xfrules.bulk); None sends a record through pydantic.
        made = quick_records(model, records)
        for i, (record, validated) in enumerate(zip(records, made, strict=True)):
            if validated is None:
                made[i] = slow(i, record)
    indices: list[int] = []
    raws: list[Mapping[str, Any]] = []
    models: list[Any] = []
    for i, (record, validated) in enumerate(zip(records, made, strict=True)):
        if validated is not _NOT_A_MAPPING:
            indices.append(i)
            raws.append(record)
            models.append(validated)
    return _Section(section, indices, raws, models)


_NOT_A_MAPPING = object()


def _message(err: Any) -> Msg | str:
    """A pydantic error in the user's words (:func:`~xfrules.errors.validation_reason`),
    with the value given unless the reason quotes it."""
    reason = validation_reason(err)
    if err["type"] == "missing":
        return reason
    text = reason if isinstance(reason, str) else reason.english()
    if "input" not in err or repr(err["input"]) in text:  # the reason quotes the value already
        return reason
    return Msg("facts.got", reason=reason, value=err["input"])


@runs_as_bulk_work
def parse_facts(
    document: Any, *, source: str = "<facts>", known_units: Iterable[Unit] = ()
) -> Facts:
    """Validate an already-parsed facts document (a mapping of sections to record lists)."""
    problems: list[Problem] = []
    if document is None:
        document = {}
    if not isinstance(document, Mapping):
        raise InputError([Problem(source, "", "", Msg("facts.top_level"))])
    for key in document:
        if key not in _SECTIONS:
            problems.append(
                Problem(
                    source, str(key), "", Msg("facts.unknown_section", known=", ".join(_SECTIONS))
                )
            )
    columns: list[Purchases] = []
    parsed = {
        name: _validate_records(
            source,
            name,
            document.get(name),
            model,
            problems,
            columns if model is Transaction else None,
        )
        for name, model in _SECTIONS.items()
    }
    sections: dict[str, Any] = {
        name: tuple(parsed[name].valid(model))
        for name, model in _SECTIONS.items()
        if model is not Transaction
    }
    facts = Facts(
        **sections,
        transactions=columns[0] if columns else Purchases.empty(),
        source=source,
    )
    problems.extend(_cross_check(parsed, source, known_units))
    if problems:
        raise InputError(problems)
    # The cross-check found no purchase id twice: the evaluator need not look again.
    facts.transactions.ids_distinct = True
    return facts


def _duplicates(ids: Iterable[str]) -> set[str]:
    ids = list(ids)
    if len(set(ids)) == len(ids):  # the usual case, in one C loop
        return set()
    seen: set[str] = set()
    dup: set[str] = set()
    for i in ids:
        (dup if i in seen else seen).add(i)
    return dup


def _cross_check(
    sections: Mapping[str, _Section], source: str, known_units: Iterable[Unit]
) -> Iterator[Problem]:
    """References and duplicates, over every record — also those that failed validation (by
    their fields as written), labelled by their position in the file."""
    units, transactions = sections["units"], sections["transactions"]
    ids = units.texts("id")
    unit_ids = {i for i in ids if i is not None}
    unit_ids |= {u.id for u in known_units}
    for dup in sorted(_duplicates(i for i in ids if i is not None)):
        yield Problem(source, f"units (id {dup!r})", "id", Msg("facts.duplicate_unit"))
    codes = units.texts("region_code")
    for k, parent in enumerate(units.texts("parent")):
        if parent is not None and parent not in unit_ids:
            yield Problem(source, units.label(k), "parent", Msg("facts.unknown_unit", unit=parent))
        if (code := codes[k]) and (why := region_code_problem(code)):
            yield Problem(source, units.label(k), "region_code", why)
    # Millions of purchases name a few thousand buyers and regions: each distinct one is
    # checked once (from the columns' tables when they hold every record), and the records
    # are walked (for their labels, in file order) only when one is wrong.
    held = transactions.columns
    tx_ids: Iterable[str]
    named: set[str | None]
    coded: set[str | None]
    if held is not None and isinstance(held.ids, list):
        tx_ids, named, coded = held.ids, set(held.buyer_names), {p[0] for p in held.profiles}
    else:
        tx_ids = (i for i in transactions.texts("id") if i is not None)
        named, coded = set(transactions.texts("buyer")), set(transactions.texts("origin_region"))
    for dup in sorted(_duplicates(tx_ids)):
        where = f"transactions (id {dup!r})"
        yield Problem(source, where, "id", Msg("facts.duplicate_transaction"))
    unknown = named - unit_ids - {None}
    wrong = {c: why for c in coded if c and (why := region_code_problem(c))}
    buyers = transactions.texts("buyer") if unknown or wrong else []
    origins = transactions.texts("origin_region") if unknown or wrong else []
    for k, buyer in enumerate(buyers):
        if buyer in unknown:
            unknown_buyer = Msg("facts.unknown_unit", unit=buyer)
            yield Problem(source, transactions.label(k), "buyer", unknown_buyer)
        if (code := origins[k]) in wrong:
            yield Problem(source, transactions.label(k), "origin_region", wrong[code])
    observations = sections["observations"]
    obs_ids = (i for i in observations.texts("id") if i is not None)
    for dup in sorted(_duplicates(obs_ids)):
        where = f"observations (id {dup!r})"
        yield Problem(source, where, "id", Msg("facts.duplicate_observation"))
    # Observations are summed: the same one listed twice (a copied row) would count twice.
    # Two that are really distinct but look alike get ids to say so.
    first: dict[Observation, int] = {}
    for index, obs in zip(observations.indices, observations.models, strict=True):
        if isinstance(obs, Observation) and obs.id is None:
            j = first.setdefault(obs, index)
            if j != index:
                yield Problem(
                    source,
                    f"observations[{index}]",
                    "",
                    Msg("facts.same_observation", first=f"observations[{j}]"),
                )
    allocations = sections["allocations"]
    keys = [
        (a.obligation, a.unit or f"region {a.region_code}")
        for a in allocations.valid(AllocationRecord)
    ]
    for dup in sorted(_duplicates(f"{o} / {k}" for o, k in keys)):
        yield Problem(source, f"allocations ({dup})", "", Msg("facts.allocated_twice"))
    codes = allocations.texts("region_code")
    for k, unit in enumerate(allocations.texts("unit")):
        index = allocations.indices[k]
        if unit is not None and unit not in unit_ids:
            unknown_unit = Msg("facts.unknown_unit", unit=unit)
            yield Problem(source, f"allocations[{index}]", "unit", unknown_unit)
        if (code := codes[k]) and (why := region_code_problem(code)):
            yield Problem(source, f"allocations[{index}]", "region_code", why)
    for section in (sections["observations"], sections["submissions"]):
        for index, unit in zip(section.indices, section.texts("unit"), strict=True):
            if unit is not None and unit not in unit_ids:
                unknown_unit = Msg("facts.unknown_unit", unit=unit)
                yield Problem(source, f"{section.name}[{index}]", "unit", unknown_unit)


@dataclass
class FactIndex:
    """Facts indexed for evaluation; built once, read many times.

    ``purchases`` are the facts' purchases, each id once (the first); the evaluator sums
    their columns (:mod:`xfrules.totals`). ``transactions_by_buyer`` makes them
    :class:`~xfrules.Transaction` models, grouped by buyer, when first read (explanations
    that list purchases, the live monitor)."""

    facts: Facts
    units: dict[str, Unit] = field(init=False)
    children: dict[str, list[str]] = field(init=False)
    purchases: Purchases = field(init=False)
    observations_by_unit: dict[tuple[str, str], list[Observation]] = field(init=False)
    submissions_by_unit: dict[tuple[str, str], list[Submission]] = field(init=False)

    def __post_init__(self) -> None:
        self.units = {u.id: u for u in self.facts.units}
        self.children = defaultdict(list)
        for unit in self.facts.units:
            if unit.parent is not None:
                self.children[unit.parent].append(unit.id)
        # The same purchase posted twice counts once (a model_copy may have put a tuple here).
        self.purchases = Purchases.of(self.facts.transactions).first_of_each_id()
        self.observations_by_unit = defaultdict(list)
        observed: set[str] = set()
        for obs in self.facts.observations:
            if obs.id is not None:
                if obs.id in observed:
                    continue  # the same observation again counts once, like a purchase
                observed.add(obs.id)
            self.observations_by_unit[(obs.unit, obs.metric)].append(obs)
        self.submissions_by_unit = defaultdict(list)
        for sub in self.facts.submissions:
            self.submissions_by_unit[(sub.unit, sub.report)].append(sub)

    @functools.cached_property
    def transactions_by_buyer(self) -> dict[str, list[Transaction]]:
        by_buyer: dict[str, list[Transaction]] = defaultdict(list)
        for tx in self.purchases:
            by_buyer[tx.buyer].append(tx)
        return by_buyer

    def scope(self, unit_id: str, subtree: bool) -> list[str]:
        """The unit, and with ``subtree`` all its descendants (cycle-safe)."""
        if not subtree:
            return [unit_id]
        out: list[str] = []
        stack = [unit_id]
        seen: set[str] = set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            out.append(current)
            stack.extend(self.children.get(current, ()))
        return out

    def transactions(
        self, unit_ids: Iterable[str], start: date, end: date
    ) -> Iterator[Transaction]:
        for uid in unit_ids:
            for tx in self.transactions_by_buyer.get(uid, ()):
                if start <= tx.date <= end:
                    yield tx

    def observations(
        self, unit_ids: Iterable[str], metric: str, start: date, end: date
    ) -> Iterator[Observation]:
        """Observations whose period lies inside [start, end]."""
        for uid in unit_ids:
            for obs in self.observations_by_unit.get((uid, metric), ()):
                if start <= obs.period_start and obs.period_end <= end:
                    yield obs

    def submissions(self, unit_id: str, report: str) -> list[Submission]:
        return self.submissions_by_unit.get((unit_id, report), [])
