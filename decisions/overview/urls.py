from django.urls import path

from decisions.overview import views

app_name = "overview"

urlpatterns = [
    path("projects/", views.project_list, name="projects"),
    path("decisions/", views.dashboard, name="dashboard"),
    path("teams/<id:team_id>/portfolio/", views.portfolio, name="portfolio"),
]
