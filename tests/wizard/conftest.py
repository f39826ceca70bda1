from __future__ import annotations

import pytest

from decisions.wizard.models import WizardRun

HTMX = {"HX-Request": "true"}


@pytest.fixture
def run(project, alice):
    return WizardRun.objects.create(project=project, created_by=alice)


def answer(client, run, node_id, option, *, note="", version=None, htmx=False):
    run.refresh_from_db()
    data = {"option": option, "note": note, "version": run.version if version is None else version}
    headers = HTMX if htmx else {}
    return client.post(f"/wizard/runs/{run.pk}/q/{node_id}/", data, headers=headers)
