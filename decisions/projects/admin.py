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


@admin.register(FailedExample)
class FailedExampleAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "failure_type", "severity", "iterations", "created_at"]
    list_filter = ["failure_type", "severity"]
    search_fields = ["title", "project__name"]
    raw_id_fields = ["project", "created_by"]
