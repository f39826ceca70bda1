from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "decisions.records"
    label = "records"

    def ready(self) -> None:
        from decisions.evidence.signals import project_page_context
        from decisions.records.staleness import project_page_staleness

        project_page_context.connect(project_page_staleness, dispatch_uid="project-page-stale")
