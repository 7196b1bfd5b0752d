"""The write path: campaigns, ideas, comments, moderation, evaluation, funnel, promotion."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.content import bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands.models import Demand
from zhongyan.ideas import services, signals
from zhongyan.ideas.models import Idea
from zhongyan.ideas.tests.factories import make_campaign, make_idea

pytestmark = pytest.mark.django_db


class Catcher:
    def __init__(self, signal: Any) -> None:
        self.calls: list[dict[str, Any]] = []
        signal.connect(self.receive, weak=False)
        self.signal = signal

    def receive(self, sender: Any, **kwargs: Any) -> None:
        self.calls.append(kwargs)

    def close(self) -> None:
        self.signal.disconnect(self.receive)


@pytest.fixture
def catch() -> Any:
    catchers: list[Catcher] = []

    def make(signal: Any) -> Catcher:
        catchers.append(Catcher(signal))
        return catchers[-1]

    yield make
    for catcher in catchers:
        catcher.close()


def test_campaign_gets_the_default_funnel_and_criteria(campaign: Any) -> None:
    assert campaign.stages.order_by("position").first().name["en"] == "Submitted"
    assert campaign.stages.count() == 6
    assert sum(c.weight for c in campaign.criteria.all()) == 10
    assert AuditEntry.objects.filter(verb="ideas.campaign_created", target_id=campaign.public_id).exists()


def test_only_operators_create_campaigns(owner: Any) -> None:
    with pytest.raises(NotPermitted):
        make_campaign(owner)


def test_a_campaign_that_closes_before_it_opens_is_refused(operator: Any) -> None:
    with pytest.raises(DomainError):
        make_campaign(operator, closes_at=timezone.now() - timedelta(days=2))


def test_a_draft_survives_and_is_seen_only_by_its_authors(campaign: Any, teammate: Any, owner: Any) -> None:
    draft = make_idea(campaign, teammate, submit=False, description={})
    assert draft.status == Idea.Status.DRAFT and draft.stage is None
    assert Idea.objects.visible_to(teammate).filter(pk=draft.pk).exists()
    assert not Idea.objects.visible_to(owner).filter(pk=draft.pk).exists()


def test_submitting_needs_a_description(campaign: Any, teammate: Any) -> None:
    draft = make_idea(campaign, teammate, submit=False, description={})
    with pytest.raises(DomainError):
        services.submit_idea(actor=teammate, idea=draft)


def test_the_service_refuses_blank_or_overlong_text_and_drops_unknown_languages(campaign: Any, teammate: Any) -> None:
    """The API reaches the service without the form: the same limits hold there."""
    with pytest.raises(DomainError, match="标题"):
        make_idea(campaign, teammate, title={"en": "   "}, description={"en": "  "})
    with pytest.raises(DomainError, match="200"):
        make_idea(campaign, teammate, title={"en": "y" * 201})
    with pytest.raises(DomainError, match="10000"):
        make_idea(campaign, teammate, description={"zh-hans": "长" * 10001})
    idea = make_idea(campaign, teammate, title={"en": " Slag ", "xx": "<script>"}, description={"fr": "d", "en": "x"})
    assert idea.title == {"en": "Slag"} and idea.description == {"en": "x"}
    assert not Idea.objects.filter(title__en="   ").exists()


def test_submitting_puts_the_idea_in_the_first_stage_and_signals_after_commit(
    campaign: Any, teammate: Any, catch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caught = catch(signals.idea_submitted)
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(campaign, teammate)
    assert idea.stage.position == 0 and idea.submitted_at is not None
    assert caught.calls[0]["idea"] == idea and caught.calls[0]["author_label"] == teammate.name


def test_anonymous_idea_signal_carries_no_author_name(
    operator: Any, teammate: Any, catch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_campaign(operator, anonymous=True)
    caught = catch(signals.idea_submitted)
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(campaign, teammate)
    assert caught.calls[0]["author_label"] is None


def test_ideas_cannot_be_submitted_to_a_closed_campaign(operator: Any, teammate: Any) -> None:
    now = timezone.now()
    closed = make_campaign(operator, opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1))
    with pytest.raises(NotPermitted):
        make_idea(closed, teammate)


def test_a_pdf_attachment_is_kept_and_a_disguised_file_refused(idea: Any, teammate: Any) -> None:
    services.add_attachment(actor=teammate, idea=idea, upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7 ..."))
    with pytest.raises(DomainError):
        services.add_attachment(actor=teammate, idea=idea, upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00"))
    with pytest.raises(DomainError):
        services.add_attachment(actor=teammate, idea=idea, upload=SimpleUploadedFile("run.exe", b"MZ"))
    assert idea.attachments.count() == 1


def test_an_oversized_attachment_is_refused(idea: Any, teammate: Any, settings: Any) -> None:
    big = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    with pytest.raises(DomainError):
        services.add_attachment(actor=teammate, idea=idea, upload=big)


def test_a_mention_notifies_urgently_and_replies_nest(
    idea: Any, owner: Any, solver: Any, catch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mentioned = catch(signals.user_mentioned)
    posted = catch(signals.comment_posted)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.post_comment(actor=owner, idea=idea, body="好想法，@solver 你们实验室能做吗？")
        reply = services.post_comment(actor=solver, idea=idea, body="可以。", parent=first)
    assert [call["user"] for call in mentioned.calls] == [solver]
    assert mentioned.calls[0]["urgent"] is True
    assert posted.calls[1]["parent_author"] == owner
    assert reply.parent == first


def test_a_mention_of_someone_who_cannot_see_the_campaign_is_ignored(
    operator: Any, teammate: Any, owner: Any, outsider: Any
) -> None:
    from zhongyan.ideas.models import Campaign

    campaign = make_campaign(operator, audience=Campaign.Audience.EMPLOYEES)
    idea = make_idea(campaign, teammate)
    assert services.mentioned_users("@outsider 看看", idea) == []
    assert services.mentioned_users("@owner@example.com 看看", idea) == [owner]


def test_comments_can_be_edited_only_within_the_window(idea: Any, owner: Any) -> None:
    comment = services.post_comment(actor=owner, idea=idea, body="初稿")
    services.edit_comment(actor=owner, comment=comment, body="修改后")
    comment.created_at = timezone.now() - timedelta(minutes=16)
    with pytest.raises(NotPermitted):
        services.edit_comment(actor=owner, comment=comment, body="太晚了")
    comment.refresh_from_db()
    assert comment.body == "修改后" and comment.edited_at is not None


def test_an_empty_comment_is_refused(idea: Any, owner: Any) -> None:
    with pytest.raises(DomainError):
        services.post_comment(actor=owner, idea=idea, body="   ")


def test_a_reported_comment_is_hidden_with_a_reason(idea: Any, owner: Any, solver: Any, moderator: Any) -> None:
    comment = services.post_comment(actor=solver, idea=idea, body="广告：买我们的产品")
    services.report_comment(actor=owner, comment=comment, reason="广告")
    with pytest.raises(DomainError):
        services.report_comment(actor=owner, comment=comment, reason="again")
    with pytest.raises(NotPermitted):
        services.hide_comment(actor=owner, comment=comment, reason="x")
    services.hide_comment(actor=moderator, comment=comment, reason="与主题无关的广告")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "与主题无关的广告"
    assert comment.reports.get().resolved_at is not None


def test_votes_count_once_per_person_and_can_be_withdrawn(idea: Any, owner: Any, solver: Any, teammate: Any) -> None:
    assert services.cast_vote(actor=owner, idea=idea) is True
    assert services.cast_vote(actor=owner, idea=idea) is False
    services.cast_vote(actor=solver, idea=idea)
    services.withdraw_vote(actor=owner, idea=idea)
    idea.refresh_from_db()
    assert idea.vote_count == idea.votes.count() == 1
    with pytest.raises(NotPermitted):
        services.cast_vote(actor=teammate, idea=idea)  # one's own idea


def test_evaluation_is_weighted_and_a_conflict_scores_nothing(
    idea: Any, expert: Any, campaign: Any, operator: Any
) -> None:
    criteria = list(campaign.criteria.all())
    scores = {c.pk: 5 if c.weight == 3 else 2 for c in criteria}
    evaluation = services.evaluate_idea(actor=expert, idea=idea, scores=scores, note="私人笔记")
    assert evaluation.weighted_score == Decimal("3.80")  # (5*3 + 2*2 + 5*3 + 2*2) / 10
    other = make_idea(campaign, operator)
    conflicted = services.evaluate_idea(actor=expert, idea=other, conflict=True, conflict_reason="我是合作者")
    assert conflicted.weighted_score is None and conflicted.scores == {}
    with pytest.raises(DomainError):
        services.evaluate_idea(actor=expert, idea=idea, scores={criteria[0].pk: 6})


def test_non_experts_cannot_evaluate(idea: Any, owner: Any) -> None:
    with pytest.raises(NotPermitted):
        services.evaluate_idea(actor=owner, idea=idea, scores={})


def test_a_high_score_advances_the_idea_automatically(operator: Any, teammate: Any, expert: Any) -> None:
    campaign = make_campaign(operator, experts=[expert], auto_advance_score=Decimal("4"), auto_advance_min_reviews=1)
    idea = make_idea(campaign, teammate)
    services.evaluate_idea(actor=expert, idea=idea, scores={c.pk: 5 for c in campaign.criteria.all()})
    idea.refresh_from_db()
    assert idea.stage.position == 1
    assert AuditEntry.objects.filter(verb="ideas.idea_stage_changed", target_id=idea.public_id, actor=None).exists()


def test_enough_votes_move_an_idea_out_of_the_first_stage(
    operator: Any, teammate: Any, owner: Any, solver: Any
) -> None:
    campaign = make_campaign(operator, auto_advance_votes=2)
    idea = make_idea(campaign, teammate)
    services.cast_vote(actor=owner, idea=idea)
    idea.refresh_from_db()
    assert idea.stage.position == 0
    services.cast_vote(actor=solver, idea=idea)
    idea.refresh_from_db()
    assert idea.stage.position == 1


def test_moderators_move_ideas_in_bulk_but_not_into_the_last_stage(
    campaign: Any, idea: Any, operator: Any, moderator: Any, owner: Any
) -> None:
    second = make_idea(campaign, operator)
    stages = list(campaign.stages.all())
    assert services.advance_ideas(actor=moderator, ideas=[idea, second], stage=stages[3]) == 2
    assert set(Idea.objects.values_list("stage__position", flat=True)) == {3}
    with pytest.raises(DomainError):
        services.advance_idea(actor=moderator, idea=idea, stage=stages[-1])
    with pytest.raises(NotPermitted):
        services.advance_idea(actor=owner, idea=idea, stage=stages[1])


def test_promotion_creates_a_linked_draft_demand_and_audits_both_sides(
    campaign: Any, idea: Any, operator: Any, owner_org: Any, catch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    stages = list(campaign.stages.all())
    with pytest.raises(NotPermitted):
        services.promote_idea(actor=operator, idea=idea, organisation=owner_org)
    services.advance_idea(actor=operator, idea=idea, stage=stages[-2])
    promoted = catch(signals.idea_promoted)
    with django_capture_on_commit_callbacks(execute=True):
        demand = services.promote_idea(actor=operator, idea=idea, organisation=owner_org)
    idea.refresh_from_db()
    assert idea.promoted_demand == demand and list(demand.source_ideas.all()) == [idea]
    assert demand.status == Demand.Status.DRAFT and demand.title == idea.title
    assert idea.public_id in demand.background["en"]
    assert idea.stage == stages[-1]
    assert AuditEntry.objects.filter(verb="ideas.idea_promoted", target_id=idea.public_id).exists()
    assert AuditEntry.objects.filter(verb="demands.created_from_idea", target_id=demand.public_id).exists()
    assert promoted.calls[0]["demand"] == demand
    with pytest.raises(NotPermitted):
        services.promote_idea(actor=operator, idea=idea, organisation=owner_org)


def test_promoting_an_anonymous_idea_keeps_the_author_out_of_the_demand(
    operator: Any, teammate: Any, owner_org: Any
) -> None:
    campaign = make_campaign(operator, anonymous=True)
    idea = make_idea(campaign, teammate)
    services.advance_idea(actor=operator, idea=idea, stage=list(campaign.stages.all())[-2])
    demand = services.promote_idea(actor=operator, idea=idea, organisation=owner_org)
    text = str(demand.title) + str(demand.summary) + str(demand.background)
    assert teammate.name not in text and teammate.email not in text


def test_criteria_cannot_change_after_scoring(campaign: Any, idea: Any, expert: Any, operator: Any) -> None:
    services.evaluate_idea(actor=expert, idea=idea, scores={c.pk: 3 for c in campaign.criteria.all()})
    with pytest.raises(DomainError):
        services.update_campaign(actor=operator, campaign=campaign, criteria=[(bilingual(zh="新", en="New"), 1)])


def test_an_anonymous_author_commenting_is_not_named_in_the_signal(
    operator: Any, teammate: Any, owner: Any, catch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    idea = make_idea(make_campaign(operator, anonymous=True), teammate)
    posted = catch(signals.comment_posted)
    mentioned = catch(signals.user_mentioned)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(actor=teammate, idea=idea, body="补充：@owner 请看")
        services.post_comment(actor=owner, idea=idea, body="收到")
    assert [call["actor_label"] for call in posted.calls] == [None, owner.name]
    assert mentioned.calls[0]["actor_label"] is None
