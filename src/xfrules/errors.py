"""One error hierarchy for xfrules; every error carries the context a user needs to act.

Every message passes through here, so personal data is masked here, once: a
:class:`Problem`'s parts and an :class:`XfrulesError`'s text are scrubbed of ID-like and
phone-like numbers (:func:`xfrules.pii.scrub`), whatever raised them — a facts file's
validator echoing a value, a monitor event, DuckDB quoting a ledger line.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .i18n import MESSAGES, Msg, t
from .pii import scrub

__all__ = [
    "DefinitionError",
    "InputError",
    "Joined",
    "PluginError",
    "Problem",
    "XfrulesError",
    "os_reason",
    "reason_of",
    "validation_reason",
]


class Joined:
    """Texts and messages joined by a catalog separator (``problem.reasons_sep``: ``；`` or
    ``; ``), rendered in the current language: a Msg's parameter."""

    __slots__ = ("parts", "sep")

    def __init__(self, sep: str, parts: list[str | Msg]) -> None:
        self.sep = sep
        self.parts = tuple(parts)

    def __str__(self) -> str:
        return t(self.sep).join(str(p) for p in self.parts)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Joined) and (self.sep, self.parts) == (other.sep, other.parts)

    def __hash__(self) -> int:
        return hash((self.sep, self.parts))


def text_of(value: str | Msg) -> str:
    """A plain text as it is, a :class:`Msg` rendered in the current language."""
    return value if isinstance(value, str) else str(value)


class XfrulesError(Exception):
    """Base class of every error xfrules raises on purpose; its text is scrubbed.

    Made with a :class:`~xfrules.i18n.Msg` (``XfrulesError(Msg("tree.no_folder", path=p))``),
    it reads in the language current when it is shown, like a :class:`Problem`; ``code`` is
    then the message's catalog key ("" for a plain text).
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*(scrub(a) if isinstance(a, str) else a for a in args))

    @property
    def code(self) -> str:
        first = self.args[0] if len(self.args) == 1 else None
        return first.key if isinstance(first, Msg) else ""

    def __str__(self) -> str:
        # Rendered now (a Msg in the current language), and scrubbed again on the way out:
        # a subclass may set its args without calling __init__, a Msg's parameters are raw.
        return scrub(super().__str__())


@dataclass(frozen=True, init=False)
class Problem:
    """One thing wrong with one input: where it is and why it is wrong.

    Made as ``Problem(file, where, field, reason)``: ``where`` is the place in the file
    (``Msg("at.row", n=2)``, or a plain text such as a section name), ``reason`` why it is
    wrong (a :class:`~xfrules.i18n.Msg` from the catalog, or a plain text — another
    library's words). ``record`` and ``message`` are those rendered in the language current
    when read; ``code`` is the reason's catalog key, the same in every language ("" for a
    plain text).
    """

    file: str
    where: str | Msg
    field: str
    reason: str | Msg

    def __init__(
        self,
        file: str,
        where: str | Msg = "",
        field: str = "",
        reason: str | Msg = "",
        *,
        record: str | Msg | None = None,
        message: str | Msg | None = None,
    ) -> None:
        # ``record=`` and ``message=``: the keywords a problem was made with before it carried
        # catalog messages (a plug-in's report validator may still use them).
        values = {
            "file": file,
            "where": where if record is None else record,
            "field": field,
            "reason": reason if message is None else message,
        }
        for name, value in values.items():
            if isinstance(value, str):
                value = scrub(value)
            object.__setattr__(self, name, value)

    @property
    def record(self) -> str:
        return scrub(text_of(self.where))

    @property
    def message(self) -> str:
        return scrub(text_of(self.reason))

    @property
    def code(self) -> str:
        return self.reason.key if isinstance(self.reason, Msg) else ""

    def sort_key(self) -> tuple[str, list[str | int], str, str]:
        """File, record (row 2 before row 10), field and message, in English: one order
        whatever the language."""
        parts: list[str | int] = re.split(r"(\d+)", _english(self.where))
        parts[1::2] = [int(p) for p in parts[1::2]]
        return (self.file, parts, self.field, _english(self.reason))

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        field = self.field and t("problem.field", field=self.field)
        where = t("problem.sep").join(p for p in (self.file, self.record, field) if p)
        return t("problem.at", where=where, message=self.message) if where else self.message

    def to_record(self) -> dict[str, str]:
        """The problem for programs (JSON, CSV): ``code`` and ``field`` stay the same in every
        language; ``record`` is the English locator (``row 6``, ``line 3``); ``message`` is
        the text in the current language."""
        return {
            "file": self.file,
            "record": scrub(_english(self.where)),
            "field": self.field,
            "code": self.code,
            "message": self.message,
        }


def validation_reason(err: Mapping[str, Any]) -> str | Msg:
    """A pydantic error's reason in the user's words: a missing field, xfrules' own reasons
    (a validator's ValueError carrying a Msg) and pydantic's commonest errors from the
    catalog; any other in pydantic's own (English) words."""
    kind = err["type"]
    if kind == "missing":
        return Msg("facts.missing_field")
    ctx = err.get("ctx") or {}
    error = ctx.get("error")
    if isinstance(error, ValueError) and isinstance(reason := reason_of(error), Msg):
        return reason
    if f"pydantic.{kind}" in MESSAGES:
        return Msg(f"pydantic.{kind}", **ctx)
    return str(err["msg"]).removeprefix("Value error, ")


def reason_of(exc: BaseException) -> str | Msg:
    """The reason an exception gives: its :class:`~xfrules.i18n.Msg` (a value reader's
    ValueError), rendered later in the reader's language, or its text."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Msg) else str(exc)


# The operating system's commonest reasons, in the user's words (the English is the system's
# own text on Linux, so ``--lang en`` reads as before); any other as the system words it.
_OS_REASONS = {
    errno.ENOENT: "os.not_found",
    errno.EACCES: "os.permission",
    errno.EPERM: "os.permission",
    errno.EISDIR: "os.is_directory",
    errno.ENOTDIR: "os.not_directory",
    errno.ENOSPC: "os.disk_full",
}


def os_reason(exc: OSError) -> str | Msg:
    """Why the system could not read or write a file, in the current language."""
    key = _OS_REASONS.get(exc.errno or 0)
    return Msg(key) if key is not None else (exc.strerror or str(exc))


def _english(text: str | Msg) -> str:
    return text if isinstance(text, str) else text.english()


class InputError(XfrulesError):
    """Bad input: a list of problems, each naming file, record and field; its text is in
    the language current when it is shown."""

    def __init__(self, problems: list[Problem]) -> None:
        # One key a problem (its English rendered once), not two a comparison.
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = t("problem.count_one") if n == 1 else t("problem.count", n=n)
        return head + t("problem.list") + "\n".join(f"  - {p}" for p in self.problems)

    def __str__(self) -> str:
        return scrub(self._text())


class PluginError(XfrulesError):
    """A plug-in failed to load or returned something invalid."""

    def __init__(self, plugin: str, message: str | Msg) -> None:
        self.plugin = plugin
        super().__init__(Msg("err.plugin", plugin=plugin, message=message))


class DefinitionError(XfrulesError):
    """A rule definition (obligation, region set, department) is inconsistent."""

    def __init__(self, subject: str, message: str | Msg) -> None:
        self.subject = subject
        super().__init__(Msg("err.definition", subject=subject, message=message))
