from typing import Any

import pytest

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import (
    DemandAttachmentFactory,
    DemandFactory,
    InvitationFactory,
    NdaAcceptanceFactory,
)
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import MembershipFactory


@pytest.fixture
def org_admin(owner_org: Any) -> User:
    """An administrator of the owning organisation who is not the demand's contact."""
    user = UserFactory(email="admin@example.com")
    MembershipFactory(organisation=owner_org, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def nda_solver(solver_org: Any) -> User:
    """A solver who will have accepted the NDA of the demand under test."""
    user = UserFactory(email="nda-solver@example.com")
    MembershipFactory(organisation=solver_org, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def invited(db: None) -> User:
    return UserFactory(email="invited@example.com")


def make_demand(owner_org: Any, owner: User, confidentiality: str, **kwargs: Any) -> Demand:
    traits = {"nda": confidentiality == "nda", "internal": confidentiality == "internal"}
    return DemandFactory(organisation=owner_org, owner=owner, published=True, **traits, **kwargs)


@pytest.fixture
def demand_for(owner_org: Any, owner: User, nda_solver: User, invited: User) -> Any:
    """A published demand of the given confidentiality with an attachment, an NDA acceptance by
    `nda_solver` and an invitation for `invited`."""

    def build(confidentiality: str, **kwargs: Any) -> Demand:
        demand = make_demand(owner_org, owner, confidentiality, **kwargs)
        DemandAttachmentFactory(demand=demand)
        NdaAcceptanceFactory(demand=demand, user=nda_solver)
        InvitationFactory(demand=demand, invitee=invited)
        return demand

    return build
