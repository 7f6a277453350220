"""Build a jurisdiction plug-in from data files, so most plug-ins are data plus one line of code.

A plug-in package holds::

    jurisdiction.yaml   jurisdiction: {...}; departments: [...]
    regions.yaml        region_sets: [...]                      (optional)
    obligations.yaml    defaults: {...}; obligations: [...]
    clauses.yaml        clauses: [...]                          (optional, for coverage)
    source.txt          the document, identical to shared/sources/<file>
    source.clean.txt    its cleaned derivation, when the original is garbled (optional)
    scenarios/          YAML scenario tests                     (optional)

and its ``__init__.py`` says ``plugin = DataPlugin(__name__)``; the distribution
registers ``plugin`` under the ``xfrules`` entry-point group.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from .documents import Clause, SourceDocument
from .entities import Department, Jurisdiction, RegionSet
from .hookspecs import hookimpl
from .obligations import Obligation, obligation_adapter
from .yamlio import load_yaml

__all__ = ["DataPlugin", "merge_defaults"]


def merge_defaults(defaults: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``item`` over ``defaults`` (nested mappings merge, everything else replaces)."""
    out: dict[str, Any] = copy.deepcopy(dict(defaults))
    for key, value in item.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_defaults(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class DataPlugin:
    """Implements every xfrules hook from the data files of ``package``."""

    def __init__(self, package: str, *, source_filename: str | None = None) -> None:
        self.package = package
        self._source_filename = source_filename

    def _files(self) -> Any:
        return resources.files(self.package)

    def _read(self, name: str) -> str | None:
        entry = self._files() / name
        return entry.read_text(encoding="utf-8") if entry.is_file() else None

    def read_yaml(self, name: str) -> Mapping[str, Any]:
        """One of the package's YAML files ({} when absent); `xfrules check` reads them item by item."""
        text = self._read(name)
        # Named after the file, so a syntax error says which file and line.
        data = load_yaml(text, str(self._files() / name)) if text is not None else {}
        return data or {}

    @cached_property
    def _jurisdiction_data(self) -> Mapping[str, Any]:
        return self.read_yaml("jurisdiction.yaml")

    @property
    def code(self) -> str:
        return str(self._jurisdiction_data["jurisdiction"]["code"])

    @hookimpl
    def xfrules_jurisdiction(self) -> Jurisdiction:
        return Jurisdiction.model_validate(self._jurisdiction_data["jurisdiction"])

    @hookimpl
    def xfrules_departments(self) -> Sequence[Department]:
        return [
            Department.model_validate({"jurisdiction": self.code, **d})
            for d in self._jurisdiction_data.get("departments", [])
        ]

    @hookimpl
    def xfrules_region_sets(self) -> Sequence[RegionSet]:
        return [
            RegionSet.model_validate({"jurisdiction": self.code, **s})
            for s in self.read_yaml("regions.yaml").get("region_sets", [])
        ]

    @hookimpl
    def xfrules_obligations(self) -> Sequence[Obligation]:
        data = self.read_yaml("obligations.yaml")
        defaults = {"jurisdiction": self.code, **data.get("defaults", {})}
        return [
            obligation_adapter.validate_python(merge_defaults(defaults, item))
            for item in data.get("obligations", [])
        ]

    @hookimpl
    def xfrules_source_document(self) -> SourceDocument | None:
        original = self._read("source.txt")
        if original is None:
            return None
        j = self.xfrules_jurisdiction()
        # A garbled original ships with its cleaned derivation; quotes are checked against that.
        cleaned = self._read("source.clean.txt")
        return SourceDocument(
            jurisdiction=j.code,
            document_number=j.document_number,
            title=j.document_title,
            text=cleaned if cleaned is not None else original,
            original=original if cleaned is not None else None,
            filename=self._source_filename or f"{j.code}.txt",
        )

    @hookimpl
    def xfrules_clauses(self) -> Sequence[Clause]:
        return [Clause.model_validate(c) for c in self.read_yaml("clauses.yaml").get("clauses", [])]

    @hookimpl
    def xfrules_scenario_paths(self) -> Sequence[Path]:
        folder = self._files() / "scenarios"
        return [Path(str(folder))] if folder.is_dir() else []
