from django.contrib import admin

from decisions.evidence import services
from decisions.evidence.models import FailedExample, PromptTrial
from decisions.projects.admin import ProjectAdmin
from decisions.projects.models import Project


class FailedExampleInline(admin.StackedInline):
    model = FailedExample
    extra = 0
    fields = ["title", "failure_type", "severity", "iterations"]
    show_change_link = True


# The project's admin page lists its examples too; the inline lives here, with the model.
admin.site.unregister(Project)


@admin.register(Project)
class ProjectWithExamplesAdmin(ProjectAdmin):
    inlines = [FailedExampleInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.evidence_changed(form.instance)


class TouchesProjectAdmin(admin.ModelAdmin):
    """Saves and deletes here change what the wizard reads, as the app's own services do."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.evidence_changed(obj.project)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        services.evidence_changed(obj.project)

    def delete_queryset(self, request, queryset) -> None:
        project_ids = set(queryset.values_list("project_id", flat=True))
        super().delete_queryset(request, queryset)
        services.evidence_changed(*Project.objects.filter(pk__in=project_ids))


@admin.register(FailedExample)
class FailedExampleAdmin(TouchesProjectAdmin):
    list_display = ["title", "project", "failure_type", "severity", "iterations", "created_at"]
    list_filter = ["failure_type", "severity"]
    search_fields = ["title", "project__name"]
    raw_id_fields = ["project", "created_by"]


@admin.register(PromptTrial)
class PromptTrialAdmin(TouchesProjectAdmin):
    list_display = ["label", "project", "model_name", "cases", "passed", "run_on"]
    search_fields = ["label", "project__name", "model_name"]
    raw_id_fields = ["project", "created_by"]
