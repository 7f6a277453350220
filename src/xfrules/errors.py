"""One error hierarchy for xfrules; every error carries the context a user needs to act."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DefinitionError",
    "InputError",
    "PluginError",
    "Problem",
    "XfrulesError",
]


class XfrulesError(Exception):
    """Base class of every error xfrules raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input: where it is and why it is wrong."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (self.file, self.record, self.field and f"field {self.field!r}") if p
        )
        return f"{where}: {self.message}" if where else self.message


class InputError(XfrulesError):
    """Bad input: a list of problems, each naming file, record and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in input"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class PluginError(XfrulesError):
    """A plug-in failed to load or returned something invalid."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"plug-in {plugin!r}: {message}")


class DefinitionError(XfrulesError):
    """A rule definition (obligation, region set, department) is inconsistent."""

    def __init__(self, subject: str, message: str) -> None:
        self.subject = subject
        super().__init__(f"{subject}: {message}")
