"""Build a jurisdiction plug-in from data files, so most plug-ins are data plus one line of code.

A plug-in package holds::

    jurisdiction.yaml   jurisdiction: {...}; departments: [...]; applicability: {...}
    regions.yaml        region_sets: [...]                      (optional)
    obligations.yaml    defaults: {...}; obligations: [...]
    clauses.yaml        clauses: [...]                          (optional, for coverage)
    source.txt          the document, identical to shared/sources/<file>
    source.clean.txt    its cleaned derivation, when the original is garbled (optional)
    scenarios/          YAML scenario tests                     (optional)
    mutants.yaml        equivalent mutants for `xfrules mutate` (optional)

and its ``__init__.py`` says ``plugin = DataPlugin(__name__)``; the distribution
registers ``plugin`` under the ``xfrules`` entry-point group.

The files are read item by item (:meth:`DataPlugin.data`): an item pydantic rejects is a
problem of that item. The hooks refuse a file with any such problem (the registry then
reports the plug-in as broken); ``xfrules check`` reads the same :class:`PluginData` and
reports every problem while checking the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .hookspecs import hookimpl
from .yamlcache import load_yaml_cached

# The models load when a plug-in's data is read, not when its package is imported:
# ``xfrules plugins`` lists a plug-in from its cached summary without building any of them.
if TYPE_CHECKING:
    from pydantic import BaseModel

    from .documents import Clause, SourceDocument
    from .entities import Department, Jurisdiction, RegionSet
    from .obligations import Obligation

__all__ = [
    "DATA_FILES",
    "DataPlugin",
    "ItemProblem",
    "PluginData",
    "PluginDataError",
    "merge_defaults",
]

# Every file a DataPlugin's rules data is read from (its data hooks read nothing else; a
# test holds them to it): what a cached summary of the rules is keyed by.
DATA_FILES = (
    "jurisdiction.yaml",
    "regions.yaml",
    "obligations.yaml",
    "clauses.yaml",
    "source.txt",
    "source.clean.txt",
)


def merge_defaults(defaults: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``item`` over ``defaults`` (nested mappings merge, everything else replaces).

    The result is new mappings throughout; lists and scalars are shared with the inputs, not
    copied (deep copies were a sixth of loading the plug-ins): validating it does not
    change them, and a caller that would must copy first."""
    out: dict[str, Any] = dict(defaults)
    for key, value in item.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_defaults(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class ItemProblem:
    """One item of a data file that cannot be read: the file, the item (its id or
    ``section[i]``) and why."""

    file: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.message}"


class PluginDataError(ValueError):
    """A data file with items that cannot be read; every problem is listed."""

    def __init__(self, problems: Sequence[ItemProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class PluginData:
    """What a data plug-in's files hold, item by item, and the items that could not be read."""

    jurisdiction: Jurisdiction | None
    departments: tuple[Department, ...]
    region_sets: tuple[RegionSet, ...]
    obligations: tuple[Obligation, ...]
    clauses: tuple[Clause, ...]
    problems: tuple[ItemProblem, ...]

    def require(self, *files: str) -> None:
        """Raise :class:`PluginDataError` when an item of ``files`` could not be read."""
        found = [p for p in self.problems if p.file in files]
        if found:
            raise PluginDataError(found)


def _messages(exc: Exception) -> list[str]:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        out = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = str(err["msg"]).removeprefix("Value error, ")
            out.append(f"{loc}: {msg}" if loc else msg)
        return out
    return [str(exc)]


def _label(section: str, i: int, item: Any) -> str:
    if isinstance(item, Mapping):
        for key in ("id", "name"):
            if item.get(key):
                return str(item[key])
    return f"{section}[{i}]"


def _items(
    file: str,
    section: str,
    items: Any,
    build: Callable[[Any], Any],
    problems: list[ItemProblem],
) -> tuple[Any, ...]:
    """Each item of ``items`` built, or a problem naming it."""
    from pydantic import ValidationError

    if items is None:
        return ()
    if not isinstance(items, list):
        problems.append(ItemProblem(file, section, "must be a list"))
        return ()
    out = []
    for i, item in enumerate(items):
        try:
            if not isinstance(item, Mapping):
                raise TypeError(f"must be a mapping, got {type(item).__name__}")
            out.append(build(item))
        except (ValidationError, TypeError, ValueError) as exc:
            problems.extend(ItemProblem(file, _label(section, i, item), m) for m in _messages(exc))
    return tuple(out)


def _model(cls: type[BaseModel], extra: Mapping[str, Any]) -> Callable[[Any], Any]:
    return lambda item: cls.model_validate({**extra, **item})


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

    def data_seal(self) -> str:
        """A digest of everything this plug-in's rules data is read from: its package and
        options, and the text of each of its :data:`DATA_FILES` (or that it is absent)."""
        import hashlib

        digest = hashlib.sha256(repr((self.package, self._source_filename)).encode())
        for name in DATA_FILES:
            text = self._read(name)
            seal = "absent" if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()
            digest.update(f"\x00{name}\x00{seal}".encode())
        return digest.hexdigest()

    def read_yaml(self, name: str) -> Mapping[str, Any]:
        """One of the package's YAML files ({} when absent); `xfrules check` reads them item by item."""
        text = self._read(name)
        # Named after the file, so a syntax error says which file and line.
        data = load_yaml_cached(text, str(self._files() / name)) if text is not None else {}
        return data or {}

    @cached_property
    def data(self) -> PluginData:
        """Every file read item by item (a YAML syntax error raises, naming file and line)."""
        from .documents import Clause
        from .entities import Department, RegionSet
        from .obligations import obligation_adapter

        problems: list[ItemProblem] = []
        jdata = self.read_yaml("jurisdiction.yaml")
        jurisdiction = self._jurisdiction(jdata, problems)
        if jurisdiction is None:
            return PluginData(None, (), (), (), (), tuple(problems))
        code = jurisdiction.code
        departments = _items(
            "jurisdiction.yaml",
            "departments",
            jdata.get("departments", []),
            _model(Department, {"jurisdiction": code}),
            problems,
        )
        region_sets = _items(
            "regions.yaml",
            "region_sets",
            self.read_yaml("regions.yaml").get("region_sets", []),
            _model(RegionSet, {"jurisdiction": code}),
            problems,
        )
        odata = self.read_yaml("obligations.yaml")
        defaults = {"jurisdiction": code, **(odata.get("defaults") or {})}
        obligations = _items(
            "obligations.yaml",
            "obligations",
            odata.get("obligations", []),
            lambda item: obligation_adapter.validate_python(merge_defaults(defaults, item)),
            problems,
        )
        clauses = _items(
            "clauses.yaml",
            "clauses",
            self.read_yaml("clauses.yaml").get("clauses", []),
            _model(Clause, {}),
            problems,
        )
        return PluginData(
            jurisdiction, departments, region_sets, obligations, clauses, tuple(problems)
        )

    @staticmethod
    def _jurisdiction(jdata: Mapping[str, Any], problems: list[ItemProblem]) -> Jurisdiction | None:
        from pydantic import ValidationError

        from .entities import Jurisdiction

        raw = jdata.get("jurisdiction")
        if not isinstance(raw, Mapping):
            problems.append(ItemProblem("jurisdiction.yaml", "jurisdiction", "missing"))
            return None
        if "applicability" in jdata:  # a top-level section of the file, read with the rest
            raw = {**raw, "applicability": jdata["applicability"]}
        try:
            return Jurisdiction.model_validate(raw)
        except ValidationError as exc:
            problems.extend(
                ItemProblem("jurisdiction.yaml", "jurisdiction", m) for m in _messages(exc)
            )
            return None

    @property
    def code(self) -> str:
        return self.xfrules_jurisdiction().code

    @hookimpl
    def xfrules_jurisdiction(self) -> Jurisdiction:
        data = self.data
        if data.jurisdiction is None:
            raise PluginDataError(data.problems)
        return data.jurisdiction

    @hookimpl
    def xfrules_departments(self) -> Sequence[Department]:
        self.data.require("jurisdiction.yaml")
        return self.data.departments

    @hookimpl
    def xfrules_region_sets(self) -> Sequence[RegionSet]:
        self.data.require("regions.yaml")
        return self.data.region_sets

    @hookimpl
    def xfrules_obligations(self) -> Sequence[Obligation]:
        self.data.require("obligations.yaml")
        return self.data.obligations

    @hookimpl
    def xfrules_source_document(self) -> SourceDocument | None:
        from .documents import SourceDocument

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
        self.data.require("clauses.yaml")
        return self.data.clauses

    @hookimpl
    def xfrules_scenario_paths(self) -> Sequence[Path]:
        folder = self._files() / "scenarios"
        return [Path(str(folder))] if folder.is_dir() else []
