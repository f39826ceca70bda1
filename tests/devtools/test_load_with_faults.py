"""Load with faults: wizard clients against a real gunicorn that is SIGKILLed midway.

The whole run is `manage.py bench --live` in a process of its own, on the database this suite
runs on (SQLite here, PostgreSQL under DATABASE_URL): gunicorn's workers need a database they
can open, and the command builds and drops a throwaway one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from decisions.wizard.models import WizardRun
from devtools.benchmark.live import Answer, lost_answers, within_restart


def figure(output: str, row: str) -> int:
    return int(re.search(rf"\| {row} \| ([\d,]+) \|", output)[1].replace(",", ""))


@pytest.mark.database  # through its own process: it holds no db fixture
def test_a_server_killed_midway_loses_no_acknowledged_answer():
    command = [sys.executable, "manage.py", "bench", "--small", "--live", "6"]
    command += ["--seconds", "40", "--kill-after", "15"]
    result = subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert "killed gunicorn (SIGKILL) after 15 s" in output
    assert "| failed requests outside the restart | 0 |" in output
    assert "| acknowledged answers lost | 0 |" in output
    assert "| acknowledged finishes lost | 0 |" in output
    assert figure(output, "answers acknowledged") > 50
    assert figure(output, "runs finished") > 5
    assert "| two clients answer one run at once | statuses [200, 409]" in output
    assert "decisions made: 1 |" in output
    assert output.rstrip().endswith("PASSED")


@pytest.mark.django_db
def test_an_acknowledged_answer_missing_from_the_run_is_reported_lost(project, alice):
    run = WizardRun.objects.create(
        project=project, created_by=alice, answers={"symptom": {"option": "tone"}}
    )
    kept = Answer(run.pk, "symptom", "tone")
    overwritten = Answer(run.pk, "symptom", "format")
    never_saved = Answer(run.pk, "spelled_out", "no")
    unknown_run = Answer(run.pk + 1, "symptom", "tone")

    assert lost_answers([kept, overwritten, never_saved, unknown_run]) == [
        overwritten,
        never_saved,
        unknown_run,
    ]


def test_failures_count_as_the_restart_only_between_the_kill_and_the_server_answering():
    restart = (100.0, 101.0)
    assert within_restart(100.5, restart)
    assert within_restart(102.9, restart)  # a retry already on its way (2 s grace)
    assert not within_restart(97.0, restart)
    assert not within_restart(103.5, restart)
    assert not within_restart(100.5, None)
