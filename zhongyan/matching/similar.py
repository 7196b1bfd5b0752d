"""Similar items, for other modules (idea campaigns show duplicate hints before submission).

`similar_demands` searches only demands the user may see, by their teaser text, so a hint can never
reveal a demand (or an NDA detail) the user is not allowed to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zhongyan.demands.models import Demand
from zhongyan.matching.engine import Match, TextMatcher
from zhongyan.matching.registry import get_index
from zhongyan.matching.services import DEMAND, refresh_demands


def similar_demands(user: Any, text: str, k: int = 5) -> list[tuple[Demand, Match]]:
    """Listed demands visible to `user` closest to `text`, best first."""
    if not text.strip():
        return []
    candidates = {str(d.pk): d for d in Demand.objects.visible_to(user).listed().prefetch_related("fields")}
    if not candidates:
        return []
    refresh_demands(candidates.values())
    index = get_index(DEMAND)
    exclude = set(index.hashes) - set(candidates)
    return [(candidates[m.id], m) for m in index.matcher.search(text, k=k, exclude=exclude) if m.id in candidates]


def similar_texts(texts: Sequence[str], query: str) -> list[float]:
    """One score per text (input order, higher is more similar) — for small ad-hoc lists."""
    if not texts:
        return []
    return TextMatcher(list(texts)).score(query)
