"""The monthly report's annexes (大扶办发〔2020〕10号 六（八）) as first-class inputs.

六（八）: 每月29日前将附件1、2，及销售发票或销售凭证交至区扶贫办（对于工会组织、结对帮扶人等直接从
贫困户采购的扶贫产品，销售凭证为行政村盖章、贫困户签字即可）.

- 附件1 带贫人员名册 — :class:`Annex1Row`: 姓名, 身份证号, 联系方式, 受益金额.
- 附件2 消费扶贫证明材料 — :class:`Annex2Row`: 序号, 产品名称, 卖方, 买方, 数量, 金额, 交易时间, 备注,
  and the evidence of each purchase (README, decision D11): ``发票或凭证号`` (the number of the
  sales invoice or sales voucher) or, for a purchase straight from a poor household
  (``贫困户直购`` = 是), ``行政村盖章`` = 是 and ``贫困户签字`` = 是.

:func:`validate_submission_files` is what the CLI calls; :func:`read_submission` also returns
the parsed rows and the attachment keys the files evidence for the ``monthly_report``
obligation. Personal data (姓名, 身份证号, 联系方式, and the 卖方 of a household purchase, who is
a person) is masked in every repr, str, JSON dump and problem message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from xfrules.annexes import (
    Column,
    IdNumber,
    MaskedRow,
    PersonName,
    PhoneNumber,
    Record,
    TableSchema,
    date_field,
    duplicates,
    echo,
    flag_field,
    id_number_field,
    looks_personal,
    money_field,
    month_bounds,
    phone_field,
    quantity_field,
    read_table,
    text_field,
)
from xfrules.entities import Submission
from xfrules.errors import InputError, Problem, reason_of
from xfrules.i18n import Msg
from xfrules.values import parse_date, to_halfwidth

__all__ = [
    "ANNEX1",
    "ANNEX2",
    "MONTHLY_REPORT",
    "Annex1Row",
    "Annex2Row",
    "SubmissionAnnexes",
    "parse_annex1",
    "parse_annex2",
    "read_submission",
    "validate_submission_files",
]

MONTHLY_REPORT = "consumption_poverty_monthly"
"""The report key of ``datonghu.monthly_report``."""

ANNEX1 = TableSchema(
    "附件1 带贫人员名册",
    (
        Column("name", ("姓名",)),
        Column("id_number", ("身份证号", "身份证", "身份证号码", "公民身份号码")),
        Column("phone", ("联系方式", "联系电话", "电话", "手机号码")),
        Column("benefit_amount", ("受益金额",)),
    ),
)

ANNEX2 = TableSchema(
    "附件2 消费扶贫证明材料",
    (
        Column("seq", ("序号",)),
        Column("product", ("产品名称",)),
        Column("seller", ("卖方",)),
        Column("buyer", ("买方",)),
        Column("quantity", ("数量",)),
        Column("amount", ("金额",)),
        Column("traded_on", ("交易时间", "交易日期")),
        Column("note", ("备注",), required=False),
        # Evidence columns (D11): not in the template, added to its right.
        Column(
            "voucher_no",
            ("发票或凭证号", "发票号码", "发票号", "凭证号", "销售凭证号"),
            required=False,
        ),
        Column("household_direct", ("贫困户直购", "直接从贫困户采购"), required=False),
        Column("village_stamp", ("行政村盖章", "村盖章"), required=False),
        Column("household_signature", ("贫困户签字", "户签字"), required=False),
    ),
)


class Annex1Row(MaskedRow):
    """One person of 附件1 带贫人员名册; name, ID number and phone print masked."""

    name: PersonName
    id_number: IdNumber
    phone: PhoneNumber
    benefit_amount: Decimal


class Annex2Row(MaskedRow):
    """One purchase of 附件2 消费扶贫证明材料, with its evidence.

    ``seller`` is a :class:`~xfrules.annexes.PersonName` (masked) when the purchase is
    straight from a poor household, whose seller is a person; otherwise plain text.
    """

    seq: int
    product: str
    seller: str | PersonName
    buyer: str
    quantity: Decimal
    quantity_unit: str = ""
    amount: Decimal
    traded_on: date
    note: str = ""
    voucher_no: str = ""
    household_direct: bool = False
    village_stamp: bool = False
    household_signature: bool = False

    @property
    def evidenced(self) -> bool:
        """Backed by a sales invoice/voucher, or (household purchase) by stamp and signature."""
        if self.household_direct:
            return self.village_stamp and self.household_signature
        return bool(self.voucher_no)


def parse_annex1(records: list[Record]) -> tuple[list[Annex1Row], list[Problem]]:
    """附件1 rows and the problems of the rows that are not valid."""
    problems: list[Problem] = []
    rows: list[Annex1Row] = []
    for record in records:
        mine: list[Problem] = []
        name = text_field(record, "name", mine)
        id_number = id_number_field(record, "id_number", mine)
        phone = phone_field(record, "phone", mine)
        amount = money_field(record, "benefit_amount", mine)
        problems.extend(mine)
        if mine or id_number is None or phone is None or amount is None:
            continue
        rows.append(
            Annex1Row(
                file=record.file,
                row=record.row,
                name=PersonName(name),
                id_number=id_number,
                phone=phone,
                benefit_amount=amount,
            )
        )
    for later, first in duplicates(records, lambda r: to_halfwidth(r.get("id_number")).upper()):
        problems.append(
            later.problem("id_number", f"the same ID number is already listed in row {first.row}")
        )
    return rows, problems


def _evidence(record: Record, problems: list[Problem]) -> tuple[str, bool, bool, bool]:
    voucher = record.get("voucher_no")
    direct = flag_field(record, "household_direct", problems)
    stamp = flag_field(record, "village_stamp", problems)
    signature = flag_field(record, "household_signature", problems)
    if direct:
        if not stamp:
            problems.append(record.problem("village_stamp", Msg("datonghu.village_stamp")))
        if not signature:
            problems.append(
                record.problem("household_signature", Msg("datonghu.household_signature"))
            )
    elif not voucher:
        problems.append(record.problem("voucher_no", Msg("datonghu.no_voucher")))
    return voucher, direct, stamp, signature


def parse_annex2(
    records: list[Record], *, month: tuple[date, date], delivered: date
) -> tuple[list[Annex2Row], list[Problem]]:
    """附件2 rows and the problems of the rows that are not valid (D12: dates in the month)."""
    problems: list[Problem] = []
    rows: list[Annex2Row] = []
    for record in records:
        mine: list[Problem] = []
        seq_text = to_halfwidth(record.get("seq")).strip()
        if looks_personal(seq_text):
            mine.append(record.problem("seq", Msg("annex.personal")))
        elif not seq_text.isdigit() or int(seq_text) < 1:
            mine.append(record.problem("seq", Msg("datonghu.seq", value=echo(seq_text))))
        product = text_field(record, "product", mine)
        seller = text_field(record, "seller", mine)
        buyer = text_field(record, "buyer", mine)
        quantity, unit = quantity_field(record, "quantity", mine)
        amount = money_field(record, "amount", mine)
        traded_on = date_field(
            record,
            "traded_on",
            mine,
            not_after=delivered,
            within=month,
            within_what=Msg("annex.reported_month", month=f"{month[0]:%Y-%m}"),
        )
        voucher, direct, stamp, signature = _evidence(record, mine)
        problems.extend(mine)
        if mine or quantity is None or amount is None or traded_on is None:
            continue
        rows.append(
            Annex2Row(
                file=record.file,
                row=record.row,
                seq=int(seq_text),
                product=product,
                seller=PersonName(seller) if direct else seller,
                buyer=buyer,
                quantity=quantity,
                quantity_unit=unit,
                amount=amount,
                traded_on=traded_on,
                note=record.get("note"),
                voucher_no=voucher,
                household_direct=direct,
                village_stamp=stamp,
                household_signature=signature,
            )
        )
    for later, first in duplicates(records, lambda r: to_halfwidth(r.get("seq")).strip()):
        problems.append(later.problem("seq", f"序号 already used in row {first.row}"))
    return rows, problems


@dataclass(frozen=True)
class SubmissionAnnexes:
    """A monthly report's annexes, parsed and checked."""

    month_start: date
    month_end: date
    delivered: date
    annex1: tuple[Annex1Row, ...]
    annex2: tuple[Annex2Row, ...]
    problems: tuple[Problem, ...]

    @property
    def attachments(self) -> tuple[str, ...]:
        """The ``monthly_report`` attachment keys these files evidence (only when clean)."""
        if self.problems:
            return ()
        out = ["annex1", "annex2"]
        if all(row.evidenced for row in self.annex2):
            out.append("sales_vouchers")
        return tuple(out)

    def submission(self, unit: str) -> Submission:
        """The facts-file submission this report is, for ``datonghu.monthly_report``."""
        return Submission(
            unit=unit,
            report=MONTHLY_REPORT,
            period_start=self.month_start,
            period_end=self.month_end,
            delivered=self.delivered,
            attachments=self.attachments,
        )


def _read(path: Path, schema: TableSchema, problems: list[Problem]) -> list[Record]:
    try:
        return read_table(path, schema)
    except InputError as exc:
        problems.extend(exc.problems)
        return []


def _reading_order(problem: Problem) -> tuple[str, int, str, str]:
    """File, then row number as a number (row 10 after row 9), then field."""
    digits = problem.record.removeprefix("row ")
    return (problem.file, int(digits) if digits.isdigit() else 0, problem.field, problem.message)


def read_submission(
    annex1_path: str | Path,
    annex2_path: str | Path,
    *,
    month: date | str,
    delivered: date | str,
) -> SubmissionAnnexes:
    """Read and check both annexes of the report for ``month`` delivered on ``delivered``.

    Raises InputError when ``month`` or ``delivered`` cannot be read; everything wrong with
    the files is returned in ``problems``.
    """
    problems: list[Problem] = []
    try:
        start, end = month_bounds(month)
    except ValueError as exc:
        problems.append(Problem("", "", "month", reason_of(exc)))
    try:
        delivered_on = parse_date(delivered)
    except ValueError as exc:
        problems.append(Problem("", "", "delivered", reason_of(exc)))
    if problems:
        raise InputError(problems)
    rows1, p1 = parse_annex1(_read(Path(annex1_path), ANNEX1, problems))
    rows2, p2 = parse_annex2(
        _read(Path(annex2_path), ANNEX2, problems), month=(start, end), delivered=delivered_on
    )
    ordered = sorted(problems + p1 + p2, key=_reading_order)
    return SubmissionAnnexes(start, end, delivered_on, tuple(rows1), tuple(rows2), tuple(ordered))


def validate_submission_files(
    annex1_path: str | Path,
    annex2_path: str | Path,
    *,
    month: date | str,
    delivered: date | str,
) -> list[Problem]:
    """Every problem of a monthly report's 附件1 and 附件2 files (CSV UTF-8/GBK, or XLSX).

    ``month`` is the reported month (a date in it, ``2020-05`` or ``2020年5月``); ``delivered``
    the day the files reach 区扶贫办. Each problem names file, row (``row N``, as numbered in
    the file) and field (the header as written). An empty list means the files are valid.
    Personal data never appears in a message. Raises InputError for an unreadable ``month``
    or ``delivered``.
    """
    return list(
        read_submission(annex1_path, annex2_path, month=month, delivered=delivered).problems
    )
