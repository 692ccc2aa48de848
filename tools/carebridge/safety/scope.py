"""What a negation covers: "not every" (some may, some may not) against "every … not" (none may).

"Not every child with a fever needs antibiotics" as 每个发热的孩子都不需要使用抗生素 keeps its one
negation, but says that no child needs them: a septic child goes without. The counts of the negation
check cannot see it. Chinese says the partial negation with 并非/不是/未必/不一定 before the
quantifier (并非每个……都, 不一定都, 不是所有……都) and the total one with the quantifier first and the
negation after 都/均 (每个……都不, 所有……均不, 一律不); English says the partial one with "not every",
"not all", "not always", "not necessarily" and the total one with "no", "none", "never". Reported
(as ``negation``) when the source says one and the translation only the other.
"""

from __future__ import annotations

import re

from .findings import Finding
from .pair import Pair

_EN_PARTIAL = re.compile(r"(?i)\bnot (?:every|all|each|everyone|everybody|always|necessarily|everything)\b"
                         r"|\bnot (?:\w+ ){0,2}(?:every|all) (?:of )?(?:the )?\w+|\bnot everyone\b")
_EN_TOTAL = re.compile(r"(?i)\b(?:no|none of (?:the|these|them)|never|nobody|no one)\b")
_ZH_PARTIAL = re.compile(r"(?:并非|不是|并不是|未必|不一定|不见得|不必然)[^，,。；;]{0,16}?(?:每|所有|全部|都|总|一律|均|一定|任何)"
                         r"|不(?:都|全|总|一定)(?:是|需要|要|会|能|有|适用|必须)|(?:并未|未|没有|没)(?:全部|全都|都)")
_ZH_TOTAL = re.compile(r"(?:每(?:个|位|名|一|例|次)?|所有|全部|一切|任何|凡)[^，,。；;]{0,20}?(?:都|均|皆|一律|全)"
                       r"(?:不|没|无|未|禁|勿|免)|(?:一律|均|全都|都|全部|所有)(?:不|未|没|禁止|禁用|无需|不必|不要)|(?:总是|始终|从)不")
_HINT = ("keep what the negation covers: 'not every' is 并非每个……都 or 不一定都 (some may), "
         "'every … not' or 'no' is 每个……都不 or 均不 (none may)")


def scope_findings(pair: Pair) -> list[Finding]:
    """A partial negation made total, or a total one made partial."""
    source, translation = pair.text("en"), pair.text(pair.language)
    en_partial, zh_partial = bool(_EN_PARTIAL.search(source)), bool(_ZH_PARTIAL.search(translation))
    zh_total = bool(_ZH_TOTAL.search(translation))
    if en_partial and zh_total and not zh_partial:
        return [Finding("negation", "error", "negation scope changed: the source says not every (some may), the "
                        "translation says none", _HINT)]
    if zh_partial and not en_partial and _EN_TOTAL.search(source) and not zh_total:
        return [Finding("negation", "error", "negation scope changed: the source says none, the translation says "
                        "not every (some may)", _HINT)]
    return []
