"""Bilingual tokenisation for the lexical side of the matching engine.

Chinese runs are cut with jieba in search mode (a compound such as 连铸漏钢预报 yields both the
compound and its parts, which lets a demand written with a longer compound still hit a profile
written with the short words). Latin runs are lower-cased words with stopwords removed and a light
suffix-stripping stemmer (plural, -ing, -ed, -ation...), enough for profile text without pulling in
a stemming library. Mixed text gets both.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z][A-Za-z0-9\-]*|[0-9]+[A-Za-z]*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_SENTENCE = re.compile(r"(?<=[。！？；;!?])\s*|(?<=\.)\s+(?=[A-Z\u3400-\u9fff])|\n+")


def _words(text: str) -> list[str]:
    return text.split()


EN_STOPWORDS = frozenset(
    _words(
        """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our ours out over own same she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where which while who whom why will
    with would you your yours etc e.g i.e via using use used based new study research studies work works
    including include includes method methods approach application applications system systems"""
    )
)
ZH_STOPWORDS = frozenset(
    _words(
        """的 了 和 与 及 或 在 对 为 是 等 中 其 并 将 由 以 于 从 把 被 这 那 有 个
    我们 我 你 他 她 它 之 也 而 可 能 要 及其 以及 进行 开展 研究 相关 主要 方面
    通过 基于 关于 一种 一个 方法 技术 问题 目前 希望 需要 需求 提供 具有 用于 应用
    分析 实现 提出 工作 长期 从事 负责 参与 现有 我司 公司 本 该 各 多 高 大 新"""
    )
)
# Domain words jieba's general dictionary splits badly; adding them keeps the compound as one term
# (search mode still emits the parts).
DOMAIN_WORDS = _words(
    "高炉 转炉 电弧炉 电炉 连铸 结晶器 漏钢 保护渣 中心偏析 轻压下 热连轧 冷连轧 板形 厚度控制 层流冷却 轧辊 "
    "酸洗 连续退火 热镀锌 锌渣 镀层 锌铝镁 取向硅钢 无取向硅钢 铁损 热成形 铝硅镀层 氢脆 激光拼焊 点焊 液态金属脆 "
    "管线钢 环焊 热影响区 耐候钢 阴极保护 硫化氢 氢致开裂 氢冶金 竖炉 直接还原 富氢 碳捕集 碳足迹 预测性维护 "
    "故障诊断 排产 调度 余热回收 干熄焦 煤气平衡 超声检测 夹杂物 疲劳 烧结 球团 喷煤 焦炭 焦比 燃料比 脱硫 "
    "铁水预处理 真空精炼 钢渣 废钢 电极 带钢 表面缺陷 颤振 高强钢 双相钢 淬火配分 大模型 知识图谱 数字孪生"
)
for _word in DOMAIN_WORDS:
    jieba.add_word(_word, freq=20000)

_SUFFIXES = (
    ("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("ations", "ate"), ("ation", "ate"),
    ("tions", "t"), ("tion", "t"), ("ments", "ment"), ("ness", ""), ("ings", ""), ("ing", ""),
    ("ies", "y"), ("ied", "y"), ("sses", "ss"),
    ("ed", ""), ("es", "e"), ("s", ""),
)  # fmt: skip


def stem(word: str) -> str:
    """Light English stemmer: strip one inflectional/derivational suffix, keep at least 3 letters."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def tokens_with_surface(text: str) -> list[tuple[str, str]]:
    """(index term, surface form as written) pairs; the surface form is what explanations show."""
    out: list[tuple[str, str]] = []
    for run in _RUN.findall(text):
        if _CJK.match(run):
            for word in jieba.lcut_for_search(run):
                if len(word) >= 2 and word not in ZH_STOPWORDS:
                    out.append((word, word))
        else:
            lower = run.lower().strip("-")
            if len(lower) < 2 or lower in EN_STOPWORDS or lower.isdigit():
                continue
            parts = [lower] + ([p for p in lower.split("-") if len(p) > 1] if "-" in lower else [])
            for part in parts:
                if part not in EN_STOPWORDS:
                    out.append((stem(part), run if part == lower else part))
    return out


def tokenize(text: str) -> list[str]:
    return [term for term, _ in tokens_with_surface(text)]


def languages_of(text: str) -> frozenset[str]:
    """Which scripts carry content: 'zh' from 4+ Han characters, 'en' from 3+ Latin words."""
    langs = set()
    if len(_CJK.findall(text)) >= 4:
        langs.add("zh")
    if len(_LATIN_WORD.findall(text)) >= 3:
        langs.add("en")
    return frozenset(langs)


def split_sentences(text: str, *, max_chars: int = 160) -> list[str]:
    """Sentences short enough for the sentence encoder (it is trained on sentences, not pages)."""
    out = []
    for piece in _SENTENCE.split(text):
        piece = piece.strip()
        while len(piece) > max_chars:
            cut = max(piece.rfind(sep, 0, max_chars) for sep in "，, ")
            cut = cut if cut > max_chars // 3 else max_chars
            out.append(piece[:cut].strip(" ，,"))
            piece = piece[cut:].strip(" ，,")
        if piece:
            out.append(piece)
    return out


class SurfaceForms:
    """Remembers the most frequent written form of each index term, to explain matches in the text's own words."""

    def __init__(self) -> None:
        self._forms: dict[str, Counter[str]] = {}

    def feed(self, pairs: Iterable[tuple[str, str]]) -> None:
        for term, surface in pairs:
            if term != surface:
                self._forms.setdefault(term, Counter())[surface] += 1

    def surface(self, term: str) -> str:
        forms = self._forms.get(term)
        return forms.most_common(1)[0][0] if forms else term
