"""Conferences with venues, guests who join by scanning, and cross-device QR sign-in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel, TimeStampedModel
from zhongyan.events.querysets import AttendanceQuerySet, EventQuerySet


class Event(PublicModel):
    title = BilingualField(_("title"), max_length=200)
    description = BilingualField(_("description"), max_length=4000, multiline=True, blank=True)
    schedule = BilingualField(_("schedule"), max_length=4000, multiline=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("organiser"),
    )
    # How long one QR code on a screen stays valid; a photo of the screen sent elsewhere stops
    # working after about twice this. 0 turns rotation off (a printed poster).
    join_token_seconds = models.PositiveIntegerField(_("QR code lifetime (seconds)"), default=60)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="events_event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return localized(self.title)


class Venue(PublicModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="venues")
    name = BilingualField(_("name"), max_length=200)
    is_main = models.BooleanField(_("main venue"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["-is_main", "position", "created_at"]

    def __str__(self) -> str:
        return localized(self.name)


class EventRole(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("Host")
        MODERATOR = "moderator", _("Moderator")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("event role")
        verbose_name_plural = _("event roles")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_eventrole_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Attendance(PublicModel):
    """One guest at one event. A guest is a platform user, or a person who joined with only a
    name and an e-mail address or phone number (`contact`, normalised)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    contact = models.CharField(_("e-mail or phone"), max_length=254, blank=True)
    name = models.CharField(_("name"), max_length=100)
    organisation_name = models.CharField(pgettext_lazy("guest", "organisation"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="events/faces/", blank=True)
    thumbnail = models.ImageField(upload_to="events/faces/thumbs/", blank=True)
    hidden = models.BooleanField(_("hidden from the screens"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["id"]
        constraints = [
            # Once per person per event: repeated taps find the existing row.
            models.UniqueConstraint(
                fields=["event", "user"], condition=models.Q(user__isnull=False), name="events_attendance_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["event", "contact"], condition=~models.Q(contact=""), name="events_attendance_one_per_contact"
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(contact=""), name="events_attendance_identified"
            ),
        ]
        indexes = [
            # The wall's catch-up: faces of one event after a known id.
            models.Index(fields=["event", "id"], name="events_attendance_feed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.event}"


class QrLogin(TimeStampedModel):
    """A desktop browser asking to be signed in by a phone that is already signed in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a phone")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        USED = "used", _("Used")

    token_hash = models.CharField(max_length=64, unique=True)
    # The requesting browser's secret, kept in its session; only that browser can complete it.
    browser_key_hash = models.CharField(max_length=64)
    browser_label = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("QR sign-in request")
        verbose_name_plural = _("QR sign-in requests")

    def __str__(self) -> str:
        return f"{self.status} until {self.expires_at:%H:%M:%S}"
