"""Operators' admin for organisations. Verification goes through the services (so it is
audited and the owners are e-mailed); the verification fields are read-only here."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zhongyan.core.errors import DomainError
from zhongyan.orgs import services
from zhongyan.orgs.models import Invitation, JoinRequest, Membership, Organisation


class MembershipInline(admin.TabularInline):
    """Read-only: roles change on the members page, where the last-owner rule is enforced."""

    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RejectionForm(forms.Form):
    note = forms.CharField(label=_("Note to the owners"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


def _run(request: HttpRequest, queryset: QuerySet[Organisation], decide: Any, **kwargs: Any) -> int:
    done = 0
    for organisation in queryset:
        try:
            decide(actor=request.user, organisation=organisation, **kwargs)
        except DomainError as exc:
            messages.error(request, f"{organisation}: {exc.message}")
        else:
            done += 1
    return done


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "verification", "city_text", "created_at")
    list_filter = ("kind", "verification", "requires_demand_review")
    search_fields = ("public_id", "slug")
    readonly_fields = (
        "public_id",
        "slug",
        "verification",
        "verification_note",
        "verified_at",
        "created_at",
        "updated_at",
    )
    filter_horizontal = ("fields",)
    inlines = [MembershipInline]
    actions = ["verify", "reject"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("city"))
    def city_text(self, obj: Organisation) -> str:
        return str(obj.city.get("zh-hans") or obj.city.get("en") or "") if obj.city else ""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        # Names are JSON; search them per language the same way the directory does.
        base, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            base = base | queryset.search(search_term)  # type: ignore[attr-defined]
        return base, may_have_duplicates

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        done = _run(request, queryset, services.verify_organisation)
        if done:
            messages.success(
                request,
                ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", done)
                % {"count": done},
            )

    @admin.action(description=_("Reject the selected organisations (with a note)"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> HttpResponse | None:
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = _run(request, queryset, services.reject_organisation, note=form.cleaned_data["note"])
            if done:
                messages.success(
                    request,
                    ngettext("%(count)d organisation rejected.", "%(count)d organisations rejected.", done)
                    % {"count": done},
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject organisations"),
            "form": form,
            "organisations": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orgs/reject_organisations.html", context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Organisations are registered on the site, where the creator becomes the owner.
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        changes = {key: form.cleaned_data[key] for key in services.ADMIN_EDITABLE_FIELDS if key in form.changed_data}
        original = Organisation.objects.get(pk=obj.pk)
        services.update_organisation(
            actor=request.user, organisation=original, fields=form.cleaned_data.get("fields"), **changes
        )
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The service already saved the fields; memberships are read-only here.
        return None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Demands and contracts point at organisations; removing one is not an admin click.
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "status", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("email",)
    readonly_fields = [f.name for f in Invitation._meta.fields if f.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("user__email",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
