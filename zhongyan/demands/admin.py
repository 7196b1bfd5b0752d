"""Operators' admin for demands. Writes that have rules (NDA template versions, lifecycle) go
through the services; demands themselves are read-only here: use the demand pages."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhongyan.core.content import BilingualFormField
from zhongyan.core.errors import DomainError
from zhongyan.demands import services
from zhongyan.demands.models import Demand, NdaAcceptance, NdaTemplate


class NdaTemplateForm(forms.ModelForm):
    text = BilingualFormField(label=_("text"), max_length=20000, multiline=True)

    class Meta:
        model = NdaTemplate
        fields = ["title", "text"]


@admin.register(NdaTemplate)
class NdaTemplateAdmin(admin.ModelAdmin):
    """Each save makes a new, active version; old versions stay as they were."""

    form = NdaTemplateForm
    list_display = ("title", "version", "is_active", "created_at")
    actions = ["activate"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("title", "text", "version", "is_active") if obj else ()

    def save_model(self, request: HttpRequest, obj: NdaTemplate, form: Any, change: bool) -> None:
        if change:
            return
        try:
            saved = services.save_nda_template(actor=request.user, title=obj.title, text=obj.text)
        except DomainError as error:
            messages.error(request, str(error.message))
            return
        obj.pk, obj.version, obj.is_active = saved.pk, saved.version, saved.is_active

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Make the selected version the active NDA"))
    def activate(self, request: HttpRequest, queryset: QuerySet[NdaTemplate]) -> None:
        template = queryset.order_by("-version").first()
        if template is not None:
            services.activate_nda_template(actor=request.user, template=template)


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "status", "confidentiality", "deadline")
    list_filter = ("status", "confidentiality")
    search_fields = ("public_id", "search_text")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NdaAcceptance)
class NdaAcceptanceAdmin(admin.ModelAdmin):
    list_display = ("demand", "user", "organisation", "accepted_at", "text_hash")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
