"""Plug-in loading: a broken plug-in is named in a clear error and the others still load."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from typing import Any

import pytest

from xfrules import Jurisdiction, XfrulesError, get_plugin_manager, hookimpl, load_registry
from xfrules.registry import ENTRY_POINT_GROUP


class Good:
    @hookimpl
    def xfrules_jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(
            code="good", name="好市", document_number="好〔2020〕1号", document_title="t"
        )

    @hookimpl
    def xfrules_obligations(self) -> Sequence[Any]:
        return []


class Raises:
    @hookimpl
    def xfrules_jurisdiction(self) -> Jurisdiction:
        raise RuntimeError("boom")


class ForeignObligation(Good):
    @hookimpl
    def xfrules_jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(code="other", name="他市", document_number="n", document_title="t")

    @hookimpl
    def xfrules_obligations(self) -> Sequence[Any]:
        return [
            {
                "id": "good.x",
                "jurisdiction": "good",
                "title": "x",
                "kind": "qualitative",
                "evidence": "e",
                "applies_to": ["city"],
                "source": {"document": "n", "clause": "一", "quote": "引文"},
                "valid_from": "2020-01-01",
                "valid_to": "2020-12-31",
                "period": {"frequency": "annual"},
            }
        ]


class Invalid(Good):
    @hookimpl
    def xfrules_jurisdiction(self) -> Jurisdiction:
        return {"code": "Bad Code"}  # type: ignore[return-value]


def registry_with(**plugins: object) -> Any:
    pm = get_plugin_manager(load_entry_points=False)
    for name, plugin in plugins.items():
        pm.register(plugin, name=name)
    return load_registry(pm)


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_broken_plugins_are_reported_and_isolated() -> None:
    reg = registry_with(
        good=Good(), raises=Raises(), foreign=ForeignObligation(), invalid=Invalid()
    )
    assert list(reg.jurisdictions) == ["good"]
    messages = sorted(str(e) for e in reg.errors)
    assert len(messages) == 3
    assert "plug-in 'raises'" in messages[2] and "boom" in messages[2]
    assert "plug-in 'foreign'" in messages[0] and "not 'other'" in messages[0]
    assert "plug-in 'invalid'" in messages[1] and "invalid data" in messages[1]


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_duplicate_jurisdiction_is_refused() -> None:
    reg = registry_with(a=Good(), b=Good())
    assert reg.jurisdictions["good"].plugin == "a"
    assert "already provided by 'a'" in str(reg.errors[0])


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_unknown_jurisdiction_selection() -> None:
    with pytest.raises(XfrulesError, match="unknown jurisdiction nowhere"):
        registry_with(good=Good()).select(["nowhere"])


class _BrokenEntryPoint:
    name = "broken"
    group = ENTRY_POINT_GROUP

    def load(self) -> object:
        raise ImportError("No module named 'xfrules_broken'")


class _BrokenDistribution:
    """An installed distribution whose xfrules entry point cannot be imported."""

    entry_points = (_BrokenEntryPoint(),)
    version = "0.0.1"


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_entry_point_that_fails_to_import_does_not_stop_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = list(importlib.metadata.distributions())

    def fake() -> list[Any]:
        return [_BrokenDistribution(), *real]

    monkeypatch.setattr(importlib.metadata, "distributions", fake)
    reg = load_registry()
    assert "suzhou" in reg.jurisdictions
    assert any("plug-in 'broken'" in str(e) and "xfrules_broken" in str(e) for e in reg.errors)


def test_versions_come_from_pluggys_record_of_each_distribution() -> None:
    pm = get_plugin_manager()
    recorded = {pm.get_name(plugin): dist.version for plugin, dist in pm.list_plugin_distinfo()}
    reg = load_registry(pm)
    assert reg.jurisdictions["suzhou"].version == recorded["suzhou"]
    assert recorded["suzhou"] == importlib.metadata.version("xfrules-suzhou")
