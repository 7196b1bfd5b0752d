"""Factories for demands. Other apps' tests (proposals, matching, notifications) import these.

DemandFactory()                          a public draft of a fresh business unit
DemandFactory(published=True)            open for proposals, deadline in 30 days
DemandFactory(published=True, nda=True)  NDA-gated, with frozen NDA text
DemandFactory(published=True, internal=True)
DemandFactory(closed=True) / (evaluating=True) / (awarded=True) / (in_review=True)
DemandFactory(organisation=owner_org, owner=owner, published=True)
"""

import hashlib
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.content import all_text, bilingual
from zhongyan.demands import search
from zhongyan.demands.models import (
    Demand,
    DemandAttachment,
    Follow,
    Indicator,
    Invitation,
    NdaAcceptance,
    NdaTemplate,
    Question,
)
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import OrganisationFactory

DEFAULT_NDA = bilingual(
    zh="保密协议：接收方对需求方披露的技术资料负有保密义务，未经书面同意不得向第三方披露。",
    en="Non-disclosure agreement: the recipient keeps the technical information disclosed by the "
    "demand owner confidential and discloses none of it to a third party without written consent.",
)


def _search_text(demand: Demand) -> str:
    parts = [all_text(demand.title), all_text(demand.summary), all_text(demand.background), demand.keywords]
    return search.index_text(parts)


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(
        lambda n: bilingual(zh=f"技术需求{n}：带钢表面缺陷检测", en=f"Demand {n}: strip surface defects")
    )
    summary = bilingual(
        zh="需要一种在线检测冷轧带钢表面缺陷的方法。", en="An inline method to detect surface defects on cold strip."
    )
    background = bilingual(zh="现有人工检测漏检率高。", en="Manual inspection misses too many defects.")
    deliverables = bilingual(zh="检测系统原型", en="A prototype inspection system")
    budget_min = 200_000
    budget_max = 800_000
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    modes = factory.LazyFunction(lambda: [Demand.Mode.COMMISSIONED.value])
    ip_terms = Demand.IpTerms.NON_EXCLUSIVE_LICENCE
    confidentiality = Demand.Confidentiality.PUBLIC
    status = Demand.Status.DRAFT
    keywords = ""
    search_text = factory.LazyAttribute(_search_text)

    class Params:
        in_review = factory.Trait(status=Demand.Status.IN_REVIEW)
        published = factory.Trait(
            status=Demand.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
        closed = factory.Trait(
            status=Demand.Status.CLOSED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=40)),
            deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
            closed_at=factory.LazyFunction(timezone.now),
        )
        evaluating = factory.Trait(
            status=Demand.Status.EVALUATING,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=40)),
            deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
            closed_at=factory.LazyFunction(timezone.now),
        )
        awarded = factory.Trait(
            status=Demand.Status.AWARDED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(days=20)),
            closed_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=20)),
        )
        nda = factory.Trait(
            confidentiality=Demand.Confidentiality.NDA,
            nda_text=factory.LazyFunction(lambda: dict(DEFAULT_NDA)),
            nda_version=1,
        )
        internal = factory.Trait(confidentiality=Demand.Confidentiality.INTERNAL)

    @factory.post_generation
    def owner_membership(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The contact belongs to the owning organisation (as an admin unless already a member)."""
        if create:
            Membership.objects.get_or_create(
                organisation=self.organisation, user=self.owner, defaults={"role": Membership.Role.ADMIN}
            )

    @factory.post_generation
    def field_list(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        """DemandFactory(field_list=[field, ...]) sets the taxonomy fields."""
        if create and extracted:
            self.fields.set(extracted)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    demand = factory.SubFactory(DemandFactory)
    name = factory.Sequence(lambda n: bilingual(zh=f"指标{n}", en=f"Indicator {n}"))
    target = "≥ 95"
    unit = "%"
    position = factory.Sequence(lambda n: n)


class DemandAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandAttachment
        exclude = ("content",)

    demand = factory.SubFactory(DemandFactory)
    content = b"%PDF-1.4 confidential drawing\n"
    original_name = "drawing.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda o: o.demand.owner)
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="upload"))


class NdaTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NdaTemplate

    title = "Standard NDA"
    text = factory.LazyFunction(lambda: dict(DEFAULT_NDA))
    version = factory.Sequence(lambda n: n + 1)
    is_active = True


class NdaAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NdaAcceptance

    demand = factory.SubFactory(DemandFactory, published=True, nda=True)
    user = factory.SubFactory(UserFactory)
    organisation = None
    text_hash = factory.LazyAttribute(lambda o: o.demand.nda_text_hash())


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    demand = factory.SubFactory(DemandFactory, published=True)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Question {n}: which steel grades are in scope?")
    is_public = True

    class Params:
        answered = factory.Trait(
            answer="DP780 and DP980.",
            answered_by=factory.LazyAttribute(lambda o: o.demand.owner),
            answered_at=factory.LazyFunction(timezone.now),
        )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    demand = factory.SubFactory(DemandFactory, published=True)
    invitee = factory.SubFactory(UserFactory)
    invited_by = factory.LazyAttribute(lambda o: o.demand.owner)
    status = Invitation.Status.PENDING


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    demand = factory.SubFactory(DemandFactory, published=True)
    user = factory.SubFactory(UserFactory)
