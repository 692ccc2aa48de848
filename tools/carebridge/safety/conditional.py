"""The condition check: a rule the source makes only under a condition, translated as a rule for all.

"If clots are blocking the catheter, change to a three-way catheter" rendered as 应更换为三腔导尿管
tells the nurse to change every catheter; "if you feel dizzy when you stand up, leave out your
evening dose" as 当晚的雷米普利先不要吃 tells every patient to skip it. Chinese has many ways to say
a condition (如/若/一旦/…时/…者/…的患者/则/除非/只要…), and a translation may fold one into another
(如有疑问 for "if in doubt", 必要时 for "if needed"), so only a condition lost *entirely* is reported:
the source says "if", "unless", "provided that" or "in case of", and the translation has no word of
any kind that could carry a condition. Words of another sense are read out first: "ask if" (whether:
是否), "as if", "if possible" (尽量), 当晚 and 应当 (no "when"), 患者 (no "those who").
"""

from __future__ import annotations

import re

from .findings import Finding
from .pair import Pair, register

# A condition in English; "should" only where it opens one ("should the bleeding continue, …").
_EN_CONDITION = re.compile(
    r"(?i)(?<![A-Za-z])(?:if|unless|provided that|providing that|as long as|in case of|in the event(?: of| that)?|"
    r"only when|whenever)(?![A-Za-z])|(?:^|[.;:]\s*)should (?=(?:the|a|an|you|she|he|they|it|there|any|your)\b)")
# "if" in another sense: whether (ask/check/see if), as if, even if (concessive: 即使), if possible (尽量)
_EN_NOT_CONDITION = re.compile(
    r"(?i)\b(?:ask|asks|asked|asking|check|checks|checked|checking|see|find out|confirm|confirming|assess|know|"
    r"decide|wonder|tell|note|record|establish|determine|discuss|explain|look to see|test|testing)"
    r"(?:\s+(?:them|her|him|you|the (?:patient|woman|child|parents?|family|mother)))?\s+if\b"
    r"|\bas if\b|\bif (?:possible|at all possible|you can|they can)\b|\bwhat if\b"
    r"|\b(?:fatal|lethal|dangerous|harmful|toxic|unsafe|safe|effective|useful|helpful|painful) if\b"
    r"|\beven if\b|\b(?:if|whenever|when) (?:possible|practicable|feasible|practical)\b")
# Anything that can carry a condition in Chinese. Broad on purpose: a word too many only means a
# lost condition goes unreported, never that a faithful translation is refused.
_ZH_CONDITION = re.compile(
    r"如|若|假|倘|一旦|万一|要是|的话|除非|只要|只有|仅在|仅当|凡|即使|即便|哪怕|就算|纵使|否则|则|(?<![大小方])便(?!秘|携|利|于)"
    r"|(?<![相应恰适妥])当(?!晚|天|日|班|地|前|即|心|场|面|事|作|成|年|月|周|夜|初|归)"
    r"|(?<![同小])时|(?<![患医学读作记长老前后或])者|有无|是否|视(?:情况|病情|需要)|按需|必要|需要|须要"
    r"|的(?:患者|病人|患儿|产妇|孕妇|婴儿|新生儿|儿童|女性|妇女|男性|人|孩子|宝宝|家属|病例|情况)|对于|遇(?:到|有)?|出现|发生|有(?=[^，,。；;]{0,12}(?:者|的))"
    r"|(?:之|以)(?:前|后)|[前后](?=[，,])|除|方可|方能|才|后(?:再|重新|方|才|即|可|仍|应|须|需|给|开始|继续|停)|(?<![成造迁将])就(?!诊|医|业|地|近|餐|寝|职|读|是)|(?<![立随旋])即(?!刻)")


def conditions(text: str) -> int:
    """How many conditions an English text makes ("ask if" and "as if" make none).

    >>> conditions("If clots block the catheter, change it; ask if the patient is in pain.")
    1
    """
    masked = _EN_NOT_CONDITION.sub(lambda m: " " * len(m.group()), text)
    return len(_EN_CONDITION.findall(masked))


# Chinese may also set a condition beside its rule with no word at all (补液后血压仍低，开始使用去甲肾上腺素:
# "if the pressure stays low after fluids, start noradrenaline"): a first clause that tells no one to
# do anything. A first clause that does (应更换为三腔导尿管，…) is the rule itself.
_ZH_CLAUSE = re.compile(r"^([^，,：:；;。]+)[，,：:；;]\s*\S")
_ZH_DO = re.compile(r"应|须|需|要|请|勿|不得|禁止|严禁|立即|立刻|马上|给予|给|开始|停止|停用|使用|可以|可|不能|不可|禁用|慎用|避免|"
                    r"保持|继续|更换|联系|呼叫|通知|告知|记录|检查|评估|监测|核对|采集|留取|送|行|予|做|用|吃|服")


def _set_beside(translation: str) -> bool:
    first = _ZH_CLAUSE.match(translation.strip())
    return first is not None and not _ZH_DO.search(first.group(1))


@register("condition")
def _condition(pair: Pair) -> list[Finding]:
    made = conditions(pair.text("en"))
    translation = pair.text(pair.language)
    if not made or _ZH_CONDITION.search(translation) or _set_beside(translation):
        return []
    what = "a condition" if made == 1 else f"{made} conditions"
    return [Finding("condition", "error", f"condition dropped: the source makes {what} (if, unless …), the translation "
                    "states the rule for everyone", "keep the condition: if 如/如果/若, unless 除非, when …时, "
                    "those with … …者")]
