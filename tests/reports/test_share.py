from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from decisions.lib.tokens import hash_token
from decisions.reports.models import ShareLink
from decisions.reports.views import SHARE_REQUESTS_PER_MINUTE
from tests.reports.conftest import save_decision

HTMX = {"HX-Request": "true"}
SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


def create_link(
    client,
    decision,
    *,
    label="Steering committee",
    expiry="30",
    scope="examples",
    headers=None,
):
    url = f"/projects/{decision.project_id}/decisions/{decision.revision}/share/"
    data = {"label": label, "expiry": expiry, "scope": scope}
    return client.post(url, data, headers=headers or {})


def token_from(response) -> str:
    return re.search(r"/s/([A-Za-z0-9_\-]+)/", response.content.decode()).group(1)


def assert_share_headers(response):
    for header, value in SHARE_HEADERS.items():
        assert response[header] == value


def test_share_link_lifecycle(client, alice, decision):
    client.force_login(alice)
    created = create_link(client, decision)
    assert created.status_code == 201
    assert "it is shown only once" in created.content.decode()
    token = token_from(created)
    assert len(token) >= 43  # token_urlsafe(32)
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert link.expires_at > timezone.now() + timedelta(days=29)
    # Only the hash is stored: the token appears in no column of the table.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ShareLink._meta.db_table}")
        assert token not in repr(cursor.fetchall())
    # The list never shows the token again.
    assert token not in client.get(f"/projects/{decision.project_id}/decisions/1/").content.decode()

    client.logout()
    shared = client.get(f"/s/{token}/")
    assert shared.status_code == 200
    assert_share_headers(shared)
    html = shared.content.decode()
    assert decision.verdict in html
    assert f"/projects/{decision.project_id}/" not in html  # nothing else of the project
    link.refresh_from_db()
    assert link.view_count == 1 and link.last_viewed_at is not None

    client.force_login(alice)
    revoke = client.post(f"/projects/{decision.project_id}/decisions/1/share/{link.pk}/revoke/")
    assert revoke.status_code == 200
    client.logout()
    gone = client.get(f"/s/{token}/")
    assert gone.status_code == 404
    assert_share_headers(gone)


def test_expired_revoked_and_unknown_tokens_get_the_same_404(client, alice, decision):
    client.force_login(alice)
    expired_token = token_from(create_link(client, decision, label="old", expiry="7"))
    revoked_token = token_from(create_link(client, decision, label="revoked"))
    ShareLink.objects.filter(label="old").update(expires_at=timezone.now() - timedelta(seconds=1))
    ShareLink.objects.filter(label="revoked").update(revoked_at=timezone.now())
    client.logout()
    responses = [
        client.get(f"/s/{token}/") for token in (expired_token, revoked_token, "no-such-token")
    ]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1
    pdfs = [client.get(f"/s/{token}/report.pdf") for token in (expired_token, "no-such-token")]
    assert {r.status_code for r in pdfs} == {404}


def test_never_expiring_link(client, alice, decision):
    client.force_login(alice)
    create_link(client, decision, expiry="never")
    assert ShareLink.objects.get().expires_at is None


def test_shared_page_shows_only_that_revision(client, alice, project, decision):
    second = save_decision(project, alice, "context")
    client.force_login(alice)
    token = token_from(create_link(client, decision))
    client.logout()
    html = client.get(f"/s/{token}/").content.decode()
    assert decision.verdict in html
    assert second.verdict not in html.split("Effort, cost")[0]
    assert "Superseded by revision 2" in html


def test_create_with_htmx_returns_the_panel(client, alice, decision):
    client.force_login(alice)
    response = create_link(client, decision, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 201 and "<html" not in html
    assert 'id="share-panel"' in html and "/s/" in html


def test_bad_share_input_is_refused(client, alice, decision):
    client.force_login(alice)
    assert create_link(client, decision, label="").status_code == 422
    assert create_link(client, decision, label="x" * 101).status_code == 422
    assert create_link(client, decision, expiry="365").status_code == 422
    assert not ShareLink.objects.exists()


def test_share_management_access(client, bob, charlie, emily, decision):
    create_url = f"/projects/{decision.project_id}/decisions/1/share/"
    link, _ = ShareLink.create(decision=decision, label="x", expiry="7", scope="full", user=emily)
    revoke_url = f"{create_url}{link.pk}/revoke/"
    for user, status in ((charlie, 404), (bob, 403)):
        client.force_login(user)
        assert (
            client.post(create_url, {"label": "y", "expiry": "7", "scope": "summary"}).status_code
            == status
        )
        assert client.post(revoke_url).status_code == status
    link.refresh_from_db()
    assert link.revoked_at is None and ShareLink.objects.count() == 1
    client.force_login(emily)
    assert (
        client.post(create_url, {"label": "y", "expiry": "7", "scope": "summary"}).status_code
        == 201
    )


def test_share_endpoint_is_rate_limited_per_address(client, decision):
    for _ in range(SHARE_REQUESTS_PER_MINUTE):
        assert client.get("/s/unknown/").status_code == 404
    limited = client.get("/s/unknown/")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    other_address = client.get("/s/unknown/", REMOTE_ADDR="10.9.8.7")
    assert other_address.status_code == 404


def test_the_htmx_header_gets_no_bucket_of_its_own(client, decision):
    for number in range(SHARE_REQUESTS_PER_MINUTE):
        headers = HTMX if number % 2 else {}
        assert client.get("/s/unknown/", headers=headers).status_code == 404
    assert client.get("/s/unknown/", headers=HTMX).status_code == 429
    assert client.get("/s/unknown/report.pdf", headers=HTMX).status_code == 429


def test_the_htmx_header_does_not_skip_the_view_count(client, alice, decision):
    client.force_login(alice)
    token = token_from(create_link(client, decision, scope="full"))
    client.logout()
    assert client.get(f"/s/{token}/", headers=HTMX).status_code == 200
    assert client.get(f"/s/{token}/diagram.svg", headers=HTMX).status_code == 200
    assert ShareLink.objects.get().view_count == 2
