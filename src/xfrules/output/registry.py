"""One registry of output formats, used by every command's ``--format`` and ``--out``.

Modelled on datasette's ``register_output_renderer``: a renderer has a name (what
``--format`` takes), the file suffixes it writes (what ``--out FILE`` is matched by), a
``render`` function and a ``can_render`` test saying which outputs it can show. A command
builds an output object (:class:`~xfrules.output.outputs.Output`) and calls
:func:`write_output`; it never branches on the format itself. Adding a format is one call to
:func:`register_renderer`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, Problem
from ..i18n import Msg

__all__ = [
    "RenderOptions",
    "Renderer",
    "choose_renderer",
    "formats_for",
    "register_renderer",
    "renderers",
    "write_output",
]


@dataclass(frozen=True)
class RenderOptions:
    """How people asked to see an output."""

    verbose: bool = False  # whole explanations and quotes, wrapped
    show_all: bool = False  # not-applicable findings too
    bom: bool | None = None  # CSV: a UTF-8 BOM (None: when writing a file, for Excel)
    width: int | None = None  # terminal width for wrapping (None: the terminal's, or 120)


@dataclass(frozen=True)
class Renderer:
    name: str
    suffixes: tuple[str, ...]
    render: Callable[[Any, Any, RenderOptions], None]  # a TextIO, or a binary IO if binary
    can_render: Callable[[object], bool]
    binary: bool = False  # writes bytes (XLSX): to a file only
    description: str = ""


_RENDERERS: dict[str, Renderer] = {}


def register_renderer(renderer: Renderer) -> None:
    """Add (or replace) the renderer of ``renderer.name``."""
    _RENDERERS[renderer.name] = renderer


def renderers() -> dict[str, Renderer]:
    from . import builtin  # noqa: F401  (registers the built-in formats)

    return dict(_RENDERERS)


def formats_for(output_type: type) -> tuple[str, ...]:
    """The formats that can show outputs of ``output_type`` (for ``--format`` choices)."""
    return tuple(name for name, r in renderers().items() if r.can_render(output_type))


def choose_renderer(output: object, fmt: str | None, out: str | None) -> Renderer:
    """The renderer ``--format`` names, else the one ``--out``'s suffix names, else table."""
    found = renderers()
    usable = {n: r for n, r in found.items() if r.can_render(type(output))}
    if fmt is not None:
        if fmt not in usable:
            raise InputError(
                [
                    Problem(
                        "", "", "--format", Msg("out.not_for", fmt=fmt, choices=", ".join(usable))
                    )
                ]
            )
        return usable[fmt]
    if out is not None and out != "-":
        suffix = Path(out).suffix.lower()
        for r in usable.values():
            if suffix in r.suffixes:
                return r
        choices = ", ".join(s for r in usable.values() for s in r.suffixes)
        raise InputError(
            [Problem(out, "", "--out", Msg("out.unknown_suffix", suffix=suffix, choices=choices))]
        )
    return usable["table"]


def write_output(
    output: object,
    *,
    fmt: str | None = None,
    out: str | None = None,
    options: RenderOptions | None = None,
    stdout: IO[str] | None = None,
) -> Renderer:
    """Render ``output`` as ``fmt`` (or as ``out``'s suffix says) to ``out`` or stdout.

    A file gets what a spreadsheet needs: CSV with a UTF-8 BOM unless ``options.bom`` is
    False. Returns the renderer used.
    """
    options = options or RenderOptions()
    renderer = choose_renderer(output, fmt, out)
    if out is None or out == "-":
        if renderer.binary:
            raise InputError(
                [Problem("", "", "--out", Msg("out.binary_stdout", fmt=renderer.name))]
            )
        stream = stdout or sys.stdout
        if options.bom and renderer.name == "csv":
            stream.write("\ufeff")
        renderer.render(output, stream, options)
        return renderer
    path = Path(out)
    if not path.parent.is_dir():
        raise InputError([Problem(out, "", "", Msg("out.no_dir", dir=path.parent))])
    if renderer.binary:
        with path.open("wb") as fh:
            renderer.render(output, fh, options)
        return renderer
    bom = options.bom if options.bom is not None else renderer.name == "csv"
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        renderer.render(output, fh, options)
    return renderer
