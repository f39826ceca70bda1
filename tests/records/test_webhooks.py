"""Webhook deliveries against a real local receiver: the signed body of each format, retries
with backoff after a failure, giving up after the last attempt, and the addresses that are
refused (checked after resolution, at each attempt, connecting to the address checked)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from datetime import datetime, timedelta

import pytest
from django.tasks import default_task_backend
from django.utils import timezone

from decisions.lib import outbound
from decisions.records.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookTarget,
)
from decisions.records.notifications.tasks import deliver_webhook
from tests.records import receiver as local
from tests.reports.conftest import save_decision

SECRET = "a-secret-of-twenty-chars"
DUMMY_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "notifications"],
    }
}


@pytest.fixture
def receiver():
    found, server = local.start()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    """The receiver is on 127.0.0.1, which production refuses; tests allow it."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True


def make_target(team, url, format="json", events=("comment.added",)) -> WebhookTarget:
    return WebhookTarget.objects.create(
        team=team, name="Receiver", url=url, format=format, secret=SECRET, events=list(events)
    )


def make_delivery(target, payload='{"event": "webhook.test"}') -> WebhookDelivery:
    return WebhookDelivery.objects.create(target=target, kind="webhook.test", payload=payload)


def expected_signature(timestamp: str, body: bytes) -> str:
    mac = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def comment_on(client, decision, user, body, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/projects/{decision.project_id}/decisions/{decision.revision}/comments/",
            {"body": body},
        )


@pytest.mark.usefixtures("loopback_allowed")
def test_a_comment_posts_a_signed_generic_json_body(
    client, project, team, alice, emily, receiver, django_capture_on_commit_callbacks
):
    decision = save_decision(project, alice, "prompt")
    target = make_target(team, receiver.url)

    comment_on(client, decision, emily, "Why not retrieval?", django_capture_on_commit_callbacks)

    [request] = receiver.requests
    assert request.path == "/hooks/decisions"
    timestamp = request.headers["X-Decisions-Timestamp"]
    assert abs(int(timestamp) - timezone.now().timestamp()) < 30
    assert request.headers["X-Decisions-Signature"] == expected_signature(timestamp, request.body)
    assert request.headers["X-Decisions-Event"] == "comment.added"
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)
    assert datetime.fromisoformat(body.pop("timestamp")) <= timezone.now()
    assert body == {
        "event": "comment.added",
        "project": {"id": project.pk, "name": "Email drafter"},
        "revision": 1,
        "actor": "emily",
        "url": f"https://decisions.example.com/projects/{project.pk}/decisions/1/"
        f"#comment-{decision.comments.get().pk}",
        "summary": "emily commented on “Email drafter”, revision 1",
    }
    delivery = WebhookDelivery.objects.get(target=target)
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.response_excerpt, attempt.error) == (200, "ok", "")


@pytest.mark.usefixtures("loopback_allowed")
def test_a_slack_target_gets_text_with_the_link_and_markup_kept_as_text(
    client, project, team, alice, emily, receiver, django_capture_on_commit_callbacks
):
    project.name = "<!channel> & co"
    project.save()
    decision = save_decision(project, alice, "prompt")
    make_target(team, receiver.url, format="slack")

    comment_on(client, decision, emily, "Hello", django_capture_on_commit_callbacks)

    comment_id = decision.comments.get().pk
    assert json.loads(receiver.requests[0].body) == {
        "text": "emily commented on “&lt;!channel&gt; &amp; co”, revision 1 "
        f"<https://decisions.example.com/projects/{project.pk}/decisions/1/#comment-{comment_id}"
        "|Open it>"
    }


@pytest.mark.usefixtures("loopback_allowed")
def test_a_target_gets_only_the_events_it_chose(
    client, project, team, alice, emily, receiver, django_capture_on_commit_callbacks
):
    decision = save_decision(project, alice, "prompt")
    make_target(team, receiver.url, events=["review.accepted"])

    comment_on(client, decision, emily, "Not sent", django_capture_on_commit_callbacks)

    assert receiver.requests == []
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_a_500_is_retried_after_a_minute_and_then_succeeds(settings, team, receiver):
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()
    receiver.answer(500, 200)
    delivery = make_delivery(make_target(team, receiver.url))

    assert deliver_webhook.call(delivery.pk, 1) == "pending"

    [retry] = default_task_backend.results
    assert retry.task.name == "deliver_webhook"
    assert retry.task.queue_name == "notifications"
    assert retry.args == [delivery.pk, 2]
    waited = retry.task.run_after - timezone.now()
    assert timedelta(seconds=55) < waited <= timedelta(minutes=1)

    assert deliver_webhook.call(delivery.pk, 2) == "delivered"

    assert [r.headers["X-Decisions-Delivery"] for r in receiver.requests] == [str(delivery.pk)] * 2
    log = list(WebhookAttempt.objects.order_by("number").values_list("number", "status_code"))
    assert log == [(1, 500), (2, 200)]
    assert len(default_task_backend.results) == 1  # no third attempt


@pytest.mark.usefixtures("loopback_allowed")
def test_it_gives_up_after_the_fourth_attempt_with_backoff_of_1_5_and_30_minutes(
    settings, team, receiver
):
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()
    receiver.answer(503, body=b"down for maintenance")
    delivery = make_delivery(make_target(team, receiver.url))

    statuses = [deliver_webhook.call(delivery.pk, number) for number in (1, 2, 3, 4)]

    assert statuses == ["pending", "pending", "pending", "failed"]
    waits = [
        round((result.task.run_after - timezone.now()).total_seconds() / 60)
        for result in default_task_backend.results
    ]
    assert waits == [1, 5, 30]  # and nothing after the fourth
    assert len(receiver.requests) == 4
    last = WebhookAttempt.objects.get(number=4)
    assert (last.status_code, last.response_excerpt, last.will_retry_at) == (
        503,
        "down for maintenance",
        None,
    )


@pytest.mark.usefixtures("loopback_allowed")
def test_the_same_attempt_run_twice_posts_once(settings, team, receiver):
    settings.TASKS = DUMMY_TASKS
    delivery = make_delivery(make_target(team, receiver.url))

    assert deliver_webhook.call(delivery.pk, 1) == "delivered"
    assert deliver_webhook.call(delivery.pk, 1) == "skipped"

    assert len(receiver.requests) == 1


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("status", [400, 404, 410])
def test_a_refusal_by_the_receiver_is_not_retried(settings, team, receiver, status):
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()
    receiver.answer(status)
    delivery = make_delivery(make_target(team, receiver.url))

    assert deliver_webhook.call(delivery.pk, 1) == "failed"
    assert default_task_backend.results == []


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("status", [408, 429, 500, 599])
def test_a_busy_or_broken_receiver_is_retried(settings, team, receiver, status):
    settings.TASKS = DUMMY_TASKS
    receiver.answer(status)
    assert deliver_webhook.call(make_delivery(make_target(team, receiver.url)).pk, 1) == "pending"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_redirect_is_not_followed(settings, team, receiver):
    settings.TASKS = DUMMY_TASKS
    receiver.answer(302, headers={"Location": f"http://127.0.0.1:{receiver.port}/elsewhere"})
    delivery = make_delivery(make_target(team, receiver.url))

    assert deliver_webhook.call(delivery.pk, 1) == "failed"

    assert [request.path for request in receiver.requests] == ["/hooks/decisions"]
    assert WebhookAttempt.objects.get().status_code == 302


@pytest.mark.usefixtures("loopback_allowed")
def test_the_log_keeps_the_first_500_characters_of_a_large_answer(settings, team, receiver):
    settings.TASKS = DUMMY_TASKS
    receiver.answer(200, body=b"x" * 200_000)
    deliver_webhook.call(make_delivery(make_target(team, receiver.url)).pk, 1)

    assert WebhookAttempt.objects.get().response_excerpt == "x" * 500


@pytest.mark.usefixtures("loopback_allowed")
def test_an_answer_is_read_up_to_the_cap_only(receiver):
    receiver.answer(200, body=b"y" * 200_000)
    answer = outbound.post(receiver.url, b"{}", {}, timeout=5, max_bytes=1_000, allow_private=True)
    assert (answer.status, len(answer.body)) == (200, 1_000)


@pytest.mark.usefixtures("loopback_allowed")
def test_a_slow_receiver_times_out_and_is_tried_again(settings, team, receiver):
    settings.TASKS = DUMMY_TASKS
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    delivery = make_delivery(make_target(team, receiver.url))

    assert deliver_webhook.call(delivery.pk, 1) == "pending"
    assert "timed out" in WebhookAttempt.objects.get().error


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://10.0.0.1/hook", "10.0.0.1 is a private address"),
        ("http://127.0.0.1:{port}/hook", "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:{port}/hook", "::1 is a loopback address"),
        (
            "http://[::ffff:127.0.0.1]:{port}/hook",
            "::ffff:127.0.0.1 (::ffff:7f00:1) is a loopback address",
        ),
        ("http://[fd00::1]/hook", "fd00::1 is a private address"),
        ("http://0.0.0.0:{port}/hook", "0.0.0.0 is an unspecified address"),
        ("http://224.0.0.1/hook", "224.0.0.1 is a multicast address"),
        ("http://100.64.0.1/hook", "100.64.0.1 is a non-public address"),
    ],
)
def test_an_internal_address_is_refused_without_a_connection(settings, team, receiver, url, error):
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()
    delivery = make_delivery(make_target(team, url.format(port=receiver.port)))

    assert deliver_webhook.call(delivery.pk, 1) == "failed"

    attempt = WebhookAttempt.objects.get()
    assert attempt.error.endswith(f"{error}: webhooks only go to public addresses.")
    assert attempt.status_code is None
    assert receiver.requests == []
    assert default_task_backend.results == []  # a rule, not a hiccup: no retry


def fake_resolver(monkeypatch, *answers: list[str]) -> list[str]:
    """Stand in for DNS: each lookup gets the next list of addresses; returns the names asked."""
    asked, remaining = [], list(answers)
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "hooks.example.com":  # the connection to a checked address, by number
            return real(host, port, *args, **kwargs)
        asked.append(host)
        addresses = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (family[6 if ":" in a else 4], socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", getaddrinfo)
    return asked


def test_a_host_name_resolving_to_loopback_is_refused(settings, team, receiver, monkeypatch):
    settings.TASKS = DUMMY_TASKS
    fake_resolver(monkeypatch, ["127.0.0.1"])
    delivery = make_delivery(make_target(team, f"http://hooks.example.com:{receiver.port}/"))

    assert deliver_webhook.call(delivery.pk, 1) == "failed"

    assert WebhookAttempt.objects.get().error == (
        "hooks.example.com (127.0.0.1) is a loopback address: webhooks only go to public addresses."
    )
    assert receiver.requests == []


def test_one_internal_address_among_public_ones_refuses_the_name(settings, team, monkeypatch):
    settings.TASKS = DUMMY_TASKS
    fake_resolver(monkeypatch, ["93.184.215.14", "10.1.2.3"])
    delivery = make_delivery(make_target(team, "https://hooks.example.com/"))

    assert deliver_webhook.call(delivery.pk, 1) == "failed"
    assert "(10.1.2.3) is a private address" in WebhookAttempt.objects.get().error


@pytest.mark.usefixtures("loopback_allowed")
def test_each_attempt_resolves_again_and_connects_to_the_address_it_checked(
    settings, team, receiver, monkeypatch
):
    """The name is looked up at every attempt (its addresses change), and the request goes to
    the address that was looked up, with the name as Host: nothing resolves it a second time."""
    settings.TASKS = DUMMY_TASKS
    asked = fake_resolver(monkeypatch, ["127.0.0.1"])
    receiver.answer(500, 200)
    delivery = make_delivery(make_target(team, f"http://hooks.example.com:{receiver.port}/in"))

    deliver_webhook.call(delivery.pk, 1)
    deliver_webhook.call(delivery.pk, 2)

    assert asked == ["hooks.example.com", "hooks.example.com"]
    assert [r.headers["Host"] for r in receiver.requests] == [
        f"hooks.example.com:{receiver.port}"
    ] * 2


class FakePool:
    """Stands in for the connection: records the address it was opened for, answers 500."""

    opened: list[tuple[str, str, str]] = []

    def __init__(self, scheme, host, address, port, timeout):
        FakePool.opened.append((scheme, host, str(address)))

    def urlopen(self, *args, **kwargs):
        class Response:
            status = 500

            def stream(self, *args, **kwargs):
                return iter([b"busy"])

            def release_conn(self):
                pass

        return Response()

    def close(self):
        pass


def test_a_name_that_turns_internal_after_saving_is_refused_at_the_next_attempt(
    settings, team, monkeypatch
):
    """DNS rebinding: public at the first attempt, the metadata service at the second."""
    settings.TASKS = DUMMY_TASKS
    asked = fake_resolver(monkeypatch, ["93.184.215.14"], ["169.254.169.254"])
    FakePool.opened = []
    monkeypatch.setattr(outbound, "_pool", FakePool)
    delivery = make_delivery(make_target(team, "https://hooks.example.com/in"))

    assert deliver_webhook.call(delivery.pk, 1) == "pending"
    assert deliver_webhook.call(delivery.pk, 2) == "failed"

    assert asked == ["hooks.example.com", "hooks.example.com"]
    assert FakePool.opened == [("https", "hooks.example.com", "93.184.215.14")]
    assert WebhookAttempt.objects.get(number=2).error == (
        "hooks.example.com (169.254.169.254) is a link-local address: webhooks only go to "
        "public addresses."
    )


def test_https_connects_to_the_checked_address_and_checks_the_certificate_for_the_name():
    pool = outbound._pool(
        "https", "hooks.example.com", outbound.ipaddress.ip_address("93.184.215.14"), 443, 5
    )
    assert pool.host == "93.184.215.14"
    assert pool.conn_kw["server_hostname"] == "hooks.example.com"
    assert pool.assert_hostname == "hooks.example.com"
    assert pool.cert_reqs == "CERT_REQUIRED"


@pytest.mark.usefixtures("loopback_allowed")
def test_the_send_test_button_posts_a_test_event(
    client, team, alice, receiver, django_capture_on_commit_callbacks
):
    target = make_target(team, receiver.url, format="json")
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/teams/{team.pk}/webhooks/{target.pk}/test/")

    assert response.status_code == 302
    assert response["Location"] == f"/teams/{team.pk}/webhooks/{target.pk}/#log"
    body = json.loads(receiver.requests[0].body)
    assert (body["event"], body["actor"], body["url"]) == (
        "webhook.test",
        "alice",
        f"https://decisions.example.com/teams/{team.pk}/webhooks/{target.pk}/",
    )
    assert receiver.requests[0].headers["X-Decisions-Event"] == "webhook.test"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_target_keeps_its_latest_100_deliveries(team):
    from decisions.records.notifications.webhooks import prune

    target = make_target(team, "https://hooks.example.com/")
    deliveries = [make_delivery(target) for _ in range(101)]

    assert prune(target.pk) == 1
    assert not WebhookDelivery.objects.filter(pk=deliveries[0].pk).exists()
    assert WebhookDelivery.objects.filter(target=target).count() == 100
    assert prune(target.pk) == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_under_the_immediate_backend_a_failure_waits_for_its_retry_without_an_error(team, receiver):
    """Tests run tasks immediately, and that backend cannot wait: the retry is recorded, not
    raised, so a failing receiver in another stage's test does not break its request."""
    receiver.answer(500)
    delivery = make_delivery(make_target(team, receiver.url))

    assert deliver_webhook.enqueue(delivery.pk, 1).return_value == "pending"
    assert WebhookAttempt.objects.get().will_retry_at is not None
    assert len(receiver.requests) == 1
