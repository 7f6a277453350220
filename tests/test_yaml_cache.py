"""The parsed-data cache of plug-in YAML gives exactly what parsing gives, and reads back only
what it wrote, from a directory nobody else can write."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from xfrules import yamlcache
from xfrules.yamlcache import cache_dir, load_yaml_cached
from xfrules.yamlio import load_yaml

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
