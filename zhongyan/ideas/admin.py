from django.contrib import admin

from zhongyan.ideas.models import Campaign, Comment, Idea


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "audience", "opens_at", "closes_at", "anonymous")
    readonly_fields = ("public_id",)


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: changes go through the services (audited)."""

    list_display = ("__str__", "campaign", "status", "stage", "vote_count")
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "idea", "author", "hidden_at")

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
