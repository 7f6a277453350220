"""Modality from the duty's own words (SCHEMA.md, issue 13):

- 要 / 应 / 必须 / 确保 / 不得 / 严禁 (and a plain directive with no such word) → ``mandatory``;
- 鼓励 / 支持 / 引导 / 倡议 / 倡导 / 探索 / 可 (可以) → ``encouraged``;
- 力争 → ``aspirational``.

Traps the reading avoids: 可持续 / 可操作 / 即可 / 尽可能 are no 可; 主要 / 重要 / 需要 / 要求 are
no 要; 供应 / 相应 / 应用 / 应急 are no 应; 支持 as a noun (政策支持, 政府支持, 给予…支持, 支持力度), 引导 in 政府引导 and
倡议 in 发出倡议 encourage nobody; a clause of circumstance (针对…, …时) states no duty; a heading's words are not its sentences' (the heading is left
out, see :mod:`.duty_text`).

The quote is read clause by clause (at ，；。): a clause's first modal word gives its modality
(要鼓励 is a duty to encourage: mandatory); a clause without one continues the one before it —
the first clause, that of the words before the quote in its sentence, unless the quote opens
with a party of its own (…卫生健康部门鼓励属地公立医院、机关事务管理局指导食堂…) — unless it opens with a
verb of governing of its own (积极推进…, 根据形势变化调整优化…, 与江苏方面共建…: see
``_OWN_DIRECTIVE``), which starts a mandatory duty. One quote whose clauses have two
modalities holds two duties (``modality-mixed``): each is its own obligation.
"""

from __future__ import annotations

import re

from ..coverage import read_document
from ..i18n import Msg
from ..registry import JurisdictionRules
from .duty_text import duty_text, excerpt
from .problems import Collector

__all__ = ["check_modality", "modal_words", "modality_of", "own_directive"]

_WORDS = re.compile(
    r"(?P<aspirational>力争)"
    r"|(?P<mandatory>必须|务必|确保|不得|严禁|应当|应该"
    r"|(?<![供相适响对反效呼顺])应(?![用急对季收有])"
    r"|(?<![主重需纪摘概提只首必])要(?![求素点么]))"
    r"|(?P<encouraged>鼓励|(?<!发出)(?<!提出)(?<!的)倡议|倡导|探索|可以"
    r"|(?<![认许不即宁尽])可(?![持能靠视追行控观信喜比及口操])"
    r"|(?<!的)(?<!给予)(?<!予以)(?<!提供)(?<!加大)(?<!争取)(?<!获得)(?<!得到)(?<!倾斜)"
    r"(?<!政策)(?<!金融)(?<!资金)(?<!财政)(?<!用地)(?<!技术)(?<!流量)(?<!政府)支持"
    r"(?!力度|政策|措施|资金|体系|作用|下)"
    r"|(?<!政府)(?<!坚持)(?<!的)引导(?!下|作用))"
)
_CLAUSE = re.compile(r"[，,；;。．.！!？?]")
# A clause opening with these sets the circumstances (针对…影响, 按照…规定) or the means of the
# verb that follows (积极通过…等措施，引导…), not a duty of its own — an adverb of manner
# (积极, 大力…) before them changes nothing.
_ADVERBIAL = re.compile(
    r"^\s*(?:积极|大力|充分|主动|进一步|切实|着力|广泛|努力)?"
    r"(为了|为|针对|按照|依托|围绕|结合|根据|利用|通过|借助|依据|立足|在|以|对于|对|从|随着|关于|基于|按|同时|其中)"
)


# A clause without a modal word continues the modality of the clause before it (鼓励企业采购，
# 优先采购农产品: the enterprises are still encouraged) — unless it opens with a verb of
# governing, after an adverb of manner or a phrase of circumstance or partner: then it is a
# duty of the bound bodies of its own (引导对接…平台，积极推进农产品产销对接; 积极支持…复工复产，
# 根据形势变化调整优化…政策措施; 探索建立…机制，与江苏方面共建…平台). Only verbs an encouraged
# enterprise or region would not be the subject of are listed: 推动, 建立, 发展, 加大 are not.
_OWN_DIRECTIVE = re.compile(
    r"^\s*(?:积极|大力|切实|着力|全力|认真|加快|进一步|持续)*"
    r"(?:(?:根据|按照|依据|结合|与|同|会同)[^，,；;。]{1,20}?)?"
    r"(?P<verb>推进|调整|优化|共建|落实|制定|健全|统筹|督促)"
)


def _adverbial(clause: str) -> bool:
    """A clause of circumstance (针对…影响, 具备条件的…时), not a duty of its own."""
    return bool(_ADVERBIAL.match(clause)) or clause.rstrip().endswith("时")


def modal_words(text: str) -> list[tuple[str, str]]:
    """``[(word, modality)]`` in ``text``, in order."""
    out = []
    for m in _WORDS.finditer(text):
        kind = m.lastgroup
        if kind is not None:
            out.append((m.group(), kind))
    return out


def own_directive(clause: str) -> str | None:
    """The verb of governing a clause opens with (积极推进, 根据形势变化调整优化, 与江苏方面共建):
    a duty of the bound bodies of its own, whatever the modality of the clause before it."""
    m = _OWN_DIRECTIVE.match(clause)
    return m.group("verb") if m else None


def modality_of(quote: str, prefix: str = "") -> tuple[set[str], list[tuple[str, str]]]:
    """The modalities the clauses of ``quote`` state (none: a plain directive), and the words
    that state them (``prefix``: the words before the quote in its sentence, read the same way
    for the modality the quote's first clause continues)."""
    current: str | None = None
    used: list[tuple[str, str]] = []
    found: set[str] = set()
    clauses = [(c, False) for c in _CLAUSE.split(prefix) if c.strip()]
    clauses += [(c, True) for c in _CLAUSE.split(quote)]
    for clause, quoted in clauses:
        words = modal_words(clause)
        if words:
            current, word = words[0][1], words[0]
        elif (verb := own_directive(clause)) is not None:
            current, word = "mandatory", (f"its own verb {verb}", "mandatory")
        elif current is None and clause.strip() and not _adverbial(clause):
            # a plain directive: 建设一批社区智慧微菜场
            current, word = "mandatory", (f"a plain directive: {clause.strip()[:8]}…", "mandatory")
        else:
            word = None
        if not quoted:
            used = [word] if word is not None else used
            continue
        if word is not None:
            used.append(word)
        if current is not None and clause.strip():
            found.add(current)
    if any(kind == "aspirational" for _, kind in modal_words(quote)):
        return {"aspirational"}, [w for w in modal_words(quote) if w[1] == "aspirational"]
    return found, used


def check_modality(c: Collector, rules: JurisdictionRules) -> None:
    reading = read_document(rules)
    for ob in rules.obligations:
        duty = duty_text(ob, reading)
        if duty.heading_only:
            c.error(
                ob.id,
                "quote-heading",
                Msg(
                    "chk.quote_heading",
                    quote=excerpt(ob.source.quote),
                    clause=ob.source.clause,
                    hint=Msg("chk.waiver_hint", code="quote-heading"),
                ),
            )
            continue
        # A duty opening with its own party (…、机关事务管理局指导食堂…) has its own subject:
        # the modal word of another party's clause before it does not reach it.
        prefix = "" if reading is not None and reading.directory.starts(duty.quote) else duty.prefix
        found, words = modality_of(duty.quote, prefix)
        said = ", ".join(dict.fromkeys(repr(w) for w, _ in words))
        if len(found) > 1:
            c.error(
                ob.id,
                "modality-mixed",
                Msg(
                    "chk.modality_mixed",
                    quote=excerpt(duty.quote),
                    n=len(found),
                    said=said,
                    hint=Msg("chk.waiver_hint", code="modality-mixed"),
                ),
            )
            continue
        expected = next(iter(found)) if found else "mandatory"
        if ob.modality == expected:
            continue
        text = excerpt(duty.prefix + duty.quote)
        why = (
            Msg("chk.modality_said", expected=expected, said=said, text=text)
            if found
            else Msg("chk.modality_unsaid", quote=excerpt(duty.quote))
        )
        hint = Msg("chk.waiver_hint", code="modality")
        problem = Msg("chk.modality", modality=ob.modality, why=why, expected=expected, hint=hint)
        c.error(ob.id, "modality", problem)
