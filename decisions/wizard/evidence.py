"""A project's failed examples and measured trials as flowchart Evidence, in two queries."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import BooleanField, ExpressionWrapper, Q

from decisions.flowchart.evidence import Evidence
from decisions.flowchart.vocabulary import Vocabulary
from decisions.projects.models import Project
from decisions.projects.trials import project_trials


@dataclass
class _ExampleFacts:
    failure_type: str
    techniques_tried: list[str]
    expected_output: str
    iterations: int


def project_evidence(project: Project, vocabulary: Vocabulary) -> Evidence:
    # Only whether an expected output exists matters here, not its up-to-20,000 characters.
    rows = project.examples.annotate(
        has_expected=ExpressionWrapper(~Q(expected_output=""), output_field=BooleanField())
    ).values_list("failure_type", "techniques_tried", "has_expected", "iterations")
    facts = (
        _ExampleFacts(failure_type, techniques or [], "yes" if has_expected else "", iterations)
        for failure_type, techniques, has_expected, iterations in rows
    )
    evidence = Evidence.from_examples(facts, vocabulary)
    return replace(evidence, trials=project_trials(project), pass_mark=project.pass_mark / 100)
