"""Review of proposals: reviewer assignments with conflict-of-interest declarations, a rubric per
demand, scores, review submissions, and clarification requests to solvers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel

SCALE_MIN, SCALE_MAX = 1, 5


class ReviewAssignment(PublicModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Conflict of interest not yet declared")
        CLEARED = "cleared", _("No conflict: may review")
        CONFLICTED = "conflicted", _("Conflict declared: review blocked")

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    coi_declared = models.BooleanField(_("conflict of interest declared"), default=False)
    coi_statement = models.TextField(_("conflict of interest statement"), max_length=2000, blank=True)
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "reviewer"], name="proposals_reviewassignment_one_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.demand}"

    @property
    def may_review(self) -> bool:
        return self.status == self.Status.CLEARED


class Rubric(models.Model):
    demand = models.OneToOneField("demands.Demand", on_delete=models.CASCADE, related_name="rubric")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return str(self.demand)


class Criterion(PublicModel):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = BilingualField(_("criterion"), max_length=200)
    description = BilingualField(_("what reviewers look for"), max_length=1000, multiline=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="proposals_criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return localized(self.name)


class Score(PublicModel):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    comment = models.TextField(pgettext_lazy("reviewer", "comment"), max_length=4000, blank=True)
    # The owner chooses which comments reach an unsuccessful solver as feedback.
    comment_released = models.BooleanField(_("comment released to the solver"), default=False)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "proposal", "criterion"], name="proposals_score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX), name="proposals_score_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ReviewSubmission(PublicModel):
    """A reviewer's scores for one proposal are final; only then may they see the others' scores."""

    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="submissions")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="review_submissions")
    comment = models.TextField(_("overall comment"), max_length=4000, blank=True)
    comment_released = models.BooleanField(_("comment released to the solver"), default=False)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "proposal"], name="proposals_reviewsubmission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.reviewer} · {self.proposal}"


class ClarificationRequest(PublicModel):
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"), max_length=4000)
    answer = models.TextField(_("answer"), max_length=8000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("clarification request")
        verbose_name_plural = _("clarification requests")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
