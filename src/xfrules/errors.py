"""One error hierarchy for xfrules; every error carries the context a user needs to act.

Every message passes through here, so personal data is masked here, once: a
:class:`Problem`'s parts and an :class:`XfrulesError`'s text are scrubbed of ID-like and
phone-like numbers (:func:`xfrules.pii.scrub`), whatever raised them — a facts file's
validator echoing a value, a monitor event, DuckDB quoting a ledger line.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pii import scrub

__all__ = [
    "DefinitionError",
    "InputError",
    "PluginError",
    "Problem",
    "XfrulesError",
]


class XfrulesError(Exception):
    """Base class of every error xfrules raises on purpose; its text is scrubbed."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(scrub(a) if isinstance(a, str) else a for a in args))

    def __str__(self) -> str:
        # Again on the way out: a subclass may set its args without calling __init__.
        return scrub(super().__str__())


_PROBLEM_TEXT = ("file", "record", "field", "message")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input: where it is and why it is wrong."""

    file: str
    record: str
    field: str
    message: str

    def __post_init__(self) -> None:
        texts = (self.file, self.record, self.field, self.message)
        for name, value in zip(_PROBLEM_TEXT, texts, strict=True):
            if isinstance(value, str) and (clean := scrub(value)) != value:
                object.__setattr__(self, name, clean)

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
