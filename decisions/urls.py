from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.urls.converters import get_converters
from django.views.generic import RedirectView

from decisions.lib.converters import IdConverter
from decisions.lib.health import healthz

# Before the includes below: their URL patterns use <id:...>. Django refuses a second
# registration, which a re-import after a failed first import would attempt.
if "id" not in get_converters():
    register_converter(IdConverter, "id")

from decisions.api.api import api  # noqa: E402  (its URLs use the converter above)
from decisions.evidence import urls as evidence_urls  # noqa: E402
from decisions.projects import urls as project_urls  # noqa: E402

# The project's own pages and its evidence share the `projects:` names (projects:detail is the
# project page, which is mostly evidence); neither app imports the other's URLs.
project_pages = (project_urls.urlpatterns + evidence_urls.urlpatterns, "projects")


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request, not at import: with STATIC_MANIFEST the hashed name exists only
    # after collectstatic, and `manage.py check` must load the URLs before that.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="overview:projects", permanent=False)),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico even when the page names another icon.
    path("favicon.ico", favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("decisions.accounts.urls")),
    path("", include("decisions.overview.urls")),
    path("projects/", include(project_pages)),
    path("", include("decisions.wizard.urls")),
    path("", include("decisions.records.urls")),
    path("", include("decisions.reports.urls")),
    path("api/v1/", api.urls),
    path("accounts/tokens/", include("decisions.api.urls")),
    path("admin/", admin.site.urls),
]
