"""`manage.py decide` and the web wizard agree on every acceptance case of 2027.02 (one or more
per outcome, tests/flowchart/cases_2027_02.json): a project is given the case's evidence, the
wizard is answered question by question through the Django test client, the decision is
saved, and its verdict, deciding answer, nearest alternative and experiment equal decide's."""

from __future__ import annotations

import datetime

import pytest

from decisions.evidence import services as evidence_services
from decisions.evidence.models import FailedExample, PromptTrial
from decisions.projects.models import Project
from decisions.records.models import Decision
from decisions.wizard.models import RunStatus, WizardRun
from tests.flowchart.test_cases_2027_02 import CASES, decide
from tests.wizard.conftest import answer


def project_with(case: dict, team, owner) -> Project:
    """A project whose evidence gives decide's numbers: its examples (by failure type, with
    expected outputs and the test set), its trials case by case, and its pass mark."""
    evidence = case["evidence"]
    project = Project.objects.create(
        team=team,
        name=case["name"],
        owner=owner,
        pass_mark=round(evidence.get("pass_mark", 0.8) * 100),
    )
    types = [t for t, count in evidence.get("failure_counts", {}).items() for _ in range(count)]
    with_expected = max(evidence.get("with_expected_output", 0), evidence.get("test_set_size") or 0)
    total = max(len(types), with_expected)
    types += [types[0] if types else "format"] * (total - len(types))
    FailedExample.objects.bulk_create(
        FailedExample(
            project=project,
            title=f"Case {number}",
            failure_type=failure_type,
            input_text=f"Input {number}",
            bad_output="Wrong",
            expected_output="Right" if number < with_expected else "",
            techniques_tried=evidence.get("techniques_tried", []),
            iterations=evidence.get("most_iterations", 1) if number == 0 else 1,
        )
        for number, failure_type in enumerate(types)
    )
    if evidence.get("test_set_size"):
        held = project.examples.exclude(expected_output="").order_by("pk")
        evidence_services.test_set_choose(
            project=project,
            user=owner,
            example_ids=list(held.values_list("pk", flat=True)[: evidence["test_set_size"]]),
        )
    for trial in evidence.get("trials", ()):
        per_case = trial.get("per_case") or ()
        PromptTrial.objects.create(
            project=project,
            label=trial["label"],
            model_name=trial["model"],
            run_on=datetime.date.fromisoformat(trial["run_on"]),
            techniques=trial.get("techniques", []),
            cases=trial["cases"],
            passed=trial["passed"],
            on_current_model=trial.get("on_current_model", True),
            results={row["case"]: row["passed"] for row in per_case},
            case_groups={row["case"]: row["group"] for row in per_case if row.get("group")},
        )
    return project


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_wizard_saves_what_decide_says(client, alice, team, tmp_path, case):
    expected = decide(tmp_path, case)
    project = project_with(case, team, alice)
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/wizard/start/")
    run = WizardRun.objects.get(project=project, status=RunStatus.DRAFT)
    for node, option in case["answers"].items():
        response = answer(client, run, node, option)
        assert response.status_code == 302, (node, option)
    assert client.post(f"/wizard/runs/{run.pk}/finish/").status_code == 302
    saved = Decision.objects.get(project=project)
    explanation = saved.explanation
    assert saved.flowchart_version == "2027.02"
    assert saved.outcome == expected["outcome"] == case["expected"]["outcome"]
    assert saved.verdict == expected["verdict"]
    for key in ("deciding", "deciding_option", "nearest", "nearest_answer", "experiment"):
        assert explanation[key] == expected[key] == case["expected"][key], key
        assert saved.snapshot["report_rules"]["rules"][key] == expected[key], key
    assert [step["node"] for step in explanation["path"]] == list(case["answers"])
