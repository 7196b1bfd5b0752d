from django.contrib import admin

from zhongyan.notifications.models import Notification, NotificationSettings, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "created_at", "read_at", "email_state"]
    list_filter = ["kind", "email_state"]
    search_fields = ["recipient__email", "public_id"]
    raw_id_fields = ["recipient", "actor"]
    readonly_fields = ["public_id", "created_at", "emailed_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "in_app", "email", "email_frequency"]
    list_filter = ["kind", "email_frequency"]
    raw_id_fields = ["user"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    raw_id_fields = ["user"]
