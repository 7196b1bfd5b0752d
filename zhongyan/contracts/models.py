"""Contracts (电子签约): templates, contracts drafted from an award, their versions, parties and signatures.

A contract's PDF bytes live in the database (a few hundred KB), not in media files: the row lock
that serialises signers then also guards the bytes they sign, and the database triggers of
migration 0002 refuse any UPDATE of a contract once it is in force (docs/contracts-signing.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.contracts.querysets import ContractQuerySet
from zhongyan.core.content import BilingualField, localized
from zhongyan.core.models import PublicModel, TimeStampedModel

# The editable fields of a contract, in the order of its articles.
FIELD_NAMES = (
    "title",
    "scope",
    "deliverables",
    "price",
    "milestones",
    "ip",
    "confidentiality",
    "term",
    "disputes",
)
LIST_FIELDS = {"deliverables": ("zh", "en", "indicator"), "milestones": ("zh", "en", "amount", "due")}


class ContractTemplate(TimeStampedModel):
    """An operator-managed, bilingual contract template. Versions are never edited once a contract
    uses them: a change is a new version, and contracts keep the version they were drafted from."""

    name = BilingualField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), unique=True)
    is_active = models.BooleanField(_("active"), default=False)
    body = models.TextField(
        _("HTML body"),
        help_text=_("HTML with $placeholders ($contract_number, $scope_zh, $deliverable_rows, ...), rendered to PDF."),
    )
    title = BilingualField(_("contract title"), max_length=200)
    ip_exclusive_transfer = BilingualField(_("IP clause: exclusive transfer"), max_length=4000, multiline=True)
    ip_non_exclusive_licence = BilingualField(_("IP clause: non-exclusive licence"), max_length=4000, multiline=True)
    ip_solver_keeps = BilingualField(_("IP clause: solver keeps the IP"), max_length=4000, multiline=True)
    confidentiality = BilingualField(_("confidentiality clause"), max_length=4000, multiline=True)
    term = BilingualField(_("term clause"), max_length=4000, multiline=True)
    disputes = BilingualField(_("dispute resolution clause"), max_length=4000, multiline=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="contracts_contracttemplate_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{localized(self.name)} v{self.version}"

    def ip_clause(self, ip_terms: str) -> dict[str, str]:
        return {
            "exclusive_transfer": self.ip_exclusive_transfer,
            "non_exclusive_licence": self.ip_non_exclusive_licence,
            "solver_keeps": self.ip_solver_keeps,
        }.get(ip_terms, self.ip_non_exclusive_licence)


class Contract(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("contract status", "Draft")
        LOCKED = "locked", pgettext_lazy("contract status", "Locked for signing")
        SIGNING = "signing", pgettext_lazy("contract status", "Partly signed")
        IN_FORCE = "in_force", pgettext_lazy("contract status", "In force")

    class SigningOrder(models.TextChoices):
        SEQUENTIAL = "sequential", _("Sequential: Party A signs first")
        ANY = "any", _("Any order")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.LOCKED}),
        Status.LOCKED: frozenset({Status.DRAFT, Status.SIGNING, Status.IN_FORCE}),
        Status.SIGNING: frozenset({Status.IN_FORCE}),
        Status.IN_FORCE: frozenset(),
    }

    number = models.CharField(_("contract number"), max_length=32, unique=True)
    template = models.ForeignKey(
        ContractTemplate, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("template")
    )
    demand = models.ForeignKey(
        "demands.Demand", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("demand")
    )
    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="contract", verbose_name=_("proposal")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    signing_order = models.CharField(
        _("signing order"), max_length=10, choices=SigningOrder.choices, default=SigningOrder.SEQUENTIAL
    )
    # The current fields (FIELD_NAMES); every change is also kept as a ContractVersion.
    fields = models.JSONField(pgettext_lazy("contract", "fields"), default=dict)
    version = models.PositiveIntegerField(_("version"), default=1)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The latest PDF: as rendered at lock, then after each signature (incremental updates).
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    locked_pdf_sha256 = models.CharField(_("SHA-256 of the PDF at lock"), max_length=64, blank=True)
    completion_pdf = models.BinaryField(_("certificate of completion"), null=True, blank=True, editable=False)
    completion_sha256 = models.CharField(_("SHA-256 of the certificate of completion"), max_length=64, blank=True)
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at"]
        indexes = [
            # "My contracts" filtered by status, newest first.
            models.Index(fields=["status", "-created_at"], name="contracts_contract_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | (models.Q(pdf__isnull=False) & ~models.Q(pdf_sha256="")),
                name="contracts_contract_locked_has_pdf",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="in_force")
                | (models.Q(completion_pdf__isnull=False) & models.Q(in_force_at__isnull=False)),
                name="contracts_contract_in_force_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return localized(self.fields.get("title"))

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE


class ContractParty(models.Model):
    """One side of the contract: an organisation (signed by its owners or administrators) or, for a
    solver who proposed in their own name, that person."""

    class Role(models.TextChoices):
        PARTY_A = "party_a", _("Party A")
        PARTY_B = "party_b", _("Party B")

    class Authentication(models.TextChoices):
        PASSWORD_TOTP = "password_totp", _("Password and authenticator app (TOTP)")
        PASSWORD_EMAIL_CODE = "password_email_code", _("Password and e-mailed code")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("signing position"))
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="contract_parties"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="contract_parties"
    )
    name = BilingualField(_("name"), max_length=300)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    authentication = models.CharField(_("authentication"), max_length=30, choices=Authentication.choices, blank=True)
    certificate = models.ForeignKey(
        "SignerCertificate", null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF after this signature"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("contract party")
        verbose_name_plural = _("contract parties")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "role"], name="contracts_contractparty_one_per_role"),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="contracts_contractparty_has_identity",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True) | models.Q(signed_by__isnull=False),
                name="contracts_contractparty_signed_has_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.role}: {localized(self.name)}"

    @property
    def has_signed(self) -> bool:
        return self.signed_at is not None


class ContractVersion(models.Model):
    """A snapshot of every field after each change: version 1 is the draft made from the award."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(pgettext_lazy("contract", "fields"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contracts_contractversion_one_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"


class SignerCertificate(models.Model):
    """A signer's X.509 certificate from the platform CA, issued on their first signature for one
    organisation (or in their own name). The private key is PKCS#8-encrypted with a passphrase
    derived from the CA passphrase and this row's key id, so a database dump alone unlocks nothing."""

    key_id = models.CharField(max_length=32, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signer_certificates")
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    common_name = models.CharField(_("name in the certificate"), max_length=200)
    serial_number = models.CharField(_("serial number"), max_length=64)
    certificate_pem = models.TextField(_("certificate"))
    encrypted_key_pem = models.TextField(editable=False)
    not_after = models.DateTimeField(_("valid until"))
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["-created_at"]
        indexes = [
            # Finding a signer's current certificate for the organisation they sign for.
            models.Index(fields=["user", "organisation", "-not_after"], name="contracts_signercert_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.serial_number[:12]})"


class SigningCode(models.Model):
    """A one-time code e-mailed to a signer without TOTP: 6 digits, 10 minutes, single use, only an
    HMAC of it is stored."""

    MAX_ATTEMPTS = 5

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signing code")
        verbose_name_plural = _("signing codes")
        indexes = [
            # The signer's latest open code for this contract.
            models.Index(fields=["user", "contract", "-created_at"], name="contracts_signingcode_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.user}"
