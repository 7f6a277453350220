"""xfrules: turn 消费扶贫 policy documents into checkable obligations, and check units against them."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .collector import collector_left_alone
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

# What ``import xfrules`` offers, each name imported from its module when first used: the
# command line's start-up (``xfrules --help``) must not pay for pydantic models it does not use.
_LAZY = {
    "AmountTarget": "obligations",
    "BaselineRef": "obligations",
    "BaselineShare": "obligations",
    "Clause": "documents",
    "CountTarget": "obligations",
    "Coverage": "obligations",
    "DataPlugin": "plugin_kit",
    "DefinitionError": "errors",
    "Department": "entities",
    "Evaluation": "findings",
    "Facts": "facts",
    "Finding": "findings",
    "GrowthRate": "obligations",
    "InputError": "errors",
    "Jurisdiction": "entities",
    "JurisdictionRules": "registry",
    "Obligation": "obligations",
    "Observation": "entities",
    "ObservationMeasure": "obligations",
    "PerCapita": "obligations",
    "Period": "obligations",
    "PluginError": "errors",
    "Problem": "errors",
    "Product": "entities",
    "Qualitative": "obligations",
    "Rate": "obligations",
    "Region": "entities",
    "RegionSet": "entities",
    "Registry": "registry",
    "Reporting": "obligations",
    "Rollup": "findings",
    "Rulebook": "rulebook",
    "Source": "obligations",
    "SourceDocument": "documents",
    "Status": "findings",
    "Submission": "entities",
    "Threshold": "obligations",
    "Transaction": "entities",
    "TransactionMeasure": "obligations",
    "Unit": "entities",
    "XfrulesError": "errors",
    "collector_left_alone": "collector",
    "evaluate": "evaluator",
    "evaluate_one": "evaluator",
    "evaluate_rulebook": "evaluator",
    "get_plugin_manager": "registry",
    "hookimpl": "hookspecs",
    "hookspec": "hookspecs",
    "load_facts": "facts",
    "load_registry": "registry",
    "parse_facts": "facts",
    "prepare": "rulebook",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("xfrules")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0+unknown"
    elif name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once: later lookups find it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
    "collector_left_alone",
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
