from typing import Any

import pytest

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.orgs.tests.factories import MembershipFactory


@pytest.fixture
def org_admin(owner_org: Organisation) -> User:
    """An administrator (not owner) of the owner's organisation."""
    user = UserFactory(email="orgadmin@example.com")
    MembershipFactory(organisation=owner_org, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def colleague(owner_org: Organisation) -> Membership:
    """A second plain member of the owner's organisation, the target of role changes and removals."""
    return MembershipFactory(organisation=owner_org, user=UserFactory(email="colleague@example.com"))


@pytest.fixture
def personas(operator: User, owner: User, org_admin: User, teammate: User, solver: User) -> dict[str, Any]:
    return {
        "operator": operator,
        "owner": owner,
        "org_admin": org_admin,
        "member": teammate,
        "outsider": solver,
        "anonymous": None,
    }
