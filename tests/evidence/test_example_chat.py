"""An example whose input is a conversation: shown turn by turn, escaped; its turns are kept
when the rest of the example is edited."""

from __future__ import annotations

import pytest

from tests.conftest import example_post_data, make_example

TURNS = [
    {"role": "system", "content": "You are the support assistant of Kettle & Co."},
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello! How can I help?"},
    {"role": "user", "content": "Can I return a kettle <b>after</b> 40 days?"},
]
RENDERED = (
    "system: You are the support assistant of Kettle & Co.\n\nuser: Hi\n\n"
    "assistant: Hello! How can I help?\n\nuser: Can I return a kettle <b>after</b> 40 days?"
)


@pytest.fixture
def chat_example(project):
    return make_example(project, input_text=RENDERED, input_messages=TURNS)


def page(client, project, example, **headers):
    return client.get(f"/projects/{project.pk}/examples/{example.pk}/", headers=headers)


def test_a_chat_input_shows_as_turns_with_their_roles(client, bob, project, chat_example):
    client.force_login(bob)  # a viewer reads it
    response = page(client, project, chat_example)
    html = response.content.decode()
    assert response.status_code == 200
    assert "A conversation of 4 turns, kept with its roles for the chat exports." in html
    assert html.count('<li class="chat-turn chat-user">') == 2
    assert html.count('<li class="chat-turn chat-system">') == 1
    assert html.count('<li class="chat-turn chat-assistant">') == 1
    assert '<span class="chat-role">System</span>' in html
    assert '<span class="chat-role">Assistant</span>' in html
    assert "Can I return a kettle &lt;b&gt;after&lt;/b&gt; 40 days?" in html
    assert "<b>after</b>" not in html


def test_a_plain_input_shows_as_text(client, bob, project, example):
    client.force_login(bob)
    html = page(client, project, example).content.decode()
    assert (
        '<div class="text-pre excerpt border rounded p-2">Write a follow-up to Dana.</div>' in html
    )
    assert "chat-turn" not in html


def test_the_card_fragment_shows_the_turns_too(client, alice, project, chat_example):
    client.force_login(alice)
    html = page(client, project, chat_example, HX_Request="true").content.decode()
    assert "<html" not in html
    assert html.count('class="chat-turn ') == 4


def test_a_stranger_gets_404_for_a_chat_example(client, charlie, project, chat_example):
    client.force_login(charlie)
    assert page(client, project, chat_example).status_code == 404
    edit = client.get(f"/projects/{project.pk}/examples/{chat_example.pk}/edit/")
    assert edit.status_code == 404


def test_a_viewer_cannot_edit_a_chat_example(client, bob, project, chat_example):
    client.force_login(bob)
    url = f"/projects/{project.pk}/examples/{chat_example.pk}/edit/"
    assert client.get(url).status_code == 403
    data = example_post_data(input_text="Replaced", version=chat_example.version)
    assert client.post(url, data).status_code == 403


def test_editing_a_chat_example_keeps_its_turns(client, alice, project, chat_example):
    client.force_login(alice)
    url = f"/projects/{project.pk}/examples/{chat_example.pk}/edit/"
    form = client.get(url).content.decode()
    assert '<input type="hidden" name="input_text"' in form
    assert "The input is not edited here: typed over as one text it would lose its roles." in form
    data = example_post_data(
        title="Invents a return window", input_text="Typed over", version=chat_example.version
    )
    assert client.post(url, data).status_code == 302
    chat_example.refresh_from_db()
    assert chat_example.title == "Invents a return window"
    assert chat_example.input_text == RENDERED
    assert chat_example.input_messages == TURNS


def test_a_plain_example_is_still_edited_as_text(client, alice, project, example):
    client.force_login(alice)
    url = f"/projects/{project.pk}/examples/{example.pk}/edit/"
    assert '<textarea name="input_text"' in client.get(url).content.decode()
    data = example_post_data(input_text="A new prompt", version=example.version)
    assert client.post(url, data).status_code == 302
    example.refresh_from_db()
    assert (example.input_text, example.input_messages) == ("A new prompt", [])


def test_the_examples_table_shows_what_a_conversation_asks(client, bob, project, chat_example):
    client.force_login(bob)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert (
        '<span class="badge text-bg-light">4 turns</span> '
        "Can I return a kettle &lt;b&gt;after&lt;/b&gt; 40 days?</div>"
    ) in html
    assert chat_example.asked() == "Can I return a kettle <b>after</b> 40 days?"


def test_a_plain_example_asks_its_input_text(example):
    assert example.asked() == "Write a follow-up to Dana."
