"""Helpers shared by the ideas services."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from zhongyan.core.content import all_text
from zhongyan.ideas.models import Idea
from zhongyan.ideas.text import tokens


def send_on_commit(signal: Signal, **kwargs: Any) -> None:
    send: Callable[[], Any] = lambda: signal.send(sender=Idea, **kwargs)  # noqa: E731
    transaction.on_commit(send)


def search_text_of(idea: Idea) -> str:
    return " ".join(tokens(f"{all_text(idea.title)}\n{all_text(idea.description)}"))


def locked(idea: Idea) -> Idea:
    """Re-read the idea's row under a lock (a no-op on SQLite, whose IMMEDIATE transactions
    already serialise writers) so two moderators cannot move it at once."""
    fresh = Idea.objects.select_for_update().get(pk=idea.pk)
    idea.stage_id, idea.status, idea.promoted_demand_id = fresh.stage_id, fresh.status, fresh.promoted_demand_id
    idea.vote_count = fresh.vote_count
    idea.hidden_at, idea.hidden_reason, idea.hidden_by_id = fresh.hidden_at, fresh.hidden_reason, fresh.hidden_by_id
    return idea
