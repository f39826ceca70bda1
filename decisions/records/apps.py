from django.apps import AppConfig
from django.core import checks


class RecordsConfig(AppConfig):
    name = "decisions.records"
    label = "records"

    def ready(self) -> None:
        from decisions.lib.checks import (
            site_url_check,
            site_url_form_check,
            webhooks_private_check,
        )

        checks.register(site_url_form_check)
        # Deploy-only: a laptop's defaults are right for a laptop.
        checks.register(site_url_check, checks.Tags.security, deploy=True)
        checks.register(webhooks_private_check, checks.Tags.security, deploy=True)

        from decisions.evidence.signals import project_page_context
        from decisions.records.staleness import project_page_staleness

        project_page_context.connect(project_page_staleness, dispatch_uid="project-page-stale")
