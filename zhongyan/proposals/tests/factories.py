"""Factories for proposals and reviews. Prefer the services in tests about behaviour; these make
the states other tests start from.

ProposalFactory()                    a draft to a published public demand
ProposalFactory(submitted=True)      submitted (no receipt: use services.submit_proposal for one)
ReviewAssignmentFactory(cleared=True)
"""

import factory
from django.utils import timezone

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.content import bilingual
from zhongyan.demands.tests.factories import DemandFactory
from zhongyan.proposals.models import Criterion, Proposal, ReviewAssignment, Rubric


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    demand = factory.SubFactory(DemandFactory, published=True)
    solver = factory.SubFactory(UserFactory)
    approach = bilingual(zh="采用深度学习对带钢表面图像进行实时分类。", en="Real-time deep-learning classification.")
    team = bilingual(zh="三名教授，五名博士生", en="Three professors, five PhD students")
    timeline = bilingual(zh="12个月", en="12 months")
    budget = 500_000

    class Params:
        submitted = factory.Trait(status=Proposal.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))
        shortlisted = factory.Trait(status=Proposal.Status.SHORTLISTED, submitted_at=factory.LazyFunction(timezone.now))


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAssignment

    demand = factory.SubFactory(DemandFactory, published=True)
    reviewer = factory.SubFactory(UserFactory)
    assigned_by = factory.LazyAttribute(lambda o: o.demand.owner)

    class Params:
        cleared = factory.Trait(status=ReviewAssignment.Status.CLEARED, declared_at=factory.LazyFunction(timezone.now))
        conflicted = factory.Trait(
            status=ReviewAssignment.Status.CONFLICTED,
            coi_declared=True,
            coi_statement="Former PhD supervisor of a solver",
            declared_at=factory.LazyFunction(timezone.now),
        )


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    demand = factory.SubFactory(DemandFactory, published=True)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    rubric = factory.SubFactory(RubricFactory)
    name = factory.Sequence(lambda n: bilingual(zh=f"标准{n}", en=f"Criterion {n}"))
    weight = 1
    position = factory.Sequence(lambda n: n)
