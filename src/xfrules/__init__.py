"""xfrules: turn 消费扶贫 policy documents into checkable obligations, and check units against them."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .documents import Clause, SourceDocument
from .entities import (
    Department,
    Jurisdiction,
    Observation,
    Product,
    Region,
    RegionSet,
    Submission,
    Transaction,
    Unit,
)
from .errors import DefinitionError, InputError, PluginError, Problem, XfrulesError
from .evaluator import evaluate, evaluate_one, evaluate_rulebook
from .facts import Facts, load_facts, parse_facts
from .findings import Evaluation, Finding, Rollup, Status
from .hookspecs import hookimpl, hookspec
from .obligations import (
    AmountTarget,
    BaselineRef,
    BaselineShare,
    CountTarget,
    Coverage,
    GrowthRate,
    Obligation,
    ObservationMeasure,
    PerCapita,
    Period,
    Qualitative,
    Rate,
    Reporting,
    Source,
    Threshold,
    TransactionMeasure,
)
from .plugin_kit import DataPlugin
from .registry import JurisdictionRules, Registry, get_plugin_manager, load_registry
from .rulebook import Rulebook, prepare

try:
    __version__ = version("xfrules")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "AmountTarget",
    "BaselineRef",
    "BaselineShare",
    "Clause",
    "CountTarget",
    "Coverage",
    "DataPlugin",
    "DefinitionError",
    "Department",
    "Evaluation",
    "Facts",
    "Finding",
    "GrowthRate",
    "InputError",
    "Jurisdiction",
    "JurisdictionRules",
    "Obligation",
    "Observation",
    "ObservationMeasure",
    "PerCapita",
    "Period",
    "PluginError",
    "Problem",
    "Product",
    "Qualitative",
    "Rate",
    "Region",
    "RegionSet",
    "Registry",
    "Reporting",
    "Rollup",
    "Rulebook",
    "Source",
    "SourceDocument",
    "Status",
    "Submission",
    "Threshold",
    "Transaction",
    "TransactionMeasure",
    "Unit",
    "XfrulesError",
    "__version__",
    "evaluate",
    "evaluate_one",
    "evaluate_rulebook",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "load_facts",
    "load_registry",
    "parse_facts",
    "prepare",
]
