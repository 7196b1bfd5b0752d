"""Organisations (business units, customers, universities, suppliers, the park...) and who
belongs to them."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel
from zhongyan.orgs.querysets import InvitationQuerySet, JoinRequestQuerySet, MembershipQuerySet, OrganisationQuerySet


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Organisation(PublicModel):
    class Kind(models.TextChoices):
        OPERATOR = "operator", _("Platform operator (research institute)")
        BUSINESS_UNIT = "business_unit", _("Business unit")
        CUSTOMER = "customer", _("Downstream customer")
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")
        SUPPLIER = "supplier", _("Supplier")
        STARTUP = "startup", _("Start-up")
        PARK = "park", _("Incubator or innovation park")

    class Verification(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", pgettext_lazy("organisation", "Verified")
        REJECTED = "rejected", _("Rejected")

    # Verification decisions an operator may take from each state; editing a rejected
    # organisation sends it back to "pending" for another look.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Verification.PENDING: frozenset({Verification.VERIFIED, Verification.REJECTED}),
        Verification.REJECTED: frozenset({Verification.VERIFIED, Verification.PENDING}),
        Verification.VERIFIED: frozenset({Verification.REJECTED}),
    }

    name = BilingualField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = BilingualField(_("description"), max_length=4000, blank=True, multiline=True)
    website = models.URLField(_("website"), blank=True)
    city = BilingualField(_("city"), max_length=100, blank=True)
    fields = models.ManyToManyField(
        "accounts.Field", blank=True, related_name="organisations", verbose_name=_("fields")
    )
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Demands of organisations with this flag go through operator review before publication.
    requires_demand_review = models.BooleanField(_("demands need operator approval"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("members")
    )
    # A stable key for organisations loaded by scripts (demo data, imports); empty for the rest.
    slug = models.SlugField(_("key"), max_length=60, unique=True, null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["created_at"]
        indexes = [
            # The directory lists verified organisations of one kind.
            models.Index(fields=["verification", "kind"], name="orgs_organisation_list_idx"),
        ]

    def __str__(self) -> str:
        return localized(self.name)

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="orgs_membership_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)


INVITATION_LIFETIME = timedelta(days=14)


def default_invitation_expiry() -> datetime:
    return timezone.now() + INVITATION_LIFETIME


class Invitation(PublicModel):
    """An e-mailed invitation to join an organisation. The token in the link is the secret;
    only the person signed in with the invited address may accept it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField(_("expires"), default=default_invitation_expiry)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # Inviting the same address twice returns the open invitation instead of a second one.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="orgs_invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired


class JoinRequest(PublicModel):
    """A signed-in user asks to join an organisation; its owners and administrators decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at"]
        constraints = [
            # Asking twice keeps one open request; two admins deciding at once see the same row.
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="orgs_joinrequest_one_pending_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
