"""The words that make a number a limit: at most, no more than, 不超过, 以上, ≥ and their kin.

``PREFIX_CMP`` reads the words before a number ("less than", 不少于, 年满), ``SUFFIX_CMP`` those
after it ("or more", 及以上, 以内); ``comparison_said`` names the comparison (<, <=, >, >=) and
the words that said it. ``quantities`` ties them to the numbers ``numerals`` reads.
"""

from __future__ import annotations

import re

PREFIX_CMP = re.compile(
    r"(?:(?P<le>≤|<=|=<|⩽|(?<![A-Za-z])(?:at most|up to|no (?:more|greater|higher) than"
    r"|(?:not|never)(?: [a-z]+){0,2} (?:more|greater|higher) than"
    r"|not (?:to )?exceed(?:ing)?|(?:does|do|must|should|may|will) not exceed|never exceed"
    r"|(?:a |the )?max(?:imum|\.)?(?: (?:daily |single |total )?dose)?(?: of| is)?)"
    r"|不(?:得|应|宜|可|能|要)?(?:超过|高于|大于|多于)|切?勿超过|未超过|最多|至多|最高|最长|最久|最大(?:日?剂量|量|用量)?(?:为|是)?"
    r"|小于等于|小于或等于|低于或等于|(?:达到|等于)或(?:低于|小于)|极量为?|上限为?)"
    r"|(?P<ge>≥|>=|=>|⩾|(?<![A-Za-z])(?:at least|no (?:less|fewer|lower) than"
    r"|(?:not|never)(?: [a-z]+){0,2} (?:less|fewer|lower) than"
    r"|(?:a |the )?minimum(?: of| is)?)|不(?:得|应|宜|可|能)?(?:少于|低于|小于|短于)|至少|最少|最低|最短"
    r"|已满|年满|已达到?|达到"  # 已满18岁 (18 full years or more), 达到60次 (reaching 60); 满24小时 is "the full 24 hours"
    r"|大于等于|大于或等于|高于或等于|(?:达到|等于)或(?:超过|高于|大于))"
    r"|(?P<lt><|(?<![A-Za-z])(?:less than|fewer than|lower than|shorter than|younger than|smaller than|thinner than"
    r"|lighter than|slower than|narrower than|below|under|(?:born|delivered|birth|labou?r|deliver(?:y|ies)) before)"
    r"|未满|不满|不足|不到|低于|小于|少于|短于|慢于|薄于|窄于|轻于|未达到?)"
    r"|(?P<gt>>|(?<![A-Za-z])(?:more than|greater than|higher than|longer than|older than|larger than|bigger than"
    r"|thicker than|heavier than|faster than|wider than|above|over"
    r"|exceed(?:s|ed|ing)?|in excess of)|超过|高于|大于|多于|长于|快于|厚于|宽于|重于)"
    r"|(?P<ge2>(?:至少|最少|最短|不少于)[\u4e00-\u9fff]{1,6})|(?P<le2>(?:最多|至多|最长|不超过|不得超过)[\u4e00-\u9fff]{1,4}))"
    # 超过平时的一半, 高于正常值的2倍: a short reference ending in 的 between the words and a share of it
    r"[ \t]*(?:of[ \t]+|is[ \t]+|为|:)?[ \t]*(?:每(?:分钟|小时))?[ \t]*(?:[\u4e00-\u9fff]{1,6}的)?[ \t]*$", re.I)
SUFFIX_CMP = re.compile(
    r"^[ \t]*(?:(?P<ge>\+(?![0-9])|or (?:more|greater|higher|above|over|longer|older|larger|bigger|wider|heavier|thicker)"
    r"|and (?:above|over|older)"
    r"|at (?:the )?least|minimum"
    r"|及以上|或以上|或更多|或更高|以上\(含\))"
    r"|(?P<le>or (?:less|fewer|lower|below|under|shorter|younger|smaller|narrower|lighter|thinner)"
    r"|and (?:below|under|younger)|at (?:the )?most"
    r"|maximum|max\.?"
    r"|及以下|或以下|或更少|或更低|以下)"
    r"|(?P<gt>以上)"
    # 32周前出生 is born before 32 weeks (< 32 wk), 32周后分娩 at 32 weeks or later: a gestational age
    r"|(?P<lt>(?:以前|之前|前)(?=[\u4e00-\u9fff]{0,2}(?:出生|分娩|娩出|生产|早产)))"
    r"|(?P<ge3>(?:以后|之后|后)(?=[\u4e00-\u9fff]{0,2}(?:出生|分娩|娩出|生产))))(?![A-Za-z])", re.I)
_CMP_GROUPS = {"le": "<=", "ge": ">=", "lt": "<", "gt": ">", "le2": "<=", "ge2": ">=", "ge3": ">="}


def comparison_said(m: re.Match[str] | None) -> tuple[str, str]:
    if not m:
        return "", ""
    for group, said in m.groupdict().items():
        if said:
            return _CMP_GROUPS[group], said
    return "", ""  # pragma: no cover - one group always matches
