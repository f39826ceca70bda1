from django.urls import path

from decisions.records import views

app_name = "records"

urlpatterns = [
    path("wizard/runs/<id:run_id>/finish/", views.run_finish, name="finish"),
]
