"""Asking to join an organisation, and its administrators deciding."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.core import audit
from zhongyan.orgs import errors
from zhongyan.orgs import permissions as perms
from zhongyan.orgs.mail import absolute_url, manager_addresses, send_after_commit
from zhongyan.orgs.models import JoinRequest, Membership, Organisation
from zhongyan.orgs.services.common import (
    Role,
    require,
)


def request_to_join(*, actor: User, organisation: Organisation, message: str = "") -> JoinRequest:
    """Ask to join. Asking again while a request is open returns the open request."""
    if perms.role_in(actor, organisation) is not None:
        raise errors.AlreadyMember()
    if getattr(actor, "is_authenticated", False) and not organisation.is_verified:
        raise errors.OrganisationNotVerified()
    require(perms.can_request_to_join(actor, organisation))
    existing = JoinRequest.objects.pending().filter(organisation=organisation, user=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                organisation=organisation, user=actor, message=(message or "").strip()[:1000]
            )
            audit.record(actor, "org.join_requested", organisation, {"request": join_request.public_id})
            send_after_commit(
                "join_requested",
                manager_addresses(organisation),
                {
                    "organisation": organisation,
                    "join_request": join_request,
                    "requester": actor,
                    "url": absolute_url("orgs:members", organisation.public_id),
                },
            )
    except IntegrityError:
        # The same person asked twice at once; the other request won.
        return JoinRequest.objects.pending().get(organisation=organisation, user=actor)
    return join_request


def _decide_join_request(*, actor: User, join_request: JoinRequest, approve: bool) -> JoinRequest:
    require(perms.can_decide_join_request(actor, join_request.organisation))
    with transaction.atomic():
        # Two administrators deciding at once: the second waits for this lock, then sees the
        # request decided and is refused, so exactly one membership is created.
        join_request = (
            JoinRequest.objects.select_for_update().select_related("organisation", "user").get(pk=join_request.pk)
        )
        if join_request.status != JoinRequest.Status.PENDING:
            raise errors.AlreadyDecided()
        organisation, user = join_request.organisation, join_request.user
        if approve:
            Membership.objects.get_or_create(organisation=organisation, user=user, defaults={"role": Role.MEMBER})
        join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        join_request.decided_by = actor
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit.record(
            actor,
            "org.join_approved" if approve else "org.join_declined",
            organisation,
            {"request": join_request.public_id, "user": user.public_id},
        )
        send_after_commit(
            "join_decided",
            [user.email],
            {
                "organisation": organisation,
                "approved": approve,
                "url": absolute_url("orgs:detail", organisation.public_id),
            },
        )
    return join_request


def approve_join_request(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    return _decide_join_request(actor=actor, join_request=join_request, approve=True)


def decline_join_request(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    return _decide_join_request(actor=actor, join_request=join_request, approve=False)
