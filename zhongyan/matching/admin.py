from django.contrib import admin

from zhongyan.matching.models import Embedding


@admin.register(Embedding)
class EmbeddingAdmin(admin.ModelAdmin):
    list_display = ("item_type", "item_id", "text_hash", "updated_at")
    list_filter = ("item_type",)
    readonly_fields = ("item_type", "item_id", "text", "titles", "field_codes", "text_hash", "dim", "updated_at")
    exclude = ("vectors",)

    def has_add_permission(self, request: object) -> bool:
        return False
