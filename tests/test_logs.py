"""Share tokens never reach the server log."""

from __future__ import annotations

import io
import logging

import pytest

from tests.reports.conftest import save_decision
from tests.reports.test_share import create_link, token_from


@pytest.fixture
def log_output():
    """What the configured console handler writes, captured."""
    handler = next(h for h in logging.getLogger("django").handlers if h.filters)
    stream = io.StringIO()
    original = handler.setStream(stream)
    yield stream
    handler.setStream(original)


def test_a_valid_token_in_a_4xx_path_is_redacted(client, alice, project, log_output):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    token = token_from(create_link(client, decision))
    client.logout()
    assert client.get(f"/s/{token}/no-such-page").status_code == 404
    logging.getLogger("django.server").warning('"GET /s/%s/ HTTP/1.1" 200 1234', token)

    written = log_output.getvalue()
    assert "Not Found: /s/[redacted]/no-such-page" in written
    assert "method=GET path=/s/[redacted]/no-such-page status=404" in written
    assert '"GET /s/[redacted]/ HTTP/1.1" 200 1234' in written
    assert token not in written


def test_other_paths_are_logged_as_they_are(client, alice, log_output):
    client.force_login(alice)
    client.get("/projects/987654/")
    assert "Not Found: /projects/987654/" in log_output.getvalue()


def test_one_structured_line_per_request_with_user_path_status_and_time(
    client, alice, project, log_output
):
    client.force_login(alice)
    client.get(f"/projects/{project.pk}/", headers={"HX-Request": "true"})

    lines = [line for line in log_output.getvalue().splitlines() if line.startswith("method=")]
    assert len(lines) == 1
    assert lines[0].startswith(f"method=GET path=/projects/{project.pk}/ status=200 ms=")
    assert lines[0].endswith(f" user={alice.pk} htmx=1")
    milliseconds = float(lines[0].split(" ms=")[1].split()[0])
    assert milliseconds > 0


def test_an_anonymous_request_is_logged_with_a_dash(client, log_output):
    client.get("/accounts/login/")
    assert "method=GET path=/accounts/login/ status=200 ms=" in log_output.getvalue()
    assert " user=- htmx=0" in log_output.getvalue()


def test_a_path_with_spaces_or_quotes_stays_one_parseable_field(client, log_output):
    client.get('/no such "page"')
    assert 'path="/no such \\"page\\"" status=404' in log_output.getvalue()


def test_a_password_reset_token_is_redacted_and_its_pages_are_not(client, db, log_output):
    client.get("/accounts/password/reset/MQ/cx5k2q-0123456789abcdef/")
    client.get("/accounts/password/reset/sent/")
    written = log_output.getvalue()
    assert "path=/accounts/password/reset/MQ/[redacted]/ status=200" in written
    assert "cx5k2q-0123456789abcdef" not in written
    assert "path=/accounts/password/reset/sent/ status=200" in written
