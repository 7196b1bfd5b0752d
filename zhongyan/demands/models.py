"""Technical demands (需求对接): a hard problem posted by a business unit or a customer."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel, TimeStampedModel
from zhongyan.core.storage import get_private_storage
from zhongyan.demands.querysets import DemandQuerySet, QuestionQuerySet


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
    nda_version = models.PositiveIntegerField(_("NDA template version"), null=True, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    # Jieba-tokenised words of every language's title, summary, background, indicators and
    # keywords, space separated and lower case; maintained by the services, read by search().
    search_text = models.TextField(_("search text"), blank=True, editable=False)
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
            # The list's count and its sorted page of primary keys (ListPaginator): every column
            # visible_to(), the filters and the sort orders read, so PostgreSQL answers them from
            # the index alone instead of scanning the wide rows (10,000 demands: 10 -> 3 ms).
            models.Index(
                fields=["status", "confidentiality"],
                include=["organisation_id", "id", "deadline", "published_at", "created_at", "budget_min", "budget_max"],
                name="demands_demand_visible_idx",
            ),
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

    @property
    def is_past_deadline(self) -> bool:
        return self.deadline <= timezone.now()

    @property
    def accepts_proposals(self) -> bool:
        """Published and before the deadline, even if the closing task has not run yet."""
        return self.status == self.Status.PUBLISHED and not self.is_past_deadline

    def nda_text_hash(self) -> str:
        """SHA-256 of the canonical JSON of the frozen NDA text: what an acceptance records."""
        canonical = json.dumps(self.nda_text or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def mode_labels(self) -> list[str]:
        labels = dict(self.Mode.choices)
        return [str(labels[mode]) for mode in self.modes if mode in labels]


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


def _attachment_path(instance: "DemandAttachment", filename: str) -> str:
    # The stored name is random: the original name is kept in a column, never in the path.
    return f"demands/{instance.demand.public_id}/{instance.public_id}"


class Indicator(models.Model):
    """A technical indicator the solution must reach (e.g. elongation >= 20 %)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="indicators")
    name = BilingualField(_("indicator"), max_length=200)
    target = models.CharField(_("target"), max_length=100)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{localized(self.name)}: {self.target} {self.unit}".strip()


class DemandAttachment(PublicModel):
    MAX_SIZE = 20 * 1024 * 1024
    CONTENT_TYPES: dict[str, str] = {
        ".pdf": "application/pdf",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".txt": "text/plain",
        ".csv": "text/csv",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".zip": "application/zip",
    }

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=get_private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class NdaTemplate(TimeStampedModel):
    """The operator's NDA wording. Publishing a demand copies the active version into it."""

    title = models.CharField(_("title"), max_length=200)
    text = BilingualField(_("text"), max_length=20000, multiline=True)
    version = models.PositiveIntegerField(_("version"), unique=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("NDA template")
        verbose_name_plural = _("NDA templates")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="demands_ndatemplate_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class NdaAcceptance(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="nda_acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nda_acceptances")
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    # SHA-256 of the canonical JSON of the exact frozen NDA text the user was shown.
    text_hash = models.CharField(_("hash of the accepted text"), max_length=64)
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("NDA acceptance")
        verbose_name_plural = _("NDA acceptances")
        constraints = [
            models.UniqueConstraint(fields=["demand", "user"], name="demands_ndaacceptance_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} NDA {self.demand}"


class Question(PublicModel):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demand_questions")
    body = models.TextField(_("question"), max_length=2000)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Public questions and their answers are shown to every solver.")
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at"]
        indexes = [
            # The Q&A section of a demand page, oldest first.
            models.Index(fields=["demand", "created_at"], name="demands_question_demand_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Follow(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demand_follows")
    created_at = models.DateTimeField(_("followed"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["demand", "user"], name="demands_follow_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.demand}"
