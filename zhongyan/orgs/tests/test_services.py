from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.content import bilingual
from zhongyan.core.errors import IllegalTransition, NotPermitted
from zhongyan.orgs import errors, services
from zhongyan.orgs.models import Invitation, JoinRequest, Membership, Organisation
from zhongyan.orgs.tests.factories import InvitationFactory, JoinRequestFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=False)


def verbs(target: Organisation) -> list[str]:
    return list(AuditEntry.objects.filter(target_id=target.public_id).values_list("verb", flat=True))


def membership(user: User, org: Organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


# --- create, update, verify -----------------------------------------------------------------


def test_creator_becomes_owner_of_pending_organisation_and_operators_are_told(
    outsider: User, operator: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        org = services.create_organisation(
            actor=outsider, name=bilingual(zh=" 氢碳未来 ", en="Qingtan"), kind=Organisation.Kind.STARTUP
        )
    assert org.verification == Organisation.Verification.PENDING
    assert org.name == {"zh-hans": "氢碳未来", "en": "Qingtan"}
    assert membership(outsider, org).role == Membership.Role.OWNER
    assert verbs(org) == ["org.created"]
    assert [m.to for m in mail.outbox] == [[operator.email]]
    assert "/orgs/verification/" in mail.outbox[0].body


def test_mail_is_not_sent_when_the_transaction_rolls_back(outsider: User, operator: User) -> None:
    # Without running on_commit callbacks (the test transaction never commits) nothing is sent.
    services.create_organisation(actor=outsider, name=bilingual(en="Qingtan"), kind=Organisation.Kind.STARTUP)
    assert mail.outbox == []


def test_organisation_without_a_name_is_refused(outsider: User) -> None:
    with pytest.raises(errors.NameRequired):
        services.create_organisation(actor=outsider, name={"zh-hans": "  ", "en": ""}, kind=Organisation.Kind.STARTUP)
    assert not Organisation.objects.exists()


def test_only_operators_create_an_operator_organisation(outsider: User) -> None:
    with pytest.raises(errors.OperatorKindReserved):
        services.create_organisation(actor=outsider, name=bilingual(en="Fake"), kind=Organisation.Kind.OPERATOR)


def test_invalid_website_is_refused(outsider: User) -> None:
    with pytest.raises(errors.InvalidWebsite):
        services.create_organisation(
            actor=outsider, name=bilingual(en="X"), kind=Organisation.Kind.STARTUP, website="not a url"
        )


def test_owner_updates_profile_and_audit_names_the_changed_fields(owner: User, owner_org: Organisation) -> None:
    services.update_organisation(
        actor=owner, organisation=owner_org, description=bilingual(zh="冷轧板", en="Cold-rolled sheet"), city={}
    )
    owner_org.refresh_from_db()
    assert owner_org.description["en"] == "Cold-rolled sheet"
    entry = AuditEntry.objects.get(verb="org.updated")
    assert entry.data["changed"] == ["description"]


def test_member_cannot_update_organisation(teammate: User, owner_org: Organisation) -> None:
    with pytest.raises(NotPermitted):
        services.update_organisation(actor=teammate, organisation=owner_org, website="https://x.example.com")


def test_editing_a_rejected_organisation_sends_it_back_to_the_queue(
    owner: User, owner_org: Organisation, operator: User, django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk=owner_org.pk).update(verification=Organisation.Verification.REJECTED)
    owner_org.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_organisation(actor=owner, organisation=owner_org, website="https://mill.example.com")
    owner_org.refresh_from_db()
    assert owner_org.verification == Organisation.Verification.PENDING
    assert [m.to for m in mail.outbox] == [[operator.email]]


def test_operator_verifies_and_owners_are_told(
    operator: User, owner: User, owner_org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk=owner_org.pk).update(verification=Organisation.Verification.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_organisation(actor=operator, organisation=owner_org, note="营业执照已核对")
    owner_org.refresh_from_db()
    assert owner_org.is_verified and owner_org.verified_at is not None
    assert owner_org.verification_note == "营业执照已核对"
    assert verbs(owner_org) == ["org.verified"]
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_owner_cannot_verify_own_organisation(owner: User, owner_org: Organisation) -> None:
    Organisation.objects.filter(pk=owner_org.pk).update(verification=Organisation.Verification.PENDING)
    with pytest.raises(NotPermitted):
        services.verify_organisation(actor=owner, organisation=owner_org)


def test_verifying_a_verified_organisation_is_an_illegal_transition(operator: User, owner_org: Organisation) -> None:
    with pytest.raises(IllegalTransition):
        services.verify_organisation(actor=operator, organisation=owner_org)


def test_rejection_needs_a_note(operator: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.NoteRequired):
        services.reject_organisation(actor=operator, organisation=owner_org, note="  ")


def test_rejection_with_note_tells_the_owners_why(
    operator: User, owner: User, owner_org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_organisation(actor=operator, organisation=owner_org, note="Missing business licence")
    owner_org.refresh_from_db()
    assert owner_org.verification == Organisation.Verification.REJECTED
    assert "Missing business licence" in mail.outbox[0].body
    assert verbs(owner_org) == ["org.rejected"]


# --- roles and removal ------------------------------------------------------------------------


def test_last_owner_cannot_step_down(owner: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.LastOwner):
        services.change_role(actor=owner, membership=membership(owner, owner_org), role=Membership.Role.ADMIN)
    assert membership(owner, owner_org).role == Membership.Role.OWNER


def test_last_owner_cannot_leave(owner: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.LastOwner):
        services.leave_organisation(actor=owner, organisation=owner_org)
    assert Membership.objects.filter(user=owner, organisation=owner_org).exists()


def test_owner_can_leave_once_another_owner_exists(owner: User, teammate: User, owner_org: Organisation) -> None:
    services.change_role(actor=owner, membership=membership(teammate, owner_org), role=Membership.Role.OWNER)
    services.leave_organisation(actor=owner, organisation=owner_org)
    assert not Membership.objects.filter(user=owner, organisation=owner_org).exists()
    assert verbs(owner_org) == ["org.member_role_changed", "org.member_left"]


def test_administrator_cannot_make_an_owner(org_admin: User, teammate: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.OnlyOwnersMakeOwners):
        services.change_role(actor=org_admin, membership=membership(teammate, owner_org), role=Membership.Role.OWNER)


def test_administrator_cannot_remove_an_owner(org_admin: User, owner: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.OnlyOwnersMakeOwners):
        services.remove_member(actor=org_admin, membership=membership(owner, owner_org))


def test_removed_member_is_told_by_mail(
    org_admin: User, teammate: User, owner_org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(actor=org_admin, membership=membership(teammate, owner_org))
    assert not Membership.objects.filter(user=teammate, organisation=owner_org).exists()
    assert [m.to for m in mail.outbox] == [[teammate.email]]
    assert AuditEntry.objects.get(verb="org.member_removed").data["user"] == teammate.public_id


# --- invitations ------------------------------------------------------------------------------


def test_invitation_is_mailed_with_its_link(
    owner: User, owner_org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(actor=owner, organisation=owner_org, email=" New@Example.com ")
    assert invitation.email == "new@example.com"
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    assert f"/orgs/invitations/{invitation.token}/" in mail.outbox[0].body
    assert verbs(owner_org) == ["org.member_invited"]


def test_inviting_the_same_address_twice_keeps_one_invitation_and_one_mail(
    owner: User, owner_org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite_member(actor=owner, organisation=owner_org, email="new@example.com")
        second = services.invite_member(actor=owner, organisation=owner_org, email="NEW@example.com")
    assert first.pk == second.pk
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_expired_invitation_is_replaced_by_a_new_one(owner: User, owner_org: Organisation) -> None:
    old = InvitationFactory(organisation=owner_org, email="new@example.com", expires_at=timezone.now())
    new = services.invite_member(actor=owner, organisation=owner_org, email="new@example.com")
    old.refresh_from_db()
    assert new.pk != old.pk
    assert old.status == Invitation.Status.EXPIRED


def test_inviting_a_member_is_refused(owner: User, teammate: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.AlreadyMember):
        services.invite_member(actor=owner, organisation=owner_org, email=teammate.email)


def test_administrator_cannot_invite_an_owner(org_admin: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.OnlyOwnersMakeOwners):
        services.invite_member(actor=org_admin, organisation=owner_org, email="x@example.com", role="owner")


def test_invitee_accepts_and_gets_the_invited_role(
    owner: User, owner_org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    invitee = UserFactory(email="new@example.com")
    invitation = InvitationFactory(organisation=owner_org, email=invitee.email, role="admin", invited_by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_invitation(actor=invitee, token=invitation.token)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert membership(invitee, owner_org).role == Membership.Role.ADMIN
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert verbs(owner_org) == ["org.invitation_accepted"]


def test_invitation_for_another_address_cannot_be_accepted(outsider: User, owner_org: Organisation) -> None:
    invitation = InvitationFactory(organisation=owner_org, email="someone.else@example.com")
    with pytest.raises(errors.WrongInvitee):
        services.accept_invitation(actor=outsider, token=invitation.token)
    assert not Membership.objects.filter(user=outsider).exists()


def test_expired_invitation_cannot_be_accepted(outsider: User, owner_org: Organisation) -> None:
    invitation = InvitationFactory(
        organisation=owner_org, email=outsider.email, expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(errors.InvitationExpired):
        services.accept_invitation(actor=outsider, token=invitation.token)


def test_revoked_invitation_cannot_be_accepted(owner: User, outsider: User, owner_org: Organisation) -> None:
    invitation = InvitationFactory(organisation=owner_org, email=outsider.email)
    services.revoke_invitation(actor=owner, invitation=invitation)
    with pytest.raises(errors.InvitationUnavailable):
        services.accept_invitation(actor=outsider, token=invitation.token)


def test_invitee_declines(outsider: User, owner_org: Organisation) -> None:
    invitation = InvitationFactory(organisation=owner_org, email=outsider.email)
    services.decline_invitation(actor=outsider, token=invitation.token)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=outsider, organisation=owner_org).exists()


# --- join requests ----------------------------------------------------------------------------


def test_join_request_reaches_owners_and_administrators(
    outsider: User, owner: User, org_admin: User, teammate: User, owner_org: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.request_to_join(actor=outsider, organisation=owner_org, message="宝钢合作")
    assert join_request.status == JoinRequest.Status.PENDING
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, org_admin.email])
    assert verbs(owner_org) == ["org.join_requested"]


def test_asking_twice_keeps_one_open_request(outsider: User, owner_org: Organisation) -> None:
    first = services.request_to_join(actor=outsider, organisation=owner_org)
    second = services.request_to_join(actor=outsider, organisation=owner_org)
    assert first.pk == second.pk


def test_member_cannot_ask_to_join_again(teammate: User, owner_org: Organisation) -> None:
    with pytest.raises(errors.AlreadyMember):
        services.request_to_join(actor=teammate, organisation=owner_org)


def test_cannot_ask_to_join_an_unverified_organisation(outsider: User) -> None:
    org = OrganisationFactory(pending=True)
    with pytest.raises(errors.OrganisationNotVerified):
        services.request_to_join(actor=outsider, organisation=org)


def test_approving_creates_a_membership_and_tells_the_requester(
    owner: User, outsider: User, owner_org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    join_request = JoinRequestFactory(organisation=owner_org, user=outsider)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_join_request(actor=owner, join_request=join_request)
    assert membership(outsider, owner_org).role == Membership.Role.MEMBER
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert verbs(owner_org) == ["org.join_approved"]


def test_second_administrator_approving_the_same_request_is_refused_and_one_membership_exists(
    owner: User, org_admin: User, outsider: User, owner_org: Organisation
) -> None:
    join_request = JoinRequestFactory(organisation=owner_org, user=outsider)
    stale_copy = JoinRequest.objects.get(pk=join_request.pk)  # what the second admin's page loaded
    services.approve_join_request(actor=owner, join_request=join_request)
    with pytest.raises(errors.AlreadyDecided):
        services.approve_join_request(actor=org_admin, join_request=stale_copy)
    with pytest.raises(errors.AlreadyDecided):
        services.decline_join_request(actor=org_admin, join_request=stale_copy)
    assert Membership.objects.filter(organisation=owner_org, user=outsider).count() == 1
    assert verbs(owner_org) == ["org.join_approved"]


def test_declining_creates_no_membership(owner: User, outsider: User, owner_org: Organisation) -> None:
    join_request = JoinRequestFactory(organisation=owner_org, user=outsider)
    services.decline_join_request(actor=owner, join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert join_request.decided_by == owner
    assert not Membership.objects.filter(organisation=owner_org, user=outsider).exists()


def test_member_cannot_decide_join_requests(teammate: User, outsider: User, owner_org: Organisation) -> None:
    join_request = JoinRequestFactory(organisation=owner_org, user=outsider)
    with pytest.raises(NotPermitted):
        services.approve_join_request(actor=teammate, join_request=join_request)
