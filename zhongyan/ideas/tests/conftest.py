from typing import Any

import pytest

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.ideas.models import Campaign, Idea
from zhongyan.ideas.tests.factories import make_campaign, make_idea


@pytest.fixture
def moderator(db: None) -> User:
    return UserFactory(email="moderator@example.com")


@pytest.fixture
def expert(reviewer: User) -> User:
    return reviewer


@pytest.fixture
def campaign(operator: User, moderator: User, expert: User) -> Campaign:
    return make_campaign(operator, moderators=[moderator], experts=[expert])


@pytest.fixture
def idea(campaign: Campaign, teammate: User) -> Idea:
    """A submitted idea by `teammate` (an employee of a business unit)."""
    return make_idea(campaign, teammate)


@pytest.fixture
def people(
    operator: User, moderator: User, expert: User, teammate: User, owner: User, solver: User, outsider: User
) -> dict[str, Any]:
    """The personas of the permission tables, by role in a campaign moderated by `moderator`."""
    return {
        "operator": operator,
        "moderator": moderator,
        "expert": expert,
        "author": teammate,
        "employee": owner,
        "partner": solver,
        "outsider": outsider,
        "anonymous": None,
    }
