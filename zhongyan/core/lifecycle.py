"""Explicit lifecycles: a model's status moves only along its transition map."""

from collections.abc import Mapping
from typing import TypeVar

from zhongyan.core.errors import IllegalTransition

S = TypeVar("S", bound=str)


def check_transition(transitions: Mapping[S, frozenset[S] | set[S]], current: S, target: S) -> None:
    """Raise IllegalTransition unless `target` may follow `current`."""
    if target not in transitions.get(current, ()):
        raise IllegalTransition()


def allowed_targets(transitions: Mapping[S, frozenset[S] | set[S]], current: S) -> list[S]:
    return sorted(transitions.get(current, ()))
