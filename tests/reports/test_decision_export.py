"""Decision records to keep beside the code: JSON with the flowchart's ids, and MADR Markdown
for every outcome, with the status and people under the title (where log4brains reads them),
the sections and the people from the review."""

from __future__ import annotations

import json

import pytest

from decisions.accounts.models import Membership
from decisions.records.models import Comment, Decision, ReviewStatus
from decisions.records.review import review_move
from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME
from tests.reports.conftest import save_decision

MADR_SECTIONS = [
    "## Context and Problem Statement",
    "## Decision Drivers",
    "## Considered Options",
    "## Decision Outcome",
    "### Consequences",
    "### Confirmation",
    "## Pros and Cons of the Options",
    "## More Information",
]


@pytest.mark.parametrize("outcome", sorted(ANSWERS_FOR_OUTCOME))
def test_madr_record_for_every_outcome(client, alice, project, outcome):
    make_example(project, title="Too formal")
    decision = save_decision(project, alice, outcome)
    client.force_login(alice)
    response = client.get(f"/projects/{project.pk}/decisions/{decision.revision}/decision.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="email-drafter-decision-{decision.revision}.md"'
    )
    text = response.content.decode()
    head, body = text.split("\n\n## Context and Problem Statement")
    assert head.splitlines()[1:] == [
        "",
        "* Status: proposed",
        "* Deciders: alice",
        f"* Date: {decision.created_at.date().isoformat()}",
        "* Consulted: ",
        "* Informed: ",
    ]
    body = "## Context and Problem Statement" + body
    positions = [body.index(section) for section in MADR_SECTIONS]
    assert positions == sorted(positions)
    label = decision.snapshot["outcome"]["label"]
    assert f'Chosen option: "{label}", because' in body
    assert f"### {label} (chosen)" in body
    # Every option the flowchart offers is considered: the verdict and the 15 others.
    considered = body.split("## Considered Options\n\n")[1].split("\n\n")[0].splitlines()
    assert len(considered) == 16
    assert considered[0] == f"* {label}"


def test_madr_names_who_decided_was_consulted_and_informed(client, alice, bob, emily, project):
    make_example(project)
    decision = save_decision(project, alice, "prompt")
    Comment.objects.create(decision=decision, author=bob, body="Why not retrieval?")
    owner, editor = (Membership.objects.get(user=u, team=project.team) for u in (alice, emily))
    review_move(decision=decision, membership=owner, user=alice, move="propose", informed=[bob])
    review_move(decision=decision, membership=editor, user=emily, move="accept")
    client.force_login(alice)
    text = client.get(
        f"/projects/{project.pk}/decisions/{decision.revision}/decision.md"
    ).content.decode()
    assert "\n* Status: accepted\n* Deciders: alice, emily\n" in text
    assert "\n* Consulted: bob\n* Informed: bob\n" in text


def test_json_record_keeps_the_flowchart_ids(client, alice, project):
    make_example(project)
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    response = client.get(f"/projects/{project.pk}/decisions/{decision.revision}/decision.json")
    record = json.loads(response.content)
    assert record["outcome"] == "prompt"
    assert record["flowchart"]["version"] == "2027.02"
    assert record["review"]["status"] == ReviewStatus.DRAFT
    assert [step["node"] for step in record["explanation"]["path"]] == ["symptom", "spelled_out"]
    assert record["answers"]["symptom"] == "tone"
    assert record["snapshot"]["outcome"]["id"] == "prompt"
    assert record["examples"][0]["title"] == "Too formal"
    assert record["url"] == f"http://testserver/projects/{project.pk}/decisions/1/"


def test_user_text_cannot_break_the_record_metadata(client, alice, project):
    project.name = "Bot\n---\nstatus: accepted"
    project.save()
    make_example(project)
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    text = client.get(
        f"/projects/{project.pk}/decisions/{decision.revision}/decision.md"
    ).content.decode()
    assert "\n---\n" not in text
    assert text.startswith(
        "# Bot --- status: accepted: Prompting problem: engineer the prompt\n\n* Status: proposed\n"
    )


def test_report_shows_readiness_as_it_was_when_saved(client, alice, project):
    for n in range(12):
        make_example(project, title=f"Case {n}")
    decision = save_decision(project, alice, "prompt")
    for n in range(50):
        make_example(project, title=f"Later {n}")
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/decisions/{decision.revision}/").content.decode()
    section = html.split('id="report-readiness"', 1)[1].split("</div>", 1)[0]
    assert (
        "12 examples with an expected output: <strong>Enough for a first experiment</strong>"
        in (section)
    )


def test_exports_of_a_revision_keep_the_project_as_it_was_decided(client, alice, project):
    project.description = "Drafts replies to customers."
    project.model_in_use = "gpt-4o"
    project.use_case = "task"
    project.save()
    make_example(project)
    decision = save_decision(project, alice, "prompt")
    project.name = "Renamed later"
    project.description = "Something else now."
    project.model_in_use = "claude-x"
    project.use_case = "legal"
    project.save()
    client.force_login(alice)
    base = f"/projects/{project.pk}/decisions/{decision.revision}"
    record = json.loads(client.get(f"{base}/decision.json").content)
    assert record["project"] == {
        "id": project.pk,
        "name": "Email drafter",
        "use_case": "task",
        "model_in_use": "gpt-4o",
    }
    text = client.get(f"{base}/decision.md").content.decode()
    assert "# Email drafter: Prompting problem" in text
    assert (
        "Email drafter is a generative-AI feature (task-based work (emails, notes, summaries), "
        "model in use: gpt-4o) that keeps producing bad output."
    ) in text
    assert "Drafts replies to customers." in text
    assert "* Revision 1 of Email drafter, saved" in text
    assert "Renamed later" not in text and "claude-x" not in text
    assert "Something else now." not in text


def test_a_revision_saved_before_its_context_was_kept_exports_todays_project(
    client, alice, project
):
    make_example(project)
    decision = save_decision(project, alice, "prompt")
    Decision.objects.filter(pk=decision.pk).update(context={})
    project.name = "Renamed later"
    project.save()
    client.force_login(alice)
    base = f"/projects/{project.pk}/decisions/{decision.revision}"
    assert json.loads(client.get(f"{base}/decision.json").content)["project"]["name"] == (
        "Renamed later"
    )
    assert (
        "# Renamed later: Prompting problem" in client.get(f"{base}/decision.md").content.decode()
    )


def test_madr_names_every_reviewer_whose_acceptance_counts(client, alice, emily, team, project):
    from decisions.accounts.services import user_signup
    from tests.conftest import PASSWORD

    frank = user_signup(username="frank", email="frank@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=frank, role="editor")
    team.required_acceptances = 2
    team.save()
    make_example(project)
    decision = save_decision(project, alice, "prompt")
    owner, first, second = (
        Membership.objects.get(user=u, team=team) for u in (alice, emily, frank)
    )
    review_move(decision=decision, membership=owner, user=alice, move="propose")
    review_move(decision=decision, membership=first, user=emily, move="accept")
    review_move(decision=decision, membership=second, user=frank, move="accept")
    client.force_login(alice)
    text = client.get(
        f"/projects/{project.pk}/decisions/{decision.revision}/decision.md"
    ).content.decode()
    assert "* Status: accepted\n" in text
    assert "* Deciders: alice, emily, frank\n" in text
