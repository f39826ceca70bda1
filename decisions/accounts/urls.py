from django.contrib.auth import views as auth_views
from django.urls import path

from decisions.accounts import password_reset, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url="/accounts/password/done/",
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    # Django's reset views: a link by e-mail, then a new password (accounts/password_reset.py).
    path("password/reset/", password_reset.password_reset, name="password_reset"),
    path("password/reset/sent/", password_reset.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        password_reset.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        password_reset.password_reset_complete,
        name="password_reset_complete",
    ),
    path("teams/", views.team_list, name="teams"),
    path("teams/<id:team_id>/", views.team_detail, name="team"),
    path("teams/<id:team_id>/rename/", views.team_rename, name="team_rename"),
    path("teams/<id:team_id>/invite/", views.member_invite, name="member_invite"),
    path(
        "teams/<id:team_id>/review-settings/",
        views.team_review_settings,
        name="team_review_settings",
    ),
    path(
        "teams/<id:team_id>/invitations/<id:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("teams/<id:team_id>/members/<id:member_id>/role/", views.member_role, name="member_role"),
    path(
        "teams/<id:team_id>/members/<id:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]
