from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from zhongyan.accounts.models import User
from zhongyan.core.content import bilingual
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory
from zhongyan.notifications.models import NotificationSettings
from zhongyan.orgs.models import Organisation

SECRET_BACKGROUND = bilingual(
    zh="机密背景：氢含量阈值为百万分之零点八。", en="SECRET BACKGROUND: hydrogen limit 0.8 ppm."
)


def make_demand(owner_org: Organisation, owner: User, **traits: Any) -> Demand:
    return DemandFactory(
        organisation=owner_org,
        owner=owner,
        title=bilingual(zh="先进高强汽车板氢脆", en="Hydrogen embrittlement of AHSS sheet"),
        background=SECRET_BACKGROUND,
        **traits,
    )


@pytest.fixture
def public_demand(owner_org: Organisation, owner: User) -> Demand:
    return make_demand(owner_org, owner, published=True)


@pytest.fixture
def nda_demand(owner_org: Organisation, owner: User) -> Demand:
    return make_demand(owner_org, owner, published=True, nda=True)


@pytest.fixture
def internal_demand(owner_org: Organisation, owner: User) -> Demand:
    return make_demand(owner_org, owner, published=True, internal=True)


def speaks(user: User, language: str) -> User:
    NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})
    return user


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request to /en/ leaves English active in the thread; reverse() in the next test would
    then build /en/ URLs. Each test starts in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
