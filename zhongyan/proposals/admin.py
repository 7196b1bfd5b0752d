"""Read-only admin views: every write to proposals and reviews goes through the services, so the
admin site only shows what is there (operators investigate, they don't edit submissions)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhongyan.proposals.models import (
    ClarificationRequest,
    Proposal,
    ProposalAttachment,
    Receipt,
    ReviewAssignment,
    ReviewSubmission,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "demand", "solver", "status", "submitted_at")
    list_filter = ("status",)
    search_fields = ("public_id", "solver__email")
    raw_id_fields = ("demand", "solver", "organisation")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("number", "proposal", "issued_at", "sha256")
    search_fields = ("number", "sha256")


@admin.register(ProposalAttachment)
class ProposalAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "proposal", "size", "sha256")
    exclude = ("file",)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("demand", "reviewer", "status", "declared_at")
    list_filter = ("status",)


@admin.register(ReviewSubmission)
class ReviewSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "assignment", "submitted_at", "comment_released")


@admin.register(ClarificationRequest)
class ClarificationRequestAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "question", "answered_at")
