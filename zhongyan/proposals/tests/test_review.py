from decimal import Decimal

import pytest
from django.urls import reverse

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.content import bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.proposals import ranking, services
from zhongyan.proposals.models import ClarificationRequest, Proposal, ReviewAssignment, Score
from zhongyan.proposals.tests.helpers import all_scores, cleared_reviewer, pass_deadline, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(nda_solver, demand) -> Proposal:
    proposal = submit(nda_solver, demand)
    pass_deadline(demand)
    proposal.refresh_from_db()
    return proposal


def test_assigning_a_reviewer_creates_the_default_rubric_and_audits(owner, demand, reviewer):
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    assert assignment.status == ReviewAssignment.Status.PENDING
    assert demand.rubric.criteria.count() == 4
    assert AuditEntry.objects.filter(verb="proposal.reviewer_assigned").exists()


def test_assigning_twice_keeps_one_assignment(owner, demand, reviewer):
    first = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    assert services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer) == first


def test_a_solver_of_the_demand_cannot_review_it(owner, demand, proposal, nda_solver):
    with pytest.raises(services.ReviewerIsSolver):
        services.assign_reviewer(actor=owner, demand=demand, reviewer=nda_solver)


def test_only_managers_assign_reviewers(teammate, demand, reviewer):
    with pytest.raises(NotPermitted):
        services.assign_reviewer(actor=teammate, demand=demand, reviewer=reviewer)


def test_declared_conflict_blocks_scoring(owner, demand, reviewer, proposal):
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    services.declare_conflict(actor=reviewer, assignment=assignment, has_conflict=True, statement="我曾指导该团队")
    with pytest.raises(NotPermitted):
        services.score_proposal(actor=reviewer, proposal=proposal, scores=all_scores(demand, 4))
    assert not Score.objects.exists()
    assert AuditEntry.objects.get(verb="proposal.conflict_declared").data["conflict"] is True


def test_a_conflict_needs_a_statement(owner, demand, reviewer):
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    with pytest.raises(DomainError):
        services.declare_conflict(actor=reviewer, assignment=assignment, has_conflict=True, statement=" ")


def test_a_declared_conflict_cannot_be_taken_back(owner, demand, reviewer):
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    services.declare_conflict(actor=reviewer, assignment=assignment, has_conflict=True, statement="亲属")
    with pytest.raises(DomainError):
        services.declare_conflict(actor=reviewer, assignment=assignment, has_conflict=False)


def test_undeclared_reviewer_cannot_score(owner, demand, reviewer, proposal):
    services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    with pytest.raises(NotPermitted):
        services.score_proposal(actor=reviewer, proposal=proposal, scores=all_scores(demand, 4))


def test_scoring_waits_for_the_deadline(owner, nda_solver, demand, reviewer):
    proposal = submit(nda_solver, demand)
    cleared_reviewer(owner, demand, reviewer)
    with pytest.raises(NotPermitted):
        services.score_proposal(actor=reviewer, proposal=proposal, scores=all_scores(demand, 4))


def test_incomplete_review_cannot_be_submitted(owner, demand, reviewer, proposal):
    cleared_reviewer(owner, demand, reviewer)
    criterion = demand.rubric.criteria.first()
    with pytest.raises(services.IncompleteReview):
        services.submit_review(
            actor=reviewer, proposal=proposal, scores={criterion.public_id: services.ScoreInput(value=5)}
        )
    assert not proposal.review_submissions.exists()


def test_out_of_range_score_is_refused(owner, demand, reviewer, proposal):
    cleared_reviewer(owner, demand, reviewer)
    with pytest.raises(DomainError):
        services.score_proposal(actor=reviewer, proposal=proposal, scores=all_scores(demand, 6))


def test_submitted_review_is_final(owner, demand, reviewer, proposal):
    cleared_reviewer(owner, demand, reviewer)
    services.submit_review(actor=reviewer, proposal=proposal, scores=all_scores(demand, 4))
    with pytest.raises(services.ReviewClosed):
        services.score_proposal(actor=reviewer, proposal=proposal, scores=all_scores(demand, 1))
    assert set(Score.objects.values_list("value", flat=True)) == {4}


def test_reviewer_sees_other_scores_only_after_submitting(owner, demand, reviewer, proposal, as_user):
    other = UserFactory()
    cleared_reviewer(owner, demand, reviewer)
    cleared_reviewer(owner, demand, other)
    services.submit_review(actor=other, proposal=proposal, scores=all_scores(demand, 2, "方法欠成熟"))
    assignment = ReviewAssignment.objects.get(reviewer=reviewer)
    url = reverse("proposals:review_score", args=[assignment.public_id, proposal.public_id])
    before = as_user(reviewer).get(url)
    assert before.status_code == 200
    assert "方法欠成熟".encode() not in before.content
    services.submit_review(actor=reviewer, proposal=proposal, scores=all_scores(demand, 5))
    after = as_user(reviewer).get(url)
    assert "方法欠成熟".encode() in after.content


def test_ranking_weights_the_averages(owner, demand, proposal):
    rubric = services.ensure_rubric(demand)
    services.save_rubric(
        actor=owner,
        demand=demand,
        criteria=[
            services.CriterionInput(name=bilingual(en="Merit"), weight=3),
            services.CriterionInput(name=bilingual(en="Cost"), weight=1),
        ],
    )
    merit, cost = rubric.criteria.order_by("position")
    first, second = UserFactory(), UserFactory()
    for reviewer, values in ((first, (5, 1)), (second, (4, 3))):
        cleared_reviewer(owner, demand, reviewer)
        services.submit_review(
            actor=reviewer,
            proposal=proposal,
            scores={merit.public_id: services.ScoreInput(values[0]), cost.public_id: services.ScoreInput(values[1])},
        )
    [row] = ranking.rank_proposals(demand, [proposal])
    assert [a.average for a in row.averages] == [Decimal("4.50"), Decimal("2.00")]
    assert row.weighted == Decimal("3.88")
    assert row.reviews == 2 and row.rank == 1


def test_unsubmitted_scores_do_not_count_in_the_ranking(owner, demand, reviewer, proposal):
    cleared_reviewer(owner, demand, reviewer)
    services.score_proposal(actor=reviewer, proposal=proposal, scores=all_scores(demand, 5))
    [row] = ranking.rank_proposals(demand, [proposal])
    assert row.weighted is None and row.rank is None


def test_rubric_criterion_with_scores_cannot_be_removed(owner, demand, reviewer, proposal):
    cleared_reviewer(owner, demand, reviewer)
    services.score_proposal(actor=reviewer, proposal=proposal, scores=all_scores(demand, 3))
    with pytest.raises(services.RubricInUse):
        services.save_rubric(
            actor=owner, demand=demand, criteria=[services.CriterionInput(name=bilingual(en="New"), weight=1)]
        )


def test_owner_shortlists_and_unshortlists(owner, proposal):
    services.shortlist_proposal(actor=owner, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SHORTLISTED
    services.shortlist_proposal(actor=owner, proposal=proposal, shortlisted=False)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED


def test_clarification_goes_to_the_solver_and_back(owner, nda_solver, proposal):
    request = services.request_clarification(actor=owner, proposal=proposal, question="检测速度能否达到 1200 m/min？")
    services.answer_clarification(actor=nda_solver, request=request, answer="可以，已在中试线验证。")
    request.refresh_from_db()
    assert request.is_answered and request.answer.startswith("可以")
    assert AuditEntry.objects.filter(verb="proposal.clarification_answered").exists()


def test_only_the_solver_answers_a_clarification(owner, proposal, outsider):
    request = services.request_clarification(actor=owner, proposal=proposal, question="?")
    with pytest.raises(NotPermitted):
        services.answer_clarification(actor=outsider, request=request, answer="no")
    assert not ClarificationRequest.objects.get().is_answered
