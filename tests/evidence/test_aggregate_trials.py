"""The trials a wizard step reads: a trial on another model stays one, so it never counts as
effort spent on the current model's prompt."""

from __future__ import annotations

from datetime import date

from decisions.evidence.aggregate import project_trials
from decisions.evidence.models import PromptTrial


def test_a_trial_on_another_model_is_read_as_one(project):
    for label, current in (("v1", True), ("v1 on big", False)):
        PromptTrial.objects.create(
            project=project,
            label=label,
            model_name="gpt-x",
            on_current_model=current,
            run_on=date(2026, 11, 1),
            cases=40,
            passed=30,
        )
    trials = project_trials(project)
    assert [(t.label, t.on_current_model) for t in trials] == [("v1", True), ("v1 on big", False)]
