from django.urls import path

from decisions.reports import views

app_name = "reports"

urlpatterns = [
    path("projects/<id:project_id>/decisions/<id:revision>/", views.report, name="report"),
    path(
        "projects/<id:project_id>/decisions/<id:revision>/report.pdf",
        views.report_pdf,
        name="pdf",
    ),
    path(
        "projects/<id:project_id>/decisions/<id:revision>/diagram.svg",
        views.report_diagram,
        name="diagram",
    ),
    path(
        "projects/<id:project_id>/decisions/<id:revision>/report.pdf/retry/",
        views.report_pdf_retry,
        name="pdf_retry",
    ),
    path(
        "projects/<id:project_id>/decisions/<id:revision>/share/",
        views.share_create,
        name="share_create",
    ),
    path(
        "projects/<id:project_id>/decisions/<id:revision>/share/<id:link_id>/revoke/",
        views.share_revoke,
        name="share_revoke",
    ),
    path(
        "projects/<id:project_id>/decisions/<id:revision>/decision.json",
        views.decision_export,
        {"file_format": "json"},
        name="export_json",
    ),
    path(
        "projects/<id:project_id>/decisions/<id:revision>/decision.md",
        views.decision_export,
        {"file_format": "md"},
        name="export_madr",
    ),
    path("s/<str:token>/", views.shared_report, name="shared"),
    path("s/<str:token>/report.pdf", views.shared_pdf, name="shared_pdf"),
    path("s/<str:token>/diagram.svg", views.shared_diagram, name="shared_diagram"),
]
