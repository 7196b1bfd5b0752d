from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import NotPermitted
from zhongyan.proposals import services, signals
from zhongyan.proposals.models import Proposal, Receipt
from zhongyan.proposals.tests.helpers import content, pass_deadline, submit

pytestmark = pytest.mark.django_db


def test_solver_with_nda_saves_a_draft_that_survives(nda_solver, demand):
    proposal = services.save_draft(actor=nda_solver, demand=demand, content=content("初稿"))
    again = services.save_draft(actor=nda_solver, demand=demand, content=content("第二稿"))
    assert again.pk == proposal.pk
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.approach["zh-hans"] == "第二稿"
    assert proposal.version == 3
    assert AuditEntry.objects.filter(verb="proposal.draft_started").count() == 1


def test_draft_keeps_deliverables_only_for_the_demands_indicators(nda_solver, demand):
    indicator = demand.indicators.first()
    draft = content(deliverables={str(indicator.pk): "99 % 检出率", "999999": "spurious"})
    proposal = services.save_draft(actor=nda_solver, demand=demand, content=draft)
    assert proposal.deliverables == {str(indicator.pk): "99 % 检出率"}


def test_solver_without_nda_cannot_save_a_draft(solver, demand):
    with pytest.raises(NotPermitted):
        services.save_draft(actor=solver, demand=demand, content=content())
    assert not Proposal.objects.exists()


def test_submission_issues_a_receipt_and_audits_it(nda_solver, demand, django_capture_on_commit_callbacks):
    received = []
    signals.proposal_submitted.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            proposal = submit(nda_solver, demand)
    finally:
        signals.proposal_submitted.disconnect(dispatch_uid="t1")
    assert proposal.status == Proposal.Status.SUBMITTED
    receipt = Receipt.objects.get(proposal=proposal)
    assert receipt.number == f"ZY-{timezone.localtime(proposal.submitted_at).year}-{receipt.pk:06d}"
    assert len(receipt.sha256) == 64
    entry = AuditEntry.objects.get(verb="proposal.submitted")
    assert entry.data["receipt"] == receipt.number
    assert entry.actor == nda_solver
    assert received[0]["proposal"] == proposal and received[0]["receipt"] == receipt
    assert received[0]["actor"] == nda_solver


def test_signal_is_not_sent_before_commit(nda_solver, demand, django_capture_on_commit_callbacks):
    received = []
    signals.proposal_submitted.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t2")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submit(nda_solver, demand)
        assert received == []
        assert len(callbacks) == 1
    finally:
        signals.proposal_submitted.disconnect(dispatch_uid="t2")


def test_submitting_twice_returns_the_same_proposal(nda_solver, demand):
    first = submit(nda_solver, demand)
    second = submit(nda_solver, demand, text="changed my mind")
    assert second.pk == first.pk
    assert Proposal.objects.count() == 1 and Receipt.objects.count() == 1
    first.refresh_from_db()
    assert first.approach["zh-hans"] == "在线检测方案"


def test_submission_without_an_approach_is_refused_and_keeps_the_draft(nda_solver, demand):
    services.save_draft(actor=nda_solver, demand=demand, content=content())
    empty = services.ProposalContent(team={"en": "A team"})
    with pytest.raises(services.IncompleteProposal) as error:
        services.submit_proposal(actor=nda_solver, demand=demand, content=empty)
    assert str(error.value.message) == "提交前请填写技术方案。"
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.approach["zh-hans"] == "在线检测方案"
    assert not Receipt.objects.exists()


def test_submission_after_the_deadline_is_refused_whole(nda_solver, demand):
    services.save_draft(actor=nda_solver, demand=demand, content=content())
    demand.deadline = timezone.now() - timedelta(seconds=1)
    demand.save(update_fields=["deadline"])
    with pytest.raises(services.DeadlinePassed):
        submit(nda_solver, demand)
    assert Proposal.objects.get().status == Proposal.Status.DRAFT
    assert not Receipt.objects.exists()
    assert not AuditEntry.objects.filter(verb="proposal.submitted").exists()


def test_deadline_is_checked_against_the_locked_row_not_the_callers_copy(nda_solver, demand, monkeypatch):
    """The caller's demand object is stale (deadline in the future); the row says it passed."""
    stale = type(demand).objects.get(pk=demand.pk)
    type(demand).objects.filter(pk=demand.pk).update(deadline=timezone.now() + timedelta(seconds=30))
    monkeypatch.setattr("zhongyan.proposals.services._common.now", lambda: timezone.now() + timedelta(minutes=1))
    with pytest.raises(services.DeadlinePassed):
        submit(nda_solver, stale)
    assert not Proposal.objects.submitted().exists()


def test_no_edits_after_submission(nda_solver, demand):
    submit(nda_solver, demand)
    with pytest.raises(services.AlreadySubmitted):
        services.save_draft(actor=nda_solver, demand=demand, content=content("edited"))


def test_solver_withdraws_before_the_deadline_and_may_start_again(nda_solver, demand):
    proposal = submit(nda_solver, demand)
    services.withdraw_proposal(actor=nda_solver, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert AuditEntry.objects.filter(verb="proposal.withdrawn", target_id=proposal.public_id).exists()
    again = submit(nda_solver, demand, text="新方案")
    assert again.pk != proposal.pk
    assert Proposal.objects.active().count() == 1


def test_withdrawal_after_the_deadline_is_refused(nda_solver, demand):
    proposal = submit(nda_solver, demand)
    pass_deadline(demand)
    proposal.refresh_from_db()
    with pytest.raises(services.DeadlinePassed):
        services.withdraw_proposal(actor=nda_solver, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_another_solver_cannot_withdraw(nda_solver, demand, outsider):
    proposal = submit(nda_solver, demand)
    with pytest.raises(NotPermitted):
        services.withdraw_proposal(actor=outsider, proposal=proposal)


def test_database_refuses_a_second_active_proposal(nda_solver, demand):
    Proposal.objects.create(demand=demand, solver=nda_solver)
    with pytest.raises(IntegrityError):
        Proposal.objects.create(demand=demand, solver=nda_solver)


def test_database_allows_a_new_proposal_beside_a_withdrawn_one(nda_solver, demand):
    Proposal.objects.create(demand=demand, solver=nda_solver, status=Proposal.Status.WITHDRAWN)
    Proposal.objects.create(demand=demand, solver=nda_solver)
    assert Proposal.objects.count() == 2


def test_owner_organisation_members_cannot_propose_to_their_own_demand(teammate, demand):
    with pytest.raises(NotPermitted):
        submit(teammate, demand)


def test_solver_cannot_propose_on_behalf_of_a_foreign_organisation(nda_solver, demand, owner_org):
    with pytest.raises(NotPermitted):
        services.save_draft(actor=nda_solver, demand=demand, content=content(organisation=owner_org))


def test_solver_proposes_on_behalf_of_their_organisation(nda_solver, demand, solver_org):
    proposal = services.submit_proposal(actor=nda_solver, demand=demand, content=content(organisation=solver_org))
    assert proposal.organisation == solver_org


def _pdf(name: str = "plan.pdf", body: bytes = b"%PDF-1.7 plan") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_attachment_is_stored_privately_with_its_hash(nda_solver, demand, settings):
    proposal = services.save_draft(actor=nda_solver, demand=demand, content=content())
    attachment = services.add_attachment(actor=nda_solver, proposal=proposal, upload=_pdf())
    assert attachment.size == len(b"%PDF-1.7 plan")
    assert len(attachment.sha256) == 64
    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    with pytest.raises(ValueError, match="no public URL"):
        _ = attachment.file.url


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("virus.exe", b"MZ....", "不能添加此类型的文件"),
        ("fake.pdf", b"MZ not a pdf", "文件内容与其类型不符"),
        ("empty.pdf", b"", "文件为空"),
    ],
)
def test_bad_attachments_are_refused_with_a_reason(nda_solver, demand, name, body, message):
    proposal = services.save_draft(actor=nda_solver, demand=demand, content=content())
    with pytest.raises(services.InvalidAttachment) as error:
        services.add_attachment(actor=nda_solver, proposal=proposal, upload=SimpleUploadedFile(name, body))
    assert message in str(error.value.message)
    assert not proposal.attachments.exists()


def test_oversized_attachment_is_refused(nda_solver, demand, monkeypatch):
    monkeypatch.setattr("zhongyan.proposals.services.submission.MAX_ATTACHMENT_BYTES", 10)
    proposal = services.save_draft(actor=nda_solver, demand=demand, content=content())
    with pytest.raises(services.InvalidAttachment, match="文件超过 20 MB"):
        services.add_attachment(actor=nda_solver, proposal=proposal, upload=_pdf(body=b"%PDF" + b"x" * 20))


def test_attachments_cannot_change_after_submission(nda_solver, demand):
    proposal = submit(nda_solver, demand)
    with pytest.raises(services.AlreadySubmitted):
        services.add_attachment(actor=nda_solver, proposal=proposal, upload=_pdf())
