"""Small bilingual fixtures for the Django-side tests (the engine's own set is data/devset.json)."""

from typing import Any

import pytest

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import FieldFactory, UserFactory
from zhongyan.catalog.tests.factories import OfferingFactory
from zhongyan.core.content import bilingual
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory
from zhongyan.matching import pgvector, registry, services
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.orgs.tests.factories import MembershipFactory, OrganisationFactory

BF_DEMAND = {
    "title": bilingual(zh="高炉喷煤降低焦比", en="Raise pulverized coal injection to cut the coke rate"),
    "summary": bilingual(zh="提高高炉喷煤比，降低焦比和燃料比。", en="Raise the PCI rate of our blast furnace."),
    "background": bilingual(zh="风口回旋区燃烧不充分，未燃煤粉增多。", en="Unburnt char rises in the raceway."),
}


@pytest.fixture(autouse=True)
def _fresh_index() -> Any:
    """The index and the pgvector check are per process: forget what an earlier test's database put there."""
    registry.reset()
    pgvector._checked.clear()
    yield
    registry.reset()
    pgvector._checked.clear()


def expert(name: str, bio: dict[str, str], *, fields: list[Any] = (), publications: str = "", **extra: Any) -> User:
    user = UserFactory(display_name=bilingual(en=name), bio=bio, publications=publications, **extra)
    if fields:
        user.fields.set(fields)
    return user


@pytest.fixture
def ironmaking() -> Any:
    return FieldFactory(code="ironmaking", name=bilingual(zh="炼铁", en="Ironmaking"))


@pytest.fixture
def bf_demand(owner: User, owner_org: Any, ironmaking: Any) -> Demand:
    return DemandFactory(organisation=owner_org, owner=owner, published=True, field_list=[ironmaking], **BF_DEMAND)


@pytest.fixture
def experts(solver: User, solver_org: Any, teammate: User, ironmaking: Any) -> dict[str, User]:
    """A cross-language pool: the solver (English, ironmaking), a Chinese expert, an unrelated one,
    the owner's teammate, an unavailable expert — all strong on the blast furnace except `rolling`."""
    solver.display_name = bilingual(en="Dr Ada Furnace")
    solver.bio = bilingual(en="Blast furnace pulverized coal injection, raceway combustion and coke rate reduction.")
    solver.publications = "Combustion of coal blends in the blast furnace raceway"
    solver.save()
    solver.fields.set([ironmaking])
    people = {
        "solver": solver,
        "zh": expert(
            "Li Lu", bilingual(zh="长期从事高炉喷煤与风口回旋区煤粉燃烧研究，降低焦比。"), fields=[ironmaking]
        ),
        "rolling": expert("Rolf Mill", bilingual(en="Chatter vibration of cold tandem rolling mills.")),
        "busy": expert(
            "Bea Busy",
            bilingual(en="Blast furnace coal injection and coke rate optimisation."),
            fields=[ironmaking],
            availability=User.Availability.UNAVAILABLE,
        ),
        "teammate": teammate,
    }
    teammate.bio = bilingual(zh="高炉喷煤操作与焦比控制。")
    teammate.save()
    services.reindex_experts(User.objects.prefetch_related("fields"))
    return people


def member(org: Any, user: User, role: str = Membership.Role.MEMBER) -> None:
    MembershipFactory(organisation=org, user=user, role=role)


BLAST_FURNACE_EN = (
    "We study blast furnace pulverized coal injection, raceway combustion of coal blends and coke rate "
    "reduction, with pilot tests on oxygen-enriched injection lances."
)


@pytest.fixture
def partner(ironmaking: Any) -> Organisation:
    """Described in English only, with a matching technology in its catalogue."""
    organisation = OrganisationFactory(
        kind=Organisation.Kind.INSTITUTE,
        name=bilingual(en="Raceway Combustion Laboratory"),
        description=bilingual(en=BLAST_FURNACE_EN),
    )
    organisation.fields.set([ironmaking])
    OfferingFactory(
        organisation=organisation,
        title=bilingual(en="Oxygen-enriched coal injection lance"),
        description=bilingual(en="A lance that raises the pulverized coal injection rate and cuts the coke rate."),
    )
    return organisation
