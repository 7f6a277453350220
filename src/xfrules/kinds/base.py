"""What every obligation kind is made of: its source, modality, parties, validity, period and
thresholds, and the value types they use. A kind (one module of :mod:`xfrules.kinds`) is a
subclass of :class:`ObligationBase` that adds its fields and says what it reads and how a unit
is judged; thresholds are dated data, so a changed policy year is a data change.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..citation import Modality, Source
from ..entities import Number, Unit

if TYPE_CHECKING:
    from ..findings import Finding
    from ..periods import Window
    from .judging import Judging

__all__ = [
    "DEFAULT_TOLERANCE",
    "Allocation",
    "BaselineRef",
    "Comparator",
    "Evidence",
    "Measure",
    "Modality",
    "Need",
    "ObligationBase",
    "ObservationMeasure",
    "Period",
    "Reads",
    "Source",
    "Threshold",
    "TransactionMeasure",
    "Waiver",
    "reads_of",
]

Comparator = Literal[">=", ">", "<=", "<", "between"]
DEFAULT_TOLERANCE = Decimal("0.10")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Threshold(_Frozen):
    """A required value with its comparator; ``>=`` is inclusive (以上/不低于/不少于)."""

    comparator: Comparator = ">="
    value: Number
    upper: Number | None = Field(default=None, description="Upper bound, for 'between' (e.g. 2-3).")
    unit: str = Field(description="元, 个, 人, 人次, 亩, 台, 次, or 'ratio' for shares and rates.")
    effective_from: date | None = Field(
        default=None, description="First period start this threshold applies to (dated thresholds)."
    )
    effective_to: date | None = None
    quote: str | None = Field(default=None, description="Verbatim words stating the number.")
    approximate: bool = Field(
        default=False,
        description="The document says 约/左右 of this number: met within a tolerance of it.",
    )
    tolerance: Number | None = Field(
        default=None,
        ge=0,
        lt=1,
        description="Relative tolerance of an approximate number (0.1: 100左右 is met at 90); "
        "None: the deployment's (facts file `tolerances`), else 10%.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Threshold:
        if self.comparator == "between":
            if self.upper is None:
                raise ValueError("'between' needs an upper bound")
            if self.upper < self.value:
                raise ValueError("upper bound below lower bound")
        elif self.upper is not None:
            raise ValueError("upper bound only goes with 'between'")
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.tolerance is not None and not self.approximate:
            raise ValueError("a tolerance only goes with an approximate number (约/左右)")
        return self

    @property
    def is_floor(self) -> bool:
        return self.comparator in (">=", ">", "between")

    def with_tolerance(self, tolerance: Decimal) -> Threshold:
        """The bound applied to an approximate number: a floor lowered, a ceiling raised by
        ``tolerance`` of itself (100左右 with 0.1 → at least 90); a range widened both ways."""
        low, high = 1 - tolerance, 1 + tolerance
        if self.comparator in ("<=", "<"):
            return self.model_copy(update={"value": self.value * high})
        upper = None if self.upper is None else self.upper * high
        return self.model_copy(update={"value": self.value * low, "upper": upper})

    def satisfied(self, measured: Decimal) -> bool:
        """Whether ``measured`` meets the bound. A range (２－３个) binds by its lower bound:
        reaching past the upper one is no breach (the explanation says so)."""
        c = self.comparator
        if c in (">=", "between"):
            return measured >= self.value
        if c == ">":
            return measured > self.value
        if c == "<=":
            return measured <= self.value
        return measured < self.value

    def gap(self, measured: Decimal) -> Decimal:
        """How far ``measured`` is from satisfying this threshold (0 when satisfied).

        Strict comparators report the distance to the bound itself: a measured value
        equal to a strict bound is a miss with gap 0 only in theory, so we never
        report 0 for a miss (see ``Finding.shortfall``).
        """
        if self.satisfied(measured):
            return Decimal(0)
        if self.comparator in ("<=", "<"):
            return measured - self.value
        return self.value - measured

    def in_force(self, period_start: date) -> bool:
        if self.effective_from and period_start < self.effective_from:
            return False
        return not (self.effective_to and period_start > self.effective_to)


class Period(_Frozen):
    """What an obligation measures and when it is due.

    - ``annual``: each calendar year inside the validity; due at year end (+ ``grace_days``).
    - ``monthly``: each month; due on ``due_day`` of the same month (or the next, if
      ``due_next_month``).
    - ``fixed``: one window ``start``..``end``; due at ``end`` (+ ``grace_days``), or on ``due``.
    - ``around_day``: each year, the days around one day (国家扶贫日前后: 10-17, with
      ``days_before`` and ``days_after``); due at the window's end (+ ``grace_days``).
    """

    frequency: Literal["annual", "monthly", "fixed", "around_day"]
    start: date | None = None
    end: date | None = None
    due: date | None = None
    due_day: int | None = Field(default=None, ge=1, le=31)
    due_next_month: bool = False
    grace_days: int = Field(default=0, ge=0)
    day: str | None = Field(
        default=None,
        pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        description="around_day: the day each year, as MM-DD (10-17).",
    )
    days_before: int = Field(default=0, ge=0, le=183)
    days_after: int = Field(default=0, ge=0, le=183)

    @model_validator(mode="after")
    def _consistent(self) -> Period:
        if self.frequency == "fixed":
            if self.start is None or self.end is None:
                raise ValueError("a fixed period needs start and end")
            if self.end < self.start:
                raise ValueError("period end is before its start")
        if self.frequency == "monthly" and self.due_day is None:
            raise ValueError("a monthly period needs due_day")
        if (self.frequency == "around_day") != (self.day is not None):
            raise ValueError("an around_day period, and only it, needs day (MM-DD)")
        if self.day is not None:
            month, day = (int(x) for x in self.day.split("-"))
            if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
                raise ValueError(f"no day {self.day} in any year")
        return self


class TransactionMeasure(_Frozen):
    """Sum (or count) of the unit's purchases that match every given filter."""

    source: Literal["transactions"] = "transactions"
    origin_sets: tuple[str, ...] = Field(
        default=(),
        description="Region set names; a purchase counts if its origin is in any of them.",
    )
    categories: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    seller_kinds: tuple[str, ...] = ()
    aggregate: Literal["amount", "quantity", "count", "distinct_origins"] = "amount"
    scope: Literal["unit", "subtree"] = Field(
        default="subtree", description="'subtree' adds purchases of the unit's descendants."
    )


class ObservationMeasure(_Frozen):
    """Sum of a named metric's observations (or the number of distinct observed subjects)."""

    source: Literal["observations"] = "observations"
    metric: str
    aggregate: Literal["sum", "distinct_subjects"] = "sum"
    scope: Literal["unit", "subtree"] = "subtree"
    subject_floor: Number | None = Field(
        default=None,
        description="distinct_subjects: count a subject only if its values sum to at least this "
        "(e.g. enterprises with ≥1000万元 sales); default: any positive sum.",
    )


Measure = Annotated[TransactionMeasure | ObservationMeasure, Field(discriminator="source")]


class BaselineRef(_Frozen):
    """A unit's reference value, e.g. its 2019 canteen procurement total."""

    metric: str
    start: date
    end: date


class Allocation(_Frozen):
    """A decomposed target: the share of a parent total assigned to one unit (by id or region)."""

    unit: str | None = None
    region_code: str | None = None
    name: str
    value: Number | None = Field(
        description="The share; None: the deployment says no share is allocated to this unit, "
        "so the target does not bind it."
    )
    document: str | None = Field(
        default=None,
        description="Where the figure comes from, when not the obligation's own document "
        "(a deployment's allocations in its facts file).",
    )

    @model_validator(mode="after")
    def _one_key(self) -> Allocation:
        if (self.unit is None) == (self.region_code is None):
            raise ValueError("an allocation names exactly one of unit or region_code")
        return self

    def is_for(self, unit: Unit) -> bool:
        """Whether this is ``unit``'s share: named by its id, or by its region code."""
        return self.unit == unit.id or (
            bool(self.region_code) and self.region_code == unit.region_code
        )


class Waiver(_Frozen):
    """A deliberate decision that silences exactly one ``xfrules check`` check for one
    obligation (the words of the quote disagree on purpose); ``check`` prints the reason."""

    check: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="The check's code.")
    reason: str = Field(min_length=10, description="Why the encoding departs from the words.")


@dataclass(frozen=True)
class Reads:
    """What a kind of obligation reads of the facts: the monitor routes events by it, the
    facts checks warn about evidence nothing reads, and the kit generates facts for it."""

    transactions: tuple[TransactionMeasure, ...] = ()
    metrics: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()

    def __or__(self, other: Reads) -> Reads:
        return Reads(
            tuple(dict.fromkeys(self.transactions + other.transactions)),
            tuple(dict.fromkeys(self.metrics + other.metrics)),
            tuple(dict.fromkeys(self.reports + other.reports)),
            tuple(dict.fromkeys(self.attributes + other.attributes)),
        )


@dataclass(frozen=True)
class Evidence:
    """What raises an obligation's measured value by one fact: a purchase or an observation of
    ``measure`` (distinct subjects taken from the entries of region set ``subjects_in`` when
    given), or a submission of ``report``. The test kit (:mod:`xfrules.testing`) generates it."""

    measure: TransactionMeasure | ObservationMeasure | None = None
    report: str | None = None
    attachments: tuple[str, ...] = ()
    subjects_in: str | None = None
    whole: bool = False  # the facts' values are whole numbers (samples passed, people)

    @property
    def counted(self) -> bool:
        """Whether one fact raises the value by one (a count, distinct origins or subjects)."""
        m = self.measure
        return m is not None and m.aggregate in ("count", "distinct_origins", "distinct_subjects")

    @property
    def step(self) -> Decimal:
        """The smallest change of the facts' total: one thing, or one fen."""
        return Decimal(1) if self.counted or self.whole else Decimal("0.01")


@dataclass(frozen=True)
class Need:
    """An input the arithmetic needs besides the measured value (for the test kit): an
    observation of ``metric`` (over ``start``..``end``, else the period judged), the unit's
    ``attribute``, or the measured value over the reference period (``previous``)."""

    name: str
    metric: str | None = None
    start: date | None = None
    end: date | None = None
    attribute: str | None = None
    previous: bool = False


def reads_of(measure: TransactionMeasure | ObservationMeasure) -> Reads:
    """What one measure reads."""
    if isinstance(measure, TransactionMeasure):
        return Reads(transactions=(measure,))
    return Reads(metrics=(measure.metric,))


class ObligationBase(_Frozen):
    """What every kind of obligation has; a kind (one module under ``xfrules.kinds``) adds
    its fields, says what it reads (:meth:`reads`) and how a unit is judged (:meth:`assess`)."""

    id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$", description="'<jurisdiction>.<name>'"
    )
    jurisdiction: str
    title: str
    modality: Modality = "mandatory"
    applies_to: tuple[str, ...] = Field(min_length=1, description="Unit kinds bound.")
    requires: tuple[str, ...] = Field(
        default=(),
        description="What a unit must have for the duty to bind it (canteen): a unit whose "
        "facts say it lacks one (`lacks: [canteen]`) is not bound.",
    )
    named_departments_only: bool = Field(
        default=False,
        description="Bind only units whose department is a lead or responsible department here.",
    )
    excluded_departments: tuple[str, ...] = Field(
        default=(),
        description="Units whose department is one of these are not bound although their kind "
        "is: the words name a narrower group than the kind (省级机关部门, where the kind "
        "department also holds a 省属企业). Each must be a declared department.",
    )
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    participants: tuple[str, ...] = Field(
        default=(),
        description="Departments that take part (参与/配合): recorded and shown, never judged "
        "as bound by the duty.",
    )
    collective_kinds: tuple[str, ...] = Field(
        default=(),
        description="With named_departments_only: unit kinds bound as a whole because a "
        "collective name this task gives (各镇 → town) stands for them. Derived when the "
        "plug-in loads, from the covers_kinds of the departments it binds (a value given "
        "here is replaced).",
    )
    source: Source
    valid_from: date
    valid_to: date | None = Field(
        default=None, description="Last day in force; None: in force until replaced."
    )
    period: Period
    notes: str = Field(default="", description="Decisions taken where the text is ambiguous.")
    waivers: tuple[Waiver, ...] = Field(
        default=(), description="Checks silenced on purpose for this obligation, with why."
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> ObligationBase:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    @property
    def departments(self) -> tuple[str, ...]:
        """The departments bound: lead and responsible (participants are not)."""
        return tuple(dict.fromkeys(self.lead + self.responsible))

    @property
    def approximate(self) -> bool:
        """Whether a number of the duty is approximate (约/左右)."""
        return False

    @property
    def last_day(self) -> date:
        """``valid_to``, or ``date.max`` for a duty in force until replaced."""
        return self.valid_to or date.max

    def waived(self, check: str) -> Waiver | None:
        return next((w for w in self.waivers if w.check == check), None)

    @property
    def judged_as_one_period(self) -> bool:
        """Whether the whole validity is judged as one period (a fixed window); a kind that
        judges all its periods in one finding (monthly reports) says so too."""
        return self.period.frequency == "fixed"

    @abstractmethod
    def reads(self) -> Reads:
        """What the obligation reads of the facts."""

    @abstractmethod
    def assess(self, judging: Judging) -> Finding:
        """The finding for ``judging.unit``, bound and in force, for the period judged."""

    def exemption(self, unit: Unit) -> str | None:
        """Why this duty does not bind ``unit`` although its kind and department would (a
        report's recipient does not report to itself); None when nothing exempts it."""
        return None

    def raised_by(self) -> Evidence:
        """What raises the measured value by one fact (a report key's submission by default)."""
        reads = self.reads()
        if reads.reports:
            return Evidence(report=reads.reports[0])
        measure = getattr(self, "measure", None)
        if isinstance(measure, TransactionMeasure | ObservationMeasure):
            return Evidence(measure=measure)
        return Evidence()

    def needs(self) -> tuple[Need, ...]:
        """Inputs the arithmetic needs besides the measured value (a baseline, a head count)."""
        return ()

    def reference_window(self, w: Window) -> Window | None:
        """The period a change is measured against (a growth rate's), or None."""
        return None

    def measured_value(self, target: Decimal, inputs: dict[str, Decimal]) -> Decimal:
        """The measured value at which the duty's own figure (a share, an amount per head, a
        growth rate) equals ``target``, given the ``inputs`` chosen for :meth:`needs`."""
        return target

    def target_text(self) -> str:
        """What the duty asks for, in a few words (``>= 100 个``, ``report 'monthly' monthly``)."""
        return ""

    def region_sets_read(self) -> tuple[str, ...]:
        """The names of the region sets the obligation reads (its purchases' origin sets)."""
        return tuple(
            dict.fromkeys(name for m in self.reads().transactions for name in m.origin_sets)
        )
