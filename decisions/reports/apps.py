from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "decisions.reports"
    label = "reports"
