import factory

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.content import bilingual
from zhongyan.orgs.models import Invitation, JoinRequest, Membership, Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: bilingual(zh=f"组织{n}", en=f"Organisation {n}"))
    kind = Organisation.Kind.BUSINESS_UNIT
    verification = Organisation.Verification.VERIFIED

    class Params:
        pending = factory.Trait(verification=Organisation.Verification.PENDING)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.MEMBER


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
