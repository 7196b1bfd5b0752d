"""In-app notifications and each person's choice of what reaches them, and how.

A notification stores its kind, a small JSON context (bilingual titles of things the recipient may
see, never free text from a confidential demand) and a target URL. Its words are rendered when
shown, in the viewer's language, so switching the interface language translates the whole inbox.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongyan.core.models import new_public_id
from zhongyan.notifications.querysets import NotificationQuerySet


class Kind(models.TextChoices):
    INVITATION_RECEIVED = "invitation_received", _("Invitation to a demand")
    NDA_ACCEPTED = "nda_accepted", _("NDA accepted for your demand")
    QUESTION_ASKED = "question_asked", _("Question asked on your demand")
    QUESTION_ANSWERED = "question_answered", _("Question answered")
    PROPOSAL_RECEIVED = "proposal_received", _("Proposal received")
    REVIEW_ASSIGNED = "review_assigned", _("Review assigned to you")
    PROPOSAL_AWARDED = "proposal_awarded", _("Your proposal was awarded")
    PROPOSAL_NOT_AWARDED = "proposal_not_awarded", _("Your proposal was not selected")
    DEMAND_PUBLISHED = "demand_published", _("Followed demand published")
    DEMAND_SUBMITTED_FOR_REVIEW = "demand_submitted_for_review", _("Demand awaiting operator review")
    IDEA_SUBMITTED = "idea_submitted", _("New idea in a campaign I moderate or follow")
    IDEA_COMMENTED = "idea_commented", _("Comment on my idea")
    COMMENT_REPLIED = "comment_replied", _("Reply to my comment on an idea")
    IDEA_MENTIONED = "idea_mentioned", _("Mention of me in an idea discussion")
    IDEA_STAGE_CHANGED = "idea_stage_changed", _("Stage change of my idea")
    IDEA_PROMOTED = "idea_promoted", _("My idea promoted to a demand")
    IDEA_HIDDEN = "idea_hidden", _("My idea hidden by a moderator")


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class Notification(models.Model):
    class EmailState(models.TextChoices):
        NONE = "none", _("Not e-mailed")
        PENDING = "pending", _("Waiting to be sent")
        DIGEST = "digest", _("Waiting for the digest")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    Kind = Kind

    public_id = models.CharField(_("public id"), max_length=16, unique=True, default=new_public_id, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # Bilingual titles and names only ({"demand": {"zh-hans": .., "en": ..}, "actor": {..}}).
    context = models.JSONField(_("context"), default=dict, blank=True)
    # A path without a language prefix; shown with the viewer's prefix.
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The page of the container the notice belongs to (an idea campaign); the digest groups by it.
    group_url = models.CharField(_("group link"), max_length=500, blank=True)
    # False when the person turned in-app notices off but still gets this by e-mail (or digest).
    in_inbox = models.BooleanField(_("shown in the inbox"), default=True)
    email_state = models.CharField(_("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # The inbox (unread first, newest first) and the unread badge count, per recipient.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notifications_notif_inbox_idx"),
            # The digest task: rows waiting for a daily or weekly e-mail.
            models.Index(
                fields=["email_state", "recipient"],
                name="notifications_notif_digest_idx",
                condition=models.Q(email_state="digest"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """Per person: the language of their e-mails (the inbox follows the interface language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(
        _("e-mail language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class Preference(models.Model):
    """One person's choice for one kind. No row means the kind's defaults (see kinds.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    in_app = models.BooleanField(_("in the inbox"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    email_frequency = models.CharField(
        _("e-mail frequency"), max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    # "E-mail me at once" even when this kind otherwise waits for the digest.
    urgent = models.BooleanField(_("urgent"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "in_app": self.in_app,
            "email": self.email,
            "email_frequency": self.email_frequency,
            "urgent": self.urgent,
        }
