from django.contrib import admin

from decisions.projects import services
from decisions.projects.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "use_case", "owner", "last_activity_at", "archived_at"]
    list_filter = ["use_case", "archived_at"]
    search_fields = ["name", "team__name"]
    raw_id_fields = ["team", "owner"]

    def save_model(self, request, project, form, change) -> None:
        # The wizard keys a project's evidence on its last activity (evidence/aggregate.py).
        super().save_model(request, project, form, change)
        services.project_changed(project)
