from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.models import ApiToken, Field, Publication, PublicationImport, User
from zhongyan.core.audit import record


class UserCreation(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserChange(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChange
    add_form = UserCreation
    ordering = ("email",)
    list_display = ("email", "name", "is_staff", "is_active", "availability", "date_joined", "last_login")
    list_filter = ("is_staff", "is_active", "is_superuser", "availability", "fields", "date_joined")
    search_fields = ("email", "display_name", "keywords", "public_id")
    readonly_fields = ("public_id", "date_joined", "last_login")
    filter_horizontal = ("groups", "user_permissions", "fields")
    fieldsets = (
        (None, {"fields": ("public_id", "email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "headline",
                    "bio",
                    "fields",
                    "keywords",
                    "publications",
                    "languages",
                    "availability",
                    "avatar",
                )
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        verb = "accounts.user_changed_by_operator" if change else "accounts.user_created_by_operator"
        record(request.user, verb, obj, {"changed": sorted(form.changed_data)})


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "parent", "position")
    list_editable = ("position",)
    search_fields = ("code", "name")
    ordering = ("position", "code")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Operators may see and revoke (delete) tokens, never create them: a token acts as its owner."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    list_filter = ("created_at", "last_used_at")
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = ("public_id", "user", "name", "prefix", "key_hash", "created_at", "last_used_at")
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        record(request.user, "accounts.api_token_revoked", obj, {"name": obj.name, "prefix": obj.prefix, "by": "admin"})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            self.delete_model(request, token)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators look; changes go through the profile pages and their services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "year", "owner")
    list_filter = ("kind",)
    search_fields = ("title", "doi", "owner__email")
    list_select_related = ("owner",)


@admin.register(PublicationImport)
class PublicationImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "owner", "status", "done", "total", "imported", "created_at")
    list_filter = ("status",)
    exclude = ("content",)
    list_select_related = ("owner",)
