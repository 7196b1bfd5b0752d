"""Organisations (business units, customers, universities, suppliers, the park...) and who
belongs to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel


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
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

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
