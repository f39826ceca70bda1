from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "decisions.projects"
    label = "projects"
