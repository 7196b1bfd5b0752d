import io
from typing import Any

import pytest

from zhongyan.ideas import demo
from zhongyan.ideas.models import Campaign, Comment, Evaluation, Idea, Vote

pytestmark = pytest.mark.django_db


def test_demo_data_loads_both_campaigns_once(
    operator: Any, owner: Any, teammate: Any, solver: Any, reviewer: Any, outsider: Any
) -> None:
    people = {user.email: user for user in (operator, owner, teammate, solver, reviewer, outsider)}
    personas = {"operator": operator, "owner": owner, "contributor": teammate, "solver": solver, "reviewer": reviewer}
    demo.load(io.StringIO(), people=people, personas=personas)
    counts = (
        Campaign.objects.count(),
        Idea.objects.count(),
        Comment.objects.count(),
        Vote.objects.count(),
        Evaluation.objects.count(),
    )
    assert counts[0] == 2 and counts[1] == 7 and counts[2] > 0 and counts[3] > 0 and counts[4] > 0
    assert Campaign.objects.get(slug="demo-hot-strip-ai").anonymous
    assert Idea.objects.filter(promoted_demand__isnull=False).count() == 1
    for idea in Idea.objects.all():
        assert idea.vote_count == idea.votes.count()
    demo.load(io.StringIO(), people=people, personas=personas)
    again = (
        Campaign.objects.count(),
        Idea.objects.count(),
        Comment.objects.count(),
        Vote.objects.count(),
        Evaluation.objects.count(),
    )
    assert again == counts
