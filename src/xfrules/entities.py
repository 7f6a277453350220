"""The things obligations talk about: jurisdictions, departments, units, regions, facts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .i18n import Msg
from .regions import region_code_problem, region_keys
from .values import (
    CENT,
    MILLI,
    amount_problem,
    parse_date,
    parse_decimal,
    parse_money,
    parse_quantity,
)

__all__ = [
    "Amount",
    "ApplicabilityWord",
    "Department",
    "Jurisdiction",
    "Money",
    "NonNegativeMoney",
    "NonNegativeNumber",
    "Number",
    "Observation",
    "Product",
    "Quantity",
    "Region",
    "RegionSet",
    "Submission",
    "Transaction",
    "Unit",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _to_money(value: Any) -> Any:
    # Accept "1.2万元", "1,234.50", fullwidth digits; refuse float (not exact), "25%" and
    # "100人" (a share or a head count is no sum of money: read as one, it would be wrong).
    if isinstance(value, Decimal | int | str | float) and not isinstance(value, bool):
        return parse_money(value)
    return value


def _to_number(value: Any) -> Any:
    # A figure as documents and reports write it: "25%" is 0.25, "120人" 120, "1.2万" 12000.
    if isinstance(value, Decimal | int | str | float) and not isinstance(value, bool):
        return parse_decimal(value)
    return value


def _to_quantity(value: Any) -> Any:
    # "500斤", "3 kg": the unit is dropped, not converted (斤 and 公斤 are not reconciled).
    if isinstance(value, Decimal | int | str | float) and not isinstance(value, bool):
        return _bounded(parse_quantity(value), "quantity", MILLI)
    return value


def _to_amount(value: Any) -> Any:
    # A purchase's amount by the ledger importer's rule (xfrules.values.amount_problem): a
    # facts file or a monitor event must not take an amount a ledger would reject.
    if isinstance(value, Decimal | int | str | float) and not isinstance(value, bool):
        return _bounded(parse_money(value), "amount", CENT)
    return value


def _bounded(number: Decimal, what: str, step: Decimal) -> Decimal:
    if why := amount_problem(number, what, step):
        raise ValueError(why)
    return number


def _to_date(value: Any) -> Any:
    return parse_date(value) if isinstance(value, str) else value


Money = Annotated[Decimal, BeforeValidator(_to_money)]
# Thresholds, observed values, head counts, shares: figures that may be a percentage or carry
# a unit word; money that changes hands (a purchase's amount) is `Money`, stricter.
Number = Annotated[Decimal, BeforeValidator(_to_number)]
NonNegativeNumber = Annotated[Decimal, BeforeValidator(_to_number), Field(ge=0)]
NonNegativeMoney = Annotated[Decimal, BeforeValidator(_to_money), Field(ge=0)]
# A purchase's amount: money, ≥ 0, below 10^15 元 and exact to the fen, as in ledgers.
Amount = Annotated[Decimal, BeforeValidator(_to_amount), Field(ge=0)]
Quantity = Annotated[Decimal, BeforeValidator(_to_quantity), Field(ge=0)]
Day = Annotated[date, BeforeValidator(_to_date)]


def _word_table(value: Any) -> Any:
    # Written in jurisdiction.yaml as a mapping (帮扶: [pairing_unit]); kept as pairs, so the
    # frozen model stays hashable.
    if isinstance(value, dict):
        return tuple(
            {"word": word, "kinds": [kinds] if isinstance(kinds, str) else kinds}
            for word, kinds in value.items()
        )
    return value


class ApplicabilityWord(_Frozen):
    """Words of a quote that address units of some kinds (帮扶 → pairing_unit)."""

    word: str = Field(min_length=1)
    kinds: tuple[str, ...] = Field(min_length=1)


class Jurisdiction(_Frozen):
    """A government whose policy document a plug-in encodes."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable short id, e.g. 'suzhou'.")
    name: str = Field(description="Name as written, e.g. 苏州市.")
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    document_number: str = Field(description="e.g. 苏府办〔2020〕77号")
    document_title: str
    issued: date | None = None
    unit_kinds: tuple[str, ...] = Field(
        default=(), description="Kinds of unit this jurisdiction's obligations address."
    )
    applicability: Annotated[tuple[ApplicabilityWord, ...], BeforeValidator(_word_table)] = Field(
        default=(),
        description="Words of a quote and the unit kinds they address (帮扶: [pairing_unit]); "
        "`xfrules check` reads each obligation's applies_to against them. In jurisdiction.yaml "
        "a top-level mapping `applicability:`.",
    )


class Department(_Frozen):
    """A government department as the document names it (e.g. 市财政局)."""

    jurisdiction: str
    name: str
    aliases: tuple[str, ...] = ()
    covers_kinds: tuple[str, ...] = Field(
        default=(),
        description="For a collective name (各镇, 各区人民政府): the unit kinds it stands for. A task "
        "naming it binds every unit of those kinds, without the unit carrying the name.",
    )

    def matches(self, name: str) -> bool:
        return name == self.name or name in self.aliases


class Region(_Frozen):
    """A region by its GB/T 2260 code (6 digits); 9 or 12 digit statistical codes for towns and villages."""

    code: str
    name: str

    @field_validator("code")
    @classmethod
    def _check_code(cls, code: str) -> str:
        problem = region_code_problem(code)
        if problem:
            raise ValueError(problem)
        return code


class RegionSet(_Frozen):
    """A named set of regions, e.g. Suzhou's 13 paired counties."""

    jurisdiction: str
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    regions: tuple[Region, ...]
    expected_size: int | None = Field(
        default=None, description="The count the document states, checked against len(regions)."
    )
    source_quote: str | None = None
    provenance: str = Field(
        default="", description="Where the list came from, if not the document."
    )
    extensible: bool = Field(
        default=False, description="A deployment may add regions through its facts file."
    )
    within: tuple[Region, ...] = Field(
        default=(),
        description="Regions every member lies in, as the document says (甘肃34县 → 甘肃省 "
        "620000): while the set lists no region, a purchase from outside them certainly does "
        "not count, and a deployment may add only regions inside them.",
    )

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.regions)

    @property
    def bound_codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.within)

    @model_validator(mode="after")
    def _members_within_bound(self) -> RegionSet:
        bound = self.bound_codes
        outside = [r.code for r in self.regions if bound and not region_keys(r.code) & bound]
        if outside:
            codes, within = ", ".join(outside), ", ".join(sorted(bound))
            raise ValueError(Msg("facts.outside_bound", codes=codes, bound=within))
        return self


def bound_name(name: str) -> str:
    """The key of a region set's ``within`` bound among the region sets the evaluator reads
    (a colon: no declared set name has one)."""
    return f"{name}:within"


class Unit(_Frozen):
    """Anything an obligation can bind: a budget unit, district, department, union, enterprise…"""

    id: str = Field(min_length=1)
    name: str
    kind: str = Field(min_length=1)
    jurisdiction: str
    region_code: str | None = None
    parent: str | None = None
    department: str | None = Field(
        default=None,
        description="For units that are a department, its name as the document writes it.",
    )
    attributes: dict[str, Number] = Field(
        default_factory=dict, description="Numeric attributes, e.g. {'members': 120}."
    )
    lacks: tuple[str, ...] = Field(
        default=(),
        description="What the unit does not have (canteen): duties that require it do not bind "
        "the unit. Saying nothing means the unit is bound.",
    )


class Product(_Frozen):
    id: str
    name: str
    category: str | None = None


class Transaction(_Frozen):
    """One purchase: who bought what from whom, from where, for how much, when."""

    id: str = Field(min_length=1)
    buyer: str = Field(min_length=1, description="Unit id of the buyer.")
    seller: str = ""
    product: str = ""
    category: str | None = Field(default=None, description="Product category, e.g. 'agricultural'.")
    origin_region: str | None = None
    quantity: Quantity = Decimal(0)
    amount: Amount
    date: Day
    channel: str | None = None
    seller_kind: str | None = Field(
        default=None, description="e.g. 'household' for direct purchases."
    )


class Observation(_Frozen):
    """A unit's measured value of a named metric over a period (counters opened, people trained…)."""

    unit: str
    metric: str = Field(min_length=1)
    period_start: Day
    period_end: Day
    value: Number
    subject: str | None = Field(
        default=None,
        description="What was observed, when counting distinct things (a village, a county).",
    )
    id: str | None = Field(
        default=None,
        min_length=1,
        description="Optional; the same id twice is one observation (counted once).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Observation:
        if self.period_end < self.period_start:
            raise ValueError(Msg("facts.period_order"))
        return self


class Submission(_Frozen):
    """A report (or other evidence) delivered on a date for a period."""

    unit: str
    report: str = Field(min_length=1, description="Report or evidence key the obligation names.")
    period_start: Day
    period_end: Day
    delivered: Day
    attachments: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Submission:
        if self.period_end < self.period_start:
            raise ValueError(Msg("facts.period_order"))
        return self
