"""Seeded meaning changes and meaning-preserving rewrites of the real library's translations.

Each mutator takes a translation and yields changed versions, one change each. The sites are
found with plain patterns of their own, not with the checks' vocabularies, so a catch rate
measured here is not the checks agreeing with themselves. Used by tests/test_meaning.py and,
for a printed table of catch rates per class, by ``python tests/meaning_mutations.py``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from carebridge.i18n.extract import markup_fields
from carebridge.safety.equivalence import check_translation
from carebridge.safety.findings import Finding
from carebridge.safety.glossary import Glossary, load_glossary

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "locales" / "zh_CN"


@dataclass(frozen=True)
class Entry:
    catalog: str
    line: int
    source: str
    translation: str
    markup: bool


def library() -> tuple[list[Entry], Glossary]:
    glossary, _ = load_glossary(LOCALE / "glossary.yaml", "glossary.yaml", "zh_CN")
    fields = markup_fields(REPO / "schema" / "protocol.schema.json")
    entries = []
    for path in sorted((LOCALE / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if isinstance(message.id, str) and message.id and isinstance(message.string, str) and message.string:
                field = str(message.context or "").rsplit(".", 1)[-1]
                entries.append(Entry(path.name, message.lineno, message.id, message.string,
                                     path.stem != "site" and field in fields))
    return entries, glossary


def errors(entry: Entry, translation: str, glossary: Glossary) -> list[Finding]:
    return [f for f in check_translation(entry.source, translation, glossary=glossary, markup=entry.markup)
            if f.severity == "error"]


def findings(entry: Entry, translation: str, glossary: Glossary) -> list[Finding]:
    return check_translation(entry.source, translation, glossary=glossary, markup=entry.markup)


# ---------------------------------------------------------------- seeded changes

Mutator = Callable[[str, str], Iterator[str]]
_CJK = r"[\u4e00-\u9fff]"
# words that hold a negation character without negating: never mutated
_LEXICAL = re.compile(r"不适|不良|不同|不断|不仅|不论|不久|不过|不少|不管|无菌|无论|无误|无力|未来|是否|有无|与否|能否|非常"
                      r"|非处方|否则|不得不|(?:不|未)(?:超过|少于|低于|高于|大于|小于|足|到|满)")


def _each(pattern: str, replace: Callable[[re.Match[str]], str]) -> Mutator:
    compiled = re.compile(pattern)

    def mutate(source: str, text: str) -> Iterator[str]:
        lexical = [m.span() for m in _LEXICAL.finditer(text)]
        for m in compiled.finditer(text):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in lexical):
                continue
            yield text[:m.start()] + replace(m) + text[m.end():]
    return mutate


def _swap(pairs: dict[str, str], *, when: Callable[[str], bool] = lambda s: True) -> Mutator:
    pattern = re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))

    def mutate(source: str, text: str) -> Iterator[str]:
        if not when(source):
            return
        for m in pattern.finditer(text):
            yield text[:m.start()] + pairs[m.group()] + text[m.end():]
    return mutate


def _swap_all(pairs: dict[str, str]) -> Mutator:
    """Exchange every pair at once (左 ↔ 右 throughout): a message naming both keeps both."""
    pattern = re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))

    def mutate(source: str, text: str) -> Iterator[str]:
        if pattern.search(text):
            yield pattern.sub(lambda m: pairs[m.group()], text)
    return mutate


_DRUGS = ["缩宫素", "卡贝缩宫素", "氨甲环酸", "米索前列醇", "硫酸镁", "拉贝洛尔", "硝苯地平", "肼屈嗪", "阿司匹林",
          "坦索罗辛", "对乙酰氨基酚", "布洛芬", "氯己定", "哌拉西林他唑巴坦", "卡前列素氨丁三醇", "肝素", "吗啡",
          "肾上腺素", "阿托品", "胺碘酮", "替格瑞洛", "氯吡格雷", "尿激酶", "阿替普酶", "呋塞米", "地塞米松"]


def _replace_drug(source: str, text: str) -> Iterator[str]:
    names = sorted(_DRUGS, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, names)))
    for m in pattern.finditer(text):
        other = next(d for d in _DRUGS if d != m.group() and d not in text and m.group() not in d)
        yield text[:m.start()] + other + text[m.end():]


_ZH_CLAUSE = re.compile(r"[，；。！？\n]")
_NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9.])")


def _swap_numbers(source: str, text: str) -> Iterator[str]:
    """Two different numbers in different clauses exchange places."""
    numbers = list(_NUMBER.finditer(text))
    for i, a in enumerate(numbers):
        for b in numbers[i + 1:]:
            if a.group() == b.group() or not _ZH_CLAUSE.search(text, a.end(), b.start()):
                continue
            yield text[:a.start()] + b.group() + text[a.end():b.start()] + a.group() + text[b.end():]
            break


_ROUTES = ["静脉注射", "肌内注射", "口服", "皮下注射", "舌下含服", "静脉滴注", "静脉给药", "肌注", "静脉"]


def _swap_routes(source: str, text: str) -> Iterator[str]:
    found = [m for m in re.finditer("|".join(_ROUTES), text)]
    kinds = {m.group()[:2] for m in found}
    if len(kinds) >= 2:
        a, b = found[0], next(m for m in found if m.group()[:2] != found[0].group()[:2])
        yield text[:a.start()] + b.group() + text[a.end():b.start()] + a.group() + text[b.end():]


_VERBS = re.compile(r"(?<!不要)(?<!不得)(?<![不勿无未])(?:给予|使用|测量|选择|停用|加用|发送|采集)")


def _move_negation(source: str, text: str) -> Iterator[str]:
    """不要 taken from its verb and put before a verb of another clause."""
    for neg in re.finditer(r"不要|不得|切勿", text):
        rest = text[:neg.start()] + text[neg.end():]
        for verb in _VERBS.finditer(rest):
            if abs(verb.start() - neg.start()) > 2 and _ZH_CLAUSE.search(rest, min(verb.start(), neg.start()),
                                                                          max(verb.start(), neg.start())):
                yield rest[:verb.start()] + neg.group() + rest[verb.start():]
                break


def _swap_placeholders(source: str, text: str) -> Iterator[str]:
    names = list(dict.fromkeys(re.findall(r"\{[a-z_]+\}", text)))
    if len(names) >= 2:
        a, b = names[:2]
        yield text.replace(a, "\0").replace(b, a).replace("\0", b)


# Tests named in the real translations, as a Chinese protocol names them (a list of this file's own,
# not the investigation check's): one replaced by another, or one left out of a list of tests.
_TESTS = ("全血细胞计数", "血常规", "C反应蛋白", "血培养", "尿培养", "心电图", "肌钙蛋白", "凝血功能", "血气分析", "腰椎穿刺",
          "尿液检查", "胸部X线", "血乳酸", "胆红素", "超声检查", "磁共振")
_TEST = "|".join(sorted(_TESTS, key=len, reverse=True))


def _replace_test(source: str, text: str) -> Iterator[str]:
    named = set(re.findall(_TEST, text))
    other = next(t for t in ("降钙素原", "D-二聚体", "甲状腺功能", "肝功能") if t not in text)
    for m in re.finditer(_TEST, text):
        if m.group() in named:
            yield text[:m.start()] + other + text[m.end():]


def _drop_test(source: str, text: str) -> Iterator[str]:
    """A test left out of a list: "、C反应蛋白" or "C反应蛋白、" removed, "和血培养" likewise."""
    gloss = r"(?:[（(][A-Za-z0-9-]+[）)])?"  # C反应蛋白（CRP）: the name and its gloss go together
    for m in re.finditer(rf"(?:[、和及]|以及)(?:{_TEST}){gloss}|(?:{_TEST}){gloss}、", text):
        yield text[:m.start()] + text[m.end():]


MUTATIONS: dict[str, list[Mutator]] = {
    "negation removed": [
        _each(r"不(?=要|得|能|应|可|会|宜|必|需|再|做|进行|给|使用|建议)", lambda m: ""),
        _each(r"切勿|请勿|勿|禁止|严禁", lambda m: "应"),
        _each(r"避免", lambda m: "注意"),
        _each(r"没有", lambda m: "有"),
        _each(rf"无(?={_CJK})", lambda m: "有"),
        _each(rf"未(?={_CJK})", lambda m: "已"),
    ],
    "negation added": [
        _each(r"(?<!不要)(?<!不得)(?<![不勿无未])(?:给予|使用|测量|呼叫|记录|发送|转诊|开始)", lambda m: "不要" + m.group()),
    ],
    "negation moved": [_move_negation],
    "side swapped": [
        _swap_all({"左": "右", "右": "左"}),
        _swap({"上尿路": "下尿路", "下尿路": "上尿路", "上肢": "下肢", "下肢": "上肢", "上腹": "下腹", "下腹": "上腹",
               "近端": "远端", "远端": "近端", "上方": "下方", "下方": "上方", "低于膀胱": "高于膀胱"}),
    ],
    "site swapped": [
        _swap({"外周静脉": "中心静脉", "中心静脉": "外周静脉", "股静脉": "颈内静脉", "颈静脉": "股静脉",
               "锁骨下静脉": "股静脉", "口温": "腋温", "腋温": "口温", "直肠温度": "口腔温度", "动脉": "静脉"}),
    ],
    "or/and exchanged": [
        _each(r"或(?!者|是|以上|以下|更|多|许)", lambda m: "和"),
        _each(r"或者", lambda m: "以及"),
        _each(r"(?<![总饱缓温])和(?![/（(])|(?<![涉以普危波企不顾触叩可])及(?!时|以上|以下|早|格)", lambda m: "或"),
    ],
    "medicine replaced": [_replace_drug],
    "unit changed": [
        _swap({"mg/dL": "g/dL", "μmol/L": "mmol/L", "mmol/L": "μmol/L", "°C": "°F", "℃": "℉", "%": "‰",
               "毫克": "克", "微克": "毫克", "mmHg": "kPa"}),
    ],
    "frequency changed": [
        _swap({"每日": "每周", "每天": "每月", "每小时": "每日", "每周": "每日", "每晚": "每周", "每月": "每年"}),
    ],
    "routes exchanged": [_swap_routes],
    "thresholds exchanged": [_swap_numbers],
    "placeholders exchanged": [_swap_placeholders],
    "test replaced": [_replace_test],
    "test dropped": [_drop_test],
}


# ---------------------------------------------------------------- rewrites that keep the meaning

REWRITES: dict[str, Callable[[str], str]] = {
    "不要 → 切勿": lambda t: re.sub(r"不要", "切勿", t),
    "每日 → 每天": lambda t: t.replace("每日", "每天"),
    "和 → 及": lambda t: re.sub(r"(?<=[\u4e00-\u9fff])和(?=[\u4e00-\u9fff])", "及", t),
    "或 → 或者": lambda t: re.sub(r"(?<![（(])或(?!者|是|以上|以下|更|多|[）)])", "或者", t),
    "full-width digits": lambda t: re.sub(r"(?<![A-Za-z0-9/\-])[0-9]+(?![A-Za-z0-9])",
                                          lambda m: m.group().translate({c: c + 0xFEE0 for c in range(48, 58)}), t),
    "30分钟 → 半小时": lambda t: re.sub(r"(?<![0-9至～~\-])30分钟", "半小时", t),
    "每日2次 → 每日两次": lambda t: t.replace("每日2次", "每日两次").replace("每日1次", "每日一次"),
    "mg → 毫克": lambda t: re.sub(r"(?<=[0-9] )mg(?![/A-Za-z])|(?<=[0-9])mg(?![/A-Za-z])", "毫克", t),
    "≥ → 及以上": lambda t: re.sub(r"≥([0-9.]+)(分|次/分|mmHg| mmHg)?", lambda m: f"{m.group(1)}{m.group(2) or ''}及以上", t),
    "静脉给药 → 静脉滴注": lambda t: t.replace("静脉给药", "静脉滴注"),
    "避免 → 切勿": lambda t: t.replace("避免", "切勿"),
}


def catch_rates() -> dict[str, tuple[int, int, list[tuple[Entry, str]]]]:
    """Per class: (caught, seeded, the ones missed)."""
    entries, glossary = library()
    rates: dict[str, tuple[int, int, list[tuple[Entry, str]]]] = {}
    for name, mutators in MUTATIONS.items():
        caught = seeded = 0
        missed: list[tuple[Entry, str]] = []
        for entry in entries:
            for mutate in mutators:
                for changed in mutate(entry.source, entry.translation):
                    if changed == entry.translation:
                        continue
                    seeded += 1
                    if errors(entry, changed, glossary):
                        caught += 1
                    else:
                        missed.append((entry, changed))
        rates[name] = (caught, seeded, missed)
    return rates


if __name__ == "__main__":  # pragma: no cover - a report for people, not a test
    show = "-v" in sys.argv
    for name, (caught, seeded, missed) in catch_rates().items():
        print(f"{name:24} {caught:4}/{seeded:<4} caught")
        for entry, changed in missed[:50] if show else []:
            print(f"    {entry.catalog}:{entry.line}\n    EN: {entry.source[:300]}\n    ZH: {changed[:300]}")
