"""The hooks a jurisdiction plug-in implements. Each is called once per plug-in.

A plug-in is a distribution that registers an object (or module) under the
``xfrules`` entry-point group; its ``xfrules_*`` functions, marked with
:data:`xfrules.hookimpl`, describe one jurisdiction. Most plug-ins need no code:
:class:`xfrules.plugin_kit.DataPlugin` implements every hook from YAML files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

from .errors import Problem

# The models only annotate the hooks: loading a plug-in (``xfrules plugins`` listing from its
# cache) must not build them.
if TYPE_CHECKING:
    from .documents import Clause, SourceDocument
    from .entities import Department, Jurisdiction, RegionSet
    from .obligations import Obligation

__all__ = ["PROJECT_NAME", "ReportValidator", "hookimpl", "hookspec"]

#: Validates the files of one report submission: ``(files by name, period start, delivered)``
#: returns every problem, each naming file, row and field (empty when the submission is valid).
ReportValidator = Callable[[Mapping[str, Path], date, date], list[Problem]]

PROJECT_NAME = "xfrules"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def xfrules_jurisdiction() -> Jurisdiction:  # type: ignore[empty-body]
    """Return the jurisdiction this plug-in encodes: code, name, document number and title.

    Required. Its ``code`` is the ``-j`` value on the command line and the prefix
    of every obligation id.
    """


@hookspec
def xfrules_departments() -> Sequence[Department]:  # type: ignore[empty-body]
    """Return every department the document names, as written, with aliases.

    Every lead and responsible department of an obligation must be one of these.
    """


@hookspec
def xfrules_region_sets() -> Sequence[RegionSet]:  # type: ignore[empty-body]
    """Return the named region sets obligations filter on (paired counties, assisted counties…).

    A set's ``expected_size`` is the count the document states; ``extensible``
    sets may be extended by a deployment's facts file.
    """


@hookspec
def xfrules_obligations() -> Sequence[Obligation]:  # type: ignore[empty-body]
    """Return every obligation of the document, each with its verbatim source quote."""


@hookspec
def xfrules_source_document() -> SourceDocument:  # type: ignore[empty-body]
    """Return the source document shipped inside the plug-in, which quotes are checked against."""


@hookspec
def xfrules_clauses() -> Sequence[Clause]:  # type: ignore[empty-body]
    """Return the document's numbered clauses, for the coverage view.

    Each clause is encoded by obligations or marked ``not_checkable`` with a reason.
    """


@hookspec
def xfrules_scenario_paths() -> Sequence[Path]:  # type: ignore[empty-body]
    """Return YAML scenario files (or folders of them) that test this plug-in.

    ``xfrules.testing`` runs them; plug-ins without scenarios return an empty list.
    """


@hookspec
def xfrules_report_validators() -> Mapping[str, ReportValidator]:  # type: ignore[empty-body]
    """Return validators for the files a report is delivered with, keyed by report key.

    The key is a ``Reporting`` obligation's ``report``; ``xfrules submission`` calls the
    validator with the named files (e.g. ``annex1``, ``annex2``), the first day of the
    reported period and the delivery date. Validators must never echo personal data.
    """
