"""The ``xfrules`` command: people get readable tables, programs get JSON.

Each subcommand lives in a module of ``xfrules.commands`` (discovered, so adding a command
is adding a module) and exposes ``register(subparsers)``; commands import heavy libraries
only when they run, so start-up stays light.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from .collector import collector_paused
from .errors import InputError, XfrulesError
from .i18n import t

__all__ = ["EXIT_BAD_INPUT", "EXIT_BREACH", "EXIT_INTERNAL", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_BREACH = 1  # something mandatory is non-compliant
EXIT_BAD_INPUT = 2
# A bug in xfrules. Python's own exit code for an uncaught exception is 1, which here would
# read as "something mandatory is non-compliant" to a script checking the exit code.
EXIT_INTERNAL = 3

# The everyday commands first in `xfrules --help`; any other module follows alphabetically.
_FIRST = ("plugins", "obligations", "evaluate", "coverage")


def command_modules() -> list[str]:
    from . import commands

    found = {m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")}
    return [n for n in _FIRST if n in found] + sorted(found - set(_FIRST))


class _Version(argparse.Action):
    """--version: the installed distribution's version, looked up only when asked for
    (importlib.metadata costs a sixth of start-up)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from . import __version__

        print(f"xfrules {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xfrules",
        description="Check units against 消费扶贫 policy obligations encoded by jurisdiction plug-ins.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in command_modules():
        importlib.import_module(f"xfrules.commands.{name}").register(sub)
    _add_lang(sub)
    return parser


def _add_lang(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``--lang`` on every command (nested ones too): what people read is in Chinese unless
    they ask for English; JSON and CSV field names and codes do not change."""
    from .i18n import LANGS

    for parser in sub.choices.values():
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for action in nested:
                _add_lang(action)
            continue
        parser.add_argument(
            "--lang",
            choices=LANGS,
            default=None,
            help="language of what people read: zh (default; or $XFRULES_LANG) or en",
        )


def main(argv: Sequence[str] | None = None) -> int:
    from .i18n import default_lang, use_lang

    parser = build_parser()
    args = parser.parse_args(argv)
    # The command line owns its process: a bounded command pauses the cyclic collector
    # (collector.py says why); a long-running one (watch) leaves it alone, as the library does.
    bulk = contextlib.nullcontext() if getattr(args, "long_running", False) else collector_paused()
    # An error is told in the command's language too: its text is rendered when printed.
    with use_lang(getattr(args, "lang", None) or default_lang()):
        return _run(args, bulk)


def _run(args: argparse.Namespace, bulk: contextlib.AbstractContextManager[object]) -> int:
    try:
        with bulk:
            code: int = args.func(args)
    except InputError as exc:
        print(f"xfrules: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except XfrulesError as exc:
        print(f"xfrules: {t('cli.error', message=exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `xfrules … | head` is fine
        return EXIT_OK
    except Exception:
        import traceback

        from .pii import scrub

        # The traceback helps a bug report; input that reached it may hold personal data.
        print(scrub(traceback.format_exc()), file=sys.stderr, end="")
        print(f"xfrules: {t('cli.internal_error')}", file=sys.stderr)
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
