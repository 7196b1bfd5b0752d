"""Words of bilingual text for search and the duplicate-hint fallback: jieba for Chinese,
lower-case words for English. Pure Python, no Django."""

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "from",
        "at",
        "is",
        "are",
        "be",
        "this",
        "that",
        "it",
        "as",
        "we",
        "our",
        "can",
        "use",
        "using",
        "into",
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "对",
        "为",
        "是",
        "等",
        "中",
        "其",
        "并",
        "将",
        "由",
        "以",
        "于",
        "从",
        "把",
        "被",
        "这",
        "那",
        "有",
        "个",
        "我们",
        "一种",
        "一个",
        "通过",
        "基于",
        "进行",
        "用于",
        "可以",
        "实现",
        "提高",
        "问题",
        "方法",
        "技术",
    ]
)
_WORD = re.compile(r"[\w\-]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Distinct tokens in order of appearance; single Latin letters and stopwords dropped."""
    seen: dict[str, None] = {}
    for raw in jieba.cut_for_search(text or ""):
        for word in _WORD.findall(raw.lower()):
            if word in _STOP or (word.isascii() and len(word) < 2):
                continue
            seen.setdefault(word, None)
    return list(seen)
