"""What a copy leaves out is never handed to its template: the context of a shared page holds
no answers, notes or examples beyond its scope, and a summary alone lists every next step."""

from __future__ import annotations

import pytest

from tests.conftest import make_example
from tests.reports.conftest import save_decision
from tests.reports.test_share import create_link, token_from

SECRET_NOTE = "Legal said this is sensitive"
SECRET_INPUT = "Customer 4411 asks about order 998877"
FIRST_STEP = (
    "Try the techniques neither your failed examples nor your trials on the current model "
    "record as tried yet: a role or persona, "
    "examples of good output (few-shot), an output structure or template, the facts or "
    "documents it needs, in the prompt, strict structured output or tool schemas."
)
LAST_STEP = (
    "Re-run the test set after each change and keep the revision that passes most often; "
    "note what each revision changed."
)


@pytest.fixture
def decision(project, alice):
    make_example(project, title="Refund promised", input_text=SECRET_INPUT)
    return save_decision(project, alice, "prompt", notes={"symptom": SECRET_NOTE})


def shared_context(client, alice, decision, scope: str):
    client.force_login(alice)
    token = token_from(create_link(client, decision, scope=scope))
    client.logout()
    response = client.get(f"/s/{token}/")
    assert response.status_code == 200
    return response.context


def test_a_summary_copy_is_handed_no_answers_notes_or_examples(client, alice, decision):
    context = shared_context(client, alice, decision, "summary")
    assert context["steps"] == []
    assert context["examples"] == []
    assert SECRET_NOTE not in str(context["steps"])


def test_a_full_copy_is_handed_the_answers_with_their_notes_but_no_examples(
    client, alice, decision
):
    context = shared_context(client, alice, decision, "full")
    assert [(step["node"], step["note"]) for step in context["steps"]] == [
        ("symptom", SECRET_NOTE),
        ("spelled_out", ""),
    ]
    assert context["examples"] == []


def test_a_copy_without_example_text_is_handed_no_text(client, alice, decision):
    context = shared_context(client, alice, decision, "examples_no_text")
    assert [(row["title"], row["excerpt"], row["texts"]) for row in context["examples"]] == [
        ("Refund promised", "", [])
    ]


def test_a_summary_copy_lists_every_next_step(client, alice, decision):
    summary = shared_context(client, alice, decision, "summary")["summary"]
    assert len(summary["next_steps"]) == 5
    assert (summary["next_steps"][0], summary["next_steps"][4]) == (FIRST_STEP, LAST_STEP)
    assert summary["more_steps"] == 0


def test_a_full_copy_shows_three_next_steps_on_page_one_and_counts_the_rest(
    client, alice, decision
):
    summary = shared_context(client, alice, decision, "full")["summary"]
    assert len(summary["next_steps"]) == 3
    assert summary["next_steps"][0] == FIRST_STEP
    assert summary["more_steps"] == 2
