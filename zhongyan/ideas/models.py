"""Idea campaigns (创意征集): campaigns with a stage funnel, ideas, comments, votes, evaluations."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel
from zhongyan.ideas.querysets import CampaignQuerySet, IdeaQuerySet

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


class Campaign(PublicModel):
    class Audience(models.TextChoices):
        EMPLOYEES = "employees", _("Employees of the group")
        PARTNERS = "partners", _("Employees and partner organisations")
        EVERYONE = "everyone", _("Every signed-in user")

    title = BilingualField(_("theme"), max_length=200)
    description = BilingualField(_("description"), max_length=10000, multiline=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    anonymous = models.BooleanField(
        _("anonymous ideas"), default=False, help_text=_("Authors are hidden from everyone but the operators.")
    )
    fields = models.ManyToManyField("accounts.Field", blank=True, related_name="campaigns", verbose_name=_("fields"))
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="moderated_campaigns", verbose_name=_("moderators")
    )
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="evaluated_campaigns", verbose_name=_("experts")
    )
    # Optional automatic advance: an idea moves one stage on when its weighted evaluation score
    # reaches this value with at least `auto_advance_min_reviews` evaluations.
    auto_advance_score = models.DecimalField(
        _("advance automatically at score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    auto_advance_min_reviews = models.PositiveSmallIntegerField(_("with at least this many evaluations"), default=2)
    # Optional automatic advance out of the first stage when the community's votes reach this count.
    auto_advance_votes = models.PositiveIntegerField(_("advance automatically at votes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    # A stable key for campaigns loaded by scripts (demo data); empty for the rest.
    slug = models.SlugField(_("key"), max_length=60, unique=True, null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="ideas_campaign_dates"),
        ]

    def __str__(self) -> str:
        return localized(self.title)

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def phase(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class CampaignFollow(models.Model):
    """A person who wants to hear of new ideas in a campaign (in the inbox and their digest)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign follow")
        verbose_name_plural = _("campaign follows")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="ideas_campaignfollow_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.campaign_id}"


class Stage(models.Model):
    """One step of a campaign's funnel. The last stage is "converted": only promotion to a
    demand puts an idea there, from the stage just before it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"))
    name = BilingualField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="ideas_stage_one_per_position"),
        ]

    def __str__(self) -> str:
        return localized(self.name)


class Criterion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = BilingualField(_("name"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="ideas_criterion_one_per_position"),
        ]

    def __str__(self) -> str:
        return localized(self.name)


class Idea(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("campaign"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("author")
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_ideas", verbose_name=_("co-authors")
    )
    title = BilingualField(_("title"), max_length=200)
    description = BilingualField(_("description"), max_length=10000, multiline=True)
    fields = models.ManyToManyField("accounts.Field", blank=True, related_name="ideas", verbose_name=_("fields"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="ideas", verbose_name=_("stage")
    )
    # Kept equal to the number of Vote rows by the vote services (F() update in the same
    # transaction as the row), so lists sort by popularity without an aggregate per row.
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    promoted_demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_ideas",
        verbose_name=_("promoted to demand"),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # Hidden by a moderator: only its authors, the campaign's moderators and operators still see it.
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            # The campaign page: submitted ideas of one campaign, newest or most voted first.
            models.Index(fields=["campaign", "status", "-submitted_at"], name="ideas_idea_campaign_idx"),
            models.Index(fields=["campaign", "status", "-vote_count"], name="ideas_idea_popular_idx"),
        ]

    def __str__(self) -> str:
        return localized(self.title)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


def attachment_path(instance: "IdeaAttachment", filename: str) -> str:
    return f"ideas/{instance.idea.public_id}/{instance.public_id}"


class IdeaAttachment(PublicModel):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class Comment(PublicModel):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body = models.TextField(_("comment"), max_length=4000)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        indexes = [
            # The idea page reads its comments in order.
            models.Index(fields=["idea", "created_at"], name="ideas_comment_thread_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def edit_window_ends(self):  # type: ignore[no-untyped-def]
        return self.created_at + COMMENT_EDIT_WINDOW


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="ideas_commentreport_one_per_person"),
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_vote_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class Evaluation(models.Model):
    """One expert's scorecard for one idea. `scores` maps criterion id (as text) to 1..5."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="evaluations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_evaluations")
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    # Private to the expert who wrote it.
    note = models.TextField(_("private note"), max_length=4000, blank=True)
    conflict = models.BooleanField(_("I have a conflict of interest"), default=False)
    conflict_reason = models.CharField(_("conflict of interest"), max_length=500, blank=True)
    weighted_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["idea", "expert"], name="ideas_evaluation_one_per_expert"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} → {self.idea_id}: {self.weighted_score}"
