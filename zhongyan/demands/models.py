"""Technical demands (需求对接): a hard problem posted by a business unit or a customer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel
from zhongyan.demands.querysets import DemandQuerySet


class Demand(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Open for proposals")
        CLOSED = "closed", _("Closed for proposals")
        EVALUATING = "evaluating", _("Evaluating")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Closed without award")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ARCHIVED = "archived", _("Archived")

    class Confidentiality(models.TextChoices):
        PUBLIC = "public", _("Public")
        NDA = "nda", _("Under NDA")
        INTERNAL = "internal", _("Internal")

    class IpTerms(models.TextChoices):
        EXCLUSIVE_TRANSFER = "exclusive_transfer", _("Exclusive transfer to the owner")
        NON_EXCLUSIVE_LICENCE = "non_exclusive_licence", _("Non-exclusive licence to the owner")
        SOLVER_KEEPS = "solver_keeps", _("Solver keeps the IP")

    class Mode(models.TextChoices):
        COMMISSIONED = "commissioned", _("Commissioned development")
        JOINT = "joint", _("Joint development")
        LICENSING = "licensing", _("Technology licensing")
        CONSULTING = "consulting", _("Consulting")
        PRIZE = "prize", _("Prize")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.IN_REVIEW, Status.PUBLISHED, Status.WITHDRAWN}),
        Status.IN_REVIEW: frozenset({Status.PUBLISHED, Status.DRAFT, Status.WITHDRAWN}),
        Status.PUBLISHED: frozenset({Status.CLOSED, Status.WITHDRAWN}),
        Status.CLOSED: frozenset({Status.EVALUATING, Status.PUBLISHED, Status.WITHDRAWN}),
        Status.EVALUATING: frozenset({Status.AWARDED, Status.NOT_AWARDED}),
        Status.AWARDED: frozenset({Status.ARCHIVED}),
        Status.NOT_AWARDED: frozenset({Status.ARCHIVED}),
        Status.WITHDRAWN: frozenset({Status.ARCHIVED}),
        Status.ARCHIVED: frozenset(),
    }

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="demands", verbose_name=_("organisation")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_demands", verbose_name=_("contact")
    )
    title = BilingualField(_("title"), max_length=200)
    summary = BilingualField(_("summary"), max_length=1000, multiline=True)
    background = BilingualField(_("background"), max_length=10000, multiline=True, blank=True)
    deliverables = BilingualField(_("expected deliverables"), max_length=4000, multiline=True, blank=True)
    fields = models.ManyToManyField("accounts.Field", blank=True, related_name="demands", verbose_name=_("fields"))
    budget_min = models.PositiveBigIntegerField(_("budget from (CNY)"), null=True, blank=True)
    budget_max = models.PositiveBigIntegerField(_("budget up to (CNY)"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline for proposals"))
    modes = models.JSONField(_("cooperation modes"), default=list, blank=True)
    ip_terms = models.CharField(_("IP terms"), max_length=30, choices=IpTerms.choices)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The NDA text shown to solvers, frozen when the demand is published; acceptances hash it.
    nda_text = BilingualField(_("NDA text"), max_length=20000, multiline=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            # The public list: published demands, newest first.
            models.Index(fields=["status", "-published_at"], name="demands_demand_list_idx"),
            # The scheduled task closing demands whose deadline passed.
            models.Index(fields=["status", "deadline"], name="demands_demand_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="demands_demand_budget_range",
            ),
        ]

    def __str__(self) -> str:
        return localized(self.title)


class Invitation(models.Model):
    """The owner invites a specific solver; an invited person may see an internal demand."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demand_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["demand", "invitee"], name="demands_invitation_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.invitee} → {self.demand}"
