from django.contrib import admin

from decisions.records.models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read only: a saved decision is an immutable record."""

    list_display = ["project", "revision", "outcome", "confidence", "created_by", "created_at"]
    list_filter = ["outcome", "confidence", "flowchart_version"]
    search_fields = ["project__name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
