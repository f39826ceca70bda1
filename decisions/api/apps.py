from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "decisions.api"
    label = "api"
