"""Output formats: one registry (:mod:`.registry`) every command's ``--format`` and
``--out`` go through; outputs (:mod:`.outputs`) say what to show, renderers how."""

from __future__ import annotations

from .outputs import HasHtml, Listing, Output
from .registry import (
    Renderer,
    RenderOptions,
    choose_renderer,
    formats_for,
    register_renderer,
    renderers,
    write_output,
)
from .sheets import Column, Sheet

__all__ = [
    "Column",
    "HasHtml",
    "Listing",
    "Output",
    "RenderOptions",
    "Renderer",
    "Sheet",
    "choose_renderer",
    "formats_for",
    "register_renderer",
    "renderers",
    "write_output",
]
