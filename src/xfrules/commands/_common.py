"""Options and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import sys

from ..registry import Registry, load_registry

__all__ = ["add_format", "add_jurisdiction", "loaded_registry"]


def add_jurisdiction(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jurisdiction",
        action="append",
        metavar="JUR",
        help="only this jurisdiction (repeatable; default: every installed one)",
    )


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "json")
) -> None:
    parser.add_argument(
        "--format", choices=choices, default="table", help="output format (default: table)"
    )


def loaded_registry(args: argparse.Namespace) -> Registry:
    """The installed plug-ins; a broken one is reported on stderr and the rest go on."""
    registry = load_registry()
    for error in registry.errors:
        print(f"xfrules: warning: {error} (skipped)", file=sys.stderr)
    return registry.select(getattr(args, "jurisdiction", None))
