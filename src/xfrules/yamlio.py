"""The loaders xfrules reads YAML and JSON documents with: numbers exact, nothing guessed.

Money must stay exact, so ``0.1`` is read as ``Decimal("0.1")``; dates stay strings so
that an impossible date (``2020-02-30``) reaches :func:`xfrules.values.parse_date` and
becomes a clear, located error instead of a crash inside the YAML library.

YAML 1.1 reads more as numbers than people mean: ``0x10`` is 16, ``010`` is 8 (octal),
``1:30`` is 90 (base 60), ``1_000`` is 1000 and ``.nan``/``.inf`` are floats. Here only a
plain decimal (``12``, ``-3``, ``12.50``, ``1.5e3``) is a number; every other scalar is read
as the text written, which a number field then refuses by name (``not an amount of money:
'0x10'``) and a text field keeps (an id ``010`` stays ``"010"``). A key written twice in
one mapping is an error naming its line: YAML would silently keep the last value.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import yaml

from .i18n import Msg

__all__ = ["TooDeepError", "YamlSyntaxError", "compose", "line_of", "load_json", "load_yaml"]


# The C parser (libyaml) when PyYAML was built with it: registry loading is mostly YAML parsing.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ExactLoader(_Base):  # type: ignore[valid-type,misc]
    pass


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)))  # type: ignore[arg-type]


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping, refusing a key written twice (merged ``<<`` keys may be overridden)."""
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.setdefault(key, key_node)
        except TypeError:  # an unhashable key: the constructor below says so
            continue
        if first is not key_node:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"key {key!r} is written twice (first on line {first.start_mark.line + 1}): "
                "YAML would silently keep the last value",
                key_node.start_mark,
            )
    return loader.construct_mapping(node, deep=True)


_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")

_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_ExactLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
_ExactLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NUMBER_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ExactLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_ExactLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


class YamlSyntaxError(yaml.YAMLError):
    """Malformed YAML, located: ``FILE, line L, column C: what is wrong``.

    A ``yaml.YAMLError`` still, so callers catching that keep working. ``where`` is
    ``line L, column C`` (empty when PyYAML gave no position), ``detail`` what is wrong.
    """

    def __init__(self, name: str, exc: yaml.YAMLError) -> None:
        self.name = name
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        self.where: str | Msg = (
            Msg("at.line_column", line=mark.line + 1, column=mark.column + 1) if mark else ""
        )
        problem = getattr(exc, "problem", None)
        context = getattr(exc, "context", None)
        context_mark = getattr(exc, "context_mark", None)
        if problem is None:  # not a marked error: PyYAML's text is all there is
            detail = str(exc)
        else:
            detail = str(problem)
            if context:
                at = (
                    f" started at line {context_mark.line + 1}, column {context_mark.column + 1}"
                    if context_mark
                    else ""
                )
                detail += f" ({context}{at})"
        self.detail = detail
        super().__init__(f"{name}, {self.where}: {detail}" if self.where else f"{name}: {detail}")


class TooDeepError(ValueError):
    """A document nested deeper than the parser's recursion allows."""

    def __init__(self) -> None:
        super().__init__("nested too deeply (lists or mappings inside each other)")


def load_yaml(text: str, name: str | None = None) -> Any:
    """Parse YAML text with exact numbers; raises ``yaml.YAMLError`` when malformed.

    With ``name`` (the file the text came from), the error is a :class:`YamlSyntaxError`
    naming that file and the line and column: PyYAML itself only says ``"<unicode string>"``.
    Nesting deeper than Python's recursion allows raises :class:`TooDeepError`.
    """
    try:
        return yaml.load(text, Loader=_ExactLoader)
    except RecursionError:
        raise TooDeepError() from None
    except yaml.YAMLError as exc:
        if name is None:
            raise
        raise YamlSyntaxError(name, exc) from exc


def load_json(text: str) -> Any:
    """Parse JSON with exact numbers (``12.50`` is ``Decimal("12.50")``); raises
    ``json.JSONDecodeError`` when malformed and :class:`TooDeepError` when nested too deeply."""
    try:
        return json.loads(text, parse_float=Decimal)
    except RecursionError:
        raise TooDeepError() from None


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text`` (None when it does not parse), for :func:`line_of`."""
    try:
        return yaml.compose(text, Loader=_Base)
    except yaml.YAMLError:
        return None


def line_of(text: str | yaml.Node | None, path: tuple[str | int, ...]) -> int | None:
    """The 1-based line where ``path`` (mapping keys and sequence indexes, as a pydantic error's
    ``loc``) is written in ``text``; the deepest part of the path that exists when the rest does
    not (a missing key is reported at its parent). None when the text does not parse.

    ``text`` may be the tree :func:`compose` made of it: a caller locating many paths of one
    file composes it once (composing it per path made loading a file quadratic)."""
    node = compose(text) if isinstance(text, str) else text
    if node is None:
        return None
    line = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
