import factory

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.catalog.models import Offering
from zhongyan.catalog.services import search_text_of
from zhongyan.core.content import bilingual
from zhongyan.orgs.tests.factories import OrganisationFactory


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    kind = Offering.Kind.TECHNOLOGY
    title = factory.Sequence(lambda n: bilingual(zh=f"高炉喷煤强化技术{n}", en=f"Coal injection technology {n}"))
    description = bilingual(zh="强化风口回旋区煤粉燃烧，降低焦比。", en="Better raceway combustion, lower coke rate.")
    trl = 6
    keywords = ""
    search_text = factory.LazyAttribute(search_text_of)

    class Params:
        draft = factory.Trait(status=Offering.Status.DRAFT)
        lab = factory.Trait(kind=Offering.Kind.LAB, trl=None)
