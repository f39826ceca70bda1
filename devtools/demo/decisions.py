"""The demo's decisions: what `make run` shows a newcomer beyond projects and examples.

A dev tool that spans every stage (trials, wizard runs, saved decisions, reviews, share links),
so it lives in devtools, above the product, which never imports it; the projects and examples
come from demo/projects.py. Every step goes through the app's own services, as a PM's clicks
would, and a second run adds nothing.

What it leaves:
- the sales email assistant: a prompt-engineering verdict at high confidence, from 11 examples
  and two measured trials, proposed by the demo user, commented on and accepted by a teammate,
  with a read-only link for stakeholders;
- the support bot: a "give it the right context" verdict that went stale when two examples
  arrived after it was saved;
- contract review: a fine-tuning verdict, and a wizard run in progress that starts over on it;
- a viewer, sam, who reads everything and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.evidence import services
from decisions.evidence.examples.forms import ExampleForm
from decisions.evidence.models import FailedExample, PromptTrial, TrialSource
from decisions.lib.tokens import hash_token
from decisions.projects.models import Project
from decisions.records.models import Decision
from decisions.records.review import comment_add, review_move
from decisions.records.services import decision_create
from decisions.records.steps import step_update
from decisions.reports.models import ReportScope, ShareLink
from decisions.wizard.models import RunStatus, WizardRun
from devtools.demo import projects as project_demo

TEAMMATE_USERNAME = "priya"
VIEWER_USERNAME = "sam"
SHARE_LABEL = "Sales leadership review"
SHARE_DAYS = 30

SALES = "Sales email drafting assistant"
SUPPORT = "Customer support bot: returns and refunds"
CONTRACTS = "Contract review: clause risk flags"

# One complete path per verdict through the current flowchart, with the PM's notes.
PROMPT_PATH = {
    "symptom": ("tone", "Eight of eleven failures are tone: stiff, formal, salesy."),
    "spelled_out": ("no", "The prompt only says 'professional', never how our reps write."),
}
CONTEXT_PATH = {
    "symptom": ("facts", "It quotes return windows we changed in March."),
    "context_test": ("yes", "Pasting the current policy into the prompt fixed 8 of 10 cases."),
    "retrieval_in_place": ("none", "The bot answers from its prompt alone: no help-centre search."),
}
FINE_TUNE_PATH = {
    "symptom": ("domain", "It misses clause risks our lawyers flag at once."),
    "examples_test": ("no", "Ten worked examples in the prompt did not move the pass rate."),
    "test_set": ("ready", "240 clauses labelled by the legal team."),
    "prompt_effort": ("exhausted", "Six weeks of prompt work, logged in the trials."),
    "optimizer": ("no_gain", "GEPA on a 120-clause training split stayed below the mark."),
    "stronger_model": ("all_fail", "GPT-4o and Claude both miss the same clause types."),
    "foundation": ("yes", None),
    "platform": ("open_weight", None),
    "grader": ("yes", "A rubric judge checks each flag against the lawyers' redlines."),
    "data": ("over_500", "1,900 reviewed contracts with redlines."),
    "team": ("in_house", None),
    "budget": ("yes", None),
    "oversight": ("yes", "Legal signs off every release."),
}
DRAFT_PATH = {"symptom": ("domain", None), "examples_test": ("no", None)}

SALES_TRIALS = [
    # label, techniques, cases, passed, days ago
    ("Baseline prompt", [], 40, 14, 12),
    ("Role, tone rules and three example emails", ["role", "instructions", "examples"], 40, 36, 5),
]
LATE_SUPPORT_EXAMPLES = [
    (
        "Says sale items ship back free",
        "Customer: can I send back the sale jacket for free?",
        "Yes! Returns are always free.",
        "Sale items ship back at the customer's cost (policy since March).",
    ),
    (
        "Quotes the old 60-day window for boots",
        "Customer: it's been 45 days, can I still return the boots?",
        "Of course, you have 60 days.",
        "Shoes: 30 days. Offer store credit instead.",
    ),
]


@dataclass
class DemoDecisions:
    share_token: str | None  # None when the demo's link was revoked


def demo_share_token() -> str:
    """The demo link's token, derived from this install's SECRET_KEY rather than random: only
    its hash is stored, as for every link, yet each start of `make run` can print it again."""
    return salted_hmac("devtools.demo.share-link", "sales", algorithm="sha256").hexdigest()


def demo_share_link(decision: Decision, user) -> str | None:
    """The demo's read-only link to the sales decision, made once and renewed when it has
    expired; None when someone revoked it (the demo respects that)."""
    token = demo_share_token()
    expires_at = timezone.now() + timedelta(days=SHARE_DAYS)
    link = ShareLink.objects.filter(token_hash=hash_token(token)).first()
    if link is None:
        ShareLink.objects.create(
            decision=decision,
            label=SHARE_LABEL,
            scope=ReportScope.FULL,
            token_hash=hash_token(token),
            created_by=user,
            expires_at=expires_at,
        )
    elif link.revoked_at:
        return None
    elif link.state == "expired":
        ShareLink.objects.filter(pk=link.pk).update(expires_at=expires_at)
    return token


def viewer(team):
    """A read-only member: what a stakeholder in the team sees, and cannot change."""
    User = get_user_model()
    user = User.objects.filter(username=VIEWER_USERNAME).first()
    if user is None:
        user = user_signup(
            username=VIEWER_USERNAME, email="sam@example.com", password=project_demo.DEMO_PASSWORD
        )
    Membership.objects.get_or_create(team=team, user=user, defaults={"role": Role.VIEWER})
    return user


def answers(path: dict) -> dict:
    return {
        node_id: {"option": option, "note": note or ""} for node_id, (option, note) in path.items()
    }


def saved_decision(project: Project, user, path: dict) -> Decision:
    run = WizardRun.objects.create(project=project, created_by=user, answers=answers(path))
    return decision_create(run=run, user=user)


def teammate(team):
    User = get_user_model()
    user = User.objects.filter(username=TEAMMATE_USERNAME).first()
    if user is None:
        user = user_signup(
            username=TEAMMATE_USERNAME,
            email="priya@example.com",
            password=project_demo.DEMO_PASSWORD,
        )
    Membership.objects.get_or_create(team=team, user=user, defaults={"role": Role.EDITOR})
    return user


def sales_decision(project: Project, user, reviewer) -> None:
    today = timezone.localdate()
    # Collected over the three weeks before deciding: the portfolio's time to a decision.
    project.examples.update(created_at=timezone.now() - timedelta(days=21))
    for label, techniques, cases, passed, days_ago in SALES_TRIALS:
        PromptTrial.objects.create(
            project=project,
            label=label,
            model_name=project.model_in_use,
            techniques=techniques,
            cases=cases,
            passed=passed,
            run_on=today - timedelta(days=days_ago),
            created_by=user,
        )
    project.touch()
    decision = saved_decision(project, user, PROMPT_PATH)
    author = Membership.objects.get(team=project.team, user=user)
    review = Membership.objects.get(team=project.team, user=reviewer)
    review_move(
        decision=decision,
        membership=author,
        user=user,
        move="propose",
        note="Trials back this up: 36 of 40 pass with the new prompt.",
        requested=[reviewer],
    )
    comment_add(
        decision=decision,
        user=reviewer,
        node_id="symptom",
        body="Agreed on tone. Three failures are format, though: bullets that never render.",
    )
    comment_add(
        decision=decision,
        user=user,
        node_id="symptom",
        body="Yes: the new prompt asks for plain paragraphs; the trial covered those too.",
    )
    review_move(
        decision=decision,
        membership=review,
        user=reviewer,
        move="accept",
        note="Ship the new prompt; re-run after a month of live traffic.",
    )
    track_steps(decision, user, reviewer)


def track_steps(decision: Decision, user, reviewer) -> None:
    """The accepted decision's steps under way: one done, one owned and due, one overdue."""
    today = timezone.localdate()
    plan = [
        (0, {"owner": user, "done": True}),
        (1, {"owner": reviewer, "due_on": today + timedelta(days=7)}),
        (2, {"owner": user, "due_on": today - timedelta(days=2)}),
    ]
    for index, change in plan:
        step_update(
            decision=decision,
            index=index,
            version=1,
            owner=change["owner"],
            due_on=change.get("due_on"),
            done=change.get("done", False),
            user=user,
        )


def support_decision(project: Project, user) -> None:
    # A first attempt given up after one answer: the portfolio shows where runs are left.
    WizardRun.objects.create(
        project=project,
        created_by=user,
        status=RunStatus.DISCARDED,
        answers={"symptom": {"option": "facts", "note": ""}},
    )
    saved_decision(project, user, CONTEXT_PATH)
    # Arrived after the decision was saved: the dashboard and the report call it stale.
    FailedExample.objects.bulk_create(
        FailedExample(
            project=project,
            created_by=user,
            title=title,
            failure_type="facts",
            techniques_tried=["instructions"],
            iterations=2,
            severity="high",
            input_text=input_text,
            bad_output=bad_output,
            expected_output=expected,
        )
        for title, input_text, bad_output, expected in LATE_SUPPORT_EXAMPLES
    )
    project.touch()


# The contract test set: 60 clauses the legal team labelled, half from NDAs and half from
# services agreements, each with the flag a lawyer would raise.
CONTRACT_GROUPS = ("NDA", "Services agreement")
CONTRACT_CLAUSES = (
    (
        "Confidentiality survives for 2 years after termination.",
        "Flag: survival shorter than our 5-year standard.",
    ),
    (
        "Either party may assign this agreement without consent.",
        "Flag: free assignment; require consent.",
    ),
    ("Liability is capped at fees paid in the prior month.", "Flag: cap below 12 months of fees."),
    (
        "Disputes are resolved exclusively in the courts of Delaware.",
        "No flag: Delaware is on our approved list.",
    ),
    (
        "The receiving party may disclose to its advisers.",
        "Flag: advisers must be bound by confidentiality.",
    ),
    (
        "Auto-renews for successive 3-year terms.",
        "Flag: renewal term over 1 year; add notice window.",
    ),
)
# (label, model, cost per 1,000 requests, p95 ms, passed per group): each revision passes
# every case the one before passed, plus some (NDA cases 1-30, services cases 31-60).
CONTRACT_TRIALS = (
    ("v5 clause checklist", "GPT-4o", "6.25", 4100, (22, 15)),
    ("v6 checklist + definitions", "GPT-4o", "6.25", 4300, (27, 17)),
    ("v6 checklist + definitions", "GPT-4o mini", "0.38", 1300, (25, 12)),
)
CONTRACT_MONTHLY_REQUESTS = 40_000


def contract_test_set(project: Project, user) -> None:
    """60 labelled clauses held out as the test set, and three trials on them, case by case,
    on two models, with cost and latency: what the trials page compares."""
    examples = []
    for number in range(1, 61):
        group = CONTRACT_GROUPS[(number - 1) // 30]
        clause, flag = CONTRACT_CLAUSES[number % len(CONTRACT_CLAUSES)]
        form = ExampleForm(
            {
                "title": f"Test case contract-{number:02d} ({group})",
                "failure_type": "domain",
                "input_text": f"{group}, clause {number}: {clause}",
                "bad_output": "No risk found.",
                "expected_output": flag,
                "iterations": 0,
                "severity": "medium",
            }
        )
        examples.append(services.example_create(project=project, form=form, user=user).pk)
    services.test_set_choose(project=project, user=user, example_ids=examples)
    Project.objects.filter(pk=project.pk).update(monthly_requests=CONTRACT_MONTHLY_REQUESTS)
    today = timezone.localdate()
    for days_ago, (label, model, cost, latency, passed) in zip(
        (9, 4, 2), CONTRACT_TRIALS, strict=True
    ):
        results, groups = {}, {}
        for number in range(1, 61):
            # The case ids promptfoo gets from the experiment export: its output compares.
            case = f"example-{examples[number - 1]}"
            in_group = 0 if number <= 30 else 1
            position = number if number <= 30 else number - 30
            results[case] = position <= passed[in_group]
            groups[case] = CONTRACT_GROUPS[in_group]
        trial = PromptTrial(
            label=label,
            model_name=model,
            on_current_model=model == project.model_in_use,
            run_on=today - timedelta(days=days_ago),
            cases=60,
            passed=sum(results.values()),
            results=results,
            case_groups=groups,
            cost_per_1k_requests=Decimal(cost),
            p95_latency_ms=latency,
            source=TrialSource.CSV,
        )
        services.trial_create(project=project, trial=trial, user=user)


def contracts_decision(project: Project, user) -> None:
    contract_test_set(project, user)
    decision = saved_decision(project, user, FINE_TUNE_PATH)
    # Waiting on priya: her dashboard opens with it under "Waiting for my review".
    review_move(
        decision=decision,
        membership=Membership.objects.get(team=project.team, user=user),
        user=user,
        move="propose",
        note="Fine-tuning plus retrieval: the trials stop short of the pass mark on NDAs.",
        requested=[teammate(project.team)],
    )
    WizardRun.objects.create(
        project=project, created_by=user, answers=answers(DRAFT_PATH), status=RunStatus.DRAFT
    )


@transaction.atomic
def load_demo_decisions(user) -> DemoDecisions:
    """Adds the decisions to the demo projects that have none yet."""
    projects = {
        project.name: project
        for project in Project.objects.filter(team__name=project_demo.DEMO_TEAM, owner=user)
    }
    token = None
    sales = projects.get(SALES)
    if sales and not sales.decisions.exists():
        sales_decision(sales, user, teammate(sales.team))
    if sales:
        viewer(sales.team)
        token = demo_share_link(sales.decisions.order_by("revision").first(), user)
    support = projects.get(SUPPORT)
    if support and not support.decisions.exists():
        support_decision(support, user)
    contracts = projects.get(CONTRACTS)
    if contracts and not contracts.decisions.exists():
        contracts_decision(contracts, user)
    return DemoDecisions(share_token=token)
