from django.contrib import admin

from decisions.reports.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["label", "decision", "created_by", "expires_at", "revoked_at", "view_count"]
    list_filter = ["revoked_at"]
    search_fields = ["label", "decision__project__name"]
    readonly_fields = ["token_hash", "view_count", "last_viewed_at"]
    raw_id_fields = ["decision", "created_by"]
