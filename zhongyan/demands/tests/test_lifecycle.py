"""Every legal move of the demand lifecycle, the illegal ones refused, each audited; the scheduled
close; deadline extension reopening a closed demand."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from zhongyan.core.audit import history
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import DomainError, IllegalTransition, NotPermitted
from zhongyan.demands import services, signals
from zhongyan.demands.models import Demand
from zhongyan.demands.tasks import close_expired_demands
from zhongyan.demands.tests.factories import DemandFactory, NdaTemplateFactory

S = Demand.Status


def verbs(demand: Demand) -> list[str]:
    return list(history(demand).order_by("seq").values_list("verb", flat=True))


@pytest.fixture
def draft(owner_org: Any, owner: Any) -> Demand:
    return DemandFactory(organisation=owner_org, owner=owner)


def test_submitting_goes_to_review_when_the_organisation_requires_it(
    draft: Demand, owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[dict[str, Any]] = []
    signals.demand_submitted_for_review.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_demand(actor=owner, demand=draft)
    finally:
        signals.demand_submitted_for_review.disconnect(dispatch_uid="t1")
    assert draft.status == S.IN_REVIEW
    assert verbs(draft) == ["demand.submitted"]
    assert received and received[0]["demand"] == draft and received[0]["actor"] == owner


def test_submitting_publishes_directly_without_review(draft: Demand, owner: Any, owner_org: Any) -> None:
    owner_org.requires_demand_review = False
    owner_org.save()
    services.submit_demand(actor=owner, demand=draft)
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.published_at is not None
    assert verbs(draft) == ["demand.published"]


def test_operator_approves_a_demand_in_review(draft: Demand, owner: Any, operator: Any) -> None:
    services.submit_demand(actor=owner, demand=draft)
    services.approve_demand(actor=operator, demand=draft)
    assert Demand.objects.get(pk=draft.pk).status == S.PUBLISHED
    entry = history(draft).get(verb="demand.approved")
    assert entry.actor == operator and entry.data["from"] == S.IN_REVIEW


def test_operator_rejects_back_to_draft_with_a_reason(draft: Demand, owner: Any, operator: Any) -> None:
    services.submit_demand(actor=owner, demand=draft)
    services.reject_demand(actor=operator, demand=draft, reason="Remove the supplier name.")
    assert Demand.objects.get(pk=draft.pk).status == S.DRAFT
    assert history(draft).get(verb="demand.rejected").data["reason"] == "Remove the supplier name."


def test_owner_cannot_approve_their_own_demand(draft: Demand, owner: Any) -> None:
    services.submit_demand(actor=owner, demand=draft)
    with pytest.raises(NotPermitted):
        services.approve_demand(actor=owner, demand=draft)
    with pytest.raises(NotPermitted):
        services.publish_demand(actor=owner, demand=draft)


def test_publishing_an_nda_demand_freezes_the_active_template(owner_org: Any, owner: Any, operator: Any) -> None:
    template = NdaTemplateFactory(text={"zh-hans": "模板第三版", "en": "Template v3"}, version=3)
    demand = DemandFactory(organisation=owner_org, owner=owner, confidentiality=Demand.Confidentiality.NDA)
    services.submit_demand(actor=owner, demand=demand)
    services.approve_demand(actor=operator, demand=demand)
    template.text = {"en": "Changed later"}
    template.save()
    demand.refresh_from_db()
    assert demand.nda_text == {"zh-hans": "模板第三版", "en": "Template v3"} and demand.nda_version == 3


def test_publishing_an_nda_demand_without_a_template_uses_the_built_in_text(
    owner_org: Any, owner: Any, operator: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, confidentiality=Demand.Confidentiality.NDA)
    services.submit_demand(actor=owner, demand=demand)
    services.approve_demand(actor=operator, demand=demand)
    demand.refresh_from_db()
    assert "保密" in demand.nda_text["zh-hans"] and demand.nda_version == 0


def test_the_whole_happy_path_is_audited_in_order(owner_org: Any, owner: Any, operator: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner)
    services.submit_demand(actor=owner, demand=demand)
    services.approve_demand(actor=operator, demand=demand)
    services.close_demand(actor=owner, demand=demand)
    services.start_evaluation(actor=owner, demand=demand)
    services.mark_demand_awarded(actor=owner, demand=demand)
    services.archive_demand(actor=owner, demand=demand)
    assert demand.status == S.ARCHIVED
    assert verbs(demand) == [
        "demand.submitted",
        "demand.approved",
        "demand.closed",
        "demand.evaluation_started",
        "demand.awarded",
        "demand.archived",
    ]


def test_evaluation_can_end_without_award(owner: Any, owner_org: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, evaluating=True)
    services.mark_demand_not_awarded(actor=owner, demand=demand)
    assert Demand.objects.get(pk=demand.pk).status == S.NOT_AWARDED


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_REVIEW, S.PUBLISHED, S.CLOSED])
def test_withdrawal_is_allowed_before_evaluation(owner: Any, owner_org: Any, status: str) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, status=status)
    services.withdraw_demand(actor=owner, demand=demand, reason="Budget cut")
    assert Demand.objects.get(pk=demand.pk).status == S.WITHDRAWN
    assert history(demand).get(verb="demand.withdrawn").data == {
        "from": status,
        "to": S.WITHDRAWN,
        "reason": "Budget cut",
    }


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (S.DRAFT, services.close_demand),
        (S.DRAFT, services.start_evaluation),
        (S.DRAFT, services.mark_demand_awarded),
        (S.PUBLISHED, services.start_evaluation),
        (S.PUBLISHED, services.mark_demand_awarded),
        (S.CLOSED, services.mark_demand_not_awarded),
        (S.EVALUATING, services.withdraw_demand),
        (S.AWARDED, services.close_demand),
        (S.ARCHIVED, services.archive_demand),
        (S.WITHDRAWN, services.close_demand),
    ],
)
def test_illegal_moves_are_refused_with_a_translated_message_and_no_audit(
    owner: Any, owner_org: Any, status: str, move: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, status=status)
    before = AuditEntry.objects.count()
    with pytest.raises(IllegalTransition) as error:
        move(actor=owner, demand=demand)
    with translation.override("en"):
        assert str(error.value.message) == "This change of status is not allowed."
    with translation.override("zh-hans"):
        assert str(error.value.message) == "不允许进行此状态变更。"
    assert Demand.objects.get(pk=demand.pk).status == status
    assert AuditEntry.objects.count() == before


def test_a_teammate_cannot_move_the_demand(teammate: Any, owner: Any, owner_org: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    with pytest.raises(NotPermitted):
        services.close_demand(actor=teammate, demand=demand)


def test_scheduled_task_closes_only_demands_past_their_deadline(owner: Any, owner_org: Any) -> None:
    expired = DemandFactory(organisation=owner_org, owner=owner, published=True, deadline=timezone.now())
    running = DemandFactory(organisation=owner_org, owner=owner, published=True)
    result = close_expired_demands.enqueue()
    assert result.return_value == 1
    assert Demand.objects.get(pk=expired.pk).status == S.CLOSED
    assert Demand.objects.get(pk=running.pk).status == S.PUBLISHED
    entry = history(expired).get(verb="demand.closed")
    assert entry.actor is None and entry.actor_label == "system"


def test_management_command_closes_expired_demands(owner: Any, owner_org: Any) -> None:
    expired = DemandFactory(
        organisation=owner_org, owner=owner, published=True, deadline=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("close_expired_demands", stdout=out)
    assert "Closed 1" in out.getvalue()
    assert Demand.objects.get(pk=expired.pk).status == S.CLOSED


def test_a_demand_past_its_deadline_is_not_open_even_before_the_task_runs(owner: Any, owner_org: Any) -> None:
    expired = DemandFactory(
        organisation=owner_org, owner=owner, published=True, deadline=timezone.now() - timedelta(seconds=1)
    )
    assert expired.status == S.PUBLISHED
    assert not Demand.objects.open_for_proposals().filter(pk=expired.pk).exists()
    assert not expired.accepts_proposals


def test_the_system_cannot_close_before_the_deadline(owner: Any, owner_org: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
    with pytest.raises(DomainError) as error:
        services.close_demand(actor=None, demand=demand)
    with translation.override("en"):
        assert str(error.value.message) == "The deadline has not passed yet."
    assert Demand.objects.get(pk=demand.pk).status == S.PUBLISHED


def test_extending_the_deadline_reopens_a_closed_demand(owner: Any, owner_org: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, closed=True)
    new_deadline = timezone.now() + timedelta(days=14)
    services.extend_deadline(actor=owner, demand=demand, deadline=new_deadline)
    demand.refresh_from_db()
    assert demand.status == S.PUBLISHED and demand.deadline == new_deadline
    assert verbs(demand)[-2:] == ["demand.deadline_extended", "demand.reopened"]
    assert Demand.objects.open_for_proposals().filter(pk=demand.pk).exists()


def test_a_deadline_cannot_be_extended_into_the_past(owner: Any, owner_org: Any) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, closed=True)
    with pytest.raises(services.DeadlineInPast):
        services.extend_deadline(actor=owner, demand=demand, deadline=timezone.now() - timedelta(days=1))


def test_status_change_signal_carries_old_and_new_status(
    owner: Any, owner_org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs)

    signals.demand_status_changed.connect(receiver)
    try:
        demand = DemandFactory(organisation=owner_org, owner=owner, published=True)
        with django_capture_on_commit_callbacks(execute=True):
            services.close_demand(actor=owner, demand=demand)
    finally:
        signals.demand_status_changed.disconnect(receiver)
    assert received[0]["old_status"] == S.PUBLISHED and received[0]["new_status"] == S.CLOSED
    assert received[0]["sender"] is Demand
