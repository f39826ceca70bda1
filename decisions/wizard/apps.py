from django.apps import AppConfig


class WizardConfig(AppConfig):
    name = "decisions.wizard"
    label = "wizard"
