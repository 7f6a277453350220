"""The one YAML loader xfrules uses: floats become Decimal, dates stay text.

Money must stay exact, so ``0.1`` is read as ``Decimal("0.1")``; dates stay strings so
that an impossible date (``2020-02-30``) reaches :func:`xfrules.values.parse_date` and
becomes a clear, located error instead of a crash inside the YAML library.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

__all__ = ["load_yaml"]


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


def load_yaml(text: str) -> Any:
    """Parse YAML text with exact numbers; raises ``yaml.YAMLError`` when malformed."""
    return yaml.load(text, Loader=_ExactLoader)
