"""People and the shared field taxonomy they (and later demands) are tagged with."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel, new_public_id


class Field(models.Model):
    """A field of the steel industry (ironmaking, coating, industrial AI, ...)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = BilingualField(_("name"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return localized(self.name)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with e-mail; staff users are the platform's operators."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available for new work")
        LIMITED = "limited", _("Limited availability")
        UNAVAILABLE = "unavailable", _("Not available")

    public_id = models.CharField(_("public id"), max_length=16, unique=True, default=new_public_id, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = BilingualField(_("display name"), max_length=100, blank=True)
    is_staff = models.BooleanField(
        _("operator"), default=False, help_text=_("Operators run the platform and may use the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    # Expert profile: what matching reads.
    headline = BilingualField(_("title or position"), max_length=200, blank=True)
    bio = BilingualField(_("biography"), max_length=4000, blank=True, multiline=True)
    fields = models.ManyToManyField(Field, blank=True, related_name="experts", verbose_name=_("fields of expertise"))
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separate keywords with commas.")
    )
    publications = models.TextField(_("publications and patents"), blank=True)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.AVAILABLE
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    avatar_thumbnail = models.ImageField(upload_to="avatars/thumbs/", blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.display_name) or self.email.split("@")[0]

    @property
    def is_operator(self) -> bool:
        return self.is_staff

    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.replace("，", ",").split(",") if word.strip()]


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once when created."""

    public_id = models.CharField(_("public id"), max_length=16, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Publication(PublicModel):
    """An article, patent, conference paper or book of an expert: matching reads title and abstract."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Journal article")
        PATENT = "patent", _("Patent")
        CONFERENCE = "conference", _("Conference paper")
        BOOK = "book", _("Book or chapter")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bibliography", verbose_name=_("owner"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), max_length=10000, blank=True)
    authors = models.CharField(_("authors"), max_length=1000, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    venue = models.CharField(_("journal, conference or publisher"), max_length=300, blank=True)
    patent_number = models.CharField(_("patent number"), max_length=100, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # DOI or folded title (bibliography.dedupe_key): the same work imported twice is one row.
    dedupe_key = models.CharField(max_length=300, editable=False)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "dedupe_key"], name="accounts_publication_once_per_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class PublicationImport(PublicModel):
    """One uploaded publication file and how far its import got; the page polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="publication_imports")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("format"), max_length=10)
    # The upload itself, until the import has read it: the worker may run on another machine.
    content = models.BinaryField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("records in the file"), default=0)
    done = models.PositiveIntegerField(_("records processed"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    duplicates = models.PositiveIntegerField(_("skipped duplicates"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"line", "code", "value"}]
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication import")
        verbose_name_plural = _("publication imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.is_finished else 0)
