"""Every write to a project's evidence touches the project, so the wizard never prefills from
evidence it read before the change (evidence/aggregate.py keys its cache on the touch)."""

from __future__ import annotations

import inspect
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from decisions.evidence import services
from decisions.evidence.examples.forms import ExampleForm
from decisions.evidence.models import FailedExample, PromptTrial
from decisions.projects.models import Project
from tests.conftest import example_post_data, make_example

LONG_AGO = timezone.make_aware(datetime(2020, 1, 1))
DECISIONS = Path(__file__).resolve().parents[2] / "decisions"
# The services that may touch a project: the evidence's, the project's own, and saving a
# decision (records), which is activity on the project too.
TOUCHING_MODULES = {"evidence/services.py", "projects/services.py", "records/services.py"}


def make_trial(project, **fields) -> PromptTrial:
    values = {"label": "v1", "model_name": "gpt-4o", "cases": 20, "passed": 15}
    values.update(fields)
    return PromptTrial.objects.create(project=project, **values)


def edit_form(example, **changes):
    data = example_post_data(version=example.version, **changes)
    form = ExampleForm(data, instance=example)
    assert form.is_valid(), form.errors
    return form


# One write of each kind through its service. A service added without a case here fails
# `test_every_service_has_a_case`, so none can be added untested.
CASES = {
    "evidence_changed": lambda project, user: services.evidence_changed(project),
    "example_create": lambda project, user: services.example_create(
        project=project, form=ExampleForm(example_post_data()), user=user
    ),
    "example_update": lambda project, user: services.example_update(
        example=(example := make_example(project)),
        form=edit_form(example, title="Renamed"),
        version=example.version,
    ),
    "example_delete": lambda project, user: services.example_delete(example=make_example(project)),
    "examples_retag": lambda project, user: services.examples_retag(
        project=project, example_ids=[make_example(project).pk], failure_type="facts"
    ),
    "examples_delete": lambda project, user: services.examples_delete(
        project=project, example_ids=[make_example(project).pk]
    ),
    "examples_import": lambda project, user: services.examples_import(
        project=project,
        rows=[{"title": "t", "input_text": "i", "bad_output": "b", "failure_type": "tone"}],
        created_by_id=user.pk,
    ),
    "trial_create": lambda project, user: services.trial_create(
        project=project, trial=PromptTrial(label="v2", model_name="m", cases=5, passed=4), user=user
    ),
    "trial_delete": lambda project, user: services.trial_delete(trial=make_trial(project)),
    "test_set_choose": lambda project, user: services.test_set_choose(
        project=project, user=user, example_ids=[make_example(project).pk]
    ),
    "pass_mark_set": lambda project, user: services.pass_mark_set(
        project=project, pass_mark=90, version=project.version
    ),
}


def test_every_service_has_a_case():
    public = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__ and not name.startswith("_")
    }
    assert public == set(CASES)


@pytest.mark.parametrize("service", sorted(CASES))
def test_each_evidence_write_touches_the_project(project, alice, service):
    Project.objects.filter(pk=project.pk).update(last_activity_at=LONG_AGO)
    project.refresh_from_db()

    CASES[service](project, alice)

    project.refresh_from_db()
    assert project.last_activity_at > LONG_AGO


def test_a_refused_stale_edit_writes_nothing_and_touches_nothing(project, alice):
    example = make_example(project, title="Original")
    form = edit_form(example, title="Renamed")
    FailedExample.objects.filter(pk=example.pk).update(version=example.version + 1)
    Project.objects.filter(pk=project.pk).update(last_activity_at=LONG_AGO)

    assert services.example_update(example=example, form=form, version=example.version) is False

    project.refresh_from_db()
    assert project.last_activity_at == LONG_AGO
    assert FailedExample.objects.get(pk=example.pk).title == "Original"


def test_only_services_call_touch():
    """Views, tasks and the admin go through the services; a direct touch() elsewhere would
    be a write path the tests above do not hold."""
    callers = {
        str(path.relative_to(DECISIONS))
        for path in DECISIONS.rglob("*.py")
        if "migrations" not in path.parts and re.search(r"\.touch\(\)", path.read_text())
    }
    assert callers == TOUCHING_MODULES
