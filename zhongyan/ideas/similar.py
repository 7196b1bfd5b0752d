"""Duplicate hints: existing ideas in the campaign and demands the user may see that resemble a
draft. Scored by the matching engine's `TextMatcher` (bilingual: a Chinese draft finds an English
idea) when it is installed, else by the share of the draft's jieba tokens a candidate contains."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zhongyan.core.content import all_text, localized
from zhongyan.demands.models import Demand
from zhongyan.ideas.models import Campaign, Idea
from zhongyan.ideas.text import tokens

try:
    from zhongyan.matching.engine import TextMatcher
except ImportError:  # the matching engine is optional; the token overlap below stands in
    TextMatcher = None  # type: ignore[assignment,misc]

# How many recent candidates are scored per keystroke pause: the engine embeds each one.
MAX_CANDIDATES = 200
MIN_QUERY_CHARS = 4
ENGINE_THRESHOLD = 0.5
OVERLAP_THRESHOLD = 0.3
DEMAND_STATUSES = ("published", "closed", "evaluating", "awarded")


@dataclass(frozen=True)
class Hint:
    kind: str  # "idea" or "demand"
    object: Any
    score: float

    @property
    def title(self) -> str:
        return localized(self.object.title)


def overlap_scores(texts: Sequence[str], query: str) -> list[float]:
    """Share of the query's tokens found in each text (1.0 = every word of the draft occurs)."""
    wanted = set(tokens(query))
    if not wanted:
        return [0.0] * len(texts)
    return [len(wanted & set(tokens(text))) / len(wanted) for text in texts]


def scores(texts: Sequence[str], query: str, *, engine: bool | None = None) -> tuple[list[float], float]:
    """Scores and the threshold that goes with the method used."""
    use_engine = TextMatcher is not None if engine is None else engine and TextMatcher is not None
    if use_engine and texts:
        return TextMatcher(list(texts)).score(query), ENGINE_THRESHOLD
    return overlap_scores(texts, query), OVERLAP_THRESHOLD


def _text(obj: Any) -> str:
    return f"{all_text(obj.title)}\n{all_text(getattr(obj, 'description', None) or getattr(obj, 'summary', None))}"


def _rank(candidates: list[Any], kind: str, query: str, limit: int, engine: bool | None) -> list[Hint]:
    if not candidates:
        return []
    values, threshold = scores([_text(obj) for obj in candidates], query, engine=engine)
    ranked = sorted(zip(values, range(len(candidates)), strict=True), reverse=True)
    return [Hint(kind, candidates[index], round(value, 3)) for value, index in ranked if value >= threshold][:limit]


def similar(
    *,
    user: Any,
    campaign: Campaign,
    title: str,
    description: str = "",
    exclude: Idea | None = None,
    limit: int = 3,
    engine: bool | None = None,
) -> dict[str, list[Hint]]:
    """{"ideas": [...], "demands": [...]} most similar first; empty lists for a too-short draft."""
    query = f"{title}\n{description}".strip()
    if len(query) < MIN_QUERY_CHARS:
        return {"ideas": [], "demands": []}
    ideas = Idea.objects.visible_to(user).submitted().not_hidden().filter(campaign=campaign)
    if exclude is not None:
        ideas = ideas.exclude(pk=exclude.pk)
    ideas = ideas.order_by("-vote_count", "-submitted_at")[:MAX_CANDIDATES]
    demands = Demand.objects.visible_to(user).filter(status__in=DEMAND_STATUSES).order_by("-published_at")
    return {
        "ideas": _rank(list(ideas), "idea", query, limit, engine),
        "demands": _rank(list(demands[:MAX_CANDIDATES]), "demand", query, limit, engine),
    }
