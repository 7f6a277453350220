"""The parsed-data cache of plug-in YAML gives exactly what parsing gives, and reads back only
what it wrote, from a directory nobody else can write."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from xfrules import yamlcache, yamlio
from xfrules.yamlcache import cache_dir, load_yaml_cached
from xfrules.yamlio import load_yaml

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
TEXT = """
a: 0.10
b: [1, 2.50, "x", null, true, 010, 0x10, 1_000, 2020-02-30]
c: {d: {e: 1e3}}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XFRULES_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "yaml"


def _exactly(value: object) -> object:
    """``value`` with every Decimal as its text (so 0.10 and 0.1 differ) and types kept."""
    if isinstance(value, dict):
        return {k: _exactly(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exactly(v) for v in value]
    return (type(value).__name__, str(value))


def test_cached_data_is_the_parsed_data(cache: Path) -> None:
    texts = [TEXT] + [p.read_text(encoding="utf-8") for p in sorted(PLUGINS.glob("*/src/*/*.yaml"))]
    assert len(texts) > 10
    for text in texts:
        first = load_yaml_cached(text)  # parsed, and written
        again = load_yaml_cached(text)  # read back
        assert _exactly(first) == _exactly(again) == _exactly(load_yaml(text))
    assert len(list(cache.glob("*.json"))) == len(set(texts))
    assert load_yaml_cached(TEXT)["a"] == Decimal("0.10")


def test_what_json_would_change_is_not_cached(cache: Path) -> None:
    text = '2019: a\n"\\0decimal": b\n'
    assert load_yaml_cached(text) == load_yaml(text) == {2019: "a", "\x00decimal": "b"}
    assert list(cache.glob("*.json")) == []


def test_a_damaged_or_foreign_entry_is_parsed_again(cache: Path) -> None:
    load_yaml_cached(TEXT)
    (entry,) = cache.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert _exactly(load_yaml_cached(TEXT)) == _exactly(load_yaml(TEXT))
    # An entry holding another text's data under this text's name is not believed.
    entry.write_text(json.dumps({"key": "another", "data": {"a": 1}}), encoding="utf-8")
    assert _exactly(load_yaml_cached(TEXT)) == _exactly(load_yaml(TEXT))
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem


def test_a_directory_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    (shared / "yaml").mkdir(parents=True)
    os.chmod(shared / "yaml", 0o777)
    monkeypatch.setenv("XFRULES_CACHE", str(shared))
    assert cache_dir() is None
    assert _exactly(load_yaml_cached(TEXT)) == _exactly(load_yaml(TEXT))
    assert list((shared / "yaml").iterdir()) == []
    monkeypatch.setenv("XFRULES_CACHE", "off")
    assert cache_dir() is None


def test_errors_name_the_file_as_parsing_does(cache: Path) -> None:
    from xfrules.yamlio import YamlSyntaxError

    with pytest.raises(YamlSyntaxError, match=r"x\.yaml, line \d+, column"):
        load_yaml_cached("a: [", "x.yaml")


def test_the_cache_keeps_the_newest_entries(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlcache, "_KEEP", 3)
    for i in range(6):
        load_yaml_cached(f"n: {i}\n")
    assert len(list(cache.glob("*.json"))) == 3
    assert load_yaml_cached("n: 5\n") == {"n": 5}


def test_a_cached_text_is_read_back_not_parsed_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_yaml_cached(TEXT)

    def no_parsing(text: str, name: str | None = None) -> object:
        raise AssertionError("parsed again although cached")

    monkeypatch.setattr(yamlio, "load_yaml", no_parsing)
    assert _exactly(load_yaml_cached(TEXT)) == _exactly(first)
    with pytest.raises(AssertionError, match="parsed again"):
        load_yaml_cached(TEXT + "z: 1\n")  # another text is another key


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("XFRULES_CACHE", "off")
    assert _exactly(load_yaml_cached(TEXT)) == _exactly(load_yaml(TEXT))
    assert list(tmp_path.iterdir()) == []
    monkeypatch.delenv("XFRULES_CACHE")
    assert cache_dir() == tmp_path / "xfrules" / "yaml"


def test_a_failed_write_returns_the_data_and_leaves_no_file(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(yamlcache.os, "replace", disk_full)
    assert _exactly(load_yaml_cached(TEXT)) == _exactly(load_yaml(TEXT))
    assert list(cache.iterdir()) == []


def test_the_plugins_load_the_same_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xfrules.plugin_kit import DataPlugin

    packages = sorted(p.parent.name for p in PLUGINS.glob("*/src/*/obligations.yaml"))
    assert len(packages) >= 5

    def loaded() -> dict[str, list[object]]:
        # New instances each time: a plug-in keeps its data once read.
        plugins = [DataPlugin(package) for package in packages]
        return {p.package: [o.model_dump(mode="json") for o in p.data.obligations] for p in plugins}

    monkeypatch.setenv("XFRULES_CACHE", "off")
    parsed = loaded()
    assert all(parsed.values())
    monkeypatch.setenv("XFRULES_CACHE", str(cache.parent))
    assert loaded() == parsed  # parsed, and written
    assert len(list(cache.glob("*.json"))) >= 4 * len(packages)
    assert loaded() == parsed  # read back
