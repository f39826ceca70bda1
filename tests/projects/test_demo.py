from __future__ import annotations

from django.core.management import call_command

from decisions.projects.models import FailedExample, Project


def test_load_demo_is_idempotent(db, capsys):
    call_command("load_demo")
    assert "Demo login: username demo" in capsys.readouterr().out
    projects, examples = Project.objects.count(), FailedExample.objects.count()
    call_command("load_demo")
    assert projects == 3
    assert (Project.objects.count(), FailedExample.objects.count()) == (projects, examples)
    for project in Project.objects.all():
        assert 5 <= project.examples.count() <= 12
