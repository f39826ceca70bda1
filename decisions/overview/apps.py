from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "decisions.overview"
    label = "overview"
