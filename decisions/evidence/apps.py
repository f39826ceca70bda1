from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "decisions.evidence"
    label = "evidence"

    def ready(self) -> None:
        from decisions.evidence.health import imports_status
        from decisions.lib.health import register_check

        register_check("imports", imports_status)
