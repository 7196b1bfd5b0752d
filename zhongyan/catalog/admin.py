from django.contrib import admin

from zhongyan.catalog.models import Offering


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "organisation", "trl", "status", "created_at")
    list_filter = ("kind", "status", "ip_status", "licensing")
    search_fields = ("search_text",)
    readonly_fields = ("search_text",)
