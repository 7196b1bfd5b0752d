"""Fixtures for the proposal tests: an NDA demand owned by `owner_org` and helpers that walk a
proposal through the services (submission, review) as the real pages do."""

import pytest

from zhongyan.accounts.models import User
from zhongyan.core.content import bilingual
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory, IndicatorFactory
from zhongyan.orgs.models import Organisation
from zhongyan.proposals.tests.helpers import accept_nda


@pytest.fixture
def demand(owner_org: Organisation, owner: User) -> Demand:
    """A published NDA demand of the owner's business unit, open for 30 days, with two indicators."""
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, nda=True)
    IndicatorFactory(demand=demand, name=bilingual(zh="检出率", en="Detection rate"), target="≥ 98", unit="%")
    IndicatorFactory(demand=demand, name=bilingual(zh="误报率", en="False alarms"), target="≤ 1", unit="%")
    return demand


@pytest.fixture
def nda_solver(solver: User, demand: Demand) -> User:
    """The `solver` persona with the demand's NDA accepted."""
    accept_nda(solver, demand)
    return solver
