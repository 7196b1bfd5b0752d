from django.contrib import admin

from zhongyan.core.content import localized
from zhongyan.events.models import Attendance, Event, EventRole, Venue


class VenueInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Venue
    extra = 0


class EventRoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EventRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["display_title", "starts_at", "ends_at", "public_id"]
    search_fields = ["title", "public_id"]
    inlines = [VenueInline, EventRoleInline]
    readonly_fields = ["public_id", "created_by"]

    @admin.display(description="title")
    def display_title(self, event: Event) -> str:
        return localized(event.title)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "organisation_name", "event", "venue", "hidden", "created_at"]
    list_filter = ["hidden"]
    search_fields = ["name", "organisation_name", "contact"]
    readonly_fields = ["public_id", "event", "venue", "user", "contact", "photo", "thumbnail", "hidden", "hidden_by"]
