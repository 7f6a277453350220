"""``xfrules new-plugin NAME [--dir DIR] [--force]``: scaffold a plug-in distribution that
passes check and pytest; a NAME an installed plug-in already uses is refused (exit 2)
unless ``--force``."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "new-plugin",
        help="create a new jurisdiction plug-in from the template",
        description="Create DIR/NAME: a plug-in distribution with one example obligation, "
        "its source document, clauses, a scenario and the property suite wired up.",
    )
    p.add_argument("name", metavar="NAME", help="jurisdiction code, e.g. hangzhou")
    p.add_argument(
        "--dir", type=Path, default=Path.cwd(), help="parent folder (default: the current one)"
    )
    p.add_argument("--title", help="Chinese name of the jurisdiction, e.g. 杭州市")
    p.add_argument(
        "--force",
        action="store_true",
        help="scaffold even when an installed plug-in already uses NAME",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..pii import scrub
    from ..scaffold import PluginSpec, scaffold

    spec = PluginSpec(args.name) if not args.title else PluginSpec(args.name, name=args.title)
    target = args.dir / args.name
    written = scaffold(spec, target, force=args.force)
    print(scrub(f"created {target} ({len(written)} files). Next:"))
    print(scrub(f"  cd {target}"))
    print("  xfrules check .      # consistency of the rules")
    print("  pytest               # property suite, scenarios and check")
    print("  pip install -e .     # register it: `xfrules plugins` lists it")
    return 0
