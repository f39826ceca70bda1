"""`manage.py load_demo` (run by `make run`): what a newcomer finds, and nothing twice."""

from __future__ import annotations

import re

from django.core.management import call_command
from django.db.models import F

from decisions.evidence.models import FailedExample, PromptTrial
from decisions.projects.models import Project
from decisions.records.models import Comment, Decision
from decisions.records.staleness import with_staleness
from decisions.reports.models import ShareLink
from decisions.wizard.models import WizardRun


def test_load_demo_is_idempotent(db, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo login: username demo" in first
    assert re.search(r"A read-only link for stakeholders: http://127.0.0.1:8000/s/\S+/", first)
    counts = [
        model.objects.count()
        for model in (Project, FailedExample, Decision, Comment, ShareLink, WizardRun)
    ]

    call_command("load_demo")

    assert counts == [3, 87, 3, 2, 1, 5]
    assert [
        model.objects.count()
        for model in (Project, FailedExample, Decision, Comment, ShareLink, WizardRun)
    ] == counts
    assert "read-only link" not in capsys.readouterr().out  # a token is shown once only


def test_the_demo_shows_each_kind_of_decision(db):
    call_command("load_demo")
    decisions = {
        d.project.name: d
        for d in with_staleness(Decision.objects.select_related("project", "review"))
    }

    sales = decisions["Sales email drafting assistant"]
    assert (sales.outcome, sales.confidence, sales.review.status) == ("prompt", "high", "accepted")
    assert sales.project.examples.count() == 11
    assert PromptTrial.objects.filter(project=sales.project).count() == 2
    assert sales.comments.count() == 2
    assert list(sales.review_events.values_list("to_status", "by__username")) == [
        ("proposed", "demo"),
        ("accepted", "priya"),
    ]
    link = ShareLink.objects.get()
    assert (link.decision, link.scope) == (sales, "full")
    steps = list(sales.tracked_steps.values_list("owner__username", "done_by__username"))
    assert steps[:3] == [("demo", "demo"), ("priya", None), ("demo", None)]
    assert sales.tracked_steps.filter(due_on__lt=F("decision__created_at__date")).count() == 1
    assert sales.stale is False

    support = decisions["Customer support bot: returns and refunds"]
    assert (support.outcome, support.review.status) == ("context", "draft")
    assert support.stale is True
    assert support.explanation["evidence"]["example_count"] == 6
    assert support.project.examples.count() == 8

    contracts = decisions["Contract review: clause risk flags"]
    assert (contracts.outcome, contracts.review.status) == ("hybrid", "proposed")
    assert [p.username for p in contracts.review.requested_reviewers.all()] == ["priya"]
    assert contracts.stale is False
    project = contracts.project
    assert project.examples.filter(in_test_set=True).count() == 60
    assert project.test_set.version == 1
    assert list(project.trials.values_list("model_name", "passed", "cases")) == [
        ("GPT-4o", 37, 60),
        ("GPT-4o", 44, 60),
        ("GPT-4o mini", 37, 60),
    ]
    assert set(project.trials.last().case_groups.values()) == {"NDA", "Services agreement"}
    assert project.monthly_requests == 40_000
    draft = WizardRun.objects.get(status="draft")
    assert draft.project == contracts.project
    assert sorted(draft.answers) == ["examples_test", "symptom"]
    left = WizardRun.objects.get(status="discarded")
    assert (left.project, left.evaluate().next_node) == (support.project, "context_test")
