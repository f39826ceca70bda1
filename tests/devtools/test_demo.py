"""`manage.py load_demo` (run by `make run`): what a newcomer finds, and nothing twice."""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone

from decisions.evidence.models import FailedExample, PromptTrial
from decisions.projects.models import Project
from decisions.records.models import Comment, Decision
from decisions.records.staleness import with_staleness
from decisions.reports.models import ShareLink
from decisions.wizard.models import WizardRun
from devtools.demo.decisions import demo_share_token


def test_load_demo_is_idempotent(db, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo login: username demo" in first
    assert "A viewer who reads but changes nothing: username sam, same password." in first
    # SITE_URL (the tests' https://decisions.example.com) says where the demo is served.
    link = re.search(
        r"A read-only link for stakeholders: (https://decisions\.example\.com/s/\S+/)", first
    )
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
    again = capsys.readouterr().out
    assert f"A read-only link for stakeholders: {link.group(1)}" in again  # the same link


def test_the_demo_link_opens_the_report_and_sam_only_reads(client, db):
    call_command("load_demo", stdout=io.StringIO())
    shared = client.get(f"/s/{demo_share_token()}/")
    assert shared.status_code == 200
    assert "Sales email drafting assistant" in shared.content.decode()
    sam = Client()
    assert (
        sam.post("/accounts/login/", {"username": "sam", "password": "fresh-paint-2026"})[
            "Location"
        ]
        == "/projects/"
    )
    sales = Project.objects.get(name="Sales email drafting assistant")
    assert sam.get(f"/projects/{sales.pk}/").status_code == 200
    assert sam.post(f"/projects/{sales.pk}/examples/add/", {"title": "x"}).status_code == 403


def test_an_expired_demo_link_is_renewed_and_a_revoked_one_is_left(db, capsys):
    call_command("load_demo")
    capsys.readouterr()
    ShareLink.objects.update(expires_at=timezone.now())
    call_command("load_demo")
    assert (
        "A read-only link for stakeholders: https://decisions.example.com/s/"
        in capsys.readouterr().out
    )
    assert ShareLink.objects.get().state == "active"
    ShareLink.objects.update(revoked_at=timezone.now())
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "read-only link for stakeholders" not in out
    assert "The demo's read-only link was revoked" in out
    assert ShareLink.objects.count() == 1


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
