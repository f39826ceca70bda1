"""Every wizard URL: a stranger gets 404, a viewer 403 (viewers cannot start or change a run)."""

from __future__ import annotations

import pytest

from decisions.wizard.models import RunStatus, WizardRun


def wizard_urls(project, run):
    return [
        ("post", f"/projects/{project.pk}/wizard/start/"),
        ("get", f"/wizard/runs/{run.pk}/"),
        ("get", f"/wizard/runs/{run.pk}/q/symptom/"),
        ("post", f"/wizard/runs/{run.pk}/q/symptom/"),
        ("get", f"/wizard/runs/{run.pk}/review/"),
        ("post", f"/wizard/runs/{run.pk}/finish/"),
        ("post", f"/wizard/runs/{run.pk}/discard/"),
    ]


@pytest.mark.parametrize(("user", "status"), [("charlie", 404), ("bob", 403)])
def test_wizard_access(client, request, project, run, user, status):
    client.force_login(request.getfixturevalue(user))
    data = {"option": "facts", "version": run.version}
    for method, url in wizard_urls(project, run):
        response = getattr(client, method)(url, data)
        assert response.status_code == status, (method, url)
    run.refresh_from_db()
    assert run.answers == {} and run.status == RunStatus.DRAFT
    assert WizardRun.objects.filter(project=project).count() == 1


def test_editor_can_run_the_wizard(client, emily, project, run):
    client.force_login(emily)
    response = client.post(
        f"/wizard/runs/{run.pk}/q/symptom/", {"option": "facts", "version": run.version}
    )
    assert response.status_code == 302
