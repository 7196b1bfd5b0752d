"""The admin shows contracts read-only: every change goes through the services (and a contract in
force is refused by the database as well). Templates are added as new versions through the service."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhongyan.contracts import services
from zhongyan.contracts.models import Contract, ContractParty, ContractTemplate, ContractVersion, SignerCertificate
from zhongyan.contracts.services.templates import TEMPLATE_FIELDS


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartyInline(ReadOnlyInline):
    model = ContractParty
    fields = ("role", "name", "organisation", "person", "signed_by", "signed_at", "ip_address", "authentication")


class VersionInline(ReadOnlyInline):
    model = ContractVersion
    fields = ("number", "author", "note", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("number", "status", "demand", "created_at", "in_force_at")
    list_filter = ("status",)
    search_fields = ("number", "public_id")
    inlines = (PartyInline, VersionInline)
    readonly_fields = ("pdf_sha256", "locked_pdf_sha256", "completion_sha256")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContractTemplate)
class ContractTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("version", "__str__", "is_active", "created_at")
    fields = TEMPLATE_FIELDS
    actions = ("activate",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a saved version is never edited: add a new one

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ContractTemplate, form: Any, change: bool) -> None:
        created = services.create_template_version(
            actor=request.user, data={name: form.cleaned_data[name] for name in TEMPLATE_FIELDS}
        )
        obj.pk, obj.version = created.pk, created.version

    @admin.action(description=_("Activate the selected version"))
    def activate(self, request: HttpRequest, queryset: Any) -> None:
        template = queryset.order_by("-version").first()
        if template is not None:
            services.activate_template(actor=request.user, template=template)


@admin.register(SignerCertificate)
class SignerCertificateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("common_name", "user", "organisation", "serial_number", "not_after")
    exclude = ("encrypted_key_pem",)
    search_fields = ("common_name", "serial_number", "user__email")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
