"""The project's own pages. The project page and everything about its evidence are in
`evidence/urls.py`; decisions/urls.py serves both under the one `projects:` namespace."""

from django.urls import path

from decisions.projects import views

urlpatterns = [
    path("new/", views.project_create, name="create"),
    path("<id:project_id>/edit/", views.project_edit, name="edit"),
    path("<id:project_id>/archive/", views.project_archive, name="archive"),
    path("<id:project_id>/restore/", views.project_restore, name="restore"),
]
