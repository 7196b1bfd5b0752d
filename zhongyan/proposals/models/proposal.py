"""A solver's proposal to a demand, its attachments and the tamper-evident receipt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.core.content import BilingualField
from zhongyan.core.models import PublicModel
from zhongyan.proposals.querysets import ProposalQuerySet
from zhongyan.proposals.storage import get_private_storage


class Proposal(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("proposal status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")
        SHORTLISTED = "shortlisted", pgettext_lazy("proposal status", "Shortlisted")
        AWARDED = "awarded", pgettext_lazy("proposal status", "Awarded")
        NOT_AWARDED = "not_awarded", pgettext_lazy("proposal status", "Not awarded")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
        Status.SUBMITTED: frozenset({Status.WITHDRAWN, Status.SHORTLISTED, Status.AWARDED, Status.NOT_AWARDED}),
        Status.SHORTLISTED: frozenset({Status.SUBMITTED, Status.AWARDED, Status.NOT_AWARDED}),
        Status.WITHDRAWN: frozenset(),
        Status.AWARDED: frozenset(),
        Status.NOT_AWARDED: frozenset(),
    }
    # Proposals the owner evaluates: submitted and still in the running.
    IN_EVALUATION = (Status.SUBMITTED, Status.SHORTLISTED)
    # Proposals that passed through submission (they carry a receipt).
    SUBMITTED_STATES = (Status.SUBMITTED, Status.SHORTLISTED, Status.AWARDED, Status.NOT_AWARDED)

    demand = models.ForeignKey(
        "demands.Demand", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("demand")
    )
    solver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("solver")
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("on behalf of"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    approach = BilingualField(_("technical approach"), max_length=20000, multiline=True, blank=True)
    team = BilingualField(_("team"), max_length=4000, multiline=True, blank=True)
    timeline = BilingualField(_("timeline"), max_length=4000, multiline=True, blank=True)
    budget = models.PositiveBigIntegerField(_("budget (CNY)"), null=True, blank=True)
    # {indicator id: what the solver commits to deliver against that indicator}
    deliverables = models.JSONField(_("deliverables per indicator"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            # One active proposal per solver per demand: a double-clicked submit cannot make two.
            models.UniqueConstraint(
                fields=["demand", "solver"],
                condition=~models.Q(status="withdrawn"),
                name="proposals_proposal_one_active_per_solver",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(status="withdrawn")
                | models.Q(submitted_at__isnull=False),
                name="proposals_proposal_submitted_has_time",
            ),
        ]
        indexes = [
            # The owner's panel and ranking: a demand's proposals by status.
            models.Index(fields=["demand", "status"], name="proposals_proposal_demand_idx"),
            # "My proposals": a solver's proposals, newest first.
            models.Index(fields=["solver", "-created_at"], name="proposals_proposal_solver_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.solver} → {self.demand}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def was_submitted(self) -> bool:
        return self.status in self.SUBMITTED_STATES


def attachment_path(instance: "ProposalAttachment", filename: str) -> str:
    return f"proposals/{instance.proposal.public_id}/{instance.public_id}/{filename}"


class ProposalAttachment(PublicModel):
    ALLOWED_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx", ".txt", ".png", ".jpg", ".jpeg", ".zip", ".csv")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, storage=get_private_storage, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class Receipt(models.Model):
    """Proof of submission: the SHA-256 of the canonical proposal content and its attachments'
    hashes, a server timestamp and a human-readable number (ZY-2026-000123)."""

    number = models.CharField(_("receipt number"), max_length=32, unique=True)
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="receipt")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.number
