from django.contrib import admin

from decisions.projects.models import FailedExample, Project


class FailedExampleInline(admin.StackedInline):
    model = FailedExample
    extra = 0
    fields = ["title", "failure_type", "severity", "iterations"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "use_case", "owner", "last_activity_at", "archived_at"]
    list_filter = ["use_case", "archived_at"]
    search_fields = ["name", "team__name"]
    raw_id_fields = ["team", "owner"]
    inlines = [FailedExampleInline]

    def save_related(self, request, form, formsets, change) -> None:
        # Examples edited inline: the wizard keys its evidence on the project's last activity.
        super().save_related(request, form, formsets, change)
        form.instance.touch()


@admin.register(FailedExample)
class FailedExampleAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "failure_type", "severity", "iterations", "created_at"]
    list_filter = ["failure_type", "severity"]
    search_fields = ["title", "project__name"]
    raw_id_fields = ["project", "created_by"]

    # The wizard keys a project's evidence on its last activity (wizard/evidence.py).
    def save_model(self, request, example, form, change) -> None:
        super().save_model(request, example, form, change)
        example.project.touch()

    def delete_model(self, request, example) -> None:
        super().delete_model(request, example)
        example.project.touch()

    def delete_queryset(self, request, queryset) -> None:
        projects = set(queryset.values_list("project_id", flat=True))
        super().delete_queryset(request, queryset)
        for project in Project.objects.filter(pk__in=projects):
            project.touch()
