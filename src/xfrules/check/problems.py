"""What every check reports: :class:`CheckProblem`, and the :class:`Collector` that gathers
them, applying the obligations' (and clauses') waivers.

A waiver (``waivers: [{check: CODE, reason: ...}]`` on an obligation or a clause) records a
deliberate decision: the check ``CODE`` finds the encoding departs from the words on purpose.
The collector turns the problem into a ``waived`` one that carries the reason: it does not
fail ``xfrules check``, which prints it in its summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from ..i18n import Msg
from ..obligations import Waiver

__all__ = ["CheckProblem", "Collector", "Severity"]

Severity = Literal["error", "warning", "waived"]


@dataclass(frozen=True, order=True)
class CheckProblem:
    """One inconsistency in a plug-in: where, what kind (``code``) and why.

    ``severity`` ``waived``: the subject's waiver for ``code`` silences it; ``waiver`` is
    the reason the author gave.
    """

    jurisdiction: str
    subject: str
    code: str
    message: str
    severity: Severity = "error"
    waiver: str = ""

    def __str__(self) -> str:
        text = f"{self.jurisdiction}: {self.severity}: {self.subject}: {self.message} [{self.code}]"
        return f"{text} (waived: {self.waiver})" if self.waiver else text

    def to_record(self) -> dict[str, str]:
        record = {
            "jurisdiction": self.jurisdiction,
            "severity": self.severity,
            "subject": self.subject,
            "code": self.code,
            "message": self.message,
        }
        if self.waiver:
            record["waiver"] = self.waiver
        return record


class Collector:
    """The problems of one plug-in; ``waivers`` maps a subject to the waivers it declares."""

    def __init__(self, code: str, waivers: Mapping[str, Iterable[Waiver]] | None = None) -> None:
        self.jurisdiction = code
        self.problems: list[CheckProblem] = []
        self._waivers = {subject: tuple(ws) for subject, ws in (waivers or {}).items()}
        self.used: set[tuple[str, str]] = set()  # (subject, code) of the waivers that applied

    def _add(self, subject: str, code: str, message: str | Msg, severity: Severity) -> None:
        # A catalog message is rendered now, in the language of the run (``--lang``): a
        # check's problems are read where they are made, by the command that ran the check.
        message = str(message)
        waiver = next((w for w in self._waivers.get(subject, ()) if w.check == code), None)
        if waiver is not None:
            self.used.add((subject, code))
            self.problems.append(
                CheckProblem(self.jurisdiction, subject, code, message, "waived", waiver.reason)
            )
            return
        self.problems.append(CheckProblem(self.jurisdiction, subject, code, message, severity))

    def error(self, subject: str, code: str, message: str | Msg) -> None:
        self._add(subject, code, message, "error")

    def warning(self, subject: str, code: str, message: str | Msg) -> None:
        self._add(subject, code, message, "warning")
