from django.urls import path

from decisions.wizard import views

app_name = "wizard"

urlpatterns = [
    path("projects/<id:project_id>/wizard/start/", views.run_start, name="start"),
    path("wizard/runs/<id:run_id>/", views.run_resume, name="resume"),
    path("wizard/runs/<id:run_id>/review/", views.review, name="review"),
    path("wizard/runs/<id:run_id>/discard/", views.run_discard, name="discard"),
    path("wizard/runs/<id:run_id>/q/<slug:node_id>/", views.step, name="step"),
]
