import pytest
from django.urls import reverse

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands.models import Demand
from zhongyan.proposals import ranking, services, signals
from zhongyan.proposals.models import Proposal, ReviewSubmission, Score
from zhongyan.proposals.tests.factories import ProposalFactory
from zhongyan.proposals.tests.helpers import accept_nda, all_scores, cleared_reviewer, pass_deadline, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(owner, nda_solver, demand, reviewer):
    """Two proposals (the persona solver's and a rival's), both reviewed, the deadline passed."""
    rival = UserFactory(email="rival@example.com")
    accept_nda(rival, demand)
    mine = submit(nda_solver, demand, "方案甲")
    theirs = submit(rival, demand, "方案乙")
    pass_deadline(demand)
    cleared_reviewer(owner, demand, reviewer)
    services.submit_review(
        actor=reviewer, proposal=mine, scores=all_scores(demand, 2, "指标论证不足"), comment="总体偏弱"
    )
    services.submit_review(actor=reviewer, proposal=theirs, scores=all_scores(demand, 5, "方案成熟"))
    return {"mine": mine, "theirs": theirs, "rival": rival}


def test_award_marks_winner_losers_and_demand(owner, demand, field, django_capture_on_commit_callbacks):
    awarded, not_awarded = [], []
    signals.proposal_awarded.connect(lambda **kw: awarded.append(kw), weak=False, dispatch_uid="a")
    signals.proposal_not_awarded.connect(lambda **kw: not_awarded.append(kw), weak=False, dispatch_uid="n")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.award_proposals(actor=owner, demand=demand, proposals=[field["theirs"]])
    finally:
        signals.proposal_awarded.disconnect(dispatch_uid="a")
        signals.proposal_not_awarded.disconnect(dispatch_uid="n")
    assert Proposal.objects.get(pk=field["theirs"].pk).status == Proposal.Status.AWARDED
    assert Proposal.objects.get(pk=field["mine"].pk).status == Proposal.Status.NOT_AWARDED
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.AWARDED
    assert [kw["proposal"].pk for kw in awarded] == [field["theirs"].pk]
    assert awarded[0]["demand"].pk == demand.pk and awarded[0]["actor"] == owner
    assert [kw["proposal"].pk for kw in not_awarded] == [field["mine"].pk]
    entry = AuditEntry.objects.get(verb="proposal.award_decided")
    assert entry.data["awarded"] == [field["theirs"].public_id]


def test_unsuccessful_solver_gets_averaged_scores_and_only_released_comments(owner, demand, field):
    released = Score.objects.filter(proposal=field["mine"]).order_by("criterion__position").first()
    services.award_proposals(
        actor=owner, demand=demand, proposals=[field["theirs"]], released_comments=[released.public_id]
    )
    feedback = ranking.feedback_for(Proposal.objects.get(pk=field["mine"].pk))
    assert {str(a.average) for a in feedback.averages} == {"2.00"}
    assert feedback.weighted is not None
    assert [c.text for c in feedback.comments] == ["指标论证不足"]
    assert not ReviewSubmission.objects.get(proposal=field["mine"]).comment_released


def test_unsuccessful_solver_reads_feedback_page(owner, demand, field, nda_solver, as_user):
    overall = ReviewSubmission.objects.get(proposal=field["mine"])
    services.award_proposals(
        actor=owner, demand=demand, proposals=[field["theirs"]], released_comments=[overall.public_id]
    )
    response = as_user(nda_solver).get(reverse("proposals:feedback", args=[field["mine"].public_id]))
    assert response.status_code == 200
    assert "总体偏弱".encode() in response.content
    assert "指标论证不足".encode() not in response.content
    assert b"2.00" in response.content


def test_award_of_a_foreign_proposal_is_refused(owner, demand, field):
    stranger = ProposalFactory(submitted=True)
    with pytest.raises(DomainError):
        services.award_proposals(actor=owner, demand=demand, proposals=[stranger])
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.CLOSED


def test_award_before_the_deadline_is_refused(owner, nda_solver, demand):
    proposal = submit(nda_solver, demand)
    with pytest.raises(NotPermitted):
        services.award_proposals(actor=owner, demand=demand, proposals=[proposal])


def test_award_needs_a_winner(owner, demand, field):
    with pytest.raises(DomainError):
        services.award_proposals(actor=owner, demand=demand, proposals=[])


def test_member_of_owner_org_cannot_award(teammate, demand, field):
    with pytest.raises(NotPermitted):
        services.award_proposals(actor=teammate, demand=demand, proposals=[field["theirs"]])


def test_two_winners_can_share_the_award(owner, demand, field):
    services.award_proposals(actor=owner, demand=demand, proposals=[field["theirs"], field["mine"]])
    assert set(Proposal.objects.values_list("status", flat=True)) == {Proposal.Status.AWARDED}


def test_close_without_award_gives_everyone_feedback(owner, demand, field):
    services.close_without_award(actor=owner, demand=demand)
    assert set(Proposal.objects.values_list("status", flat=True)) == {Proposal.Status.NOT_AWARDED}
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.NOT_AWARDED


def test_award_page_form_awards_with_released_comments(owner, demand, field, as_user):
    released = Score.objects.filter(proposal=field["mine"]).first()
    response = as_user(owner).post(
        reverse("proposals:award", args=[demand.public_id]),
        {"decision": "award", "winners": [field["theirs"].public_id], "released": [released.public_id]},
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=field["theirs"].pk).status == Proposal.Status.AWARDED
    assert Score.objects.get(pk=released.pk).comment_released


def test_award_page_without_a_winner_keeps_the_ticked_comments(owner, demand, field, as_user):
    released = Score.objects.filter(proposal=field["mine"]).first()
    response = as_user(owner).post(
        "/en" + reverse("proposals:award", args=[demand.public_id]),
        {"decision": "award", "released": [released.public_id]},
    )
    assert response.status_code == 422
    assert b"Choose at least one proposal to award." in response.content
    assert f'value="{released.public_id}" id="rel-{released.public_id}" checked'.encode() in response.content
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.CLOSED
