import pytest

from zhongyan.core.errors import IllegalTransition
from zhongyan.core.lifecycle import allowed_targets, check_transition

TRANSITIONS = {"draft": {"published"}, "published": {"closed"}, "closed": set()}


def test_allowed_move_passes() -> None:
    check_transition(TRANSITIONS, "draft", "published")


def test_illegal_move_is_refused() -> None:
    with pytest.raises(IllegalTransition):
        check_transition(TRANSITIONS, "closed", "draft")


def test_allowed_targets_lists_the_next_states() -> None:
    assert allowed_targets(TRANSITIONS, "draft") == ["published"]
