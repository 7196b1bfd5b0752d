"""Full-text search that works in Chinese and English without a search server.

Design choice: each demand keeps a `search_text` column
holding the jieba-tokenised words of every language's title, summary, background, indicators and
keywords, lower case and space separated. A query is tokenised the same way and every token must
occur (AND of `icontains`). Jieba splits "氢脆敏感性" into words the same way on both sides, so a
Chinese query finds Chinese text; English words are kept whole. Chosen over an in-process bm25s
index because it stays correct across several processes and needs no rebuild: the column is
written by the same service call that writes the demand. Ranking is by the list's sort order.
"""

import re
from collections.abc import Iterable

import jieba

jieba.setLogLevel(60)

_WORD = re.compile(r"\w", re.UNICODE)
_STOP = frozenset(
    {"的", "了", "和", "与", "及", "在", "是", "a", "an", "the", "of", "and", "or", "in", "on", "for", "to"}
)
MAX_QUERY_TOKENS = 8


def tokens(text: str) -> list[str]:
    """Lower-case words of `text`; Chinese cut by jieba (search mode), punctuation dropped."""
    words: list[str] = []
    for word in jieba.cut_for_search(text.lower()):
        word = word.strip()
        if word and _WORD.search(word) and word not in _STOP:
            words.append(word)
    return words


def index_text(parts: Iterable[str]) -> str:
    """The search_text column: unique tokens in first-seen order, space separated."""
    seen: dict[str, None] = {}
    for part in parts:
        for word in tokens(part or ""):
            seen.setdefault(word, None)
    return " " + " ".join(seen) + " "


def query_tokens(text: str) -> list[str]:
    """Tokens a query must all match; for Chinese, jieba's default (not search) cut, so a long
    compound must match as written, and duplicates removed."""
    text = (text or "").strip().lower()[:200]
    if not text:
        return []
    result: list[str] = []
    for word in jieba.cut(text):
        word = word.strip()
        if word and _WORD.search(word) and word not in _STOP and word not in result:
            result.append(word)
    return result[:MAX_QUERY_TOKENS]
