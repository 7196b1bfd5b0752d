"""What solvers and owners do around a published demand: NDA, Q&A, invitations, follows."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.errors import Conflict, DomainError, NotPermitted
from zhongyan.demands import caching, permissions, signals
from zhongyan.demands.models import Demand, Follow, Invitation, NdaAcceptance, Question
from zhongyan.demands.services._common import send_after_commit
from zhongyan.orgs.models import Membership

MAX_QUESTION = 2000
MAX_ANSWER = 4000


def accept_nda(*, actor: Any, demand: Demand, organisation: Any = None) -> NdaAcceptance:
    """Accept the demand's frozen NDA text, personally or on behalf of one's organisation. The
    audit entry keeps the SHA-256 of exactly the text accepted."""
    if permissions.has_accepted_nda(actor, demand):
        raise DomainError(_("You have already accepted this NDA."))
    if not permissions.can_accept_nda(actor, demand):
        raise NotPermitted()
    if organisation is not None and not Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise DomainError(_("You can accept only on behalf of an organisation you belong to."))
    try:
        with transaction.atomic():
            acceptance = NdaAcceptance.objects.create(
                demand=demand, user=actor, organisation=organisation, text_hash=demand.nda_text_hash()
            )
            record(
                actor,
                "demand.nda_accepted",
                demand,
                {
                    "text_hash": acceptance.text_hash,
                    "nda_version": demand.nda_version,
                    "organisation": organisation.public_id if organisation else None,
                },
            )
            caching.touch_demand(demand.public_id)
            send_after_commit(signals.nda_accepted, demand=demand, acceptance=acceptance, actor=actor)
    except IntegrityError as error:  # a double click: the other request recorded it
        raise DomainError(_("You have already accepted this NDA.")) from error
    return acceptance


def ask_question(*, actor: Any, demand: Demand, body: str, is_public: bool = True) -> Question:
    if not permissions.can_ask_question(actor, demand):
        raise NotPermitted()
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your question."))
    if len(body) > MAX_QUESTION:
        raise DomainError(_("Keep the question under 2000 characters."))
    with transaction.atomic():
        question = Question.objects.create(demand=demand, author=actor, body=body, is_public=is_public)
        record(actor, "demand.question_asked", demand, {"question": question.public_id, "public": is_public})
        caching.touch_demand(demand.public_id)
        send_after_commit(signals.question_asked, demand=demand, question=question, actor=actor)
    return question


def answer_question(*, actor: Any, question: Question, answer: str) -> Question:
    if not permissions.can_answer_question(actor, question):
        raise NotPermitted()
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Write an answer."))
    if len(answer) > MAX_ANSWER:
        raise DomainError(_("Keep the answer under 4000 characters."))
    with transaction.atomic():
        question.answer = answer
        question.answered_by = actor
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
        record(actor, "demand.question_answered", question.demand, {"question": question.public_id})
        caching.touch_demand(question.demand.public_id)
        send_after_commit(signals.question_answered, demand=question.demand, question=question, actor=actor)
    return question


def invite_solver(*, actor: Any, demand: Demand, invitee: Any, message: str = "") -> Invitation:
    if not permissions.can_invite_solvers(actor, demand):
        raise NotPermitted()
    if invitee.pk == actor.pk or Membership.objects.filter(user=invitee, organisation=demand.organisation).exists():
        raise DomainError(_("Members of the owning organisation need no invitation."))
    if not invitee.is_active:
        raise DomainError(_("This person cannot be invited."))
    if Invitation.objects.filter(demand=demand, invitee=invitee).exists():
        raise DomainError(_("This person has already been invited."))
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                demand=demand, invitee=invitee, invited_by=actor, message=(message or "").strip()[:2000]
            )
            record(actor, "demand.solver_invited", demand, {"invitee": invitee.public_id})
            caching.forget_visibility(invitee.pk)
            caching.touch_demand(demand.public_id)
            send_after_commit(signals.solver_invited, demand=demand, invitation=invitation, actor=actor)
    except IntegrityError as error:
        raise Conflict() from error
    return invitation


def respond_to_invitation(*, actor: Any, invitation: Invitation, accept: bool) -> Invitation:
    if invitation.invitee_id != getattr(actor, "pk", None):
        raise NotPermitted()
    if invitation.status != Invitation.Status.PENDING:
        raise DomainError(_("You have already answered this invitation."))
    with transaction.atomic():
        invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
        invitation.save(update_fields=["status"])
        caching.forget_visibility(invitation.invitee_id)
        caching.touch_demand(invitation.demand.public_id)
        record(actor, f"demand.invitation_{invitation.status}", invitation.demand, {})
    return invitation


def follow_demand(*, actor: Any, demand: Demand) -> Follow:
    if not permissions.can_follow_demand(actor, demand):
        raise NotPermitted()
    follow, _created = Follow.objects.get_or_create(demand=demand, user=actor)
    caching.touch_demand(demand.public_id)
    return follow


def unfollow_demand(*, actor: Any, demand: Demand) -> None:
    Follow.objects.filter(demand=demand, user=actor).delete()
    caching.touch_demand(demand.public_id)
