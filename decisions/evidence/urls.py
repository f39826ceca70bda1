"""The project page and its evidence, under /projects/<id>/ beside the project's own pages."""

from django.urls import path

from decisions.evidence.examples import test_set_views, views
from decisions.evidence.exports import views as export_views
from decisions.evidence.imports import views as import_views
from decisions.evidence.trials import views as trial_views

urlpatterns = [
    path("<id:project_id>/", views.project_detail, name="detail"),
    path("<id:project_id>/examples/add/", views.example_add, name="example_add"),
    path("<id:project_id>/test-set/", test_set_views.test_set_page, name="test_set"),
    path("<id:project_id>/examples/bulk/", views.examples_bulk, name="examples_bulk"),
    path("<id:project_id>/import/", import_views.import_upload, name="import"),
    path(
        "<id:project_id>/imports/<id:import_id>/",
        import_views.import_detail,
        name="import_detail",
    ),
    path("<id:project_id>/export/", export_views.export_page, name="export"),
    path(
        "<id:project_id>/export/experiment/",
        export_views.experiment_download,
        name="experiment_download",
    ),
    path("<id:project_id>/trials/", trial_views.trials_page, name="trials"),
    path("<id:project_id>/trials/add/", trial_views.trial_add, name="trial_add"),
    path("<id:project_id>/trials/import/", trial_views.trial_import, name="trial_import"),
    path("<id:project_id>/trials/compare/", trial_views.trial_compare, name="trial_compare"),
    path("<id:project_id>/trials/pass-mark/", trial_views.pass_mark_set, name="pass_mark"),
    path(
        "<id:project_id>/trials/<id:trial_id>/delete/",
        trial_views.trial_delete,
        name="trial_delete",
    ),
    path(
        "<id:project_id>/export/<slug:target>/<slug:part>/",
        export_views.export_download,
        name="export_download",
    ),
    path("<id:project_id>/examples/<id:example_id>/", views.example_row, name="example_row"),
    path(
        "<id:project_id>/examples/<id:example_id>/edit/",
        views.example_edit,
        name="example_edit",
    ),
    path(
        "<id:project_id>/examples/<id:example_id>/delete/",
        views.example_delete,
        name="example_delete",
    ),
]
