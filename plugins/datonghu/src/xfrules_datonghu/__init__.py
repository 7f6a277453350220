"""xfrules plug-in for 益阳市大通湖区 大扶办发〔2020〕10号 (关于深入开展消费扶贫助力打赢脱贫攻坚战的实施方案).

The rules are data (``*.yaml``); :mod:`xfrules_datonghu.annexes` validates the monthly
report's annex tables (附件1 带贫人员名册, 附件2 消费扶贫证明材料).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from xfrules import DataPlugin, Problem, hookimpl
from xfrules.hookspecs import ReportValidator
from xfrules.i18n import Msg

from . import messages as _messages  # noqa: F401  (the plug-in's words, in the catalog)

__all__ = ["plugin"]

MONTHLY_REPORT = "consumption_poverty_monthly"


def validate_monthly_report(
    files: Mapping[str, Path], period: date, delivered: date
) -> list[Problem]:
    """The monthly report's files: ``annex1`` (附件1) and ``annex2`` (附件2)."""
    from .annexes import validate_submission_files

    missing = [name for name in ("annex1", "annex2") if name not in files]
    unknown = sorted(set(files) - {"annex1", "annex2"})
    problems = [Problem(name, "", "", Msg("datonghu.file_missing")) for name in missing]
    problems += [Problem(name, "", "", Msg("datonghu.file_unknown")) for name in unknown]
    if problems:
        return problems
    return validate_submission_files(
        files["annex1"], files["annex2"], month=period, delivered=delivered
    )


class DatonghuPlugin(DataPlugin):
    @hookimpl
    def xfrules_report_validators(self) -> Mapping[str, ReportValidator]:
        return {MONTHLY_REPORT: validate_monthly_report}


plugin = DatonghuPlugin(__name__)
