"""``xfrules new-plugin``: a working plug-in distribution from the templates in ``xfrules/templates``.

The scaffold has one example obligation with its verbatim quote, the placeholder document
containing that quote, a region set, clauses, YAML scenarios, the property suite wired up
(``tests/test_xfrules.py`` + ``xfrules_plugin`` in pyproject.toml) and a README. It passes
``xfrules check`` and ``pytest`` as generated, so an author starts from green.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from .errors import InputError, Problem, XfrulesError, os_reason
from .i18n import Msg

__all__ = ["PluginSpec", "installed_clash", "scaffold"]

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_SUFFIX = ".tmpl"


@dataclass(frozen=True)
class PluginSpec:
    """What the templates are filled with."""

    code: str
    name: str = "示例市"
    document_number: str = "示例办发〔2020〕1号"
    document_title: str = "示例市消费扶贫工作方案"

    def values(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "document_number": self.document_number,
            "document_title": self.document_title,
        }


def _walk(
    folder: Traversable, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Traversable]]:
    out: list[tuple[tuple[str, ...], Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            out.extend(_walk(entry, (*prefix, entry.name)))
        elif entry.name.endswith(_SUFFIX):
            out.append(((*prefix, entry.name[: -len(_SUFFIX)]), entry))
    return out


def installed_clash(code: str) -> str | None:
    """The installed distribution that already claims ``code``, described; None when free.

    A clash is an ``xfrules`` entry point named ``code`` (the registry would load two
    plug-ins for one jurisdiction) or a distribution ``xfrules-<code>`` (the scaffold's own
    name: ``pip install -e .`` would replace it, and ``xfrules_<code>`` would shadow it).
    """
    from importlib.metadata import PackageNotFoundError, distribution, entry_points

    for ep in entry_points(group="xfrules"):
        if ep.name == code:
            owner = f"{ep.dist.name} {ep.dist.version}" if ep.dist is not None else "a distribution"
            return f"{owner} (entry point {ep.name} = {ep.value})"
    try:
        dist = distribution(f"xfrules-{code}")
    except PackageNotFoundError:
        return None
    return f"{dist.metadata['Name']} {dist.version}"


def scaffold(spec: PluginSpec, target: Path, *, force: bool = False) -> list[Path]:
    """Write the plug-in distribution into ``target`` (which must not exist or be empty).

    Refuses a code an installed plug-in already uses, unless ``force``.
    """
    if not _CODE.match(spec.code):
        raise XfrulesError(Msg("scaffold.bad_code", code=spec.code))
    if not force and (clash := installed_clash(spec.code)):
        raise XfrulesError(Msg("scaffold.installed", code=spec.code, clash=clash))
    for folder in (target.parent, target):
        if folder.exists() and not folder.is_dir():
            raise InputError([Problem(str(folder), "", "", Msg("file.not_folder"))])
    if target.exists() and any(target.iterdir()):
        raise XfrulesError(Msg("scaffold.not_empty", target=target))
    values = spec.values()
    written: list[Path] = []
    try:
        for parts, entry in _walk(resources.files("xfrules") / "templates" / "plugin"):
            path = target.joinpath(*(p.replace("{code}", spec.code) for p in parts))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                Template(entry.read_text(encoding="utf-8")).substitute(values), encoding="utf-8"
            )
            written.append(path)
    except OSError as exc:  # an unwritable or vanished folder, a full disk
        where = str(exc.filename or target)
        detail = (
            Msg("file.written_before", detail=os_reason(exc), n=len(written))
            if written
            else os_reason(exc)
        )
        raise InputError([Problem(where, "", "", Msg("file.cannot_write", detail=detail))]) from exc
    return written
