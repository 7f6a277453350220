"""The shipped document is byte for byte the project's reference copy (shared/sources)."""

from __future__ import annotations

import os
from pathlib import Path

from ..i18n import Msg
from ..registry import JurisdictionRules
from .problems import CheckProblem

__all__ = ["check_shared_source", "find_shared_sources"]


def find_shared_sources(start: Path | None = None) -> Path | None:
    """``$XFRULES_SHARED_SOURCES``, else ``../shared/sources`` beside the repository root.

    The root is looked for upwards from ``start`` (default: the working directory),
    then from this package (a source checkout).
    """
    env = os.environ.get("XFRULES_SHARED_SOURCES")
    if env:
        return Path(env) if Path(env).is_dir() else None
    origins = [Path(start) if start else Path.cwd(), Path(__file__)]
    for origin in origins:
        for folder in [origin.resolve(), *origin.resolve().parents]:
            if (folder / ".git").exists():
                candidate = folder.parent / "shared" / "sources"
                if candidate.is_dir():
                    return candidate
                break
    return None


def check_shared_source(rules: JurisdictionRules, folder: Path) -> list[CheckProblem]:
    """The shipped document must be identical to its copy in ``folder`` (when there is one)."""
    doc = rules.document
    if doc is None:
        return []
    copy = folder / doc.filename
    if not copy.is_file():
        return []
    shipped = doc.original if doc.original is not None else doc.text
    reference = copy.read_text(encoding="utf-8")
    if shipped == reference:
        return []
    a, b = shipped.splitlines(), reference.splitlines()
    line = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return [
        CheckProblem(
            rules.code,
            "source document",
            "source-differs",
            str(Msg("chk.source_differs", copy=copy, line=line + 1)),
        )
    ]
