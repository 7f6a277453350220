"""docs/hooks.md documents every hook of xfrules.hookspecs, and no hook that does not exist."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from xfrules import hookspecs

DOC = Path(__file__).resolve().parents[1] / "docs" / "hooks.md"
SPECS = {
    name: func
    for name, func in vars(hookspecs).items()
    if name.startswith("xfrules_") and callable(func) and hasattr(func, "xfrules_spec")
}


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## `(xfrules_\w+)`\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_hookspecs_are_found() -> None:
    assert "xfrules_jurisdiction" in SPECS and "xfrules_obligations" in SPECS


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_has_a_section_with_its_signature(name: str) -> None:
    sections = _sections()
    assert name in sections, f"docs/hooks.md has no '## `{name}`' section"
    returns = inspect.signature(SPECS[name]).return_annotation
    body = sections[name]
    assert f"def {name}() -> {returns}" in body, f"{name}: signature missing or out of date"
    assert len(body.split()) >= 25, f"{name}: say when it is called and what to return"


def test_doc_names_no_hook_that_does_not_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"\bxfrules_[a-z_]+\b(?=\s*[(`]|\(\))", text)) | set(_sections())
    unknown = {n for n in named if n not in SPECS and n != "xfrules_plugin"}
    assert not unknown, f"docs/hooks.md names hooks that do not exist: {sorted(unknown)}"
