"""The benchmark's throwaway data: by default 1,000 projects, 20,000 examples, 2,000 decisions.

A handful of projects are measured (200, 20 and 1 examples); the rest are there so every query
runs against tables of a real size. The measured decisions are saved through the wizard's own
service; the other ~2,000 are copies of a real one with their own project and revision number,
which gives the tables their size without a minute of diagram rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import team_create, user_signup
from decisions.evidence.models import FailedExample
from decisions.projects.models import Project
from decisions.records.models import Decision, Review
from decisions.records.services import decision_create
from decisions.wizard.models import WizardRun

PASSWORD = "bench-pass-1"
# A complete path through the flowchart (flowchart 2027.02: the tone branch).
PROMPT_ANSWERS = {"symptom": "tone", "spelled_out": "no"}
PROJECTS_PER_TEAM = 50
FAILURE_TYPES = ("tone", "format", "facts", "knowledge", "behaviour")


@dataclass(frozen=True)
class Size:
    projects: int
    examples: int
    decisions: int

    def __str__(self) -> str:
        return (
            f"{self.projects:,} projects, {self.examples:,} examples, {self.decisions:,} decisions"
        )


FULL = Size(projects=1_000, examples=20_000, decisions=2_000)
# What the load test needs: a project per client, a little of everything else.
SMALL = Size(projects=40, examples=800, decisions=80)


@dataclass
class BenchData:
    lead: User
    large: Project  # 200 examples, two saved decisions
    medium: Project  # 20 examples
    small: Project  # 1 example
    review_project: Project  # 200 examples, a draft run with every question answered
    import_project: Project  # empty: imports land here
    large_decision: Decision
    medium_decision: Decision
    small_decision: Decision
    review_run: WizardRun


def example(project: Project, index: int) -> FailedExample:
    return FailedExample(
        project=project,
        title=f"Follow-up email {index} sounds like a form letter",
        input_text="Write a follow-up email to Dana about the renewal. " * 8,
        bad_output="Dear Valued Customer, we are delighted to inform you " * 12,
        expected_output="Hi Dana, thanks for the call on Tuesday. " * 6,
        failure_type=FAILURE_TYPES[index % len(FAILURE_TYPES)],
        techniques_tried=["instructions", "examples"][: 1 + index % 2],
        iterations=index % 12,
    )


def answered_run(project: Project, user: User, *, status: str = "draft") -> WizardRun:
    return WizardRun.objects.create(
        project=project,
        created_by=user,
        status=status,
        answers={node: {"option": option, "note": ""} for node, option in PROMPT_ANSWERS.items()},
    )


def saved_decisions(project: Project, user: User, count: int = 2) -> Decision:
    """Saves `count` revisions through the real service; returns the latest."""
    for _ in range(count):
        decision = decision_create(run=answered_run(project, user), user=user)
    return decision


def examples_per_project(size: Size, fixed: dict[int, int]) -> list[int]:
    """How many examples each project gets: the fixed ones, the rest shared evenly."""
    rest = size.projects - len(fixed)
    left = max(size.examples - sum(fixed.values()), 0)
    shares = [left // rest + (1 if index < left % rest else 0) for index in range(rest)]
    return [fixed[index] for index in sorted(fixed)] + shares


@transaction.atomic
def build(size: Size = FULL, *, clients: int = 0) -> BenchData:
    """Builds the data set; `clients` users each get a project of their own (for --live)."""
    lead = user_signup(username="lead", email="lead@example.com", password=PASSWORD)
    teams = [
        team_create(user=lead, name=f"Team {index + 1}")
        for index in range(max(1, size.projects // PROJECTS_PER_TEAM))
    ]
    projects = Project.objects.bulk_create(
        Project(team=teams[index % len(teams)], name=f"AI feature {index + 1}", owner=lead)
        for index in range(size.projects)
    )
    large, review_project, medium, small, import_project = projects[:5]
    counts = examples_per_project(size, {0: 200, 1: 200, 2: 20, 3: 1, 4: 0})
    FailedExample.objects.bulk_create(
        (
            example(project, index)
            for project, count in zip(projects, counts, strict=True)
            for index in range(count)
        ),
        batch_size=2_000,
    )
    data = BenchData(
        lead=lead,
        large=large,
        medium=medium,
        small=small,
        review_project=review_project,
        import_project=import_project,
        large_decision=saved_decisions(large, lead),
        medium_decision=saved_decisions(medium, lead),
        small_decision=saved_decisions(small, lead),
        review_run=answered_run(review_project, lead),
    )
    copy_decisions(data.medium_decision, projects[5:], size.decisions - 6)
    for index in range(clients):
        client_project(index, teams)
    return data


def copy_decisions(template: Decision, projects: list[Project], count: int) -> None:
    """`count` revisions of `template` spread over `projects`, numbered 1, 2, … in each."""
    fields = {
        name: getattr(template, name)
        for name in (
            "outcome",
            "confidence",
            "answers",
            "notes",
            "explanation",
            "snapshot",
            "diagram_svg",
            "examples",
            "flowchart_version",
            "flowchart_hash",
            "created_by",
        )
    }
    per_project = -(-count // max(len(projects), 1))
    copies = [
        Decision(project=project, revision=revision, **fields)
        for project in projects
        for revision in range(1, per_project + 1)
    ][:count]
    Review.objects.bulk_create(
        Review(decision=decision)
        for decision in Decision.objects.bulk_create(copies, batch_size=500)
    )


def client_project(index: int, teams) -> Project:
    """A load-test client: a user who edits one project with 20 examples."""
    user = User.objects.create_user(
        username=f"client{index + 1}", email=f"client{index + 1}@example.com", password=PASSWORD
    )
    team = teams[index % len(teams)]
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    project = Project.objects.create(team=team, name=f"Client {index + 1}'s feature", owner=user)
    FailedExample.objects.bulk_create(example(project, number) for number in range(20))
    return project
