from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "decisions.reports"
    label = "reports"

    def ready(self) -> None:
        # records comes before reports in the one-way imports, so records cannot ask for its
        # PDF itself: reports listens for new decisions instead.
        from django.db.models.signals import post_save

        from decisions.records.models import Decision, ReviewEvent
        from decisions.reports.signals import (
            prune_pdfs_after_review_move,
            render_pdf_of_new_decision,
        )

        post_save.connect(render_pdf_of_new_decision, sender=Decision, dispatch_uid="new-pdf")
        post_save.connect(
            prune_pdfs_after_review_move, sender=ReviewEvent, dispatch_uid="review-move-prune"
        )
