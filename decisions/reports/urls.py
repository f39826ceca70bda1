from django.urls import path

from decisions.reports import views

app_name = "reports"

urlpatterns = [
    path("projects/<int:project_id>/decisions/<int:revision>/", views.report, name="report"),
    path(
        "projects/<int:project_id>/decisions/<int:revision>/report.pdf",
        views.report_pdf,
        name="pdf",
    ),
    path(
        "projects/<int:project_id>/decisions/<int:revision>/report.pdf/retry/",
        views.report_pdf_retry,
        name="pdf_retry",
    ),
    path(
        "projects/<int:project_id>/decisions/<int:revision>/share/",
        views.share_create,
        name="share_create",
    ),
    path(
        "projects/<int:project_id>/decisions/<int:revision>/share/<int:link_id>/revoke/",
        views.share_revoke,
        name="share_revoke",
    ),
    path("s/<str:token>/", views.shared_report, name="shared"),
    path("s/<str:token>/report.pdf", views.shared_pdf, name="shared_pdf"),
]
