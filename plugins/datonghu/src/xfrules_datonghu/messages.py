"""The datonghu plug-in's own words for what is wrong in a submitted report, in Chinese and
English, added to xfrules' catalog (:func:`xfrules.i18n.add_messages`) under ``datonghu.``."""

from __future__ import annotations

from xfrules.i18n import add_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "datonghu.village_stamp": (
        "直接向贫困户采购，须以行政村盖章作为销售凭证",
        "a purchase straight from a poor household needs the administrative "
        "village's stamp (行政村盖章) as its sales voucher",
    ),
    "datonghu.household_signature": (
        "直接向贫困户采购，须以贫困户签字作为销售凭证",
        "a purchase straight from a poor household needs the household's "
        "signature (贫困户签字) as its sales voucher",
    ),
    "datonghu.no_voucher": (
        "未登记销售发票或销售凭证；直接向贫困户采购的，请标明 贫困户直购 = 是，并有行政村盖章和贫困户签字",
        "no sales invoice or sales voucher (销售发票或销售凭证) recorded; for a purchase "
        "straight from a poor household mark 贫困户直购 = 是 with 行政村盖章 and 贫困户签字",
    ),
    "datonghu.seq": (
        "序号必须是正整数，实际为 {value}",
        "序号 must be a positive whole number, got {value}",
    ),
    "datonghu.file_missing": (
        "未给出文件（annex1=附件1，annex2=附件2）",
        "file not given (annex1=附件1, annex2=附件2)",
    ),
    "datonghu.file_unknown": (
        "不认识的文件名（应为 annex1 和 annex2）",
        "unknown file name (expected annex1 and annex2)",
    ),
}

add_messages(MESSAGES)
