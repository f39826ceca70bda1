"""project_evidence fills 2027.02's inputs: the test set's held-out count, the preference
pairs among the examples left to train on, each trial's cases with their groups (only when
they account for every case), cost per request and the day it is read."""

from __future__ import annotations

import datetime
from decimal import Decimal

from decisions.evidence import services as evidence_services
from decisions.evidence.aggregate import project_evidence
from decisions.evidence.models import PromptTrial
from decisions.flowchart.registry import get_definition
from decisions.flowchart.trials import CaseResult
from decisions.lib import clock
from tests.conftest import make_example


def evidence_of(project):
    return project_evidence(project, get_definition("2027.02").vocabulary)


def test_held_out_and_preference_pairs(project, alice):
    for number in range(10):
        make_example(project, title=f"Case {number}", bad_output="" if number == 9 else "Bad")
    make_example(project, title="No expected output", expected_output="")
    held = list(project.examples.order_by("pk").values_list("pk", flat=True)[:4])
    evidence_services.test_set_choose(project=project, user=alice, example_ids=held)
    evidence = evidence_of(project)
    assert (evidence.test_set_size, evidence.held_out, evidence.training_count) == (4, 4, 6)
    assert evidence.with_expected_output == 10
    assert evidence.preference_pairs == 5  # of the 6 to train on, one has no bad output


def test_without_a_test_set_nothing_is_held_out(project):
    make_example(project)
    evidence = evidence_of(project)
    assert (evidence.test_set_size, evidence.held_out, evidence.preference_pairs) == (None, None, 1)


def test_trials_carry_their_cases_groups_and_cost(project):
    PromptTrial.objects.create(
        project=project,
        label="v1",
        model_name="gpt-x",
        cases=3,
        passed=2,
        results={"a": True, "b": False, "c": True},
        case_groups={"a": "German"},
        cost_per_1k_requests=Decimal("2.5"),
    )
    (trial,) = evidence_of(project).trials
    assert trial.per_case == (
        CaseResult("a", True, "German"),
        CaseResult("b", False, None),
        CaseResult("c", True, None),
    )
    assert trial.cost_per_1k == 2.5
    assert trial.to_dict()["cost_per_1k"] == 2.5


def test_cases_that_do_not_add_up_are_left_out(project):
    PromptTrial.objects.create(
        project=project, label="typed", model_name="gpt-x", cases=40, passed=30, results={"a": True}
    )
    assert evidence_of(project).trials[0].per_case is None


def test_the_day_is_today(project, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2027, 6, 1))
    make_example(project)
    assert evidence_of(project).decided_on == datetime.date(2027, 6, 1)
