"""The supply side: technologies, achievements and patents offered by partners, and shared labs and
equipment. Browsed and searched like demands; matched to demands by the matching module."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongyan.catalog.querysets import OfferingQuerySet
from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel


class Offering(PublicModel):
    class Kind(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        ACHIEVEMENT = "achievement", _("Research achievement")
        PATENT = "patent", _("Patent")
        LAB = "lab", _("Shared laboratory")
        EQUIPMENT = "equipment", _("Shared equipment")

    class IpStatus(models.TextChoices):
        GRANTED = "granted", _("Patent granted")
        PENDING = "pending", _("Patent pending")
        KNOW_HOW = "know_how", _("Know-how / trade secret")
        SOFTWARE = "software", _("Software copyright")
        NONE = "none", _("No registered IP")

    class Licensing(models.TextChoices):
        EXCLUSIVE = "exclusive", _("Exclusive licence")
        NON_EXCLUSIVE = "non_exclusive", _("Non-exclusive licence")
        ASSIGNMENT = "assignment", _("Assignment (sale)")
        JOINT = "joint", _("Joint development")
        SERVICE = "service", _("Service or time booking")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TECHNOLOGY_KINDS = (Kind.TECHNOLOGY, Kind.ACHIEVEMENT, Kind.PATENT)

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="offerings", verbose_name=_("offered by")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TECHNOLOGY)
    title = BilingualField(_("title"), max_length=200)
    description = BilingualField(_("description"), max_length=6000, multiline=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        null=True,
        blank=True,
        help_text=_("1 (basic principles) to 9 (proven in operation)."),
    )
    ip_status = models.CharField(_("IP status"), max_length=12, choices=IpStatus.choices, default=IpStatus.NONE)
    licensing = models.CharField(
        _("licensing mode"), max_length=16, choices=Licensing.choices, default=Licensing.NON_EXCLUSIVE
    )
    fields = models.ManyToManyField("accounts.Field", blank=True, related_name="offerings", verbose_name=_("fields"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    # jieba tokens of title, description and keywords in every language (see demands/search.py).
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9),
                name="catalog_offering_trl_1_to_9",
            ),
        ]
        indexes = [
            # The catalogue list: published entries of a kind, newest first.
            models.Index(fields=["status", "kind", "-created_at"], name="catalog_offering_list"),
        ]

    def __str__(self) -> str:
        return localized(self.title)

    @property
    def is_technology(self) -> bool:
        return self.kind in self.TECHNOLOGY_KINDS
