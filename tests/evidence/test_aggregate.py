"""The evidence a wizard step reads, built from a project's examples and trials in the database
by the same code every page uses."""

from __future__ import annotations

from decisions.evidence.aggregate import project_evidence
from decisions.projects.vocabulary import current_vocabulary
from tests.conftest import make_example


def test_evidence_counts_types_techniques_expected_outputs_and_iterations(project):
    make_example(project, failure_type="facts", techniques_tried=["role"], iterations=3)
    make_example(
        project,
        failure_type="facts",
        techniques_tried=["context", "role"],
        expected_output="",
        iterations=12,
    )
    make_example(project, failure_type="tone", techniques_tried=[], iterations=1)

    evidence = project_evidence(project, current_vocabulary())

    assert evidence.example_count == 3
    assert evidence.failure_counts["facts"] == 2
    assert evidence.failure_counts["tone"] == 1
    assert evidence.failure_counts["format"] == 0
    assert evidence.techniques_tried == {"role", "context"}
    assert evidence.with_expected_output == 2
    assert evidence.most_iterations == 12
    assert evidence.pass_mark == 0.8


def test_a_project_without_examples_has_empty_evidence(project):
    evidence = project_evidence(project, current_vocabulary())

    assert evidence.example_count == 0
    assert evidence.techniques_tried == frozenset()
    assert evidence.with_expected_output == 0
    assert evidence.most_iterations == 0
    assert evidence.trials == ()
