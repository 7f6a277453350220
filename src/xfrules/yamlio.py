"""The one YAML loader xfrules uses: floats become Decimal, dates stay text.

Money must stay exact, so ``0.1`` is read as ``Decimal("0.1")``; dates stay strings so
that an impossible date (``2020-02-30``) reaches :func:`xfrules.values.parse_date` and
becomes a clear, located error instead of a crash inside the YAML library.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

__all__ = ["YamlSyntaxError", "compose", "line_of", "load_yaml"]


# The C parser (libyaml) when PyYAML was built with it: registry loading is mostly YAML parsing.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ExactLoader(_Base):  # type: ignore[valid-type,misc]
    pass


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))  # type: ignore[arg-type]


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_ExactLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(yaml.YAMLError):
    """Malformed YAML, located: ``FILE, line L, column C: what is wrong``.

    A ``yaml.YAMLError`` still, so callers catching that keep working.
    """

    def __init__(self, name: str, exc: yaml.YAMLError) -> None:
        self.name = name
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{name}, line {mark.line + 1}, column {mark.column + 1}" if mark else name
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
        super().__init__(f"{where}: {detail}")


def load_yaml(text: str, name: str | None = None) -> Any:
    """Parse YAML text with exact numbers; raises ``yaml.YAMLError`` when malformed.

    With ``name`` (the file the text came from), the error is a :class:`YamlSyntaxError`
    naming that file and the line and column: PyYAML itself only says ``"<unicode string>"``.
    """
    if name is None:
        return yaml.load(text, Loader=_ExactLoader)
    try:
        return yaml.load(text, Loader=_ExactLoader)
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(name, exc) from exc


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
