from django.urls import path

from decisions.records import views
from decisions.records.notifications import views as webhook_views

app_name = "records"
DECISION = "projects/<id:project_id>/decisions/<id:revision>/"
WEBHOOK = "teams/<id:team_id>/webhooks/<id:target_id>/"

urlpatterns = [
    path("wizard/runs/<id:run_id>/finish/", views.run_finish, name="finish"),
    path("projects/<id:project_id>/decisions/", views.history, name="history"),
    path(f"{DECISION}review/", views.review_step, name="review"),
    path(f"{DECISION}comments/", views.comment_add, name="comment_add"),
    path(f"{DECISION}steps/<int:index>/", views.step_save, name="step_save"),
    path(f"{DECISION}comments/<id:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path(
        f"{DECISION}comments/<id:comment_id>/delete/", views.comment_delete, name="comment_delete"
    ),
    path(
        f"{DECISION}comments/<id:comment_id>/resolve/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path("teams/<id:team_id>/webhooks/", webhook_views.webhook_list, name="webhooks"),
    path(WEBHOOK, webhook_views.webhook_detail, name="webhook"),
    path(f"{WEBHOOK}test/", webhook_views.webhook_test, name="webhook_test"),
    path(f"{WEBHOOK}delete/", webhook_views.webhook_delete, name="webhook_delete"),
]
