"""A project's measured trials as the flowchart reads them."""

from __future__ import annotations

from decisions.flowchart.trials import Trial
from decisions.projects.models import Project


def project_trials(project: Project) -> tuple[Trial, ...]:
    """The project's measured trials, oldest first, as the flowchart reads them."""
    return tuple(
        Trial(
            label=trial.label,
            model=trial.model_display,
            run_on=trial.run_on.isoformat(),
            techniques=frozenset(trial.techniques),
            cases=trial.cases,
            passed=trial.passed,
            on_current_model=trial.on_current_model,
        )
        for trial in project.trials.defer("results", "note")
    )
