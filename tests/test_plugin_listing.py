"""``xfrules plugins`` lists each data plug-in from its cached, validated summary: the same as
loading the registry gives, never stale (a changed data file or module is another key), and a
broken plug-in still gets its error without taking the others down."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pytest
from toy_plugin import rules, write_tree

from xfrules import plugin_listing, registry
from xfrules.hookspecs import ReportValidator, hookimpl
from xfrules.kinds import (
    KINDS,
    Qualitative,
    builtin_kinds_only,
    register_kind,
    unregister_kind,
)
from xfrules.plugin_kit import DATA_FILES, DataPlugin
from xfrules.plugin_listing import list_plugins, summarise, summary_key
from xfrules.plugin_manager import get_plugin_manager
from xfrules.registry import load_registry

PACKAGE = "xfrules_demo_toy"


@pytest.fixture(autouse=True)
def _builtin_kinds_only() -> Iterator[None]:
    # Another test module registers a toy kind when it is collected; summaries are cached
    # only while the kinds are the built-in ones, so it is put aside meanwhile.
    extra = [cls for cls in KINDS.values() if not cls.__module__.startswith("xfrules.kinds.")]
    for cls in extra:
        unregister_kind(cls)
    yield
    for cls in extra:
        register_kind(cls)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XFRULES_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "plugins"


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The toy plug-in's package, importable; its directory."""
    root = write_tree(tmp_path / "toy", rules())
    monkeypatch.syspath_prepend(str(root / "src"))
    sys.modules.pop(PACKAGE, None)
    importlib.import_module(PACKAGE)
    yield root / "src" / PACKAGE
    sys.modules.pop(PACKAGE, None)


class Good:
    """A plug-in written in code: always loaded in full."""

    @hookimpl
    def xfrules_jurisdiction(self) -> Any:
        return {
            "code": "good",
            "name": "好市",
            "document_number": "好〔2020〕1号",
            "document_title": "t",
        }


def listing(*plugins: tuple[str, object]) -> plugin_listing.PluginListing:
    pm = get_plugin_manager(load_entry_points=False)
    for name, plugin in plugins:
        pm.register(plugin, name=name)
    return list_plugins(pm)


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plug-ins validated in full from now on."""
    loads: list[str] = []
    real = registry.load_rules

    def load_rules(plugin: str, version: str, hooks: Any) -> Any:
        loads.append(plugin)
        return real(plugin, version, hooks)

    monkeypatch.setattr(registry, "load_rules", load_rules)
    return loads


def test_the_listing_is_what_the_registry_loads(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_registry()
    expected = [summarise(r) for r in loaded.jurisdictions.values()]
    assert len(expected) >= 5 and all(s.obligations > 0 for s in expected)
    loads = counted(monkeypatch)
    first = list_plugins()  # validated, and cached
    assert sorted(loads) == sorted(s.plugin for s in expected)
    del loads[:]
    again = list_plugins()  # from the cache
    assert loads == []
    assert list(first.plugins.values()) == list(again.plugins.values()) == expected
    assert [str(e) for e in again.errors] == [str(e) for e in loaded.errors]
    monkeypatch.setenv("XFRULES_CACHE", "off")
    assert list(list_plugins().plugins.values()) == expected


def test_a_changed_data_file_is_validated_again(
    cache: Path, toy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = counted(monkeypatch)
    before = listing(("demo", DataPlugin(PACKAGE))).plugins["demo"]
    assert listing(("demo", DataPlugin(PACKAGE))).plugins["demo"] == before
    assert loads == ["demo"]  # once: then from the cache
    obligations = toy / "obligations.yaml"
    text = obligations.read_text(encoding="utf-8")
    # The last obligation dropped: fewer obligations, so the cached summary would be wrong.
    head, _, _ = text.rpartition("\n- ")
    obligations.write_text(head + "\n", encoding="utf-8")
    after = listing(("demo", DataPlugin(PACKAGE))).plugins["demo"]
    assert loads == ["demo", "demo"]
    assert after.obligations == before.obligations - 1


def test_a_plugin_broken_after_it_was_cached_gets_its_error_and_the_others_load(
    cache: Path, toy: Path
) -> None:
    assert "demo" in listing(("demo", DataPlugin(PACKAGE))).plugins
    obligations = toy / "obligations.yaml"
    obligations.write_text(
        obligations.read_text(encoding="utf-8").replace("kind: qualitative", "kind: nonsense", 1),
        encoding="utf-8",
    )
    for _ in range(2):  # a failure is not cached: the second listing fails the same way
        result = listing(("demo", DataPlugin(PACKAGE)), ("good", Good()))
        assert list(result.plugins) == ["good"]
        (error,) = result.errors
        assert error.plugin == "demo" and "obligations.yaml" in str(error)
        assert "nonsense" in str(error)


def test_a_changed_module_of_the_plugin_is_another_key(cache: Path, toy: Path) -> None:
    plugin = DataPlugin(PACKAGE)
    key = summary_key(plugin)
    assert key is not None and summary_key(DataPlugin(PACKAGE)) == key
    module = toy / "__init__.py"
    module.write_text(module.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert summary_key(DataPlugin(PACKAGE)) != key
    info = module.stat()
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert summary_key(DataPlugin(PACKAGE)) not in (key, None)


def test_xfrules_own_modules_are_in_the_key(monkeypatch: pytest.MonkeyPatch, toy: Path) -> None:
    key = summary_key(DataPlugin(PACKAGE))
    monkeypatch.setattr(plugin_listing, "_fingerprint", [])
    real = plugin_listing._modules_signature

    def edited(folder: Path) -> str:
        # xfrules' own package as if one of its modules had been edited
        edit = " (edited)" if folder == Path(plugin_listing.__file__).parent else ""
        return real(folder) + edit

    monkeypatch.setattr(plugin_listing, "_modules_signature", edited)
    assert summary_key(DataPlugin(PACKAGE)) not in (key, None)


def test_each_data_file_is_in_the_key(toy: Path) -> None:
    key = summary_key(DataPlugin(PACKAGE))
    for name in DATA_FILES:
        path = toy / name
        original = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text((original or "") + "\n# another text\n", encoding="utf-8")
        assert summary_key(DataPlugin(PACKAGE)) != key, name
        if original is None:
            path.unlink()
        else:
            path.write_text(original, encoding="utf-8")
    assert summary_key(DataPlugin(PACKAGE)) == key


def test_the_data_hooks_read_only_the_files_in_the_key(
    toy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: set[str] = set()
    real = DataPlugin._read

    def recording(self: DataPlugin, name: str) -> str | None:
        read.add(name)
        return real(self, name)

    monkeypatch.setattr(DataPlugin, "_read", recording)
    plugin = DataPlugin(PACKAGE)
    for hook in ("jurisdiction", "departments", "region_sets", "obligations", "clauses"):
        getattr(plugin, f"xfrules_{hook}")()
    assert plugin.xfrules_source_document() is not None
    assert read and read <= set(DATA_FILES)


class OwnObligations(DataPlugin):
    @hookimpl
    def xfrules_obligations(self) -> Sequence[Any]:
        return []


class OwnValidators(DataPlugin):
    @hookimpl
    def xfrules_report_validators(self) -> Mapping[str, ReportValidator]:
        return {"monthly": "not callable"}  # type: ignore[dict-item]


def test_a_plugin_that_reads_its_rules_otherwise_is_loaded_in_full(toy: Path) -> None:
    assert summary_key(OwnObligations(PACKAGE)) is None
    replaced = DataPlugin(PACKAGE)
    replaced.xfrules_clauses = lambda: []  # type: ignore[method-assign]
    assert summary_key(replaced) is None
    assert summary_key(OwnValidators(PACKAGE)) is not None


def test_the_code_hooks_are_checked_even_from_the_cache(cache: Path, toy: Path) -> None:
    assert "demo" in listing(("demo", DataPlugin(PACKAGE))).plugins  # cached
    for _ in range(2):
        result = listing(("demo", OwnValidators(PACKAGE)))
        assert not result.plugins
        (error,) = result.errors
        assert "xfrules_report_validators must map report keys to callables" in str(error)


def test_a_registered_kind_turns_the_cache_off(toy: Path) -> None:
    assert builtin_kinds_only() and summary_key(DataPlugin(PACKAGE)) is not None

    class Toy(Qualitative):
        kind: Literal["toy_kind_for_listing"] = "toy_kind_for_listing"  # type: ignore[assignment]

    register_kind(Toy)
    try:
        assert not builtin_kinds_only() and summary_key(DataPlugin(PACKAGE)) is None
    finally:
        unregister_kind(Toy)
    assert builtin_kinds_only()


def test_the_bundled_plugins_are_listed_from_the_cache() -> None:
    pm = get_plugin_manager()
    plugins = [p for p in pm.get_plugins() if isinstance(p, DataPlugin)]
    assert len(plugins) >= 5 and all(summary_key(p) is not None for p in plugins)


def test_an_entry_that_is_not_a_summary_is_made_again(
    cache: Path, toy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    expected = listing(("demo", DataPlugin(PACKAGE))).plugins["demo"]
    (entry,) = cache.glob("*.json")
    stored = json.loads(entry.read_text(encoding="utf-8"))
    loads = counted(monkeypatch)
    for data in ({**stored["data"], "obligations": "many"}, {"code": "demo"}, [1]):
        entry.write_text(json.dumps({**stored, "data": data}), encoding="utf-8")
        assert listing(("demo", DataPlugin(PACKAGE))).plugins["demo"] == expected
    assert loads == ["demo"] * 3
    assert json.loads(entry.read_text(encoding="utf-8")) == stored  # rewritten


def test_a_data_file_that_cannot_be_read_is_the_plugins_error_alone(cache: Path, toy: Path) -> None:
    (toy / "clauses.yaml").write_bytes("clauses: [{id: 一, text: 甲}]\n".encode("gbk"))
    result = listing(("demo", DataPlugin(PACKAGE)), ("good", Good()))
    assert list(result.plugins) == ["good"]
    (error,) = result.errors
    assert error.plugin == "demo" and "UnicodeDecodeError" in str(error)


@pytest.mark.parametrize("library", ["pydantic", "pydantic_core", "yaml"])
def test_the_libraries_are_in_the_key(
    library: str, toy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    key = summary_key(DataPlugin(PACKAGE))
    origin = importlib.util.find_spec(library).origin  # type: ignore[union-attr]
    assert origin is not None
    real = os.stat

    def upgraded(path: Any, *args: Any, **kwargs: Any) -> Any:
        info = real(path, *args, **kwargs)
        if str(path) != origin:
            return info
        # as after an upgrade: the same file rewritten a second later
        fields = list(info)
        fields[8] += 1  # st_mtime
        return os.stat_result(fields, {"st_mtime_ns": info.st_mtime_ns + 10**9})

    monkeypatch.setattr(plugin_listing, "_fingerprint", [])
    monkeypatch.setattr(os, "stat", upgraded)
    assert summary_key(DataPlugin(PACKAGE)) not in (key, None)
