from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "decisions.evidence"
    label = "evidence"
