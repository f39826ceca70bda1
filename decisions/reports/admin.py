from django.contrib import admin

from decisions.reports.models import ReportPdf, ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["label", "decision", "created_by", "expires_at", "revoked_at", "view_count"]
    list_filter = ["revoked_at"]
    search_fields = ["label", "decision__project__name"]
    readonly_fields = ["token_hash", "view_count", "last_viewed_at"]
    raw_id_fields = ["decision", "created_by"]


@admin.register(ReportPdf)
class ReportPdfAdmin(admin.ModelAdmin):
    """Read only: rows are written by the render task."""

    list_display = ["decision", "status", "requested_at", "finished_at", "render_seconds"]
    list_filter = ["status"]
    search_fields = ["decision__project__name"]
    exclude = ["content"]
    readonly_fields = ["decision", "key", "status", "error", "requested_at", "finished_at"]

    def has_add_permission(self, request) -> bool:
        return False
