from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "decisions.records"
    label = "records"
