"""Plug-in YAML parsed once: a cache of :func:`xfrules.yamlio.load_yaml`'s results, by content.

Loading the installed plug-ins parses some twenty YAML files; with the exact-number loader
that is a third of ``xfrules plugins``. The parsed data of a file depends on its text alone, so
it is kept under the SHA-256 of the text (and of this loader's version) and read back the next
time the same text is loaded — whatever file it came from, and never stale: a changed file has
another key.

Stored safely: as JSON (reading it runs no code; a Decimal is ``{"\\u0000decimal": "0.10"}``,
a key no YAML file writes), in a directory of the user's own that nobody else can write
(``$XDG_CACHE_HOME/xfrules`` or ``~/.cache/xfrules``; ``XFRULES_CACHE`` names another;
``XFRULES_CACHE=off`` turns it off), written to a temporary file and renamed into place. A
cache file that cannot be read, or does not hold what its name says, is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "load_yaml_cached", "read_entry", "write_entry"]

# Bumped whenever what load_yaml returns for a text could change (the loader's rules).
_LOADER_VERSION = b"xfrules.yamlio/1"
_DECIMAL = "\x00decimal"


def cache_dir(section: str = "yaml") -> Path | None:
    """The cache directory of ``section`` (``yaml``: parsed files; ``plugins``: the summaries
    of :mod:`xfrules.plugin_listing`), created if need be; None when caching is off or the
    directory is not the user's own (someone else could write what is read back)."""
    setting = os.environ.get("XFRULES_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        base = Path(setting)
    else:
        root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = Path(root) / "xfrules"
    path = base / section
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return path


def load_yaml_cached(text: str, name: str | None = None) -> Any:
    """:func:`~xfrules.yamlio.load_yaml` of ``text`` (errors as it raises them), from the
    cache when it has the text's data."""
    from .yamlio import load_yaml  # the YAML library loads only when a text is parsed

    folder = cache_dir()
    if folder is None:
        return load_yaml(text, name)
    key = hashlib.sha256(_LOADER_VERSION + b"\x00" + text.encode("utf-8")).hexdigest()
    found, data = read_entry(folder, key)
    if found:
        return data
    data = load_yaml(text, name)
    if _plain(data):  # not what JSON would not give back as it is (a year as a key)
        write_entry(folder, key, data)
    return data


def read_entry(folder: Path, key: str) -> tuple[bool, Any]:
    """``(True, data)`` stored under ``key`` in ``folder``; ``(False, None)`` when there is
    none, or the entry is damaged or holds another key's data."""
    try:
        stored = json.loads(
            (folder / f"{key}.json").read_text(encoding="utf-8"), object_hook=_decode
        )
        if isinstance(stored, dict) and stored.get("key") == key:
            return True, stored["data"]
    except (OSError, ValueError, ArithmeticError, KeyError, TypeError):
        pass  # absent or damaged: made again by the caller, and rewritten
    return False, None


def write_entry(folder: Path, key: str, data: Any) -> None:
    """Store ``data`` (see :func:`_plain`) under ``key`` in ``folder``; nothing on failure."""
    encoded = json.dumps({"key": key, "data": data}, default=_encode, ensure_ascii=False)
    _prune(folder)
    _write_atomically(folder, folder / f"{key}.json", encoded)


def _write_atomically(folder: Path, entry: Path, encoded: str) -> None:
    """Write ``encoded`` to ``entry`` through a temporary file renamed into place, so a reader
    never sees half a file; on failure (a full disk, a read-only home) nothing is left behind."""
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(encoded)
        os.replace(temporary, entry)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


_KEEP = 1000  # cache files kept (one per plug-in file text ever loaded): the newest


def _prune(folder: Path) -> None:
    try:
        entries = list(folder.glob("*.json"))
        if len(entries) < _KEEP:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for old in entries[: len(entries) - _KEEP + 1]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def _plain(value: object) -> bool:
    """Whether JSON (with Decimals tagged) gives ``value`` back exactly: mappings with text
    keys, lists, text, integers, booleans, None and Decimals."""
    if value is None or isinstance(value, str | int | Decimal):  # bool is an int
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and k != _DECIMAL and _plain(v) for k, v in value.items())
    return False


def _encode(value: object) -> object:
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    raise TypeError(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DECIMAL in obj:
        return Decimal(obj[_DECIMAL])
    return obj
