"""Findings — the evaluator's answer per (unit, obligation, period) — and their roll-ups."""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, TypeAdapter

from .citation import Modality, Source
from .i18n import _LANG, Lang, current_lang, use_lang

__all__ = [
    "Deferred",
    "Evaluation",
    "Finding",
    "Rollup",
    "Status",
    "percent",
    "rollup",
    "same_explanation",
]

_lang = _LANG.get  # current_lang without its call: a Deferred is made per finding, four times
_RATE_PLACES = Decimal("0.0001")  # a compliance rate in records: 0.8571 (85.71%), half up


class Status(StrEnum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"
    NOT_YET_DUE = "not_yet_due"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


class Deferred(tuple[Any, ...]):
    """An explanation written when first read, in the language current when it was made:
    ``render(*args)``.

    Most findings of a large run are counted, filtered and rolled up, and only some are
    printed: their sentences (numbers formatted, messages looked up) are made on reading
    :attr:`Finding.explanation`, once. ``render`` is a plain function of values given here
    (no closure: a finding kept for the run keeps what it holds, and the garbage collector
    walks each object) and must only format them — nothing that reads a ledger or a
    connection closed by then.

    One tuple ``(render, lang, *args)``: one object for the collector to track and walk, not
    an object and its arguments' tuple (a batch keeps two per judged finding, and 20,000
    objects fewer keep a 1M-row run under the heap growth that starts a full collection).
    """

    __slots__ = ()

    def __new__(cls, render: Callable[..., str], *args: Any) -> Deferred:
        return tuple.__new__(cls, (render, _lang(), *args))

    @property
    def render(self) -> Callable[..., str]:
        return self[0]  # type: ignore[no-any-return]

    @property
    def lang(self) -> str:
        return self[1]  # type: ignore[no-any-return]

    @property
    def args(self) -> tuple[Any, ...]:
        return self[2:]

    def __call__(self) -> str:
        # Usually in its own language already: no context to enter (a live monitor writes
        # one explanation for each finding it compares).
        if current_lang() == self[1]:
            return self[0](*self[2:])  # type: ignore[no-any-return]
        with use_lang(self[1]):
            return self[0](*self[2:])  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        """The same function of equal values in the same language: the same words, known
        without writing them (a live monitor compares each finding it re-evaluates)."""
        if not isinstance(other, Deferred):
            return NotImplemented
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]  # its arguments may be dicts

    def __reduce__(self) -> tuple[Any, ...]:
        return (_deferred_again, (tuple(self),))


def _deferred_again(items: tuple[Any, ...]) -> Deferred:
    """A pickled :class:`Deferred` made again, in the language it was made in."""
    return tuple.__new__(Deferred, items)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """Whether one unit meets one obligation as of a date, and by how much it misses.

    ``shortfall`` is ``required − measured`` for floors (the excess for ceilings),
    in ``measure_unit``; it is 0 exactly when the status is compliant.

    A slotted dataclass: a province makes hundreds of thousands, made by the evaluator from
    values of the right types without validating them again. :meth:`model_validate` and
    :meth:`model_dump` (pydantic, through a TypeAdapter) validate and serialise a record.
    """

    __pydantic_config__ = ConfigDict(extra="forbid")
    model_fields: ClassVar[dict[str, dataclasses.Field[Any]]]

    unit_id: str
    unit_name: str
    unit_kind: str
    obligation_id: str
    jurisdiction: str
    kind: str
    title: str
    modality: Modality
    approximate: bool
    status: Status
    as_of: date
    period_start: date | None = None
    period_end: date | None = None
    due: date | None = None
    comparator: str | None = None
    measured: Decimal | None = None
    required: Decimal | None = None
    required_upper: Decimal | None = None  # the upper bound of a 'between' target (２－３个)
    # An approximate number (100左右): the document's number, and the relative tolerance that
    # turned it into the bound applied (`required`, here 90 with 10%).
    stated_value: Decimal | None = None
    tolerance: Decimal | None = None
    shortfall: Decimal | None = None
    measure_unit: str | None = None
    explanation: str
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    source: Source

    @property
    def is_mandatory_breach(self) -> bool:
        return self.status is Status.NON_COMPLIANT and self.modality == "mandatory"

    def to_record(self) -> dict[str, Any]:
        """The stable JSON contract (docs/output-format.md): plain strings for Decimal and dates."""
        return self.model_dump(mode="json")

    def model_dump(
        self, *, mode: Literal["json", "python"] = "python", **kwargs: Any
    ) -> dict[str, Any]:
        """The finding as a dict (``mode="json"``: plain strings for Decimal and dates)."""
        dumped: dict[str, Any] = _adapter().dump_python(self, mode=mode, **kwargs)
        return dumped

    @classmethod
    def model_validate(cls, data: Any) -> Finding:
        """A finding validated from a record (a dict of its fields, as dumped)."""
        finding: Finding = _adapter().validate_python(data)
        return finding

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Finding:
        return dataclasses.replace(self, **(update or {}))

    @classmethod
    def trusted(cls, **values: Any) -> Finding:
        """A finding from values already of their field types, without validating them again.

        The evaluator builds many findings from values it made itself (Decimals, dates, the
        obligation's own fields). The property suite checks that validating any finding gives
        it back unchanged (:func:`xfrules.testing.properties.assert_finding_valid`).
        """
        return _build({**_DEFAULTS, **values})

    @staticmethod
    def template(**values: Any) -> dict[str, Any]:
        """Field values shared by many findings (the obligation's), for :meth:`trusted_from`:
        merged once, defaults included, instead of once per finding."""
        return {**_DEFAULTS, **values}

    @classmethod
    def trusted_from(cls, template: dict[str, Any], **values: Any) -> Finding:
        """:meth:`trusted` with ``template`` (from :meth:`template`) under ``values``."""
        return _build({**template, **values})


Finding.model_fields = {f.name: f for f in dataclasses.fields(Finding)}


class _Explanation:
    """:attr:`Finding.explanation`: its slot, with a :class:`Deferred` text written on first
    read and kept (equality, hashing, records and pickles all read it through here)."""

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, finding: Finding | None, owner: type | None = None) -> Any:
        if finding is None:
            return self
        text = self.slot.__get__(finding, owner)
        if type(text) is Deferred:
            text = text()
            self.slot.__set__(finding, text)
        return text

    def __set__(self, finding: Finding, value: str | Deferred) -> None:
        self.slot.__set__(finding, value)


_EXPLANATION_SLOT = Finding.__dict__["explanation"]
setattr(Finding, "explanation", _Explanation(_EXPLANATION_SLOT))  # noqa: B010


def same_explanation(a: Finding, b: Finding) -> bool:
    """Whether two findings explain themselves in the same words, without writing deferred
    explanations that are the same function of equal values."""
    raw_a, raw_b = _EXPLANATION_SLOT.__get__(a), _EXPLANATION_SLOT.__get__(b)
    if type(raw_a) is Deferred and type(raw_b) is Deferred and raw_a == raw_b:
        return True
    return bool(a.explanation == b.explanation)


_DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(Finding) if f.default is not dataclasses.MISSING
}


class _Unfrozen:
    """A :class:`Finding`'s slots without its frozen ``__setattr__``, to fill them.

    A frozen dataclass's ``__init__`` stores each field through ``object.__setattr__``: most of
    the cost of a finding, and a batch of a million rows makes ten thousand judged ones. Here
    they are plain attribute stores, then the object becomes the Finding it is (same slots,
    same layout, so the class can be assigned); nothing can change it after.
    """

    __slots__ = tuple(Finding.model_fields)


def _builder() -> Callable[[dict[str, Any]], Finding]:
    # Straight-line code, one store per field, as dataclasses writes its own __init__.
    names = tuple(Finding.model_fields)
    lines = ["def build(values):", "    made = new(Unfrozen)", "    try:"]
    lines += [f"        made.{name} = values[{name!r}]" for name in names]
    lines += [
        "    except KeyError as missing:",
        "        raise TypeError(f'a finding needs the field {missing}') from None",
        f"    if len(values) != {len(names)}:",
        "        raise TypeError(f'not fields of a finding: {sorted(set(values) - FIELDS)}')",
        "    made.__class__ = Finding",
        "    return made",
    ]
    scope: dict[str, Any] = {"new": object.__new__, "Unfrozen": _Unfrozen, "Finding": Finding}
    scope["FIELDS"] = frozenset(names)
    exec("\n".join(lines), scope)  # code made here, from the field names only
    build: Callable[[dict[str, Any]], Finding] = scope["build"]
    return build


_build = _builder()


@functools.cache
def _adapter() -> TypeAdapter[Finding]:
    return TypeAdapter(Finding)


def percent(rate: Decimal | None) -> str:
    """A rate for people: ``85.7%`` (half up), ``—`` when there is none."""
    if rate is None:
        return "—"
    return f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass
class Rollup:
    """Findings summed over a group: counts per status and shortfall per measure unit."""

    key: str
    counts: Counter[str] = field(default_factory=Counter)
    shortfall: dict[str, Decimal] = field(default_factory=dict)
    mandatory_breaches: int = 0

    def add(self, finding: Finding) -> None:
        self.counts[finding.status.value] += 1
        if finding.status is Status.NON_COMPLIANT and finding.shortfall and finding.measure_unit:
            unit = finding.measure_unit
            self.shortfall[unit] = self.shortfall.get(unit, Decimal(0)) + finding.shortfall
        if finding.is_mandatory_breach:
            self.mandatory_breaches += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def applicable(self) -> int:
        """Findings of obligations that bind (everything but not_applicable)."""
        return self.total - self.counts.get(Status.NOT_APPLICABLE.value, 0)

    @property
    def compliance_rate(self) -> Decimal | None:
        """compliant / (compliant + non_compliant), exact; None when nothing was judged.

        Not-yet-due and insufficient-evidence findings are left out: neither is a pass or a
        miss yet, and counting them either way would move the rate for no reason.
        """
        met = self.counts.get(Status.COMPLIANT.value, 0)
        judged = met + self.counts.get(Status.NON_COMPLIANT.value, 0)
        return Decimal(met) / Decimal(judged) if judged else None

    @property
    def compliance_rate_text(self) -> str | None:
        """The rate as records and spreadsheets carry it: ``"0.8571"`` (half up), or None."""
        rate = self.compliance_rate
        return None if rate is None else str(rate.quantize(_RATE_PLACES, rounding=ROUND_HALF_UP))

    def to_record(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "total": self.total,
            "applicable": self.applicable,
            "counts": {s.value: self.counts.get(s.value, 0) for s in Status},
            "compliance_rate": self.compliance_rate_text,
            "mandatory_breaches": self.mandatory_breaches,
            "shortfall": {k: str(v) for k, v in sorted(self.shortfall.items())},
        }


def rollup(
    findings: Iterable[Finding], keys: Callable[[Finding], Iterable[str]]
) -> dict[str, Rollup]:
    """Group findings under every key ``keys`` gives them (a finding may belong to several)."""
    groups: dict[str, Rollup] = defaultdict(lambda: Rollup(""))
    for finding in findings:
        for key in keys(finding):
            group = groups[key]
            group.key = key
            group.add(finding)
    return dict(sorted(groups.items()))


@dataclass(frozen=True, slots=True)
class Absent:
    """The not-applicable findings of one unit, not made until asked for.

    Most (unit, obligation) pairs do not apply (another kind of unit, a department the task
    does not name): a province of units makes millions. Each costs here a place in a tuple
    that every unit of the same binding pattern shares: the finding fields of each obligation
    (a :meth:`Finding.template`) and why it does not apply.
    """

    unit_id: str
    unit_name: str
    unit_kind: str
    entries: tuple[tuple[dict[str, Any], str], ...]

    def findings(self) -> Iterator[Finding]:
        for template, why in self.entries:
            yield Finding.trusted_from(
                template,
                unit_id=self.unit_id,
                unit_name=self.unit_name,
                unit_kind=self.unit_kind,
                status=Status.NOT_APPLICABLE,
                explanation=why,
            )


@dataclass(eq=False, frozen=True)
class Evaluation:
    """All findings as of a date, sorted by (unit, obligation, period), with roll-ups.

    ``findings`` are made when first asked for; counts, roll-ups and the judged findings
    (``judged``: every finding of an obligation that binds the unit) are not. Immutable, as
    the findings are: a changed evaluation is a new one (``dataclasses.replace``).
    """

    as_of: date
    judged: tuple[Finding, ...] = ()
    # Purchases dated after ``as_of``: not counted (a purchase counts from its date on), and
    # said, so that a future-dated row is neither counted in "so far" nor silently lost.
    transactions_after_as_of: int = 0
    absent: tuple[Absent, ...] = ()
    # The language of the explanations (xfrules.i18n): the one current when evaluated.
    lang: Lang = field(default_factory=current_lang)
    _findings: tuple[Finding, ...] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        # Normalised once, as made (frozen: set through object.__setattr__).
        object.__setattr__(self, "judged", tuple(self.judged))
        object.__setattr__(self, "absent", tuple(a for a in self.absent if a.entries))
        if not self.absent:
            object.__setattr__(self, "_findings", self.judged)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding, not-applicable ones included, sorted by unit, obligation, period."""
        if self._findings is None:
            merged = [*self.judged, *(f for a in self.absent for f in a.findings())]
            merged.sort(key=_finding_order)
            object.__setattr__(self, "_findings", tuple(merged))  # a cache, not a change
        assert self._findings is not None
        return self._findings

    def __len__(self) -> int:
        return len(self.judged) + sum(len(a.entries) for a in self.absent)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        return (self.as_of, self.transactions_after_as_of, self.findings) == (
            other.as_of,
            other.transactions_after_as_of,
            other.findings,
        )

    def _rollup(
        self,
        keys: Callable[[Finding], Iterable[str]],
        absent_keys: Callable[[Absent, dict[str, Any]], Iterable[str]],
    ) -> dict[str, Rollup]:
        groups = rollup(self.judged, keys)
        for a in self.absent:
            for template, _ in a.entries:
                for key in absent_keys(a, template):
                    group = groups.setdefault(key, Rollup(key))
                    group.counts[Status.NOT_APPLICABLE.value] += 1
        return dict(sorted(groups.items()))

    def by_unit(self) -> dict[str, Rollup]:
        return self._rollup(lambda f: [f.unit_id], lambda a, _: [a.unit_id])

    def by_jurisdiction(self) -> dict[str, Rollup]:
        return self._rollup(lambda f: [f.jurisdiction], lambda _, t: [t["jurisdiction"]])

    def by_department(self, role: str = "any") -> dict[str, Rollup]:
        """Per department; ``role`` is 'lead', 'responsible' or 'any' (both, once each)."""

        def names(lead: tuple[str, ...], responsible: tuple[str, ...]) -> Iterable[str]:
            chosen = {"lead": lead, "responsible": responsible}.get(role, lead + responsible)
            return dict.fromkeys(chosen)

        return self._rollup(
            lambda f: names(f.lead, f.responsible),
            lambda _, t: names(t["lead"], t["responsible"]),
        )

    def by_unit_group(self, group: Callable[[str], str]) -> dict[str, Rollup]:
        """Per group of units (a district): ``group`` maps a unit id to its group's name."""
        return self._rollup(lambda f: [group(f.unit_id)], lambda a, _: [group(a.unit_id)])

    def status_counts(self) -> dict[str, int]:
        """The number of findings of each status (every status, zeros included), without
        making the not-applicable ones."""
        counts = {s.value: 0 for s in Status}
        for f in self.judged:
            counts[f.status.value] += 1
        counts[Status.NOT_APPLICABLE.value] += sum(len(a.entries) for a in self.absent)
        return counts

    @property
    def mandatory_breaches(self) -> int:
        return sum(1 for f in self.judged if f.is_mandatory_breach)

    def select(
        self,
        *,
        units: Iterable[str] | None = None,
        statuses: Iterable[Status | str] | None = None,
        departments: Iterable[str] | None = None,
        obligations: Iterable[str] | None = None,
    ) -> Evaluation:
        """The findings of these units, with these statuses, of these obligations, of
        obligations naming one of these departments (lead or responsible); None leaves that
        criterion out."""
        unit_set = None if units is None else set(units)
        obligation_set = None if obligations is None else set(obligations)
        status_set = None if statuses is None else {Status(s) for s in statuses}
        dept_set = None if departments is None else set(departments)

        def kept(
            unit_id: str,
            obligation_id: str,
            status: Status,
            lead: tuple[str, ...],
            resp: tuple[str, ...],
        ) -> bool:
            return (
                (unit_set is None or unit_id in unit_set)
                and (obligation_set is None or obligation_id in obligation_set)
                and (status_set is None or status in status_set)
                and (dept_set is None or not dept_set.isdisjoint(lead + resp))
            )

        absent = [
            Absent(
                a.unit_id,
                a.unit_name,
                a.unit_kind,
                tuple(
                    (t, why)
                    for t, why in a.entries
                    if kept(
                        a.unit_id,
                        t["obligation_id"],
                        Status.NOT_APPLICABLE,
                        t["lead"],
                        t["responsible"],
                    )
                ),
            )
            for a in self.absent
            if unit_set is None or a.unit_id in unit_set
        ]
        return Evaluation(
            self.as_of,
            tuple(
                f
                for f in self.judged
                if kept(f.unit_id, f.obligation_id, f.status, f.lead, f.responsible)
            ),
            self.transactions_after_as_of,
            tuple(absent),
            lang=self.lang,
        )

    @property
    def has_mandatory_breach(self) -> bool:
        return any(f.is_mandatory_breach for f in self.judged)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every finding as its JSON record (:meth:`Finding.to_record`), in order."""
        for f in self.findings:
            yield f.to_record()

    def to_record(self) -> dict[str, Any]:
        return {
            "format": "xfrules.evaluation/1",
            "as_of": self.as_of.isoformat(),
            "lang": self.lang,
            "transactions_after_as_of": self.transactions_after_as_of,
            "findings": list(self.records()),
            "rollups": {
                "by_unit": [r.to_record() for r in self.by_unit().values()],
                "by_department": [r.to_record() for r in self.by_department().values()],
                "by_jurisdiction": [r.to_record() for r in self.by_jurisdiction().values()],
            },
        }


def _finding_order(f: Finding) -> tuple[str, str, date]:
    return (f.unit_id, f.obligation_id, f.period_start or date.min)
