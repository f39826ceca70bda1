from django.contrib import admin

from decisions.wizard.models import WizardRun


@admin.register(WizardRun)
class WizardRunAdmin(admin.ModelAdmin):
    list_display = ["project", "status", "flowchart_version", "created_by", "updated_at"]
    list_filter = ["status", "flowchart_version"]
    search_fields = ["project__name"]
    raw_id_fields = ["project", "created_by"]
